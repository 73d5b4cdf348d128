import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database, FairUseDismissalTable } from '../../db/tables.js';
import { articlePath } from '../../helpcenter/presenters.js';
import { toIso } from '../../shared/time.js';
import type { AnswerLinkRecord, SignalKind, SignalRecord, TicketRef } from './flags.js';

const ticketRef = (row: { id: string; number: number; subject: string; created_at: number }): TicketRef => ({
  id: row.id,
  number: Number(row.number),
  subject: row.subject,
  createdAt: toIso(Number(row.created_at)),
});

/** What the flags are computed from: stored signals, dismissals, staff's article answers, ticket counts. */
export class FairUseFlagsRepository {
  constructor(readonly db: Kysely<Database>) {}

  organizations(ids: readonly string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('organizations').select(['id', 'name']).where('id', 'in', ids).execute();
  }

  /** Organizations with a stored signal after `since`: those that may have a flag. */
  async organizationsWithSignals(since: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('fairuse_signals')
      .select('organization_id')
      .distinct()
      .where('at', '>', since)
      .execute();
    return rows.map((r) => r.organization_id);
  }

  /** Organizations whose tickets staff answered with an article after `since`. */
  async organizationsWithAnswers(since: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('hc_ticket_links as l')
      .innerJoin('tickets as t', 't.id', 'l.ticket_id')
      .select('t.organization_id')
      .distinct()
      .where('l.kind', '=', 'answer')
      .where('l.at', '>', since)
      .execute();
    return rows.map((r) => r.organization_id);
  }

  /** The latest dismissal of each of an organization's flags. */
  async dismissals(organizationIds: readonly string[]) {
    if (organizationIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('fairuse_dismissals')
      .select((eb) => ['organization_id', 'kind', eb.fn.max('evidence_until').as('until')])
      .where('organization_id', 'in', organizationIds)
      .groupBy(['organization_id', 'kind'])
      .execute();
    return rows.map((r) => ({ organizationId: r.organization_id, kind: r.kind, until: Number(r.until) }));
  }

  async insertDismissal(db: Kysely<Database>, row: FairUseDismissalTable): Promise<void> {
    await db.insertInto('fairuse_dismissals').values(row).execute();
  }

  /** Signals with the ticket each is about. */
  private signalRows() {
    return this.db
      .selectFrom('fairuse_signals as s')
      .innerJoin('tickets as t', 't.id', 's.ticket_id')
      .select([
        's.id',
        's.kind',
        's.score',
        's.evidence',
        's.at',
        't.id as ticket_id',
        't.number',
        't.subject',
        't.created_at',
      ]);
  }

  /** An organization's stored signals after `since`, newest first, with their tickets. */
  async signals(organizationId: string, since: number, limit = 500): Promise<SignalRecord[]> {
    const rows = await this.signalRows()
      .where('s.organization_id', '=', organizationId)
      .where('s.at', '>', since)
      .where((eb) => withoutLaterFile(eb))
      .orderBy('s.at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(signalRecord);
  }

  async ticketSignals(ticketId: string): Promise<SignalRecord[]> {
    const rows = await this.signalRows()
      .where('s.ticket_id', '=', ticketId)
      .where((eb) => withoutLaterFile(eb))
      .orderBy('s.at', 'desc')
      .execute();
    return rows.map(signalRecord);
  }

  /**
   * Staff answers with an article link after `since`, on an organization's tickets or on one ticket,
   * with the article's title in the language it was sent in and whether the sender had opened it
   * among the suggestions before sending.
   */
  async answerLinks(
    filter: { organizationId: string; since: number } | { ticketId: string },
    limit = 500,
  ): Promise<AnswerLinkRecord[]> {
    let query = this.db
      .selectFrom('hc_ticket_links as l')
      .innerJoin('tickets as t', 't.id', 'l.ticket_id')
      .leftJoin('hc_translations as tr', (j) =>
        j.onRef('tr.article_id', '=', 'l.article_id').onRef('tr.locale', '=', 'l.locale'),
      )
      .select((eb) => [
        'l.at',
        'l.article_id',
        'l.locale',
        'tr.title',
        'tr.slug',
        't.id as ticket_id',
        't.number',
        't.subject',
        't.created_at',
        eb
          .exists(
            eb
              .selectFrom('hc_suggestion_sessions as s')
              .innerJoin('hc_suggestions_shown as h', 'h.session_id', 's.id')
              .select('h.article_id')
              .whereRef('s.ticket_id', '=', 't.id')
              .whereRef('h.article_id', '=', 'l.article_id')
              .where('h.opened_at', 'is not', null),
          )
          .as('opened'),
      ])
      .where('l.kind', '=', 'answer');
    query =
      'ticketId' in filter
        ? query.where('l.ticket_id', '=', filter.ticketId)
        : query.where('t.organization_id', '=', filter.organizationId).where('l.at', '>', filter.since);
    const rows = await query.orderBy('l.at', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      at: Number(r.at),
      ticket: ticketRef({ id: r.ticket_id, number: r.number, subject: r.subject, created_at: r.created_at }),
      article: {
        id: r.article_id,
        title: r.title ?? '',
        url: r.slug ? articlePath(r.locale, r.slug) : '',
        opened: Boolean(r.opened),
      },
    }));
  }

