import type { FastifyBaseLogger } from 'fastify';
import { runPeriodically } from '../shared/periodic.js';
import type { Clock } from '../shared/time.js';
import type { SlaService } from './service.js';

/**
 * Runs the SLA pass every `intervalMs` in the server process: warnings, breaches, P0 update
 * reminders and escalations fire within one interval of their due time. Passes never overlap in a
 * process. On PostgreSQL several processes share the work (each due ticket is locked by the one that
 * claims it, the others skip it); an SQLite desk runs one server process.
 */
export function startScheduler(
  sla: SlaService,
  clock: Clock,
  intervalMs: number,
  log: FastifyBaseLogger,
): () => Promise<void> {
  return runPeriodically(
    () =>
      sla
        .runDue(clock(), {
          onError: (err, ticketId) =>
            log.error({ err, ticketId }, 'SLA state of a ticket could not be computed'),
        })
        .then((recorded) => {
          if (recorded > 0) log.info({ recorded }, 'SLA effects recorded');
        })
        .catch((err: unknown) => log.error({ err }, 'SLA scheduler pass failed')),
    intervalMs,
  );
}
