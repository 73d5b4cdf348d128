import type { Transaction } from 'kysely';
import type { DialectName } from '../../db/database.js';
import type { Database } from '../../db/tables.js';
import type { Clock } from '../../shared/time.js';
import type { StatusIncidentRow, StatusIncidentUpdateRow, StatusUpdateListener } from '../model.js';
import { SubscribersRepository } from './repository.js';

/**
 * Queues one delivery of each published update per matching subscriber, in the publishing
 * transaction; the delivery worker sends them. Publishing the same update twice adds nothing.
 */
export class SubscriberNotifier implements StatusUpdateListener {
  constructor(private readonly deps: { dialect: DialectName; clock: Clock }) {}

  async updatePublished(
    trx: Transaction<Database>,
    incident: StatusIncidentRow,
    update: StatusIncidentUpdateRow,
  ): Promise<void> {
    const repo = new SubscribersRepository(trx, this.deps.dialect);
    const components = await repo.incidentComponentIds(incident.id);
    await repo.insertDeliveries(update.id, components, this.deps.clock());
  }
}
