import type { TicketUpdate as TicketRowUpdate } from '../db/tables.js';
import type { Status } from './schema.js';

/** The columns a status change sets: when it was resolved or closed; reopening clears the resolution. */
export function statusColumns(status: Status, now: number): TicketRowUpdate {
  switch (status) {
    case 'resolved':
      return { status, resolved_at: now };
    case 'closed':
      return { status, closed_at: now };
    case 'new':
    case 'open':
    case 'waiting_on_customer':
      return { status, resolved_at: null };
  }
}

/** A customer's reply reopens a waiting or resolved ticket; staff's first public reply opens a new one. */
export function statusAfterMessage(status: Status, byStaff: boolean, isPublic: boolean): Status | undefined {
  if (!isPublic) return undefined;
  if (byStaff) return status === 'new' ? 'open' : undefined;
  return status === 'waiting_on_customer' || status === 'resolved' ? 'open' : undefined;
}
