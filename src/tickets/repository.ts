import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { DialectName } from '../db/database.js';
import type { Database, TicketExclusionTable, TicketRow } from '../db/tables.js';
import type { Cursor } from '../shared/pagination.js';

export interface TicketFilter {
  organizationId?: string | undefined;
  requesterId?: string | undefined;
  status?: string[] | undefined;
  priority?: string[] | undefined;
  assigneeId?: string | null | undefined;
  channel?: string | undefined;
  tier?: string | undefined;
  /** Only tickets whose next SLA due time is at or before this instant (epoch ms). */
  dueBefore?: number | undefined;
  /** Only tickets whose next SLA due time is at or after this instant (epoch ms). */
  dueAfter?: number | undefined;
  /** Only tickets that carry every one of these (normalized) tags. */
  tags?: string[] | undefined;
}

/** How a ticket list is ordered: newest first; soonest due first; urgent band first, then soonest due. */
export type TicketOrder = 'created' | 'due' | 'urgency';

/** The urgent band: a running target of a P0 or P1 ranks above any P2 or P3 in the urgency order. */
export const URGENT_PRIORITIES: readonly string[] = ['P0', 'P1'];
export type UrgencyBand = 0 | 1;
export const urgencyBandOf = (priority: string): UrgencyBand =>
  URGENT_PRIORITIES.includes(priority) ? 0 : 1;

// Written exactly as the indexes of migration 20261207T1300-urgency have it, literals included, so
// that SQLite and PostgreSQL both recognize it as the indexed expression.
const urgencyBand = sql<UrgencyBand>`(case when ${sql.ref('t.priority')} in ('P0', 'P1') then 0 else 1 end)`;

/** The urgency order's cursor key: the band and the due time, as `band:due`. */
export const urgencyKey = (t: { priority: string; sla_next_due_at: number | null }) =>
  `${urgencyBandOf(t.priority)}:${t.sla_next_due_at ?? 0}`;

/** Reads a key urgencyKey wrote; undefined for anything else. */
export function parseUrgencyKey(k: string | number): { band: UrgencyBand; due: number } | undefined {
  const match = typeof k === 'string' ? /^([01]):(\d{1,16})$/.exec(k) : null;
  if (!match) return undefined;
  const due = Number(match[2]);
  if (!Number.isSafeInteger(due)) return undefined;
  return { band: match[1] === '0' ? 0 : 1, due };
}

/** A query over `tickets as t`, whatever it selects or joins for its own order. */
export type TicketsQuery<O> = SelectQueryBuilder<Database & { t: Database['tickets'] }, 't', O>;

/**
 * The list filters on `t`, as the queue and the search both apply them. Tags are one EXISTS each,
 * a seek on ticket_tags (tag, ticket_id), so that a walk keeps its order index.
 */
export function whereTicketFilter<O>(q: TicketsQuery<O>, filter: TicketFilter): TicketsQuery<O> {
  if (filter.organizationId) q = q.where('t.organization_id', '=', filter.organizationId);
  if (filter.requesterId) q = q.where('t.requester_id', '=', filter.requesterId);
  if (filter.status) q = q.where('t.status', 'in', filter.status);
  if (filter.priority) q = q.where('t.priority', 'in', filter.priority);
  if (filter.assigneeId === null) q = q.where('t.assignee_id', 'is', null);
  else if (filter.assigneeId) q = q.where('t.assignee_id', '=', filter.assigneeId);
  if (filter.channel) q = q.where('t.channel', '=', filter.channel);
  if (filter.tier) q = q.where('t.tier', '=', filter.tier);
  if (filter.dueBefore !== undefined) q = q.where('t.sla_next_due_at', '<=', filter.dueBefore);
  if (filter.dueAfter !== undefined) q = q.where('t.sla_next_due_at', '>=', filter.dueAfter);
  for (const tag of filter.tags ?? [])
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('ticket_tags as tt')
          .select('tt.ticket_id')
          .where('tt.tag', '=', tag)
          .whereRef('tt.ticket_id', '=', 't.id'),
      ),
    );
  return q;
}

