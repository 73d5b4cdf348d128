import type { ChatConversationRow } from '../../db/tables.js';
import { PRIORITIES, TIERS, type Priority, type Tier } from '../../policy/tiers.js';

/** A chat message is a chat message: longer text belongs in a ticket. */
export const MAX_CHAT_MESSAGE_CHARS = 4000;
/** The largest WebSocket frame the desk reads (a message, its ids and JSON escaping). */
export const MAX_FRAME_BYTES = 64 * 1024;

export type ChatSide = 'visitor' | 'agent';
export type ChatStatus = ChatConversationRow['status'];

/**
 * The queue's order: the tier first (enterprise is served before basic, a visitor whose
 * organization is unknown last), then the priority, then (in the index) the oldest.
 */
export function queueRank(tier: Tier | null, priority: Priority): number {
  const tierRank = tier ? TIERS.length - 1 - TIERS.indexOf(tier) : TIERS.length;
  return tierRank * 10 + PRIORITIES.indexOf(priority);
}

export interface ChatMessageOut {
  id: string;
  clientId: string | null;
  seq: number;
  author: { kind: 'visitor' | 'agent' | 'system'; id: string | null; name: string };
  body: string;
  attachment: { id: string; filename: string; contentType: string; size: number } | null;
  createdAt: string;
}

export interface ChatConversationOut {
  id: string;
  status: ChatStatus;
  visitor: { name: string; email: string; verified: boolean; userId: string | null };
  organization: { id: string; name: string } | null;
  tier: Tier | null;
  priority: Priority;
  locale: 'en' | 'fr';
  page: string | null;
  agent: { id: string; name: string } | null;
  queuePosition: number | null;
  createdAt: string;
  acceptedAt: string | null;
  endedAt: string | null;
  /** When the transcript was queued for the visitor, if it was. */
  transcriptSentAt: string | null;
  ticket: { id: string; number: number } | null;
  lastSeq: number;
  visitorReceipt: { deliveredSeq: number; seenSeq: number };
  agentReceipt: { deliveredSeq: number; seenSeq: number };
}

/** What the desk sends down a chat connection (WebSocket frame or long-poll answer). */
export type ServerFrame =
  | { type: 'message'; conversationId: string; message: ChatMessageOut }
  | { type: 'typing'; conversationId: string; side: ChatSide; name: string; active: boolean }
  | { type: 'receipt'; conversationId: string; side: ChatSide; deliveredSeq: number; seenSeq: number }
  | { type: 'conversation'; conversation: ChatConversationOut }
  | { type: 'queue'; reason: QueueReason; conversationId?: string; agentId?: string }
  | { type: 'joined'; conversation: ChatConversationOut }
  | { type: 'ack'; conversationId: string; clientId: string; message: ChatMessageOut }
  | { type: 'error'; ref?: string; status: number; title: string; detail?: string }
  | { type: 'pong' };

export type QueueReason = 'queued' | 'accepted' | 'transferred' | 'ended' | 'presence';

/**
 * What one process tells every process (PostgreSQL NOTIFY carries at most 8000 bytes, so a long
 * message travels as its number and each process reads it back).
 */
export type ChatEvent =
  | { kind: 'frame'; conversationId: string; frame: ServerFrame; origin?: string }
  | { kind: 'message-ref'; conversationId: string; seq: number }
  | {
      kind: 'queue';
      reason: QueueReason;
      conversationId?: string;
      agentId?: string;
      /** The conversations waiting, in queue order (the first ones): their visitors hear their new place. */
      queued: string[];
    };

export const isTier = (value: string | null): value is Tier =>
  value !== null && (TIERS as readonly string[]).includes(value);
