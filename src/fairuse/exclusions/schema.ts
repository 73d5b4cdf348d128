import { z } from 'zod';
import { EXCLUSION_REASONS } from '../../tickets/schema.js';

const reason = z.string().trim().min(1, 'must not be empty').max(2000);

export const exclusionCreate = z.strictObject({
  reason: z
    .enum(EXCLUSION_REASONS)
    .describe(
      'Policy section 5: use not conforming to the agreement or documentation (nonconforming_use), or gross negligence (gross_negligence).',
    ),
  note: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(2000)
    .describe('What the customer reads on the ticket, beside the reason.'),
});
export type ExclusionCreate = z.infer<typeof exclusionCreate>;

export const exclusionRemove = z.strictObject({ reason });
