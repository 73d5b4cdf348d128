import type { Principal } from '../auth/principal.js';
import type { HcArticleRow } from '../db/tables.js';
import { newId } from '../shared/ids.js';
import { badRequest, notFound } from '../shared/problem.js';
import type { Clock } from '../shared/time.js';
import type { EngagementRepository, Period } from './engagement-repository.js';
import { HC_LOCALES, type HcLocale, type HcViewer, type SuggestionChannel } from './model.js';
import { articlePath } from './presenters.js';
import type { HelpCenterRepository, HcExecutor } from './repository.js';
import type { HelpCenterSearch, SearchHit } from './search/types.js';

export const SEARCH_SOURCES = ['site', 'api'] as const;
export type SearchSource = (typeof SEARCH_SOURCES)[number];

export interface ResultItem {
  articleId: string;
  kind: HcArticleRow['kind'];
  locale: HcLocale;
  title: string;
  titleHtml: string;
  snippetHtml: string;
  url: string;
  issueStatus: HcArticleRow['issue_status'];
}

export interface EngagementDeps {
  repo: EngagementRepository;
  content: HelpCenterRepository;
  search: HelpCenterSearch;
  clock: Clock;
}

// A ticket's text is long; its first words say what it is about.
const MAX_SUGGESTION_QUERY = 1000;
const SUGGESTIONS = 5;

/**
 * Search, suggestions while a ticket is written, and what became of them: views, votes, deflections
 * and the searches that found nothing.
 */
export class HelpCenterEngagement {
  constructor(private readonly deps: EngagementDeps) {}

  /** Searches and records the search (normalized query, result count) for the content-gap report. */
  async search(
    viewer: HcViewer,
    input: { q: string; locale: HcLocale; kinds?: HcArticleRow['kind'][]; limit: number; offset: number },
    source: SearchSource,
    { record = true }: { record?: boolean } = {},
  ) {
    const q = input.q.trim().replace(/\s+/g, ' ');
    const result = await this.deps.search.search({
      text: q,
      locale: input.locale,
      viewer,
      limit: input.limit,
      offset: input.offset,
      mode: 'all',
      ...(input.kinds ? { kinds: input.kinds } : {}),
    });
    // Later pages of one search are not new searches.
    if (record && input.offset === 0 && q.length > 0)
      await this.deps.repo.addSearch({
        id: newId(),
        locale: input.locale,
        query: q.toLowerCase().slice(0, 200),
        results: result.total,
        source,
        at: this.deps.clock(),
      });
    return {
      query: q,
      correctedQuery: result.correctedQuery,
      total: result.total,
      results: await this.present(result.hits, input.locale),
    };
  }

  /**
   * Articles matching what a customer is typing into a ticket. The suggestions shown are kept in a
   * session, so that opening one and not sending counts as a deflection, and sending anyway records
   * what was shown.
   */
  async suggest(
    principal: Principal | null,
    viewer: HcViewer,
    input: {
      sessionId?: string | undefined;
      locale: HcLocale;
      channel: SuggestionChannel;
      subject: string;
      body: string;
    },
  ) {
    const text = `${input.subject} ${input.body}`.trim().replace(/\s+/g, ' ').slice(0, MAX_SUGGESTION_QUERY);
    const now = this.deps.clock();
    let session = input.sessionId ? await this.deps.repo.findSession(input.sessionId) : undefined;
    if (session && (session.user_id !== (principal?.userId ?? null) || session.ticket_id !== null))
      session = undefined;
    if (text.length < 3) return { sessionId: session?.id ?? null, suggestions: [] as ResultItem[] };
    const result = await this.deps.search.search({
      text,
      locale: input.locale,
      viewer,
      limit: SUGGESTIONS,
      mode: 'any',
    });
    if (result.hits.length === 0 && !session) return { sessionId: null, suggestions: [] as ResultItem[] };
    if (!session) {
      session = {
        id: newId(),
        locale: input.locale,
        channel: input.channel,
        user_id: principal?.userId ?? null,
        organization_id: principal?.organizationId ?? null,
        ticket_id: null,
        last_query: text.slice(0, 500),
        created_at: now,
        updated_at: now,
      };
      await this.deps.repo.insertSession(session);
    } else {
      await this.deps.repo.touchSession(session.id, text.slice(0, 500), now);
    }
    await this.deps.repo.addShown(
      session.id,
      result.hits.map((h) => h.articleId),
      input.locale,
      now,
    );
    return { sessionId: session.id, suggestions: await this.present(result.hits, input.locale) };
  }

