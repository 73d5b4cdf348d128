import { z } from 'zod';
import { idSchema, isoOut } from '../../shared/schema.js';
import { FLAG_KINDS, SIGNAL_KINDS } from './flags.js';

const ticketRef = z.object({
  id: z.string(),
  number: z.number().int(),
  subject: z.string(),
  createdAt: isoOut,
});

const share = z.number().min(0).max(1);

export const evidenceFactOut = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('repeat'),
      matches: z.number().int().describe('How many resolved tickets it closely matches.'),
    }),
    z.object({
      kind: z.literal('reopen'),
      excerpt: z.string(),
      words: z.number().int(),
      coverage: share.describe('The share of the reply’s words the ticket already held.'),
    }),
    z.object({
      kind: z.literal('suggested_article'),
      opened: z.boolean(),
      coverage: share.describe('The share of the ticket’s words the article holds.'),
    }),
    z.object({ kind: z.literal('answered_with_article') }),
    z.object({ kind: z.literal('off_topic'), note: z.string().nullable() }),
    z.object({
      kind: z.literal('volume'),
      tickets: z.number().int(),
      ownAverage: z
        .number()
        .nullable()
        .describe('Tickets a month over the baseline days; null when it filed none then.'),
      baselineDays: z.number().int(),
      tier: z.string().nullable(),
      tierMedian: z.number().nullable().describe('null when no other organization of the tier filed.'),
    }),
    z.object({
      kind: z.literal('top_requester'),
      name: z.string(),
      tickets: z.number().int(),
      ownAverage: z.number(),
    }),
  ])
  .describe('What the evidence says, as a kind and its numbers, to word in the reader’s language.');

const windowDays = z
  .number()
  .int()
  .describe('The days a flag looks back over; after a dismissal, only the days since.');

export const flagFactsOut = z
  .discriminatedUnion('kind', [
    z.object({
      windowDays,
      kind: z.literal('repeat_incident'),
      threshold: z.number().int(),
      tickets: z.number().int(),
      repeats: z.number().int().describe('New tickets closely matching a resolved one.'),
      originals: z.number().int().describe('The resolved tickets they match.'),
      reopens: z.number().int().describe('Reopened without new information.'),
    }),
    z.object({
      windowDays,
      kind: z.literal('helpcenter_answered'),
      threshold: z.number().int(),
      tickets: z.number().int(),
      articles: z.number().int(),
      suggested: z.number().int().describe('Sent after a suggestion that answers them.'),
      opened: z.number().int().describe('Of those, sent after opening the suggested article.'),
      answered: z.number().int().describe('Answered by staff with an article link.'),
    }),
    z.object({
      windowDays,
      kind: z.literal('off_topic'),
      threshold: z.number().int(),
      tickets: z.number().int(),
    }),
    z.object({
      windowDays,
      kind: z.literal('volume'),
      minimum: z.number().int(),
      ratio: z.number().describe('Each baseline there is must be exceeded more than this many times.'),
      tickets: z.number().int(),
      baselineDays: z.number().int(),
      ownAverage: z.number().nullable(),
      ownRatio: z.number().nullable().describe('null when it has no earlier tickets to compare with.'),
      tier: z.string().nullable(),
      tierMedian: z.number().nullable(),
      tierRatio: z.number().nullable().describe('null when no other organization of its tier filed.'),
    }),
  ])
  .describe('The counts behind the flag and the threshold that raises it, to word in the reader’s language.');

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
  note: z.string().optional().describe('The evidence in English; `fact` holds it as data.'),
  fact: evidenceFactOut,
  at: isoOut,
});

export const flagOut = z.object({
  id: z.string().describe('organizationId:kind'),
  organizationId: z.string(),
  organizationName: z.string(),
  kind: z.enum(FLAG_KINDS),
  score: z.number().min(0).max(1).describe('0.5 at the flag’s threshold, 1 at twice it.'),
  summary: z.string().describe('One sentence in English with the counts behind the flag.'),
  facts: flagFactsOut,
  window: z.object({ from: isoOut, to: isoOut }),
  dismissedAt: isoOut
    .nullable()
    .describe('When the flag was last dismissed, if the window runs from then rather than 30 days back.'),
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
      summary: z.string().describe('One sentence in English: what the sign is and what it rests on.'),
      score: z.number().describe('How close the match is (1 for a staff mark or answer); not misuse.'),
      flag: z
        .object({ kind: z.enum(FLAG_KINDS), score: z.number() })
        .nullable()
        .describe(
          'The organization’s open flag this sign counts towards; null while it is no pattern (one ticket is not misuse).',
        ),
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
