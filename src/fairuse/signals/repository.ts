import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Database, FairUseSignalTable, TicketOffTopicTable } from '../../db/tables.js';
import type { SignalKind } from './flags.js';
import type { TicketText } from './similarity.js';
import { MAX_ANALYSED_CHARS, plainText } from './text.js';

/** The root database or a transaction: inside the ticket rules' transaction only that may be used. */
type Executor = Kysely<Database>;

/** The moment a ticket stopped needing work: resolved, or closed without a resolution. */
const doneAt = sql<number>`coalesce(t.resolved_at, t.closed_at)`;

/**
 * The fair-use signals' I/O as tickets are filed and replied to (methods that take an executor run
 * inside the ticket rules' transaction), staff's off-topic marks, and the classifier's sample.
 */
export class FairUseSignalsRepository {
  constructor(readonly db: Kysely<Database>) {}

  // --- While a ticket is filed or replied to (inside the ticket rules' transaction) ---------------

  /** The language a ticket's words are stemmed in: its requester's, else the organization's. */
  async requesterLocale(db: Executor, requesterId: string, organizationId: string): Promise<string> {
    const row = await db
      .selectFrom('users as u')
      .innerJoin('organizations as o', (j) => j.on('o.id', '=', organizationId))
      .select(['u.locale as user_locale', 'o.locale as org_locale'])
      .where('u.id', '=', requesterId)
      .executeTakeFirst();
    return row?.user_locale ?? row?.org_locale ?? 'en';
  }