/** Tickets with the names a list needs and their exclusion from the promise, in one query. */
function ticketsWithNames(db: Kysely<Database>) {
  return db
    .selectFrom('tickets as t')
    .innerJoin('organizations as o', 'o.id', 't.organization_id')
    .innerJoin('users as r', 'r.id', 't.requester_id')
    .leftJoin('users as a', 'a.id', 't.assignee_id')
    .leftJoin('ticket_exclusions as x', 'x.ticket_id', 't.id')
    .selectAll('t')
    .select([
      'o.name as organization_name',
      'r.name as requester_name',
      'r.email as requester_email',
      'a.name as assignee_name',
      'x.reason as exclusion_reason',
      'x.note as exclusion_note',
      'x.excluded_at as exclusion_at',
    ])
    .select((eb) =>
      eb
        .selectFrom('tickets as into')
        .select('into.number')
        .whereRef('into.id', '=', 't.merged_into_id')
        .as('merged_into_number'),
    );
}

/**
 * Messages with their authors' names; for a message that came by mail, how it was authenticated;
 * and who filed the ticket and which message opened it, to tell whose words someone took down.
 */
function messagesWithAuthors(db: Kysely<Database>) {
  return db
    .selectFrom('ticket_messages as m')
    .innerJoin('users as u', 'u.id', 'm.author_id')
    .innerJoin('tickets as t', 't.id', 'm.ticket_id')
    .innerJoin('users as f', 'f.id', 't.created_by_id')
    .leftJoin('mail_messages as mm', (join) =>
      join.onRef('mm.ticket_message_id', '=', 'm.id').on('mm.direction', '=', 'inbound'),
    )
    .selectAll('m')
    .select((eb) => [
      'u.name as author_name',
      'u.role as author_role',
      'mm.auth_verdict',
      'mm.auth_results',
      't.created_by_id as filed_by_id',
      'f.name as filed_by_name',
      't.channel as ticket_channel',
      eb
        .selectFrom('ticket_messages as o')
        .select('o.id')
        .whereRef('o.ticket_id', '=', 'm.ticket_id')
        // A message that moved here with a merge opened another ticket, not this one.
        .where('o.merged_from_ticket_id', 'is', null)
        .orderBy('o.created_at')
        .orderBy('o.id')
        .limit(1)
        .as('opening_message_id'),
      eb
        .selectFrom('tickets as mf')
        .select('mf.number')
        .whereRef('mf.id', '=', 'm.merged_from_ticket_id')
        .as('merged_from_number'),
    ]);
}

interface PageKey {
  id: string;
  created_at: number;
  sla_next_due_at: number | null;
  priority: string;
}

// The same orders as the SQL: newest first; soonest due first; urgent band, then soonest due. Ids
// break ties as they do there.
const compareCreated = (a: PageKey, b: PageKey) =>
  b.created_at - a.created_at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
