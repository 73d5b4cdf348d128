import { isStaffRole } from '../auth/principal.js';
import type { NewMessage, PastEntry } from '../tickets/ledger.js';
import type { TicketLine } from './schema.js';

/** One of a ticket's people in this desk: found by email, or created as a member of the organization. */
export interface Person {
  id: string;
  role: string;
  organizationId: string | null;
}

/**
 * The ticket's opening message and its past in the order the live desk would have written them:
 * each reply (the first public staff reply moves a new ticket to open), the resolution and the
 * closing at their instants, a message and a status change at one instant in that order. The
 * import records one resolution: a message after it does not reopen the ticket.
 */
export function historyOf(
  line: TicketLine,
  people: Map<string, Person>,
  assignee: Person | null,
): { opening: NewMessage; past: PastEntry[] } {
  const past: PastEntry[] = [];
  let status: 'new' | 'open' | 'resolved' | 'closed' = 'new';
  const ends: { at: number; to: 'resolved' | 'closed' }[] = [];
  if (line.resolvedAt !== undefined) ends.push({ at: line.resolvedAt, to: 'resolved' });
  if (line.closedAt !== undefined) ends.push({ at: line.closedAt, to: 'closed' });
  const endNow = (until: number) => {
    while (ends.length > 0 && ends[0]!.at < until) {
      const end = ends.shift()!;
      past.push({ kind: 'status', to: end.to, at: end.at, actorId: assignee?.id ?? null });
      status = end.to;
    }
  };
  const messages = line.messages.map((m): NewMessage => {
    const author = people.get(m.author.email)!;
    return {
      author: { id: author.id, role: author.role },
      visibility: m.public ? 'public' : 'internal',
      bodyFormat: m.format,
      body: m.body,
      at: m.at,
    };
  });
  for (const message of messages.slice(1)) {
    endNow(message.at);
    const opens = status === 'new' && message.visibility === 'public' && isStaffRole(message.author.role);
    past.push({ kind: 'message', message, moveStatus: opens });
    if (opens) status = 'open';
  }
  endNow(Number.POSITIVE_INFINITY);
  return { opening: messages[0]!, past };
}
