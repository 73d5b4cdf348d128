import {
  CompiledQuery,
  createQueryId,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import type { Db } from '../../src/db/database.js';
import type { Database } from '../../src/db/tables.js';
import { TicketsRepository, type TicketFilter } from '../../src/tickets/repository.js';

/** Keeps the operation tree of every query that runs through it. */
export class Capture implements KyselyPlugin {
  readonly nodes: RootOperationNode[] = [];

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.nodes.push(args.node);
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

export interface QueryReport {
  /** The statement the ticket list runs, as the repository builds it. */
  sql: string;
  /** The database's plan: SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN ANALYZE. */
  plan: string[];
  /** Median time of the query alone, without HTTP, authentication or serialization. */
  medianMs: number;
  rows: number;
}

/** Runs the ticket list query of the repository for a filter, and asks the database how it runs it. */
/** The order of a ticket list, as the repository takes it. */
export type TicketOrder = Parameters<TicketsRepository['listTickets']>[3];

export async function explainTicketList(
  db: Db,
  filter: TicketFilter,
  order: TicketOrder,
  limit: number,
  runs = 15,
): Promise<QueryReport> {
  const capture = new Capture();
  const repo = new TicketsRepository(db.kysely.withPlugin(capture), db.dialect);
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    rows = (await repo.listTickets(filter, limit, undefined, order)).length;
    times.push(performance.now() - started);
  }
  const { sql, plan } = await explainCaptured(db, capture, db.kysely, 'the ticket list');
  times.sort((a, b) => a - b);
  return { sql, plan, medianMs: times[Math.floor(times.length / 2)]!, rows };
}

/**
 * The first query a Capture kept, compiled, and the database's plan for it (SQLite's EXPLAIN QUERY
 * PLAN, PostgreSQL's EXPLAIN ANALYZE), asked through `runner`: db.kysely or a transaction.
 */
export async function explainCaptured(
  db: Db,
  capture: Capture,
  runner: Pick<Kysely<Database>, 'executeQuery'>,
  what: string,
): Promise<{ sql: string; plan: string[] }> {
  const node = capture.nodes[0];
  if (!node) throw new Error(`${what} ran no query`);
  const compiled = db.kysely.getExecutor().compileQuery(node, createQueryId());
  const prefix = db.dialect === 'sqlite' ? 'EXPLAIN QUERY PLAN ' : 'EXPLAIN (ANALYZE, BUFFERS) ';
  const result = await runner.executeQuery(
    CompiledQuery.raw(prefix + compiled.sql, [...compiled.parameters]),
  );
  const plan = result.rows.map((row) => {
    const r = row as Record<string, unknown>;
    return String(db.dialect === 'sqlite' ? r.detail : r['QUERY PLAN']);
  });
  return { sql: compiled.sql, plan };
}

/** The lines of a plan that say how the tickets are found and ordered. */
export function planSummary(plan: string[]): string[] {
  return plan
    .filter((line) => /SCAN|SEARCH|TEMP B-TREE|Scan|Sort|Limit|Execution Time|Rows Removed/.test(line))
    .map((line) => line.trim().replace(/\s+/g, ' '));
}