const compareDue = (a: PageKey, b: PageKey) =>
  (a.sla_next_due_at ?? 0) - (b.sla_next_due_at ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const compareUrgency = (a: PageKey, b: PageKey) =>
  urgencyBandOf(a.priority) - urgencyBandOf(b.priority) || compareDue(a, b);
const COMPARE: Record<TicketOrder, (a: PageKey, b: PageKey) => number> = {
  created: compareCreated,
  due: compareDue,
  urgency: compareUrgency,
};

/** One ordered walk of the ticket list: the filter with one status or priority, and for urgency one band. */
type Walk = TicketFilter & { band?: UrgencyBand };

export type TicketWithNames = TicketRow & {
  organization_name: string;
  requester_name: string;
  requester_email: string;
  assignee_name: string | null;
  exclusion_reason: TicketExclusionTable['reason'] | null;
  exclusion_note: string | null;
  exclusion_at: number | null;
  merged_into_number: number | null;
};

/** What the desk reads of tickets; the ticket ledger's repository is the one that writes them. */
export class TicketsRepository {
  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: DialectName,
  ) {}

  findTicket(id: string): Promise<TicketWithNames | undefined> {
    return ticketsWithNames(this.db).where('t.id', '=', id).executeTakeFirst();
  }

  findTickets(ids: string[]): Promise<TicketWithNames[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return ticketsWithNames(this.db).where('t.id', 'in', ids).execute();
  }

  /**
   * Newest first; with `due` the soonest SLA due time first (the agent queue: only tickets that owe
   * something); with `urgency` the same tickets, every P0 and P1 before any P2 and P3 and soonest due
   * first within each. Keyset-paginated on indexed columns in every order.
   *
   * A filter on several statuses (or priorities) is read as one ordered walk per value, merged here:
   * each walk follows the (status, sort key) index and stops after a page, where a single IN query
   * would make the database sort the whole open backlog. The urgency order walks one band at a time
   * (the band is an indexed expression, see migration 20261207T1300-urgency): the urgent band first,
   * then the other for only what the urgent one left of the page; a cursor past the urgent band
   * skips it. The cursor's key is `band:due`. The due order walks both bands and merges them.
   */
  async listTickets(
    filter: TicketFilter,
    limit: number,
    after: Cursor | undefined,
    order: TicketOrder = 'created',
  ): Promise<TicketWithNames[]> {
    const split: { column: 'status' | 'priority'; values: string[] } | undefined =
      filter.status && filter.status.length > 1
        ? { column: 'status', values: filter.status }
        : filter.priority && filter.priority.length > 1
          ? { column: 'priority', values: filter.priority }
          : undefined;
    const walks: Walk[] = split
      ? split.values.map((value) => ({ ...filter, [split.column]: [value] }))
      : [filter];
    const keys: PageKey[] = [];
    if (order === 'urgency') {
      const from = after ? parseUrgencyKey(after.k) : undefined;
      if (after && !from) return [];
      for (const band of [0, 1] as const) {
        if (from && band < from.band) continue;
        // Every key of the urgent band comes before the other band's: those fill the rest of the page.
        const take = limit + 1 - keys.length;
        if (take <= 0) break;
        const cursor = after && from && band === from.band ? { k: from.due, id: after.id } : undefined;
        for (const walk of walks) {
          if (walk.priority && walk.priority.every((p) => urgencyBandOf(p) !== band)) continue;
          keys.push(...(await this.pageKeys({ ...walk, band }, take, cursor, 'urgency')));
        }
      }
    } else if (order === 'due') {
      // Both bands in due order, merged: each walk seeks the same (…, band, due, id) indexes as the
      // urgency order, so a filter never reads the backlog past a page.
      for (const band of [0, 1] as const)
        for (const walk of walks) {
          if (walk.priority && walk.priority.every((p) => urgencyBandOf(p) !== band)) continue;
          keys.push(...(await this.pageKeys({ ...walk, band }, limit + 1, after, 'due')));
        }
    } else {
      for (const walk of walks) keys.push(...(await this.pageKeys(walk, limit + 1, after, order)));
    }
    const merged = keys.sort(COMPARE[order]).slice(0, limit + 1);
    if (merged.length === 0) return [];
    const rows = await ticketsWithNames(this.db)
      .where(
        't.id',
        'in',
        merged.map((k) => k.id),
      )
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return merged.map((k) => byId.get(k.id)).filter((r): r is TicketWithNames => r !== undefined);
  }

  /** One ordered walk: the sort keys of up to `take` tickets after the cursor. */
  private pageKeys(filter: Walk, take: number, after: Cursor | undefined, order: TicketOrder) {
    let q = this.db
      .selectFrom('tickets as t')
      .select(['t.id', 't.created_at', 't.sla_next_due_at', 't.priority']);
    q = whereTicketFilter(q, filter);
    if (filter.band !== undefined) q = q.where(urgencyBand, '=', filter.band);
    if (order === 'due' || order === 'urgency') {
      // Within one band (urgency) or overall (due), the walk is the (…, sla_next_due_at, id) index.
      q = q.where('t.sla_next_due_at', 'is not', null);
      if (after) {
        const due = Number(after.k);
        q = q
          // Redundant with the condition after it, but a range the index seeks to.
          .where('t.sla_next_due_at', '>=', due)
          .where((eb) =>
            eb.or([
              eb('t.sla_next_due_at', '>', due),
              eb.and([eb('t.sla_next_due_at', '=', due), eb('t.id', '>', after.id)]),
            ]),
          );
      }
      return q.orderBy('t.sla_next_due_at', 'asc').orderBy('t.id', 'asc').limit(take).execute();
    }
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

  /** The tags of these tickets, each ticket's in alphabetical order. */
  async tagsOf(ticketIds: string[]): Promise<Map<string, string[]>> {
    const tags = new Map<string, string[]>(ticketIds.map((id) => [id, []]));
    if (ticketIds.length === 0) return tags;
    const rows = await this.db
      .selectFrom('ticket_tags')
      .select(['ticket_id', 'tag'])
      .where('ticket_id', 'in', ticketIds)
      .orderBy('ticket_id')
      .orderBy('tag')
      .execute();
    for (const row of rows) tags.get(row.ticket_id)?.push(row.tag);
    return tags;
  }

  findMessage(id: string) {
    return this.db.selectFrom('ticket_messages').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The message a ticket opened with. */
  async openingMessageId(ticketId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('ticket_messages')
      .select('id')
      .where('ticket_id', '=', ticketId)
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return row?.id;
  }

  findMessageWithAuthor(id: string) {
    return messagesWithAuthors(this.db).where('m.id', '=', id).executeTakeFirst();
  }

  listMessages(ticketId: string, publicOnly: boolean, limit: number, after: Cursor | undefined) {
    let q = messagesWithAuthors(this.db).where('m.ticket_id', '=', ticketId);
    if (publicOnly) q = q.where('m.visibility', '=', 'public');
    if (after) {
      const at = Number(after.k);
      q = q.where((eb) =>
        eb.or([
          eb('m.created_at', '>', at),
          eb.and([eb('m.created_at', '=', at), eb('m.id', '>', after.id)]),
        ]),
      );
    }
    return q
      .orderBy('m.created_at')
      .orderBy('m.id')
      .limit(limit + 1)
      .execute();
  }

  listEvents(ticketId: string, excludeInternal: boolean, limit: number, after: Cursor | undefined) {
    let q = this.db
      .selectFrom('ticket_events as e')
      .leftJoin('users as u', 'u.id', 'e.actor_id')
      .selectAll('e')
      .select(['u.name as actor_name', 'u.role as actor_role'])
      .where('e.ticket_id', '=', ticketId);
    if (excludeInternal) q = q.where('e.visibility', '=', 'public');
    if (after) {
      const at = Number(after.k);
      q = q.where((eb) =>
        eb.or([eb('e.at', '>', at), eb.and([eb('e.at', '=', at), eb('e.id', '>', after.id)])]),
      );
    }
    return q
      .orderBy('e.at')
      .orderBy('e.id')
      .limit(limit + 1)
      .execute();
  }

  findAttachment(id: string) {
    return this.db
      .selectFrom('attachments as f')
      .leftJoin('ticket_messages as m', 'm.id', 'f.message_id')
      .selectAll('f')
      .select(['m.visibility as message_visibility'])
      .where('f.id', '=', id)
      .executeTakeFirst();
  }

  listAttachments(ticketId: string, publicOnly: boolean) {
    let q = this.db
      .selectFrom('attachments as f')
      .leftJoin('ticket_messages as m', 'm.id', 'f.message_id')
      .selectAll('f')
      .where('f.ticket_id', '=', ticketId);
    if (publicOnly)
      q = q.where((eb) => eb.or([eb('f.message_id', 'is', null), eb('m.visibility', '=', 'public')]));
    return q.orderBy('f.created_at').limit(1000).execute();
  }
}
