import { z } from 'zod';
import { passwordSchema, roleSchema } from '../auth/schema.js';
import { tierSchema } from '../policy/tiers.js';
import { idSchema, instantInput, isoOut, localeSchema } from '../shared/schema.js';

const hostname = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;
export const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(hostname, 'must be a domain name such as example.com');

export const subscriptionInput = z
  .strictObject({ tier: tierSchema, termStart: instantInput, termEnd: instantInput })
  .refine((s) => Date.parse(s.termEnd) > Date.parse(s.termStart), {
    message: 'termEnd must be after termStart',
    path: ['termEnd'],
  });

export const subscriptionOut = z.object({
  id: z.string(),
  organizationId: z.string(),
  tier: tierSchema,
  termStart: isoOut,
  termEnd: isoOut,
  createdAt: isoOut,
});

const nameSchema = z.string().trim().min(1, 'must not be empty').max(200);

export const organizationCreate = z.strictObject({
  name: nameSchema,
  domains: z.array(domainSchema).max(50).default([]),
  locale: localeSchema.default('en'),
  emailSignup: z
    .boolean()
    .optional()
    .describe('Unknown senders from the organization\u2019s domains join it as authorized users.'),
  subscription: subscriptionInput.optional(),
});
export type OrganizationCreate = z.infer<typeof organizationCreate>;

export const organizationUpdate = z.strictObject({
  name: nameSchema.optional(),
  domains: z.array(domainSchema).max(50).optional(),
  locale: localeSchema.optional(),
  emailSignup: z.boolean().optional(),
});
export type OrganizationUpdate = z.infer<typeof organizationUpdate>;

export const organizationOut = z.object({
  id: z.string(),
  name: z.string(),
  domains: z.array(z.string()),
  locale: localeSchema,
  emailSignup: z.boolean(),
  tier: tierSchema.describe('The tier served now: the active subscription, or basic without one.'),
  subscription: subscriptionOut.nullable().describe('The subscription in force now, if any.'),
  createdAt: isoOut,
  updatedAt: isoOut,
});
export type OrganizationOut = z.infer<typeof organizationOut>;

export const organizationListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
});

export const userCreate = z.strictObject({
  email: z.email().max(254).toLowerCase(),
  name: nameSchema,
  role: roleSchema,
  organizationId: idSchema.optional(),
  password: passwordSchema.optional(),
  locale: localeSchema.optional(),
});
export type UserCreate = z.infer<typeof userCreate>;

export const userUpdate = z.strictObject({
  name: nameSchema.optional(),
  role: roleSchema.optional(),
  locale: localeSchema.nullable().optional(),
});
export type UserUpdate = z.infer<typeof userUpdate>;

export const userOut = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  organizationId: z.string().nullable(),
  locale: localeSchema.nullable(),
  active: z.boolean(),
  createdAt: isoOut,
  updatedAt: isoOut,
});
export type UserOut = z.infer<typeof userOut>;

export const userListQuery = z.strictObject({
  organizationId: idSchema.optional(),
  role: roleSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
});
export type UserListQuery = z.infer<typeof userListQuery>;