  // --- Volume -----------------------------------------------------------------------------------

  /** An organization's tickets created in [from, to): one range of tickets_org_created_idx. */
  async organizationTickets(organizationId: string, from: number, to: number): Promise<number> {
    const row = await this.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('organization_id', '=', organizationId)
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async requesterTickets(requesterId: string, from: number, to: number): Promise<number> {
    const row = await this.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('requester_id', '=', requesterId)
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Who filed most of an organization's tickets in [from, to). */
  async topRequester(organizationId: string, from: number, to: number) {
    const row = await this.db
      .selectFrom('tickets as t')
      .innerJoin('users as u', 'u.id', 't.requester_id')
      .select((eb) => ['u.id', 'u.name', eb.fn.countAll<number>().as('n')])
      .where('t.organization_id', '=', organizationId)
      .where('t.created_at', '>=', from)
      .where('t.created_at', '<', to)
      .groupBy(['u.id', 'u.name'])
      .orderBy('n', 'desc')
      .orderBy('u.id')
      .limit(1)
      .executeTakeFirst();
    return row ? { id: row.id, name: row.name, recent: Number(row.n) } : null;
  }

  /** Organizations that filed at least `min` tickets in [from, to): those a volume flag may concern. */
  async busyOrganizations(from: number, to: number, min: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('tickets')
      .select('organization_id')
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .groupBy('organization_id')
      .having((eb) => eb.fn.countAll(), '>=', min)
      .execute();
    return rows.map((r) => r.organization_id);
  }

  /** The tier an organization's latest ticket before `to` was filed under. */
  async latestTier(organizationId: string, to: number): Promise<string | null> {
    const row = await this.db
      .selectFrom('tickets')
      .select('tier')
      .where('organization_id', '=', organizationId)
      .where('created_at', '<', to)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.tier ?? null;
  }

  /**
   * Tickets per organization filed under a tier in [from, to): the tier's norm, read from the
   * report index (created_at, tier) alone.
   */
  async tierCounts(tier: string, from: number, to: number) {
    const rows = await this.db
      .selectFrom('tickets')
      .select((eb) => ['organization_id', eb.fn.countAll<number>().as('n')])
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .where('tier', '=', tier)
      .groupBy('organization_id')
      .execute();
    return rows.map((r) => ({ organizationId: r.organization_id, count: Number(r.n) }));
  }
}

/**
 * A reopen "without new information" stops counting once the customer adds a file after it (a file
 * is uploaded after the message it belongs to).
 */
function withoutLaterFile(eb: ExpressionBuilder<Database & { s: Database['fairuse_signals'] }, 's'>) {
  return eb.or([
    eb('s.kind', '!=', 'reopened_unchanged'),
    eb.not(
      eb.exists(
        eb
          .selectFrom('attachments as f')
          .select('f.id')
          .whereRef('f.ticket_id', '=', 's.ticket_id')
          .whereRef('f.created_at', '>=', 's.at'),
      ),
    ),
  ]);
}

function signalRecord(r: {
  id: string;
  kind: string;
  score: number;
  evidence: string;
  at: number;
  ticket_id: string;
  number: number;
  subject: string;
  created_at: number;
}): SignalRecord {
  return {
    id: r.id,
    kind: r.kind as SignalKind,
    score: Number(r.score),
    evidence: JSON.parse(r.evidence) as unknown,
    at: Number(r.at),
    ticket: ticketRef({ id: r.ticket_id, number: r.number, subject: r.subject, created_at: r.created_at }),
  };
}
