import { z } from 'zod';
import { isoOut } from '../../shared/schema.js';
import { pageQuery } from '../../shared/pagination.js';

const reason = z.string().trim().min(1, 'must not be empty').max(2000);
const personRef = z.object({ id: z.string(), name: z.string() });

export const SPAM_CHANNELS = ['email', 'chat', 'helpcenter'] as const;

export const spamQuery = z.strictObject({
  status: z.enum(['pending', 'reviewed']).default('pending'),
  ...pageQuery,
});

export const spamDiscard = z.strictObject({ reason });

export const spamItemOut = z.object({
  id: z.string(),
  channel: z.enum(SPAM_CHANNELS),
  source: z.string().describe('The sender address, or a hash of the network address.'),
  summary: z.string(),
  reason: z.string(),
  createdAt: isoOut,
  outcome: z.enum(['released', 'discarded']).nullable(),
  reviewedAt: isoOut.nullable(),
  reviewedBy: personRef.nullable(),
});
export type SpamItemOut = z.infer<typeof spamItemOut>;
