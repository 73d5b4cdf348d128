import { z } from 'zod';
import { PRIORITIES, TIERS } from '../../policy/tiers.js';
import { MAX_CHAT_MESSAGE_CHARS } from './model.js';

const priority = z.enum(PRIORITIES);
const locale = z.enum(['en', 'fr']);
const seq = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);
export const idParam = z.object({ id: z.uuid() });

export const startBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  email: z.email().max(254).optional(),
  embedToken: z.string().min(1).max(4096).optional(),
  locale: locale.optional(),
  priority: priority.optional(),
  message: z.string().trim().min(1).max(MAX_CHAT_MESSAGE_CHARS).optional(),
  page: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  website: z.string().max(200).optional().describe('Leave empty: a field people do not see.'),
});

export const postBody = z.strictObject({
  clientId: z
    .uuid()
    .describe('The sender\u2019s id for this message: a resend with the same id is stored once.'),
  body: z.string().max(MAX_CHAT_MESSAGE_CHARS * 2),
  attachmentId: z.uuid().optional(),
});

export const messagesQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const eventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  wait: z.coerce.number().int().min(0).max(25).default(25),
});

export const typingBody = z.strictObject({ active: z.boolean() });
export const receiptBody = z.strictObject({ deliveredSeq: seq.optional(), seenSeq: seq.optional() });
export const endBody = z.strictObject({ transcript: z.boolean().optional() });
export const ticketBody = z.strictObject({
  subject: z.string().trim().min(1).max(300).optional(),
  priority: priority.optional(),
});
export const presenceBody = z.strictObject({
  status: z.enum(['online', 'away', 'offline']),
  capacity: z.number().int().min(1).max(20).optional(),
});
export const transferBody = z.strictObject({ agentId: z.uuid() });
export const cannedQuery = z.strictObject({
  q: z.string().max(100).optional(),
  locale: locale.optional(),
});
export const cannedCreate = z.strictObject({
  title: z.string().trim().min(1).max(100),
  body: z.string().trim().min(1).max(MAX_CHAT_MESSAGE_CHARS),
  locale: locale.nullable().optional(),
});
export const cannedUpdate = cannedCreate.partial();

const iso = z.iso.datetime();
export const messageOut = z.object({
  id: z.string(),
  clientId: z.string().nullable(),
  seq: z.number(),
  author: z.object({
    kind: z.enum(['visitor', 'agent', 'system']),
    id: z.string().nullable(),
    name: z.string(),
  }),
  body: z.string(),
  attachment: z
    .object({ id: z.string(), filename: z.string(), contentType: z.string(), size: z.number() })
    .nullable(),
  createdAt: iso,
});
const receipt = z.object({ deliveredSeq: z.number(), seenSeq: z.number() });
export const conversationOut = z.object({
  id: z.string(),
  status: z.enum(['queued', 'active', 'ended']),
  visitor: z.object({
    name: z.string(),
    email: z.string(),
    verified: z.boolean(),
    userId: z.string().nullable(),
  }),
  organization: z.object({ id: z.string(), name: z.string() }).nullable(),
  tier: z.enum(TIERS).nullable(),
  priority,
  locale,
  page: z.string().nullable(),
  agent: z.object({ id: z.string(), name: z.string() }).nullable(),
  queuePosition: z.number().nullable(),
  createdAt: iso,
  acceptedAt: iso.nullable(),
  endedAt: iso.nullable(),
  transcriptSentAt: iso.nullable(),
  ticket: z.object({ id: z.string(), number: z.number() }).nullable(),
  lastSeq: z.number(),
  visitorReceipt: receipt,
  agentReceipt: receipt,
});
export const availabilityQuery = z.strictObject({
  locale: locale.optional().describe('The language of the priority names (default en).'),
});
const availabilityCounts = z.object({ agentsOnline: z.number(), queueLength: z.number() });
export const availabilityOut = availabilityCounts.extend({
  priorities: z
    .array(z.object({ id: priority, name: z.string() }))
    .describe('The support policy\u2019s priorities, P0 first, named in the asked language.'),
  email: z
    .string()
    .nullable()
    .describe(
      'The desk\u2019s support address, where to write when no agent is online; null when the desk reads no mail.',
    ),
});
export const startOut = z.object({
  conversation: conversationOut.describe(
    'As the visitor sees it: for an unverified visitor, organization and tier are null.',
  ),
  visitorToken: z.string().describe('Send as x-chat-token: it authorizes this conversation only.'),
  availability: availabilityCounts.extend({
    expectedResponse: z
      .object({
        tier: z.enum(TIERS),
        tierName: z.string(),
        priority,
        label: z.string(),
        clock: z.enum(['calendar', 'business']),
      })
      .nullable()
      .describe(
        'The policy\u2019s first-response target of the visitor\u2019s tier and priority; null for an unverified visitor.',
      ),
  }),
});
export const presenceOut = z.object({
  agentId: z.string(),
  name: z.string(),
  status: z.enum(['online', 'away', 'offline']),
  capacity: z.number(),
  activeChats: z.number(),
});
export const queueOut = z.object({
  queued: z.array(conversationOut),
  mine: z.array(conversationOut),
  presence: presenceOut,
  agents: z.array(presenceOut),
});
export const cannedOut = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  locale: locale.nullable(),
  createdAt: iso,
  updatedAt: iso,
});
export const attachmentOut = z.object({
  id: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number(),
});

/** Frames a chat client sends over the WebSocket. */
export const clientFrame = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('join'),
    conversationId: z.uuid(),
    token: z.string().min(1).max(200).optional(),
    after: seq.optional(),
  }),
  z.strictObject({ type: z.literal('leave'), conversationId: z.uuid() }),
  z.strictObject({
    type: z.literal('send'),
    conversationId: z.uuid(),
    clientId: z.uuid(),
    body: z.string().max(MAX_CHAT_MESSAGE_CHARS * 2),
    attachmentId: z.uuid().optional(),
  }),
  z.strictObject({ type: z.literal('typing'), conversationId: z.uuid(), active: z.boolean() }),
  z.strictObject({
    type: z.literal('receipt'),
    conversationId: z.uuid(),
    deliveredSeq: seq.optional(),
    seenSeq: seq.optional(),
  }),
  z.strictObject({ type: z.literal('ping') }),
]);
export type ClientFrame = z.infer<typeof clientFrame>;
