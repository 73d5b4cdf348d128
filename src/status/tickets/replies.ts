import type { LedgerTransaction } from '../../tickets/ledger.js';
import type { Writer } from '../../tickets/hooks.js';

export interface IncidentReply {
  ticketId: string;
  /** The member of staff who posted the update: the reply is theirs, and counts as theirs would. */
  author: Writer;
  body: string;
  incidentId: string;
  /** Resolves the ticket with the reply. */
  resolve?: boolean;
}

/**
 * Writes an incident's update as a public reply on one linked ticket, through the ticket ledger:
 * the message, the status it moves the ticket to, the SLA recomputed (a staff public reply is a
 * first response and a P0's update) and the mail to the requester. Closed tickets are left alone.
 * Returns whether the reply was written.
 */
export async function postIncidentReply(
  tx: LedgerTransaction,
  reply: IncidentReply,
  now: number,
): Promise<boolean> {
  const ticket = await tx.lock(reply.ticketId);
  if (!ticket || ticket.status === 'closed') return false;
  await tx.addMessage(
    ticket,
    {
      author: reply.author,
      visibility: 'public',
      bodyFormat: 'text',
      body: reply.body,
      at: now,
      facts: { incidentId: reply.incidentId },
    },
    // One mail: the reply says what happened, resolution included.
    reply.resolve ? { status: { to: 'resolved', cause: 'incident' } } : {},
  );
  return true;
}
