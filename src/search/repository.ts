import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { DialectName } from '../db/database.js';
import type { Database } from '../db/tables.js';
import type { Cursor } from '../shared/pagination.js';
import {
  parseUrgencyKey,
  whereTicketFilter,
  type TicketFilter,
  type TicketOrder,
} from '../tickets/repository.js';
import { tsvectorLiteral, type Reader } from './expressions.js';
import type { TicketSearchDb, TicketSearchSchema } from './tables.js';

export interface Streams {
  head: string;
  public: string;
  internal: string;
}

/** The order of search results: by relevance, or one of the ticket list's orders. */
export type SearchOrder = 'relevance' | TicketOrder;

/** What one page of a search asks the database. */
export interface SearchPageRequest {
  /** The engine's expression: an FTS5 MATCH string or tsquery text; null to match on the number alone. */
  expression: string | null;
  number: number | null;
  reader: Reader;
  filter: TicketFilter;
  order: SearchOrder;
  limit: number;
  /** relevance: k is the offset; otherwise the ticket list's keys (created_at, due, `band:due`). */
  after: Cursor | undefined;
}

export interface SearchHit {
  id: string;
  created_at: number;
  sla_next_due_at: number | null;
  priority: string;
}

// Written exactly as migration 20261207T1300-urgency indexes it.
const urgencyBand = sql<number>`(case when ${sql.ref('t.priority')} in ('P0', 'P1') then 0 else 1 end)`;

/**
 * All of ticket search's I/O: its own index rows, and reads of the ledger's tickets and messages
 * (never a write of them) to build and quote those rows.
 */
