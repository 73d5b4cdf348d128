import { z } from 'zod';
import { idSchema, isoOut } from '../../shared/schema.js';
import { FLAG_KINDS, SIGNAL_KINDS } from './flags.js';

const ticketRef = z.object({
  id: z.string(),
  number: z.number().int(),
  subject: z.string(),
  createdAt: isoOut,
});

export const evidenceOut = z.object({
  ticket: ticketRef.optional(),
  matches: z
    .array(
      z.object({
        id: z.string(),
        number: z.number().int(),
        subject: z.string(),
        similarity: z
          .number()
          .describe('0..1: text cosine over stemmed words, plus equal reproduction details.'),
      }),
    )
    .optional()
    .describe('Repeats: the resolved tickets this one closely matches, most similar first.'),
  article: z
    .object({
      id: z.string(),
      title: z.string(),
      url: z.string(),
      opened: z.boolean().describe('Whether the sender opened it among the suggestions before sending.'),
    })
    .optional(),
  note: z.string().optional(),
  at: isoOut,
});

export const flagOut = z.object({
  id: z.string().describe('organizationId:kind'),
  organizationId: z.string(),
  organizationName: z.string(),
  kind: z.enum(FLAG_KINDS),
  score: z.number().min(0).max(1).describe('0.5 at the flag’s threshold, 1 at twice it.'),
  summary: z.string().describe('One sentence with the counts behind the flag.'),
  window: z.object({ from: isoOut, to: isoOut }),
  evidence: z.array(evidenceOut).describe('Newest first, at most 50.'),
});

export const flagsQuery = z.strictObject({
  organizationId: idSchema.optional().describe('Absent: every organization with an open flag.'),
});

export const dismissBody = z.strictObject({
  organizationId: idSchema,
  kind: z.enum(FLAG_KINDS),
  reason: z.string().trim().min(1, 'must not be empty').max(1000),
});

export const offTopicBody = z
  .strictObject({ note: z.string().trim().max(1000).optional() })
  .nullish()
  .describe('An optional note for the other staff and the audit log.');

export const ticketFairUseOut = z.object({
  offTopic: z
    .object({
      note: z.string().nullable(),
      markedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
      markedAt: isoOut,
    })
    .nullable(),
  signals: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(SIGNAL_KINDS),
      summary: z.string().describe('One sentence: what the sign is and what it rests on.'),
      score: z.number(),
      at: isoOut,
      evidence: z.array(evidenceOut),
    }),
  ),
});

export const classifierQuery = z.strictObject({ ticketId: idSchema });

export const classifierOut = z.object({
  offTopicProbability: z
    .number()
    .nullable()
    .describe('null until staff have marked enough tickets off-topic to learn from.'),
  trainedOn: z.number().int().describe('The tickets the classifier learned from; 0 when it did not.'),
});
