import type { ChatConversation, ChatMessage } from '../../../chat/types';

/** A message the agent sent that the desk has not stored yet, or refused. */
export interface OutgoingMessage {
  clientId: string;
  body: string;
  attachmentId?: string;
  state: 'sending' | 'failed';
  error?: string;
}

export type DeliveryState = 'sending' | 'sent' | 'delivered' | 'seen' | 'failed';

/** One chat the agent holds in the console: its transcript and what the visitor is doing. */
export interface ActiveChat {
  conversation: ChatConversation;
  /** Ascending by seq, one entry per seq. */
  messages: ChatMessage[];
  pending: OutgoingMessage[];
  visitorTyping: { name: string; until: number } | null;
  /** How far the visitor has received and read. */
  visitorReceipt: { deliveredSeq: number; seenSeq: number };
  /** The highest seq the agent has read here; visitor messages after it are unread. */
  seenSeq: number;
}

export interface ChatState {
  chats: Record<string, ActiveChat>;
  /** The order the chats appear in the list: first taken first. */
  order: string[];
}

export type ChatAction =
  | { type: 'add'; conversation: ChatConversation }
  | { type: 'conversation'; conversation: ChatConversation }
  | { type: 'ticket'; conversationId: string; ticket: { id: string; number: number } }
  | { type: 'messages'; conversationId: string; messages: ChatMessage[] }
  | { type: 'sending'; conversationId: string; message: OutgoingMessage }
  | { type: 'ack'; conversationId: string; clientId: string; message: ChatMessage }
  | { type: 'failed'; clientId: string; error: string }
  | { type: 'discard'; conversationId: string; clientId: string }
  | { type: 'typing'; conversationId: string; name: string; active: boolean; now: number }
  | { type: 'receipt'; conversationId: string; deliveredSeq: number; seenSeq: number }
  | { type: 'seen'; conversationId: string; seq: number }
  | { type: 'close'; conversationId: string };

export const emptyChatState: ChatState = { chats: {}, order: [] };

// A typing frame that never gets its "stopped" partner (a dropped connection) fades after this.
export const TYPING_TIMEOUT_MS = 6000;

