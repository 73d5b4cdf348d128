import type { AttachmentRow, TicketEventRow } from '../db/tables.js';
import type { Priority, RequestType, Tier } from '../policy/tiers.js';
import { toIso, toIsoOrNull } from '../shared/time.js';
import type { SlaView } from '../sla/service.js';
import type { TicketWithNames } from './repository.js';
import type { AttachmentOut, Channel, EventOut, MessageOut, Status, TicketOut } from './schema.js';

export const presentTicket = (t: TicketWithNames, sla: SlaView | null): TicketOut => ({
  id: t.id,
  number: t.number,
  subject: t.subject,
  organizationId: t.organization_id,
  organization: { id: t.organization_id, name: t.organization_name },
  requesterId: t.requester_id,
  requester: { id: t.requester_id, name: t.requester_name, email: t.requester_email },
  assigneeId: t.assignee_id,
  assignee: t.assignee_id ? { id: t.assignee_id, name: t.assignee_name ?? '' } : null,
  priority: t.priority as Priority,
  status: t.status as Status,
  channel: t.channel as Channel,
  requestType: t.request_type as RequestType,
  tier: t.tier as Tier,
  reproduction: {
    steps: t.repro_steps,
    expected: t.repro_expected,
    actual: t.repro_actual,
    environment: t.repro_environment,
  },
  createdAt: toIso(t.created_at),
  updatedAt: toIso(t.updated_at),
  resolvedAt: toIsoOrNull(t.resolved_at),
  closedAt: toIsoOrNull(t.closed_at),
  sla,
  exclusion:
    t.exclusion_reason !== null && t.exclusion_at !== null
      ? {
          reason: t.exclusion_reason,
          note: t.exclusion_note ?? '',
          at: toIso(t.exclusion_at),
        }
      : null,
  mergedInto:
    t.merged_into_id !== null && t.merged_into_number !== null
      ? { id: t.merged_into_id, number: Number(t.merged_into_number) }
      : null,
});

const SENDER_VERDICTS = ['verified', 'unverified', 'failed'] as const;

/** A message as its viewer may read it; how its mail was authenticated is for staff. */
export const presentMessage = (
  m: {
    id: string;
    ticket_id: string;
    author_id: string;
    author_name: string;
    author_role: string;
    visibility: string;
    body_format: string;
    body: string;
    created_at: number;
    auth_verdict?: string | null;
    auth_results?: string | null;
    filed_by_id: string;
    filed_by_name: string;
    ticket_channel: string;
    opening_message_id: string | null;
    merged_from_ticket_id: string | null;
    merged_from_number: number | null;
  },
  forStaff = false,
): MessageOut => ({
  id: m.id,
  ticketId: m.ticket_id,
  author: { id: m.author_id, name: m.author_name, role: m.author_role },
  // The opening message of a ticket filed by someone else than its author: they took it down.
  takenBy:
    m.id === m.opening_message_id && m.filed_by_id !== m.author_id
      ? { id: m.filed_by_id, name: m.filed_by_name, channel: m.ticket_channel as Channel }
      : null,
  public: m.visibility === 'public',
  bodyFormat: m.body_format as MessageOut['bodyFormat'],
  body: m.body,
  createdAt: toIso(m.created_at),
  mergedFrom:
    m.merged_from_ticket_id !== null && m.merged_from_number !== null
      ? { id: m.merged_from_ticket_id, number: Number(m.merged_from_number) }
      : null,
  mail:
    forStaff && m.auth_verdict
      ? {
          senderAuth: (SENDER_VERDICTS as readonly string[]).includes(m.auth_verdict)
            ? (m.auth_verdict as (typeof SENDER_VERDICTS)[number])
            : 'unverified',
          results: m.auth_results ?? '',
        }
      : null,
});

export const presentEvent = (
  e: TicketEventRow & { actor_name: string | null; actor_role: string | null },
): EventOut => ({
  id: e.id,
  ticketId: e.ticket_id,
  type: e.type as EventOut['type'],
  actorId: e.actor_id,
  actor: e.actor_id && e.actor_name ? { id: e.actor_id, name: e.actor_name, role: e.actor_role ?? '' } : null,
  at: toIso(e.at),
  data: JSON.parse(e.data) as Record<string, unknown>,
});

export const presentAttachment = (a: AttachmentRow): AttachmentOut => ({
  id: a.id,
  ticketId: a.ticket_id,
  messageId: a.message_id,
  filename: a.filename,
  contentType: a.content_type,
  size: a.size,
  sha256: a.sha256,
  uploadedById: a.uploaded_by_id,
  createdAt: toIso(a.created_at),
});
