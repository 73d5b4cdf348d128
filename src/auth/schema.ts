import { z } from 'zod';
import { LOCALES } from '../shared/schema.js';
import { ROLES } from './principal.js';

export const roleSchema = z.enum(ROLES);
export const passwordSchema = z.string().min(10, 'must be at least 10 characters').max(256);

/** Who is signed in, as a session shows it. */
export const sessionUserOut = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  organizationId: z.string().nullable(),
  locale: z.enum(LOCALES).nullable(),
});

export const loginBody = z.strictObject({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(256),
});

export const sessionOut = z.object({
  user: sessionUserOut,
  csrfToken: z
    .string()
    .nullable()
    .describe('Send as x-csrf-token on cookie-authenticated writes; null for token auth.'),
});

export const tokenCreate = z.strictObject({ name: z.string().trim().min(1).max(100).default('API token') });
export const tokenCreated = z.object({
  id: z.string(),
  name: z.string(),
  token: z.string().describe('Shown once; Accord stores only its hash.'),
});
export const tokenOut = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
});

export const passwordResetRequest = z.strictObject({ email: z.string().trim().min(1).max(254) });
export const passwordResetConfirm = z.strictObject({
  token: z.string().min(10).max(200),
  password: passwordSchema,
});
export const passwordChange = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: passwordSchema,
});
