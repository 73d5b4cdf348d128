import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The status page's version: one row whose counter moves, in the writing transaction, whenever
 * something the public status page shows is written (components, their state history, incidents
 * and maintenance, their components and updates). Server processes keep rendered pages and JSON and
 * read this one row to know whether their copy still holds: a change is seen by the first read that
 * starts after its commit, in every process. Triggers move it, so no writer can forget to.
 */
const TABLES = [
  'status_components',
  'status_component_states',
  'status_incidents',
  'status_incident_components',
  'status_incident_updates',
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('status_version')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into status_version (id, version) values (1, 0)`.execute(db);
  if (postgres) {
    await sql`create function status_version_bump() returns trigger language plpgsql as $$
      begin
        update status_version set version = version + 1 where id = 1;
        return null;
      end
    $$`.execute(db);
    for (const table of TABLES)
      await sql`create trigger ${sql.raw(`${table}_version`)} after insert or update or delete on ${sql.table(table)}
        for each statement execute function status_version_bump()`.execute(db);
  } else {
    for (const table of TABLES)
      for (const event of ['insert', 'update', 'delete'])
        await sql`create trigger ${sql.raw(`${table}_version_${event}`)} after ${sql.raw(event)} on ${sql.table(table)}
          begin update status_version set version = version + 1 where id = 1; end`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  if (postgres) {
    for (const table of TABLES)
      await sql`drop trigger ${sql.raw(`${table}_version`)} on ${sql.table(table)}`.execute(db);
    await sql`drop function status_version_bump()`.execute(db);
  } else {
    for (const table of TABLES)
      for (const event of ['insert', 'update', 'delete'])
        await sql`drop trigger ${sql.raw(`${table}_version_${event}`)}`.execute(db);
  }
  await db.schema.dropTable('status_version').execute();
}
