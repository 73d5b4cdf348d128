import { z } from 'zod';
import { idSchema, instantInput, isoOut } from '../../shared/schema.js';
import { channelSchema } from '../../tickets/schema.js';
import { FLAG_KINDS } from '../signals/flags.js';

export const LIMIT_KINDS = ['open_tickets', 'tickets_per_period', 'channels', 'suspension'] as const;
export type LimitKind = (typeof LIMIT_KINDS)[number];

const reason = z.string().trim().min(1, 'must not be empty').max(2000);

export const limitSettings = z.strictObject({
  max: z.number().int().min(1, 'must be at least 1').max(10_000).optional(),
  periodDays: z.number().int().min(1, 'must be at least 1').max(366).optional(),
  channels: z.array(channelSchema).min(1, 'name at least one channel').max(10).optional(),
});
export type LimitSettings = z.infer<typeof limitSettings>;

/** What each kind needs: a cap, a cap and its period, the channels left open, an end date. */
export const limitCreate = z
  .strictObject({
    kind: z.enum(LIMIT_KINDS),
    settings: limitSettings.default({}),
    reason: reason.describe('Why, as the customer will read it (the mail and every refusal quote it).'),
    endsAt: instantInput.optional().describe('When the limit ends by itself; required for a suspension.'),
  })
  .superRefine((input, ctx) => {
    const need = (ok: boolean, path: (string | number)[], message: string) => {
      if (!ok) ctx.addIssue({ code: 'custom', path, message });
    };
    const { settings } = input;
    switch (input.kind) {
      case 'open_tickets':
        need(settings.max !== undefined, ['settings', 'max'], 'required for a cap on open tickets');
        break;
      case 'tickets_per_period':
        need(settings.max !== undefined, ['settings', 'max'], 'required for a cap per period');
        need(settings.periodDays !== undefined, ['settings', 'periodDays'], 'required for a cap per period');
        break;
      case 'channels':
        need(settings.channels !== undefined, ['settings', 'channels'], 'name the channels left open');
        break;
      case 'suspension':
        need(input.endsAt !== undefined, ['endsAt'], 'a suspension needs an end date');
        break;
    }
  });
export type LimitCreate = z.infer<typeof limitCreate>;

export const limitLift = z.strictObject({ reason });

export const limitsQuery = z.strictObject({
  active: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: only the limits in force now (the only ones customers may read).'),
});

export const limitParams = z.strictObject({ id: idSchema, limitId: idSchema });

const personRef = z.object({ id: z.string(), name: z.string() });

export const limitOut = z.object({
  id: z.string(),
  organizationId: z.string(),
  kind: z.enum(LIMIT_KINDS),
  settings: z.object({
    max: z.number().int().optional(),
    periodDays: z.number().int().optional(),
    channels: z.array(channelSchema).optional(),
  }),
  reason: z.string(),
  startsAt: isoOut,
  endsAt: isoOut.nullable(),
  createdBy: personRef.nullable().describe('Staff only; null for customers.'),
  createdAt: isoOut,
  liftedAt: isoOut.nullable(),
  active: z.boolean(),
});
export type LimitOut = z.infer<typeof limitOut>;

export const contactMessage = z.strictObject({
  message: z.string().trim().min(1, 'must not be empty').max(5000),
  flagKinds: z
    .array(z.enum(FLAG_KINDS))
    .max(FLAG_KINDS.length)
    .optional()
    .describe('The open flags whose evidence the mail lists (ticket numbers and subjects, article titles).'),
});
export type ContactMessage = z.infer<typeof contactMessage>;
