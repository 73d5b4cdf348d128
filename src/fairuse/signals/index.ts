import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.js';
import type { LiveBus } from '../../live/bus.js';
import type { Clock } from '../../shared/time.js';
import { AuditLog } from '../audit.js';
import { FairUseSignalDetector } from './detector.js';
import { FairUseFlagsRepository } from './flags-repository.js';
import { FairUseSignalsRepository } from './repository.js';
import { FairUseFlagsService } from './service.js';

export { fairUseSignalsRoutes } from './routes.js';
export type { FairUseFlagsService } from './service.js';
export type { FairUseSignalDetector } from './detector.js';

/**
 * The fair-use signals: `detector` goes to the ticket rules (deps `signals` of TicketsService and
 * TicketConversationService), `flags` to the routes.
 */
export function createFairUseSignals(
  db: Kysely<Database>,
  deps: { clock: Clock; audit?: AuditLog; live?: LiveBus },
) {
  const repo = new FairUseSignalsRepository(db);
  return {
    detector: new FairUseSignalDetector({ repo, clock: deps.clock }),
    flags: new FairUseFlagsService({
      signals: repo,
      flags: new FairUseFlagsRepository(db),
      audit: deps.audit ?? new AuditLog(db),
      clock: deps.clock,
      ...(deps.live ? { live: deps.live } : {}),
    }),
  };
}
