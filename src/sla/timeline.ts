import { isStaffRole } from '../auth/principal.js';
import type { SlaTimeline, TicketStatus } from './engine.js';

export interface TimelineEvent {
  type: string;
  at: number;
  data: Record<string, unknown>;
}

/**
 * Reads the facts the promise depends on from a ticket's event log. A first response is a public
 * reply by staff; internal notes, automatic messages and the message that opened the ticket (even
 * when staff opened it for a customer) do not count.
 */
export function timelineFromEvents(openedAt: number, events: TimelineEvent[]): SlaTimeline {
  const staffPublicReplies: number[] = [];
  const statuses: SlaTimeline['statuses'] = [{ at: openedAt, status: 'new' }];
  for (const event of events) {
    switch (event.type) {
      case 'created':
        if (typeof event.data.status === 'string')
          statuses[0] = { at: openedAt, status: event.data.status as TicketStatus };
        break;
      case 'message_added':
        if (
          event.data.visibility === 'public' &&
          typeof event.data.authorRole === 'string' &&
          isStaffRole(event.data.authorRole) &&
          event.data.initial !== true &&
          event.data.automatic !== true
        ) {
          staffPublicReplies.push(event.at);
        }
        break;
      case 'status_changed':
        if (typeof event.data.to === 'string')
          statuses.push({ at: event.at, status: event.data.to as TicketStatus });
        break;
      default:
        break;
    }
  }
  staffPublicReplies.sort((a, b) => a - b);
  return { openedAt, staffPublicReplies, statuses };
}
