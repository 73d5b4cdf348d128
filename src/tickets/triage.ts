import type { TicketRow, TicketUpdate } from '../db/tables.js';
import type { Priority } from '../policy/tiers.js';
import { badRequest, unprocessable } from '../shared/problem.js';
import type { PendingEvent } from './hooks.js';
import type { Status } from './schema.js';
import { statusColumns } from './status.js';

export interface Triage {
  status?: Status | null | undefined;
  priority?: Priority | null | undefined;
  /** Required when the priority changes; kept in the ticket's history. */
  priorityReason?: string | null | undefined;
  assigneeId?: string | null | undefined;
}

/**
 * The columns and events that move a ticket to a new status, priority or assignee, as staff's
 * triage records them; fields equal to the ticket's (or absent) change nothing. `facts` go on every
 * event (a macro's id). The caller checks that the assignee is active staff.
 */
export function triage(
  ticket: Pick<TicketRow, 'status' | 'priority' | 'assignee_id'>,
  patch: Triage,
  at: number,
  facts: Record<string, unknown> = {},
): { columns: TicketUpdate; events: PendingEvent[] } {
  const columns: TicketUpdate = {};
  const events: PendingEvent[] = [];
  if (patch.priority && patch.priority !== ticket.priority) {
    if (!patch.priorityReason)
      throw badRequest('A priority change needs a reason, kept in the ticket\u2019s history.', [
        { field: 'body.priorityReason', message: 'required when the priority changes' },
      ]);
    columns.priority = patch.priority;
    events.push({
      type: 'priority_changed',
      visibility: 'public',
      data: { from: ticket.priority, to: patch.priority, reason: patch.priorityReason, ...facts },
    });
  }
  if (patch.assigneeId !== undefined && patch.assigneeId !== ticket.assignee_id) {
    columns.assignee_id = patch.assigneeId;
    events.push({
      type: 'assignee_changed',
      visibility: 'internal',
      data: { from: ticket.assignee_id, to: patch.assigneeId, ...facts },
    });
  }
  if (patch.status && patch.status !== ticket.status) {
    if (patch.status === 'new') throw unprocessable('invalid-transition', 'A ticket cannot go back to new.');
    Object.assign(columns, statusColumns(patch.status, at));
    events.push({
      type: 'status_changed',
      visibility: 'public',
      data: { from: ticket.status, to: patch.status, ...facts },
    });
  }
  return { columns, events };
}
