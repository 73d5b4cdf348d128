import type { Priority } from '../../policy/tiers.js';
import { toIsoOrNull } from '../../shared/time.js';
import { isTier, type ChatConversationOut, type ChatMessageOut, type ServerFrame } from './model.js';
import type { ConversationView, MessageView } from './repository.js';

const iso = (at: number | null) => toIsoOrNull(at === null ? null : Number(at));

export function presentMessage(m: MessageView): ChatMessageOut {
  return {
    id: m.id,
    clientId: m.client_id,
    seq: Number(m.seq),
    author: { kind: m.author_kind, id: m.author_id, name: m.author_name },
    body: m.body,
    attachment:
      m.attachment_id && m.attachment_filename !== null
        ? {
            id: m.attachment_id,
            filename: m.attachment_filename,
            contentType: m.attachment_content_type ?? 'application/octet-stream',
            size: Number(m.attachment_size ?? 0),
          }
        : null,
    createdAt: iso(m.created_at)!,
  };
}

export function presentConversation(c: ConversationView, queuePosition: number | null): ChatConversationOut {
  return {
    id: c.id,
    status: c.status,
    visitor: {
      name: c.visitor_name,
      email: c.visitor_email,
      verified: Number(c.verified) === 1,
      userId: c.visitor_user_id,
    },
    organization:
      c.organization_id && c.organization_name !== null
        ? { id: c.organization_id, name: c.organization_name }
        : null,
    tier: isTier(c.tier) ? c.tier : null,
    priority: c.priority as Priority,
    locale: c.locale === 'fr' ? 'fr' : 'en',
    page: c.page,
    agent: c.agent_id && c.agent_name !== null ? { id: c.agent_id, name: c.agent_name } : null,
    queuePosition: c.status === 'queued' ? queuePosition : null,
    createdAt: iso(c.created_at)!,
    acceptedAt: iso(c.accepted_at),
    endedAt: iso(c.ended_at),
    transcriptSentAt: iso(c.transcript_sent_at),
    ticket:
      c.ticket_id && c.ticket_number !== null ? { id: c.ticket_id, number: Number(c.ticket_number) } : null,
    lastSeq: Number(c.last_seq),
    visitorReceipt: { deliveredSeq: Number(c.visitor_delivered_seq), seenSeq: Number(c.visitor_seen_seq) },
    agentReceipt: { deliveredSeq: Number(c.agent_delivered_seq), seenSeq: Number(c.agent_seen_seq) },
  };
}

/**
 * The conversation as its visitor sees it. An unverified visitor typed an address anyone can type:
 * the organization and tier it matched are for the agents, not for whoever typed it.
 */
export function visitorView(c: ChatConversationOut): ChatConversationOut {
  return c.visitor.verified ? c : { ...c, organization: null, tier: null };
}

/** A frame as a visitor's connection receives it (the conversation in it seen as theirs). */
export function visitorFrame(frame: ServerFrame): ServerFrame {
  return frame.type === 'conversation' || frame.type === 'joined'
    ? { ...frame, conversation: visitorView(frame.conversation) }
    : frame;
}