  /** Articles matching a text, as `viewer` may read them, ranked; nothing is recorded (staff's view of a ticket). */
  async matching(viewer: HcViewer, text: string, locale: HcLocale, limit: number): Promise<ResultItem[]> {
    const result = await this.deps.search.search({
      text: text.slice(0, MAX_SUGGESTION_QUERY),
      locale,
      viewer,
      limit,
      mode: 'any',
    });
    return this.present(result.hits, locale);
  }

  /** The customer opened a suggestion: a view, and a deflection unless a ticket follows. */
  async opened(principal: Principal | null, sessionId: string, articleId: string) {
    const session = await this.deps.repo.findSession(sessionId);
    if (!session || session.user_id !== (principal?.userId ?? null)) throw notFound('The suggestion session');
    const now = this.deps.clock();
    if (!(await this.deps.repo.markOpened(sessionId, articleId, now)))
      throw badRequest('That article was not suggested in this session.', [
        { field: 'body.articleId', message: 'not suggested in this session' },
      ]);
    await this.deps.repo.addView(articleId, session.locale, now);
  }

  /** Called inside the ticket's transaction when a ticket is sent from a form that showed suggestions. */
  attachTicket(db: HcExecutor, sessionId: string, ticketId: string, userId: string, at: number) {
    return this.deps.repo.attachTicket(db, sessionId, ticketId, userId, at);
  }

  shownForTicket(ticketId: string) {
    return this.deps.repo.shownForTicket(ticketId);
  }

  recordView(articleId: string, locale: HcLocale) {
    return this.deps.repo.addView(articleId, locale, this.deps.clock());
  }

  vote(articleId: string, voter: string, locale: HcLocale, helpful: boolean) {
    return this.deps.repo.vote(articleId, voter, locale, helpful, this.deps.clock());
  }

  counters(articleId: string) {
    return this.deps.repo.articleCounters(articleId);
  }

  /** Usage over a period: totals, per locale, per article, and the searches that found nothing. */
  async metrics(period: Period) {
    const [totals, gaps, views, suggestions, ...perLocale] = await Promise.all([
      this.deps.repo.totals(period),
      this.deps.repo.contentGaps(period, 25),
      this.deps.repo.viewsPerArticle(period, 100),
      this.deps.repo.suggestionsPerArticle(period, 100),
      ...(period.locale ? [] : HC_LOCALES.map((locale) => this.deps.repo.totals({ ...period, locale }))),
    ]);
    const ids = [...new Set([...views.map((v) => v.article_id), ...suggestions.map((s) => s.article_id)])];
    const [votes, translations] = await Promise.all([
      this.deps.repo.votesPerArticle(period, ids),
      this.deps.content.translations(ids),
    ]);
    const articles = ids.map((id) => {
      const v = views.find((x) => x.article_id === id);
      const s = suggestions.find((x) => x.article_id === id);
      const vote = votes.find((x) => x.article_id === id);
      const title =
        translations.find((t) => t.article_id === id && t.locale === (period.locale ?? 'en')) ??
        translations.find((t) => t.article_id === id);
      return {
        articleId: id,
        title: title?.title ?? '',
        views: Number(v?.n ?? 0),
        suggested: Number(s?.shown ?? 0),
        opened: Number(s?.opened ?? 0),
        deflections: Number(s?.deflections ?? 0),
        helpfulYes: Number(vote?.yes ?? 0),
        helpfulNo: Number(vote?.all ?? 0) - Number(vote?.yes ?? 0),
      };
    });
    articles.sort(
      (a, b) => b.views + b.suggested - (a.views + a.suggested) || a.title.localeCompare(b.title),
    );
    return {
      from: new Date(period.from).toISOString(),
      to: new Date(period.to).toISOString(),
      locale: period.locale ?? null,
      totals,
      locales: period.locale ? [] : HC_LOCALES.map((locale, i) => ({ locale, ...perLocale[i]! })),
      contentGaps: gaps.map((g) => ({ query: g.query, locale: g.locale, count: Number(g.count) })),
      articles,
    };
  }

  private async present(hits: SearchHit[], locale: HcLocale): Promise<ResultItem[]> {
    if (hits.length === 0) return [];
    const [translations, articles] = await Promise.all([
      this.deps.content.translationsByIds(hits.map((h) => h.translationId)),
      this.deps.content.articlesByIds(hits.map((h) => h.articleId)),
    ]);
    return hits.flatMap((hit) => {
      const t = translations.find((x) => x.id === hit.translationId);
      const a = articles.find((x) => x.id === hit.articleId);
      if (!t || !a) return [];
      return [
        {
          articleId: hit.articleId,
          kind: hit.kind,
          locale,
          title: hit.title,
          titleHtml: hit.titleHtml,
          snippetHtml: hit.snippetHtml,
          url: articlePath(locale, t.slug),
          issueStatus: a.issue_status,
        },
      ];
    });
  }
}
