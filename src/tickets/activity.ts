import type { TicketRow } from '../db/tables.js';
import type { LiveBus, TicketActivity } from '../live/bus.js';
import type { TicketHooks, Visibility } from './hooks.js';

/** What open screens hear of a change to a ticket. */
export function activityOf(
  kind: TicketActivity['kind'],
  t: Pick<TicketRow, 'id' | 'number' | 'organization_id' | 'requester_id'>,
  visibility: Visibility,
  at: number,
): TicketActivity {
  return {
    kind,
    ticketId: t.id,
    number: t.number,
    organizationId: t.organization_id,
    requesterId: t.requester_id,
    visibility,
    at,
  };
}

/** Tells open screens, after the change is committed, that a ticket changed. */
export function announceActivity(
  live: LiveBus | undefined,
  kind: TicketActivity['kind'],
  t: Pick<TicketRow, 'id' | 'number' | 'organization_id' | 'requester_id'>,
  visibility: Visibility,
  at: number,
) {
  live?.publish(activityOf(kind, t, visibility, at));
}

/** The ledger's hook that tells open screens what each committed write changed. */
export function liveTicketHooks(live: LiveBus): TicketHooks {
  return { committed: (activity) => live.publish(activity) };
}
