import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, IdempotencyKeyTable } from '../db/tables.js';

type Executor = Kysely<Database> | Transaction<Database>;

export type IdempotencyRecord = Selectable<IdempotencyKeyTable>;

/** Whose key it is: one caller, one route. */
export interface IdempotencyScope {
  userId: string;
  route: string;
  key: string;
}

/** Expired keys deleted by one write, at most: each write adds one, so the table stays bounded. */
const PRUNE_BATCH = 100;

/** All I/O on idempotency_keys. */
export class IdempotencyRepository {
  constructor(private readonly db: Executor) {}

  /** The same repository on a transaction another context opened (the ticket ledger's). */
  within(trx: Transaction<Database>): IdempotencyRepository {
    return new IdempotencyRepository(trx);
  }

  /** The key's record, unless it has expired. */
  find(scope: IdempotencyScope, now: number): Promise<IdempotencyRecord | undefined> {
    return this.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('user_id', '=', scope.userId)
      .where('route', '=', scope.route)
      .where('key', '=', scope.key)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }

  /**
   * Stores the key's outcome, replacing an expired record; returns the record's id, or nothing when
   * a live record holds the key. On PostgreSQL a concurrent writer of the same key makes this wait
   * for that writer's commit, then see its record.
   */
  async record(row: IdempotencyRecord, now: number): Promise<string | undefined> {
    const { id: _id, ...replacement } = row;
    const stored = await this.db
      .insertInto('idempotency_keys')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['user_id', 'route', 'key'])
          .doUpdateSet(replacement)
          .where('idempotency_keys.expires_at', '<=', now),
      )
      .returning('id')
      .executeTakeFirst();
    return stored?.id;
  }

  /** Keeps the first answer, once it is presented (a later one never overwrites it). */
  async saveResponse(id: string, body: string): Promise<void> {
    await this.db
      .updateTable('idempotency_keys')
      .set({ response_body: body })
      .where('id', '=', id)
      .where('response_body', 'is', null)
      .execute();
  }

  /** Deletes a batch of expired keys, oldest first, found through the expiry index. */
  async prune(now: number): Promise<number> {
    const due = await this.db
      .selectFrom('idempotency_keys')
      .select('id')
      .where('expires_at', '<=', now)
      .orderBy('expires_at')
      .limit(PRUNE_BATCH)
      .execute();
    if (due.length === 0) return 0;
    const deleted = await this.db
      .deleteFrom('idempotency_keys')
      .where(
        'id',
        'in',
        due.map((r) => r.id),
      )
      .where('expires_at', '<=', now)
      .executeTakeFirst();
    return Number(deleted.numDeletedRows);
  }
}