  /**
   * The organization's tickets resolved (or closed) since `since`, most recently first: one range of
   * tickets_org_done_idx, without their texts (ticketTexts reads those the comparison does not hold).
   */
  async resolvedTickets(db: Executor, organizationId: string, since: number, limit: number) {
    const rows = await db
      .selectFrom('tickets as t')
      .select(['t.id', 't.updated_at'])
      .where('t.organization_id', '=', organizationId)
      .where(doneAt, '>=', since)
      // Literals, as the partial index has them (migration 20261208T0040-ticket-filters).
      .where(sql<boolean>`t.status in ('resolved', 'closed')`)
      .orderBy(doneAt, 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, updatedAt: Number(r.updated_at) }));
  }

  /** What the comparisons read of these tickets: subject, opening message and reproduction. */
  async ticketTexts(
    db: Executor,
    ids: readonly string[],
  ): Promise<Map<string, TicketText & { number: number }>> {
    const texts = new Map<string, TicketText & { number: number }>();
    if (ids.length === 0) return texts;
    const rows = await db
      .selectFrom('tickets as t')
      .select((eb) => [
        't.id',
        't.number',
        't.subject',
        't.repro_steps',
        't.repro_expected',
        't.repro_actual',
        't.repro_environment',
        firstBody(eb),
        firstBodyFormat(eb),
      ])
      .where('t.id', 'in', ids)
      .execute();
    for (const r of rows)
      texts.set(r.id, {
        number: Number(r.number),
        subject: r.subject,
        body: r.body ?? '',
        bodyFormat: r.body_format ?? 'text',
        reproSteps: r.repro_steps,
        reproExpected: r.repro_expected,
        reproActual: r.repro_actual,
        reproEnvironment: r.repro_environment,
      });
    return texts;
  }

  /** A ticket's public messages other than `exceptId`, newest first, as much as a reply is compared with. */
  async publicMessages(db: Executor, ticketId: string, exceptId: string, limit: number) {
    return db
      .selectFrom('ticket_messages')
      .select(['body', 'body_format'])
      .where('ticket_id', '=', ticketId)
      .where('visibility', '=', 'public')
      .where('id', '!=', exceptId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  async attachmentsSince(db: Executor, ticketId: string, since: number): Promise<number> {
    const row = await db
      .selectFrom('attachments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ticket_id', '=', ticketId)
      .where('created_at', '>', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * The published articles a suggestion session showed its writer, with their text in the language
   * they were shown in; nothing when the session is not the writer's own, unsent one (or sent
   * with this very ticket).
   */
  async shownArticles(db: Executor, sessionId: string, writerId: string, ticketId: string) {
    return db
      .selectFrom('hc_suggestion_sessions as s')
      .innerJoin('hc_suggestions_shown as h', 'h.session_id', 's.id')
      .innerJoin('hc_articles as a', 'a.id', 'h.article_id')
      .innerJoin('hc_translations as tr', (j) =>
        j.onRef('tr.article_id', '=', 'h.article_id').onRef('tr.locale', '=', 'h.locale'),
      )
      .select([
        'a.id',
        'h.locale',
        'h.opened_at',
        'tr.slug',
        'tr.title',
        'tr.summary',
        'tr.body_md',
        'tr.symptom',
        'tr.workaround_md',
      ])
      .where('s.id', '=', sessionId)
      .where('s.user_id', '=', writerId)
      .where((eb) => eb.or([eb('s.ticket_id', 'is', null), eb('s.ticket_id', '=', ticketId)]))
      .where('a.status', '=', 'published')
      .orderBy('h.shown_at')
      .limit(20)
      .execute();
  }

  /** One signal per ticket and kind: a later sighting replaces the earlier one. */
  async saveSignal(db: Executor, row: FairUseSignalTable) {
    await db
      .insertInto('fairuse_signals')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['ticket_id', 'kind'])
          .doUpdateSet({ score: row.score, evidence: row.evidence, at: row.at }),
      )
      .execute();
  }

  async deleteSignal(db: Executor, ticketId: string, kind: SignalKind) {
    await db
      .deleteFrom('fairuse_signals')
      .where('ticket_id', '=', ticketId)
      .where('kind', '=', kind)
      .execute();
  }

  // --- Off-topic marks and the classifier's sample ----------------------------------------------

  findTicket(db: Executor, ticketId: string) {
    return db
      .selectFrom('tickets')
      .select(['id', 'number', 'subject', 'organization_id', 'requester_id', 'created_at'])
      .where('id', '=', ticketId)
      .executeTakeFirst();
  }

  offTopicMark(ticketId: string) {
    return this.db
      .selectFrom('ticket_off_topic as o')
      .leftJoin('users as u', 'u.id', 'o.marked_by')
      .select(['o.note', 'o.marked_at', 'o.marked_by', 'u.name as marked_by_name'])
      .where('o.ticket_id', '=', ticketId)
      .executeTakeFirst();
  }

  async saveOffTopicMark(db: Executor, row: TicketOffTopicTable) {
    await db
      .insertInto('ticket_off_topic')
      .values(row)
      .onConflict((oc) =>
        oc
          .column('ticket_id')
          .doUpdateSet({ note: row.note, marked_by: row.marked_by, marked_at: row.marked_at }),
      )
      .execute();
  }

  /** Removes a mark; false when there was none. */
  async deleteOffTopicMark(db: Executor, ticketId: string): Promise<boolean> {
    const result = await db
      .deleteFrom('ticket_off_topic')
      .where('ticket_id', '=', ticketId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Subject and opening message of the most recently marked off-topic tickets. */
  async offTopicTexts(limit: number, exceptId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('ticket_off_topic as o')
      .innerJoin('tickets as t', 't.id', 'o.ticket_id')
      .select((eb) => ['t.subject', firstBody(eb)])
      .where('t.id', '!=', exceptId)
      .orderBy('o.marked_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => `${r.subject}\n${plainText(r.body ?? '', 'html')}`);
  }

  /** Subject and opening message of the desk's most recent tickets not marked off-topic. */
  async otherTexts(limit: number, exceptId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('tickets as t')
      .leftJoin('ticket_off_topic as o', 'o.ticket_id', 't.id')
      .select((eb) => ['t.subject', firstBody(eb)])
      .where('o.ticket_id', 'is', null)
      .where('t.id', '!=', exceptId)
      .orderBy('t.created_at', 'desc')
      .orderBy('t.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => `${r.subject}\n${plainText(r.body ?? '', 'html')}`);
  }

  async ticketText(ticketId: string) {
    return this.db
      .selectFrom('tickets as t')
      .select((eb) => ['t.id', 't.subject', 't.requester_id', 't.organization_id', firstBody(eb)])
      .where('t.id', '=', ticketId)
      .executeTakeFirst();
  }
}

/** The beginning of the message that opened a ticket `t`: as much as the comparisons read. */
function firstBody(eb: ExpressionBuilder<Database & { t: Database['tickets'] }, 't'>) {
  return eb
    .selectFrom('ticket_messages as m')
    .select(sql<string>`substr(m.body, 1, ${sql.lit(MAX_ANALYSED_CHARS)})`.as('body'))
    .whereRef('m.ticket_id', '=', 't.id')
    .orderBy('m.created_at')
    .orderBy('m.id')
    .limit(1)
    .as('body');
}

function firstBodyFormat(eb: ExpressionBuilder<Database & { t: Database['tickets'] }, 't'>) {
  return eb
    .selectFrom('ticket_messages as m')
    .select('m.body_format')
    .whereRef('m.ticket_id', '=', 't.id')
    .orderBy('m.created_at')
    .orderBy('m.id')
    .limit(1)
    .as('body_format');
}