function mergeMessages(current: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  const bySeq = new Map<number, ChatMessage>();
  for (const m of current) bySeq.set(m.seq, m);
  let changed = false;
  for (const m of incoming) {
    if (bySeq.get(m.seq)?.id === m.id) continue;
    bySeq.set(m.seq, m);
    changed = true;
  }
  if (!changed) return current;
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

function maxReceipt(
  a: { deliveredSeq: number; seenSeq: number },
  b: { deliveredSeq: number; seenSeq: number },
) {
  return { deliveredSeq: Math.max(a.deliveredSeq, b.deliveredSeq), seenSeq: Math.max(a.seenSeq, b.seenSeq) };
}

function update(state: ChatState, id: string, change: (chat: ActiveChat) => ActiveChat): ChatState {
  const chat = state.chats[id];
  if (!chat) return state;
  const next = change(chat);
  return next === chat ? state : { ...state, chats: { ...state.chats, [id]: next } };
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'add': {
      const { conversation } = action;
      if (state.chats[conversation.id])
        return chatReducer(state, { type: 'conversation', conversation: action.conversation });
      const chat: ActiveChat = {
        conversation,
        messages: [],
        pending: [],
        visitorTyping: null,
        visitorReceipt: { ...conversation.visitorReceipt },
        seenSeq: conversation.agentReceipt.seenSeq,
      };
      return { chats: { ...state.chats, [conversation.id]: chat }, order: [...state.order, conversation.id] };
    }
    case 'conversation':
      return update(state, action.conversation.id, (chat) => ({
        ...chat,
        conversation: action.conversation,
        visitorReceipt: maxReceipt(chat.visitorReceipt, action.conversation.visitorReceipt),
        seenSeq: Math.max(chat.seenSeq, action.conversation.agentReceipt.seenSeq),
        visitorTyping: action.conversation.status === 'ended' ? null : chat.visitorTyping,
      }));
    case 'ticket':
      return update(state, action.conversationId, (chat) => ({
        ...chat,
        conversation: { ...chat.conversation, ticket: action.ticket },
      }));
    case 'messages':
      return update(state, action.conversationId, (chat) => {
        const messages = mergeMessages(chat.messages, action.messages);
        if (messages === chat.messages) return chat;
        const stored = new Set(action.messages.map((m) => m.clientId).filter(Boolean));
        const fromVisitor = action.messages.some((m) => m.author.kind === 'visitor');
        return {
          ...chat,
          messages,
          // The sender's own copy comes back as a message frame too; it settles the pending one.
          pending: chat.pending.filter((p) => !stored.has(p.clientId)),
          visitorTyping: fromVisitor ? null : chat.visitorTyping,
        };
      });
    case 'sending':
      return update(state, action.conversationId, (chat) => ({
        ...chat,
        pending: [...chat.pending.filter((p) => p.clientId !== action.message.clientId), action.message],
      }));
    case 'ack':
      return update(state, action.conversationId, (chat) => ({
        ...chat,
        messages: mergeMessages(chat.messages, [action.message]),
        pending: chat.pending.filter((p) => p.clientId !== action.clientId),
      }));
    case 'failed': {
      const id = state.order.find((cid) =>
        state.chats[cid]?.pending.some((p) => p.clientId === action.clientId),
      );
      if (!id) return state;
      return update(state, id, (chat) => ({
        ...chat,
        pending: chat.pending.map((p) =>
          p.clientId === action.clientId ? { ...p, state: 'failed', error: action.error } : p,
        ),
      }));
    }
    case 'discard':
      return update(state, action.conversationId, (chat) => ({
        ...chat,
        pending: chat.pending.filter((p) => p.clientId !== action.clientId),
      }));
    case 'typing':
      return update(state, action.conversationId, (chat) => ({
        ...chat,
        visitorTyping: action.active ? { name: action.name, until: action.now + TYPING_TIMEOUT_MS } : null,
      }));
    case 'receipt':
      return update(state, action.conversationId, (chat) => {
        const visitorReceipt = maxReceipt(chat.visitorReceipt, action);
        return visitorReceipt.deliveredSeq === chat.visitorReceipt.deliveredSeq &&
          visitorReceipt.seenSeq === chat.visitorReceipt.seenSeq
          ? chat
          : { ...chat, visitorReceipt };
      });
    case 'seen':
      return update(state, action.conversationId, (chat) =>
        action.seq > chat.seenSeq ? { ...chat, seenSeq: action.seq } : chat,
      );
    case 'close': {
      if (!state.chats[action.conversationId]) return state;
      const chats = { ...state.chats };
      delete chats[action.conversationId];
      return { chats, order: state.order.filter((id) => id !== action.conversationId) };
    }
  }
}

/** The newest seq the console holds for a chat (0 before any message). */
export const lastSeq = (chat: ActiveChat) => chat.messages.at(-1)?.seq ?? 0;

/** Visitor messages the agent has not read yet. */
export const unreadCount = (chat: ActiveChat) =>
  chat.messages.filter((m) => m.author.kind === 'visitor' && m.seq > chat.seenSeq).length;

/** Where an agent message stands for the visitor: stored, received, read. */
export function deliveryOf(chat: ActiveChat, message: ChatMessage): DeliveryState {
  if (chat.visitorReceipt.seenSeq >= message.seq) return 'seen';
  if (chat.visitorReceipt.deliveredSeq >= message.seq) return 'delivered';
  return 'sent';
}

/** The agent can still write in a chat while it is active and theirs. */
export const isWritable = (chat: ActiveChat, agentId: string) =>
  chat.conversation.status === 'active' && chat.conversation.agent?.id === agentId;
