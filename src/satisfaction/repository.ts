import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, SatisfactionSurveyTable } from '../db/tables.js';
import type { Priority, Tier } from '../policy/tiers.js';

type Executor = Kysely<Database> | Transaction<Database>;

export type SurveyRow = Selectable<SatisfactionSurveyTable>;
export type Rating = 'good' | 'bad';

/** What the report reads: the period (from inclusive, to exclusive) and its filters. */
export interface SatisfactionFilter {
  from: number;
  to: number;
  tier?: Tier | undefined;
  priority?: Priority | undefined;
  agentId?: string | undefined;
  organizationId?: string | undefined;
}

/** One survey as the report counts it. */
export interface SurveyFact {
  tier: string;
  priority: string;
  agentId: string | null;
  agentName: string | null;
  createdAt: number;
  rating: Rating | null;
}

/** An answer with its ticket, for the latest answers list. */
export interface AnswerFact {
  ticketId: string;
  ticketNumber: number;
  subject: string;
  organizationId: string;
  organizationName: string;
  rating: Rating;
  comment: string | null;
  answeredAt: number;
}

/** The satisfaction context's tables: surveys with their answers, and the per-tier settings. */
export class SatisfactionRepository {
  constructor(readonly db: Kysely<Database>) {}

  async disabledTiers(executor: Executor = this.db): Promise<Set<string>> {
    const rows = await executor
      .selectFrom('satisfaction_settings')
      .select('tier')
      .where('enabled', '=', 0)
      .execute();
    return new Set(rows.map((r) => r.tier));
  }

  async saveSettings(tiers: { tier: Tier; enabled: boolean }[], by: string, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const { tier, enabled } of tiers)
        await trx
          .insertInto('satisfaction_settings')
          .values({ tier, enabled: enabled ? 1 : 0, updated_at: now, updated_by: by })
          .onConflict((oc) =>
            oc.column('tier').doUpdateSet({ enabled: enabled ? 1 : 0, updated_at: now, updated_by: by }),
          )
          .execute();
    });
  }

  /** Inserts the ticket's survey unless it has one; true when this call made it. */
  async insertOnce(trx: Transaction<Database>, row: SurveyRow): Promise<boolean> {
    const result = await trx
      .insertInto('satisfaction_surveys')
      .values(row)
      .onConflict((oc) => oc.column('ticket_id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  byTokenHash(hash: string, executor: Executor = this.db): Promise<SurveyRow | undefined> {
    return executor
      .selectFrom('satisfaction_surveys')
      .selectAll()
      .where('token_hash', '=', hash)
      .executeTakeFirst();
  }

  byTicket(ticketId: string, executor: Executor = this.db): Promise<SurveyRow | undefined> {
    return executor
      .selectFrom('satisfaction_surveys')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .executeTakeFirst();
  }

  /** Records the answer if none was given and the survey is still open; true when this call recorded it. */
  async answer(
    trx: Transaction<Database>,
    surveyId: string,
    answer: { rating: Rating; comment: string | null; via: 'link' | 'portal' },
    now: number,
  ): Promise<boolean> {
    const result = await trx
      .updateTable('satisfaction_surveys')
      .set({ rating: answer.rating, comment: answer.comment, answered_via: answer.via, answered_at: now })
      .where('id', '=', surveyId)
      .where('rating', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** The ticket's number and subject, for the answer pages. */
  ticketTitle(ticketId: string) {
    return this.db
      .selectFrom('tickets')
      .select(['id', 'number', 'subject'])
      .where('id', '=', ticketId)
      .executeTakeFirst();
  }

  private filtered(filter: SatisfactionFilter) {
    let query = this.db
      .selectFrom('satisfaction_surveys as s')
      .where('s.created_at', '>=', filter.from)
      .where('s.created_at', '<', filter.to);
    if (filter.tier) query = query.where('s.tier', '=', filter.tier);
    if (filter.priority) query = query.where('s.priority', '=', filter.priority);
    if (filter.agentId) query = query.where('s.agent_id', '=', filter.agentId);
    if (filter.organizationId) query = query.where('s.organization_id', '=', filter.organizationId);
    return query;
  }

  async facts(filter: SatisfactionFilter): Promise<SurveyFact[]> {
    const rows = await this.filtered(filter)
      .leftJoin('users as a', 'a.id', 's.agent_id')
      .select(['s.tier', 's.priority', 's.agent_id', 'a.name as agent_name', 's.created_at', 's.rating'])
      .execute();
    return rows.map((r) => ({
      tier: r.tier,
      priority: r.priority,
      agentId: r.agent_id,
      agentName: r.agent_name,
      createdAt: Number(r.created_at),
      rating: r.rating,
    }));
  }

  async latestAnswers(filter: SatisfactionFilter, limit: number): Promise<AnswerFact[]> {
    const rows = await this.filtered(filter)
      .innerJoin('tickets as t', 't.id', 's.ticket_id')
      .innerJoin('organizations as o', 'o.id', 's.organization_id')
      .select([
        's.ticket_id',
        't.number',
        't.subject',
        's.organization_id',
        'o.name as organization_name',
        's.rating',
        's.comment',
        's.answered_at',
      ])
      .where('s.rating', 'is not', null)
      .orderBy('s.answered_at', 'desc')
      .orderBy('s.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      ticketId: r.ticket_id,
      ticketNumber: r.number,
      subject: r.subject,
      organizationId: r.organization_id,
      organizationName: r.organization_name,
      rating: r.rating!,
      comment: r.comment,
      answeredAt: Number(r.answered_at),
    }));
  }
}
