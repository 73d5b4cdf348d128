import { isStaffRole } from '../auth/principal.js';
import type { TicketEventRow, TicketMessageRow } from '../db/tables.js';

export { event };
import { sanitizeMessageHtml } from '../shared/html.js';
import { newId } from '../shared/ids.js';
import { event } from '../tickets/event-row.js';
import type { Status } from '../tickets/schema.js';
import type { TicketLine } from './schema.js';
import type { Person } from './service.js';

/**
 * The ticket's messages and events in the order the live desk would have written them: the opening
 * message, each reply (the first public staff reply moves a new ticket to open), the resolution and
 * the closing at their instants, a message and a status change at one instant in that order. The
 * import records one resolution: a message after it does not reopen the ticket.
 */
export function historyOf(
  line: TicketLine,
  ticketId: string,
  people: Map<string, Person>,
  assignee: Person | null,
) {
  const messages: TicketMessageRow[] = [];
  const events: TicketEventRow[] = [];
  let status: Status = 'new';
  const changeStatus = (
    to: Status,
    at: number,
    actorId: string | null,
    data: Record<string, unknown> = {},
  ) => {
    events.push(event(ticketId, 'status_changed', 'public', actorId, at, { from: status, to, ...data }));
    status = to;
  };
  if (assignee)
    events.push(
      event(ticketId, 'assignee_changed', 'internal', null, line.openedAt, { from: null, to: assignee.id }),
    );
  const ends: { at: number; to: Status }[] = [];
  if (line.resolvedAt !== undefined) ends.push({ at: line.resolvedAt, to: 'resolved' });
  if (line.closedAt !== undefined) ends.push({ at: line.closedAt, to: 'closed' });
  const endNow = (until: number) => {
    while (ends.length > 0 && ends[0]!.at < until) {
      const end = ends.shift()!;
      changeStatus(end.to, end.at, assignee?.id ?? null);
    }
  };
  for (const [i, m] of line.messages.entries()) {
    endNow(m.at);
    const author = people.get(m.author.email)!;
    const visibility = m.public ? 'public' : 'internal';
    const messageId = newId();
    messages.push({
      id: messageId,
      ticket_id: ticketId,
      author_id: author.id,
      visibility,
      body_format: m.format,
      body: m.format === 'html' ? sanitizeMessageHtml(m.body) : m.body,
      created_at: m.at,
    });
    events.push(
      event(ticketId, 'message_added', visibility, author.id, m.at, {
        messageId,
        visibility,
        authorRole: author.role,
        ...(i === 0 ? { initial: true } : {}),
      }),
    );
    if (i > 0 && m.public && status === 'new' && isStaffRole(author.role))
      changeStatus('open', m.at, author.id, { cause: 'message', messageId });
  }
  endNow(Number.POSITIVE_INFINITY);
  const lastAt = Math.max(line.openedAt, line.messages.at(-1)!.at, line.resolvedAt ?? 0, line.closedAt ?? 0);
  return { messages, events, status, lastAt };
}
