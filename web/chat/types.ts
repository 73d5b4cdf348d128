/**
 * The live chat's wire types, shared by the visitor's chat button and the agent console. They mirror
 * the server's contract: REST under /api/v1/chat and the frames of /api/v1/chat/socket.
 */

export type Priority = 'P0' | 'P1' | 'P2' | 'P3';
export type Tier = 'basic' | 'essential' | 'premium' | 'enterprise';
export type ChatLocale = 'en' | 'fr';
export type ChatSide = 'visitor' | 'agent';

export interface ChatReceipt {
  deliveredSeq: number;
  seenSeq: number;
}

export interface ChatConversation {
  id: string;
  status: 'queued' | 'active' | 'ended';
  visitor: { name: string; email: string; verified: boolean; userId: string | null };
  organization: { id: string; name: string } | null;
  tier: Tier | null;
  priority: Priority;
  locale: ChatLocale;
  /** The page the visitor started from. */
  page: string | null;
  agent: { id: string; name: string } | null;
  /** 1-based while queued, else null. */
  queuePosition: number | null;
  createdAt: string;
  acceptedAt: string | null;
  endedAt: string | null;
  transcriptSentAt: string | null;
  /** Set once the chat was turned into a ticket. */
  ticket: { id: string; number: number } | null;
  /** The seq of the newest message (0 = none). */
  lastSeq: number;
  visitorReceipt: ChatReceipt;
  agentReceipt: ChatReceipt;
}

export interface ChatAttachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

export interface ChatMessage {
  id: string;
  /** The sender's idempotency key (null for system messages). */
  clientId: string | null;
  /** 1, 2, 3… per conversation, without gaps. */
  seq: number;
  author: { kind: 'visitor' | 'agent' | 'system'; id: string | null; name: string };
  /** Plain text: never rendered as HTML. */
  body: string;
  attachment: ChatAttachment | null;
  createdAt: string;
}

export interface ExpectedResponse {
  tier: Tier;
  /** The tier as the policy names it in the visitor's language (absent in chats saved before it was sent). */
  tierName?: string;
  priority: Priority;
  /** For instance "2 business hours". */
  label: string;
  clock: 'calendar' | 'business';
}

export interface Availability {
  /** Agents whose status is online now. */
  agentsOnline: number;
  queueLength: number;
  /** The policy's first-response target of a verified visitor's tier and priority, else null. */
  expectedResponse: ExpectedResponse | null;
}

/**
 * What the public GET /chat/availability?locale= answers: the same for everyone, so no tier; the
 * policy's priority names and the desk's support address (null when it reads no mail).
 */
export type PublicAvailability = Pick<Availability, 'agentsOnline' | 'queueLength'> &
  Partial<Pick<Availability, 'expectedResponse'>> & {
    priorities?: { id: Priority; name: string }[];
    email?: string | null;
  };

export interface AgentPresence {
  agentId: string;
  name: string;
  status: 'online' | 'away' | 'offline';
  capacity: number;
  activeChats: number;
}

export interface CannedReply {
  id: string;
  title: string;
  body: string;
  locale: ChatLocale | null;
  createdAt: string;
  updatedAt: string;
}

/** GET /chat/queue (staff). */
export interface ChatQueue {
  queued: ChatConversation[];
  mine: ChatConversation[];
  presence: AgentPresence;
  agents: AgentPresence[];
}

/** POST /chat/conversations. */
export interface StartChatBody {
  name?: string;
  email?: string;
  embedToken?: string;
  locale?: ChatLocale;
  priority?: Priority;
  message?: string;
  page?: string;
  /** The honeypot: must be empty or absent. */
  website?: string;
}

export interface StartChatResult {
  conversation: ChatConversation;
  visitorToken: string;
  availability: Availability;
}

export interface ChatProblem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}

export type QueueReason = 'queued' | 'accepted' | 'transferred' | 'ended' | 'presence';

export interface ChatTypingEvent {
  conversationId: string;
  side: ChatSide;
  name: string;
  active: boolean;
}

export interface ChatReceiptEvent extends ChatReceipt {
  conversationId: string;
  side: ChatSide;
}

export interface ChatQueueEvent {
  reason: QueueReason;
  conversationId?: string;
  agentId?: string;
}

export interface ChatErrorEvent {
  /** The clientId of a failed send, or the conversation id of a failed join. */
  ref?: string;
  status: number;
  title: string;
  detail?: string;
}

/** Frames the server sends, on the socket or in the long-poll answer. */
export type ServerFrame =
  | { type: 'joined'; conversation: ChatConversation }
  | { type: 'message'; conversationId: string; message: ChatMessage }
  | { type: 'ack'; conversationId: string; clientId: string; message: ChatMessage }
  | ({ type: 'typing' } & ChatTypingEvent)
  | ({ type: 'receipt' } & ChatReceiptEvent)
  | { type: 'conversation'; conversation: ChatConversation }
  | ({ type: 'queue' } & ChatQueueEvent)
  | ({ type: 'error' } & ChatErrorEvent)
  | { type: 'pong' };

/** Frames the client sends on the socket. */
export type ClientFrame =
  | { type: 'join'; conversationId: string; token?: string; after: number }
  | { type: 'leave'; conversationId: string }
  | { type: 'send'; conversationId: string; clientId: string; body: string; attachmentId?: string }
  | { type: 'typing'; conversationId: string; active: boolean }
  | { type: 'receipt'; conversationId: string; deliveredSeq?: number; seenSeq?: number }
  | { type: 'ping' };
