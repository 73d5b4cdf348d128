import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The agent queue walks each status in due order; and on PostgreSQL ticket numbers come from a
 * sequence, so concurrent filings no longer wait on one counter row until they commit.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('tickets_status_due_idx')
    .on('tickets')
    .columns(['status', 'sla_next_due_at', 'id'])
    .execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const current = await sql<{
      value: number | string;
    }>`select value from counters where name = 'ticket_number'`.execute(db);
    const next = current.rows[0] ? Number(current.rows[0].value) + 1 : 1001;
    await sql`create sequence ticket_number_seq start with ${sql.lit(next)}`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter)
    await sql`drop sequence ticket_number_seq`.execute(db);
  await db.schema.dropIndex('tickets_status_due_idx').execute();
}
