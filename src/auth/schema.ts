import { z } from 'zod';
import { passwordSchema, userOut } from '../customers/schema.js';

export const loginBody = z.strictObject({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(256),
});

export const sessionOut = z.object({
  user: userOut.pick({ id: true, email: true, name: true, role: true, organizationId: true, locale: true }),
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

export const embedBody = z.strictObject({
  token: z
    .string()
    .min(1)
    .max(4096)
    .describe('A JWT (HS256) the vendor\u2019s server signed with EMBED_SECRET: email, name, iat, exp.'),
});

export const embedOut = z.object({
  sessionToken: z.string().describe('Send as `Authorization: Bearer <sessionToken>` from the widget.'),
  expiresAt: z.iso.datetime(),
  user: userOut.pick({ id: true, email: true, name: true, role: true, organizationId: true, locale: true }),
});