export class TicketSearchRepository {
  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: DialectName,
  ) {}

  private on(db: Kysely<Database> | undefined): TicketSearchDb {
    return (db ?? this.db).withTables<TicketSearchSchema>();
  }

  /** What a ticket's head is made of, read in the caller's transaction. */
  async headSource(db: Kysely<Database>, ticketId: string) {
    return db
      .selectFrom('tickets as t')
      .innerJoin('organizations as o', 'o.id', 't.organization_id')
      .innerJoin('users as r', 'r.id', 't.requester_id')
      .select(['t.number', 't.subject', 'o.name as organization_name', 'r.name as requester_name', 'r.email'])
      .where('t.id', '=', ticketId)
      .executeTakeFirst();
  }

  /** A ticket's messages, oldest first. */
  messages(db: Kysely<Database>, ticketId: string) {
    return db
      .selectFrom('ticket_messages')
      .select(['id', 'visibility', 'body'])
      .where('ticket_id', '=', ticketId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  async subjectsOf(ticketIds: string[]): Promise<Map<string, string>> {
    if (ticketIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('tickets')
      .select(['id', 'subject'])
      .where('id', 'in', ticketIds)
      .execute();
    return new Map(rows.map((r) => [r.id, r.subject]));
  }

  /** The messages of a page of results that the reader may quote. */
  messagesOf(ticketIds: string[], reader: Reader) {
    if (ticketIds.length === 0) return Promise.resolve([]);
    let q = this.db
      .selectFrom('ticket_messages')
      .select(['id', 'ticket_id', 'visibility', 'body'])
      .where('ticket_id', 'in', ticketIds);
    if (reader === 'customer') q = q.where('visibility', '=', 'public');
    return q.orderBy('created_at').orderBy('id').execute();
  }

  findStreams(db: Kysely<Database>, ticketId: string) {
    return this.on(db)
      .selectFrom('ticket_search_documents')
      .select(['id', 'head', 'public', 'internal'])
      .where('ticket_id', '=', ticketId)
      .executeTakeFirst();
  }

  /** Writes a ticket's index row, replacing what it had. */
  async save(db: Kysely<Database>, ticketId: string, streams: Streams): Promise<void> {
    const s = this.on(db);
    const existing = await this.findStreams(db, ticketId);
    if (this.dialect === 'postgres') {
      const values = { ...streams, search_vector: sql<string>`${tsvectorLiteral(streams)}::tsvector` };
      await s
        .insertInto('ticket_search_documents')
        .values({ ticket_id: ticketId, ...values })
        .onConflict((oc) => oc.column('ticket_id').doUpdateSet(values))
        .execute();
      return;
    }
    if (existing) {
      // External content: FTS5 forgets the old tokens only when told exactly what they were.
      await s
        .insertInto('ticket_search_fts')
        .values({
          ticket_search_fts: 'delete',
          rowid: existing.id,
          head: existing.head,
          public: existing.public,
          internal: existing.internal,
        })
        .execute();
      await s.updateTable('ticket_search_documents').set(streams).where('id', '=', existing.id).execute();
      await s
        .insertInto('ticket_search_fts')
        .values({ rowid: existing.id, ...streams })
        .execute();
      return;
    }
    const inserted = await s
      .insertInto('ticket_search_documents')
      .values({ ticket_id: ticketId, ...streams })
      .returning('id')
      .executeTakeFirstOrThrow();
    await s
      .insertInto('ticket_search_fts')
      .values({ rowid: inserted.id, ...streams })
      .execute();
  }

  /** Tickets without an index row (older than the search), oldest first. */
  async unindexed(limit: number): Promise<string[]> {
    const rows = await this.on(undefined)
      .selectFrom('tickets as t')
      .leftJoin('ticket_search_documents as d', 'd.ticket_id', 't.id')
      .select('t.id')
      .where('d.id', 'is', null)
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Ticket ids whose index head names this organization or this person. */
  async ticketsOf(by: { organizationId: string } | { userId: string }, limit: number, afterId: string) {
    let q = this.db.selectFrom('tickets').select('id').where('id', '>', afterId);
    q =
      'organizationId' in by
        ? q.where('organization_id', '=', by.organizationId)
        : q.where('requester_id', '=', by.userId);
    return (await q.orderBy('id').limit(limit).execute()).map((r) => r.id);
  }

  transaction<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** One page of matching tickets' ids and sort keys, one more than the limit to tell if more follow. */
  async page(request: SearchPageRequest): Promise<SearchHit[]> {
    const db = this.on(undefined);
    const postgres = this.dialect === 'postgres';
    const reader = request.reader;
    const tsquery = request.expression === null ? null : sql`${request.expression}::tsquery`;
    // bm25 is lower for better matches; a customer's ranking never counts the internal column.
    const score = postgres
      ? sql<number>`ts_rank(${reader === 'customer' ? '{0, 0, 0.4, 1}' : '{0, 0.3, 0.4, 1}'}::float4[], d.search_vector, ${tsquery})`
      : sql<number>`-bm25(ticket_search_fts, 4.0, 1.0, ${sql.lit(reader === 'customer' ? 0 : 1)})`;

    const hit = ['t.id', 't.created_at', 't.sla_next_due_at', 't.priority'] as const;
    const tickets = db
      .selectFrom('tickets as t')
      .select(hit)
      .select(sql<number>`0`.as('score'));
    // Every branch selects the same columns of t; filters and orders below read only t.
    let q: typeof tickets =
      request.expression === null
        ? tickets
        : postgres
          ? db
              .selectFrom('ticket_search_documents as d')
              .innerJoin('tickets as t', 't.id', 'd.ticket_id')
              .where(sql<SqlBool>`d.search_vector @@ ${tsquery}`)
              .select(hit)
              .select(score.as('score'))
          : db
              .selectFrom('ticket_search_fts')
              .innerJoin('ticket_search_documents as d', 'd.id', 'ticket_search_fts.rowid')
              .innerJoin('tickets as t', 't.id', 'd.ticket_id')
              .where(sql<SqlBool>`ticket_search_fts match ${request.expression}`)
              .select(hit)
              .select(score.as('score'));
    if (request.number !== null) q = q.where('t.number', '=', request.number);
    q = whereTicketFilter(q, request.filter);
    const after = request.after;
    const take = request.limit + 1;
    switch (request.order) {
      case 'relevance': {
        const offset = after ? Number(after.k) : 0;
        return q.orderBy('score', 'desc').orderBy('t.id').limit(take).offset(offset).execute();
      }
      case 'created': {
        if (after) {
          const at = Number(after.k);
          q = q.where((eb) =>
            eb.or([
              eb('t.created_at', '<', at),
              eb.and([eb('t.created_at', '=', at), eb('t.id', '<', after.id)]),
            ]),
          );
        }
        return q.orderBy('t.created_at', 'desc').orderBy('t.id', 'desc').limit(take).execute();
      }
      case 'due': {
        q = q.where('t.sla_next_due_at', 'is not', null);
        if (after) {
          const due = Number(after.k);
          q = q.where((eb) =>
            eb.or([
              eb('t.sla_next_due_at', '>', due),
              eb.and([eb('t.sla_next_due_at', '=', due), eb('t.id', '>', after.id)]),
            ]),
          );
        }
        return q.orderBy('t.sla_next_due_at').orderBy('t.id').limit(take).execute();
      }
      case 'urgency': {
        q = q.where('t.sla_next_due_at', 'is not', null);
        if (after) {
          const key = parseUrgencyKey(after.k);
          if (!key) return [];
          const { band, due } = key;
          const bandIs = (op: '>' | '=', value: number): Expression<SqlBool> =>
            sql<SqlBool>`${urgencyBand} ${sql.raw(op)} ${value}`;
          q = q.where((eb) =>
            eb.or([
              bandIs('>', band),
              eb.and([
                bandIs('=', band),
                eb.or([
                  eb('t.sla_next_due_at', '>', due),
                  eb.and([eb('t.sla_next_due_at', '=', due), eb('t.id', '>', after.id)]),
                ]),
              ]),
            ]),
          );
        }
        return q.orderBy(urgencyBand).orderBy('t.sla_next_due_at').orderBy('t.id').limit(take).execute();
      }
    }
  }
}
