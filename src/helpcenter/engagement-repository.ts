import { sql, type Kysely } from 'kysely';
import type { Database, HcSuggestionSessionTable } from '../db/tables.js';
import type { HcLocale } from './model.js';
import type { HcExecutor } from './repository.js';

export interface Period {
  from: number;
  to: number;
  locale?: HcLocale | undefined;
}

const DAY = 86_400_000;
export const dayOf = (at: number) => Math.floor(at / DAY) * DAY;

/** The help center's usage: views, votes, searches, and the suggestions shown while tickets are written. */
export class EngagementRepository {
  constructor(readonly db: Kysely<Database>) {}

  async addView(articleId: string, locale: string, at: number) {
    await this.db
      .insertInto('hc_views')
      .values({ article_id: articleId, locale, day: dayOf(at), views: 1 })
      .onConflict((oc) =>
        oc.columns(['article_id', 'locale', 'day']).doUpdateSet({ views: sql`hc_views.views + 1` }),
      )
      .execute();
  }

  async vote(articleId: string, voter: string, locale: string, helpful: boolean, at: number) {
    await this.db
      .insertInto('hc_votes')
      .values({ article_id: articleId, voter, locale, helpful: helpful ? 1 : 0, at })
      .onConflict((oc) =>
        oc.columns(['article_id', 'voter']).doUpdateSet({ helpful: helpful ? 1 : 0, at, locale }),
      )
      .execute();
  }

