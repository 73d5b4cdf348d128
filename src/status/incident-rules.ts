import { badRequest } from '../shared/problem.js';
import {
  INCIDENT_IMPACTS,
  INCIDENT_STATUSES,
  MAINTENANCE_STATUSES,
  type StatusIncidentRow,
} from './model.js';
import type { IncidentKind } from './repository.js';

export const TERMINAL = new Set(['resolved', 'completed']);

/** The automatic updates of a maintenance window that starts and ends by itself. */
export const MAINTENANCE_TEXTS = {
  in_progress: {
    en: 'Maintenance is in progress.',
    fr: 'La maintenance est en cours.',
  },
  completed: {
    en: 'Maintenance has been completed.',
    fr: 'La maintenance est terminée.',
  },
} as const;

const statusesOf = (kind: IncidentKind): readonly string[] =>
  kind === 'incident' ? INCIDENT_STATUSES : MAINTENANCE_STATUSES;

export function checkStatus(kind: IncidentKind, status: string) {
  if (!statusesOf(kind).includes(status))
    throw badRequest(
      `"${status}" is not a status of ${kind === 'incident' ? 'an incident' : 'maintenance'}.`,
      [{ field: 'body.status', message: `one of ${statusesOf(kind).join(', ')}` }],
    );
}

/** An incident has one of the four impacts (required at creation); maintenance has the impact maintenance. */
export function checkImpact(
  kind: IncidentKind,
  impact: StatusIncidentRow['impact'] | undefined,
  creating: boolean,
): StatusIncidentRow['impact'] | undefined {
  if (kind === 'maintenance') {
    if (impact !== undefined && impact !== 'maintenance')
      throw badRequest('Maintenance has the impact maintenance.', [
        { field: 'body.impact', message: 'must be maintenance' },
      ]);
    return 'maintenance';
  }
  if (impact === undefined && !creating) return undefined;
  if (impact === undefined || !(INCIDENT_IMPACTS as readonly string[]).includes(impact))
    throw badRequest('An incident has the impact none, minor, major or critical.', [
      { field: 'body.impact', message: `one of ${INCIDENT_IMPACTS.join(', ')}` },
    ]);
  return impact;
}

/** The incident as it stands once moved to this status at `now`. */
export function transitioned(row: StatusIncidentRow, status: string, now: number): StatusIncidentRow {
  return {
    ...row,
    status,
    updated_at: now,
    started_at: row.started_at ?? (status === 'scheduled' ? null : now),
    resolved_at: TERMINAL.has(status) ? now : null,
  };
}
