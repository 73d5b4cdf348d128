import type { FastifyBaseLogger } from 'fastify';
import { runPeriodically } from '../shared/periodic.js';
import type { Clock } from '../shared/time.js';
import type { StatusService } from './service.js';

/** Windows moved per pass; a backlog larger than this is finished by the following passes. */
const BATCH = 100;

export interface MaintenanceRunResult {
  started: number;
  completed: number;
}

/**
 * Starts the scheduled maintenance windows whose time has come and completes those whose end has
 * passed, for windows that transition by themselves. It asks the schedule index only for what is
 * due. A window whose whole span passed while nothing ran is started, then completed, in one pass.
 * Each window moves in its own transaction, re-checked under lock, so two processes never publish
 * the same update.
 */
export async function runMaintenance(
  service: Pick<StatusService, 'dueMaintenance' | 'advanceMaintenance'>,
  now: number,
  onError: (err: unknown, incidentId: string) => void = () => undefined,
): Promise<MaintenanceRunResult> {
  const result: MaintenanceRunResult = { started: 0, completed: 0 };
  const due = await service.dueMaintenance(now, BATCH);
  for (const id of due.starts) {
    try {
      if (await service.advanceMaintenance(id, 'in_progress', now)) result.started += 1;
    } catch (err) {
      onError(err, id);
    }
  }
  // Read again: the windows just started may already be over.
  for (const id of (await service.dueMaintenance(now, BATCH)).completions) {
    try {
      if (await service.advanceMaintenance(id, 'completed', now)) result.completed += 1;
    } catch (err) {
      onError(err, id);
    }
  }
  return result;
}

/** Runs the maintenance pass every `intervalMs` in the server process, like the SLA scheduler. */
export function startMaintenanceRunner(
  service: Pick<StatusService, 'dueMaintenance' | 'advanceMaintenance'>,
  clock: Clock,
  intervalMs: number,
  log: FastifyBaseLogger,
): () => Promise<void> {
  return runPeriodically(
    () =>
      runMaintenance(service, clock(), (err, incidentId) =>
        log.error({ err, incidentId }, 'A maintenance window could not be moved on'),
      )
        .then(({ started, completed }) => {
          if (started + completed > 0) log.info({ started, completed }, 'Maintenance windows moved on');
        })
        .catch((err: unknown) => log.error({ err }, 'Maintenance pass failed')),
    intervalMs,
  );
}