  async articleCounters(articleId: string) {
    const [views, votes] = await Promise.all([
      this.db
        .selectFrom('hc_views')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('views'), eb.lit(0)).as('n'))
        .where('article_id', '=', articleId)
        .executeTakeFirstOrThrow(),
      this.db
        .selectFrom('hc_votes')
        .select((eb) => [
          eb.fn.countAll<number>().as('total'),
          eb.fn.coalesce(eb.fn.sum<number>('helpful'), eb.lit(0)).as('yes'),
        ])
        .where('article_id', '=', articleId)
        .executeTakeFirstOrThrow(),
    ]);
    const total = Number(votes.total);
    const yes = Number(votes.yes);
    return { views: Number(views.n), helpfulYes: yes, helpfulNo: total - yes };
  }

  async addSearch(row: {
    id: string;
    locale: string;
    query: string;
    results: number;
    source: string;
    at: number;
  }) {
    await this.db.insertInto('hc_searches').values(row).execute();
  }

  findSession(id: string, db: HcExecutor = this.db) {
    return db.selectFrom('hc_suggestion_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertSession(row: HcSuggestionSessionTable) {
    await this.db.insertInto('hc_suggestion_sessions').values(row).execute();
  }

  async touchSession(id: string, lastQuery: string, at: number) {
    await this.db
      .updateTable('hc_suggestion_sessions')
      .set({ last_query: lastQuery, updated_at: at })
      .where('id', '=', id)
      .execute();
  }

  async addShown(sessionId: string, articleIds: readonly string[], locale: string, at: number) {
    if (articleIds.length === 0) return;
    await this.db
      .insertInto('hc_suggestions_shown')
      .values(
        articleIds.map((article_id) => ({
          session_id: sessionId,
          article_id,
          locale,
          shown_at: at,
          opened_at: null,
        })),
      )
      .onConflict((oc) => oc.columns(['session_id', 'article_id']).doNothing())
      .execute();
  }

  /** Marks a shown suggestion opened; false when it was never shown in that session. */
  async markOpened(sessionId: string, articleId: string, at: number): Promise<boolean> {
    const shown = await this.db
      .selectFrom('hc_suggestions_shown')
      .select(['opened_at'])
      .where('session_id', '=', sessionId)
      .where('article_id', '=', articleId)
      .executeTakeFirst();
    if (!shown) return false;
    if (shown.opened_at === null)
      await this.db
        .updateTable('hc_suggestions_shown')
        .set({ opened_at: at })
        .where('session_id', '=', sessionId)
        .where('article_id', '=', articleId)
        .execute();
    return true;
  }

  /** Ties a session to the ticket its writer sent; only the writer's own, unsent session. */
  async attachTicket(db: HcExecutor, sessionId: string, ticketId: string, userId: string, at: number) {
    await db
      .updateTable('hc_suggestion_sessions')
      .set({ ticket_id: ticketId, updated_at: at })
      .where('id', '=', sessionId)
      .where('user_id', '=', userId)
      .where('ticket_id', 'is', null)
      .execute();
  }

  /** The suggestions a ticket's writer was shown before sending it. */
  shownForTicket(ticketId: string) {
    return this.db
      .selectFrom('hc_suggestion_sessions')
      .innerJoin('hc_suggestions_shown', 'hc_suggestions_shown.session_id', 'hc_suggestion_sessions.id')
      .select([
        'hc_suggestions_shown.article_id',
        'hc_suggestions_shown.locale',
        'hc_suggestions_shown.opened_at',
      ])
      .where('hc_suggestion_sessions.ticket_id', '=', ticketId)
      .orderBy('hc_suggestions_shown.shown_at')
      .limit(50)
      .execute();
  }

  // --- Metrics: each a single aggregate over an indexed time range. -----------------------------

  async totals(p: Period) {
    const { from, to, locale } = p;
    const searches = await this.db
      .selectFrom('hc_searches')
      .select((eb) => [
        eb.fn.countAll<number>().as('all'),
        eb.fn.sum<number>(eb.case().when('results', '=', 0).then(1).else(0).end()).as('empty'),
      ])
      .where('at', '>=', from)
      .where('at', '<', to)
      .$if(locale !== undefined, (q) => q.where('locale', '=', locale!))
      .executeTakeFirstOrThrow();
    const views = await this.db
      .selectFrom('hc_views')
      .select((eb) => eb.fn.sum<number>('views').as('n'))
      .where('day', '>=', dayOf(from))
      .where('day', '<', to)
      .$if(locale !== undefined, (q) => q.where('locale', '=', locale!))
      .executeTakeFirstOrThrow();
    const shown = await this.db
      .selectFrom('hc_suggestions_shown')
      .select((eb) => [eb.fn.countAll<number>().as('shown'), eb.fn.count<number>('opened_at').as('opened')])
      .where('shown_at', '>=', from)
      .where('shown_at', '<', to)
      .$if(locale !== undefined, (q) => q.where('locale', '=', locale!))
      .executeTakeFirstOrThrow();
    const sessions = await this.db
      .selectFrom('hc_suggestion_sessions as s')
      .select((eb) => {
        const opened = eb.exists(
          eb
            .selectFrom('hc_suggestions_shown as o')
            .select('o.article_id')
            .whereRef('o.session_id', '=', 's.id')
            .where('o.opened_at', 'is not', null),
        );
        return [
          eb.fn.countAll<number>().as('all'),
          eb.fn
            .sum<number>(
              eb
                .case()
                .when(eb.and([eb('s.ticket_id', 'is', null), opened]))
                .then(1)
                .else(0)
                .end(),
            )
            .as('deflected'),
          eb.fn.sum<number>(eb.case().when('s.ticket_id', 'is not', null).then(1).else(0).end()).as('sent'),
        ];
      })
      .where('s.created_at', '>=', from)
      .where('s.created_at', '<', to)
      .$if(locale !== undefined, (q) => q.where('s.locale', '=', locale!))
      .executeTakeFirstOrThrow();
    const votes = await this.db
      .selectFrom('hc_votes')
      .select((eb) => [eb.fn.countAll<number>().as('all'), eb.fn.sum<number>('helpful').as('yes')])
      .where('at', '>=', from)
      .where('at', '<', to)
      .$if(locale !== undefined, (q) => q.where('locale', '=', locale!))
      .executeTakeFirstOrThrow();
    const n = (v: unknown) => Number(v ?? 0);
    return {
      searches: n(searches.all),
      searchesWithoutResults: n(searches.empty),
      views: n(views.n),
      suggestionSessions: n(sessions.all),
      suggestionsShown: n(shown.shown),
      suggestionsOpened: n(shown.opened),
      deflections: n(sessions.deflected),
      ticketsAfterSuggestions: n(sessions.sent),
      helpfulYes: n(votes.yes),
      helpfulNo: n(votes.all) - n(votes.yes),
    };
  }

  /** The searches that found nothing, most asked first: what the help center is missing. */
  contentGaps(p: Period, limit: number) {
    return this.db
      .selectFrom('hc_searches')
      .select((eb) => ['query', 'locale', eb.fn.countAll<number>().as('count')])
      .where('at', '>=', p.from)
      .where('at', '<', p.to)
      .where('results', '=', 0)
      .$if(p.locale !== undefined, (q) => q.where('locale', '=', p.locale!))
      .groupBy(['query', 'locale'])
      .orderBy('count', 'desc')
      .orderBy('query')
      .limit(limit)
      .execute();
  }

  viewsPerArticle(p: Period, limit: number) {
    return this.db
      .selectFrom('hc_views')
      .select((eb) => ['article_id', eb.fn.sum<number>('views').as('n')])
      .where('day', '>=', dayOf(p.from))
      .where('day', '<', p.to)
      .$if(p.locale !== undefined, (q) => q.where('locale', '=', p.locale!))
      .groupBy('article_id')
      .orderBy('n', 'desc')
      .limit(limit)
      .execute();
  }

  suggestionsPerArticle(p: Period, limit: number) {
    return this.db
      .selectFrom('hc_suggestions_shown as h')
      .innerJoin('hc_suggestion_sessions as s', 's.id', 'h.session_id')
      .select((eb) => [
        'h.article_id',
        eb.fn.countAll<number>().as('shown'),
        eb.fn.count<number>('h.opened_at').as('opened'),
        eb.fn
          .sum<number>(
            eb
              .case()
              .when(eb.and([eb('h.opened_at', 'is not', null), eb('s.ticket_id', 'is', null)]))
              .then(1)
              .else(0)
              .end(),
          )
          .as('deflections'),
      ])
      .where('h.shown_at', '>=', p.from)
      .where('h.shown_at', '<', p.to)
      .$if(p.locale !== undefined, (q) => q.where('h.locale', '=', p.locale!))
      .groupBy('h.article_id')
      .orderBy('shown', 'desc')
      .limit(limit)
      .execute();
  }

  votesPerArticle(p: Period, articleIds: readonly string[]) {
    if (articleIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('hc_votes')
      .select((eb) => [
        'article_id',
        eb.fn.countAll<number>().as('all'),
        eb.fn.sum<number>('helpful').as('yes'),
      ])
      .where('at', '>=', p.from)
      .where('at', '<', p.to)
      .where('article_id', 'in', articleIds)
      .$if(p.locale !== undefined, (q) => q.where('locale', '=', p.locale!))
      .groupBy('article_id')
      .execute();
  }
}
