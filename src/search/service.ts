import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { decodeCursor, encodeCursor, type Cursor } from '../shared/pagination.js';
import { badRequest } from '../shared/problem.js';
import { urgencyKey } from '../tickets/repository.js';
import type { TicketMatch, TicketSearchPort, TicketSearchRequest } from '../tickets/search-port.js';
import {
  appendStream,
  detectLanguage,
  hasPositiveTerms,
  headStream,
  highlightStems,
  parseQuery,
  stemStream,
} from './analysis.js';
import { ftsExpression, tsqueryText } from './expressions.js';
import type { SearchHit, SearchOrder, Streams, TicketSearchRepository } from './repository.js';
import { highlightAll, matchScore, readText, snippet, wordMatcher } from './snippet.js';

/** Tickets indexed per transaction when the desk starts with tickets older than the search. */
const BACKFILL_BATCH = 500;

/**
 * Ticket search: keeps one index row per ticket current inside the ledger's transactions (see
 * ticket-hooks.ts) and answers GET /tickets?q= for the tickets service.
 *
 * The requester's and organization's names are copied into the row's head when it is written, so
 * that a search is one index lookup; renaming an organization or a person re-writes the heads of
 * their tickets (reindexPeople).
 */
export class TicketSearch implements TicketSearchPort {
  constructor(private readonly repo: TicketSearchRepository) {}

  /** Rebuilds a ticket's whole row from what the ledger wrote, in the caller's transaction. */
  async reindex(db: Kysely<Database>, ticketId: string): Promise<void> {
    const source = await this.repo.headSource(db, ticketId);
    if (!source) return;
    const messages = await this.repo.messages(db, ticketId);
    const streams: Streams = { head: '', public: '', internal: '' };
    for (const m of messages) {
      const stems = stemStream(m.body);
      if (m.visibility === 'public') streams.public = appendStream(streams.public, stems);
      else streams.internal = appendStream(streams.internal, stems);
    }
    streams.head = headStream({
      number: source.number,
      subject: source.subject,
      requesterName: source.requester_name,
      requesterEmail: source.email,
      organizationName: source.organization_name,
      opening: messages[0]?.body ?? '',
    });
    await this.repo.save(db, ticketId, streams);
  }

  /** Adds one message's stems to its ticket's row. */
  async addMessage(db: Kysely<Database>, ticketId: string, visibility: string, body: string): Promise<void> {
    const existing = await this.repo.findStreams(db, ticketId);
    if (!existing) return this.reindex(db, ticketId);
    const stems = stemStream(body, detectLanguage(body));
    const streams: Streams = { head: existing.head, public: existing.public, internal: existing.internal };
    if (visibility === 'public') streams.public = appendStream(streams.public, stems);
    else streams.internal = appendStream(streams.internal, stems);
    await this.repo.save(db, ticketId, streams);
  }

  /** Indexes every ticket that has no row yet (a desk upgraded to ticket search); returns how many. */
  async backfill(): Promise<number> {
    let done = 0;
    for (;;) {
      const ids = await this.repo.unindexed(BACKFILL_BATCH);
      if (ids.length === 0) return done;
      await this.repo.transaction(async (trx) => {
        for (const id of ids) await this.reindex(trx, id);
      });
      done += ids.length;
    }
  }

  /** Re-writes the heads of an organization's or a person's tickets after a rename. */
  async reindexPeople(by: { organizationId: string } | { userId: string }): Promise<void> {
    let after = '';
    for (;;) {
      const ids = await this.repo.ticketsOf(by, BACKFILL_BATCH, after);
      if (ids.length === 0) return;
      await this.repo.transaction(async (trx) => {
        for (const id of ids) await this.reindex(trx, id);
      });
      after = ids.at(-1)!;
    }
  }

  async search(request: TicketSearchRequest) {
    const query = parseQuery(request.q);
    if (!hasPositiveTerms(query))
      throw badRequest('A search needs at least one word (or a #number) to look for.', [
        { field: 'query.q', message: 'no word to search for' },
      ]);
    const expression =
      query.clauses.length === 0
        ? null
        : this.repo.dialect === 'postgres'
          ? tsqueryText(query, request.reader)
          : ftsExpression(query, request.reader);
    const order: SearchOrder = request.order ?? 'relevance';
    const after = decodeCursor(request.cursor, order === 'urgency' ? 'string' : 'number');
    const hits = await this.repo.page({
      expression,
      number: query.number,
      reader: request.reader,
      filter: request.filter,
      order,
      limit: request.limit,
      after,
    });
    const page = hits.slice(0, request.limit);
    const last = page.at(-1);
    const nextCursor =
      hits.length > request.limit && last ? encodeCursor(cursorAfter(order, last, after, page.length)) : null;
    const matches = await this.matches(
      page.map((h) => h.id),
      request.reader,
      highlightStems(query),
    );
    return { hits: page.map((h) => ({ id: h.id, match: matches.get(h.id)! })), nextCursor };
  }

  /** For each ticket of a page, its highlighted subject and the best matching message's snippet. */
  private async matches(ids: string[], reader: 'staff' | 'customer', stems: ReadonlySet<string>) {
    const messages = await this.repo.messagesOf(ids, reader);
    const subjects = await this.repo.subjectsOf(ids);
    const matcher = wordMatcher(stems);
    const best = new Map<
      string,
      { id: string; read: ReturnType<typeof readText>; internal: boolean; score: number }
    >();
    for (const m of messages) {
      const read = readText(m.body);
      const score = matchScore(read.tokens, matcher);
      const current = best.get(m.ticket_id);
      if (score > 0 && (!current || score > current.score))
        best.set(m.ticket_id, { id: m.id, read, internal: m.visibility !== 'public', score });
    }
    const matches = new Map<string, TicketMatch>();
    for (const id of ids) {
      const quoted = best.get(id);
      matches.set(id, {
        subject: highlightAll(subjects.get(id) ?? '', matcher),
        snippet: quoted ? snippet(quoted.read, matcher) : [],
        messageId: quoted?.id ?? null,
        internal: quoted?.internal ?? false,
      });
    }
    return matches;
  }
}

function cursorAfter(order: SearchOrder, last: SearchHit, after: Cursor | undefined, count: number): Cursor {
  switch (order) {
    case 'relevance':
      return { k: (after ? Number(after.k) : 0) + count, id: last.id };
    case 'created':
      return { k: last.created_at, id: last.id };
    case 'due':
      return { k: last.sla_next_due_at ?? 0, id: last.id };
    case 'urgency':
      return { k: urgencyKey(last), id: last.id };
  }
}
