import { isStaff, type Principal } from '../auth/principal.js';
import type { HcArticleRow, HcTranslationRow } from '../db/tables.js';
import { newId } from '../shared/ids.js';
import { badRequest, forbidden, notFound } from '../shared/problem.js';
import { toIso, type Clock } from '../shared/time.js';
import type { TicketConversationService } from '../tickets/conversation-service.js';
import type { TicketsService } from '../tickets/service.js';
import { announceActivity } from '../tickets/activity.js';
import type { LiveBus } from '../live/bus.js';
import type { HelpCenterEngagement } from './engagement.js';
import { isHcLocale, type HcLocale } from './model.js';
import { articlePath } from './presenters.js';
import type { HelpCenterRepository } from './repository.js';
import type { HelpCenterService } from './service.js';

export interface TicketLinksDeps {
  content: HelpCenterRepository;
  helpCenter: HelpCenterService;
  engagement: HelpCenterEngagement;
  tickets: TicketsService;
  conversation: TicketConversationService;
  clock: Clock;
  /** Tells open screens that the ticket's links changed; absent where nobody listens. */
  live?: LiveBus;
  /** Absolute links in replies: the customer reads them in a mail too. */
  publicUrl: string;
}

export interface LinkedArticle {
  articleId: string;
  kind: HcArticleRow['kind'];
  title: string;
  url: string;
  locale: HcLocale;
  issueStatus: HcArticleRow['issue_status'];
  fixedIn: string | null;
}

const pickTranslation = (translations: HcTranslationRow[], articleId: string, locale: HcLocale) =>
  translations.find((t) => t.article_id === articleId && t.locale === locale) ??
  translations.find((t) => t.article_id === articleId && t.locale === 'en') ??
  translations.find((t) => t.article_id === articleId);

/** The help center seen from a ticket: the known issues it reports, articles sent as answers, suggestions. */
export class TicketHelpCenterLinks {
  constructor(private readonly deps: TicketLinksDeps) {}

  /** The customer's open ticket page refetches and shows the link. */
  private announce(ticket: { id: string; number: number; organizationId: string; requesterId: string }) {
    announceActivity(
      this.deps.live,
      'ticket.updated',
      {
        id: ticket.id,
        number: ticket.number,
        organization_id: ticket.organizationId,
        requester_id: ticket.requesterId,
      },
      'public',
      this.deps.clock(),
    );
  }

  private async requesterLocale(requesterId: string): Promise<HcLocale> {
    const locale = await this.deps.content.userLocale(requesterId);
    return locale && isHcLocale(locale) ? locale : 'en';
  }

  /**
   * What a ticket's reader sees of the help center: its linked known issues and answers; staff also
   * the suggestions the customer saw before sending and fresh suggestions from the ticket's words.
   */
  async forTicket(actor: Principal, ticketId: string) {
    const ticket = await this.deps.tickets.get(actor, ticketId);
    const locale = await this.requesterLocale(ticket.requesterId);
    const links = await this.deps.content.ticketLinks(ticketId);
    const shown = isStaff(actor) ? await this.deps.engagement.shownForTicket(ticketId) : [];
    const ids = [...new Set([...links.map((l) => l.article_id), ...shown.map((s) => s.article_id)])];
    const [articles, translations] = await Promise.all([
      this.deps.content.articlesByIds(ids),
      this.deps.content.translations(ids),
    ]);
    const describe = (articleId: string, preferred: HcLocale): LinkedArticle | null => {
      const article = articles.find((a) => a.id === articleId);
      const t = pickTranslation(translations, articleId, preferred);
      if (!article || !t) return null;
      return {
        articleId,
        kind: article.kind,
        title: t.title,
        url: articlePath(t.locale, t.slug),
        locale: t.locale as HcLocale,
        issueStatus: article.issue_status,
        fixedIn: article.fixed_in,
      };
    };
    const visibleLinks = links.flatMap((l) => {
      const article = describe(l.article_id, isHcLocale(l.locale) ? l.locale : locale);
      return article
        ? [
            {
              kind: l.kind,
              at: toIso(l.at),
              by: l.created_by && l.created_by_name ? { id: l.created_by, name: l.created_by_name } : null,
              article,
            },
          ]
        : [];
    });
    if (!isStaff(actor)) return { locale, links: visibleLinks, shownBeforeSending: [], suggestions: [] };
    const first = await this.deps.conversation.listMessages(actor, ticketId, 1, undefined);
    // Suggest only what the customer may read, so that an answer link opens for them.
    const customer = await this.deps.helpCenter.customerViewer(ticket.requesterId, ticket.organizationId);
    const suggestions = await this.deps.engagement.matching(
      customer,
      `${ticket.subject} ${first.data[0]?.body ?? ''}`,
      locale,
      5,
    );
    return {
      locale,
      links: visibleLinks,
      shownBeforeSending: shown.flatMap((s) => {
        const article = describe(s.article_id, isHcLocale(s.locale) ? s.locale : locale);
        return article ? [{ article, opened: s.opened_at !== null }] : [];
      }),
      suggestions,
    };
  }

  /** Staff tie a ticket to the known issue it reports; the customer sees the link on the ticket. */
  async linkKnownIssue(actor: Principal, ticketId: string, articleId: string) {
    if (!isStaff(actor)) throw forbidden('Only staff link tickets to known issues.');
    const ticket = await this.deps.tickets.get(actor, ticketId);
    const article = await this.deps.content.findArticle(articleId);
    if (!article) throw notFound('The known issue');
    if (article.kind !== 'known_issue' || article.status !== 'published')
      throw badRequest('Only a published known issue can be linked.', [
        { field: 'body.articleId', message: 'not a published known issue' },
      ]);
    await this.deps.content.insertTicketLink({
      id: newId(),
      ticket_id: ticketId,
      article_id: articleId,
      kind: 'known_issue',
      locale: await this.requesterLocale(ticket.requesterId),
      created_by: actor.userId,
      at: this.deps.clock(),
    });
    this.announce(ticket);
    return this.forTicket(actor, ticketId);
  }

  async unlinkKnownIssue(actor: Principal, ticketId: string, articleId: string) {
    if (!isStaff(actor)) throw forbidden('Only staff link tickets to known issues.');
    const ticket = await this.deps.tickets.get(actor, ticketId);
    if (!(await this.deps.content.deleteTicketLink(ticketId, articleId, 'known_issue')))
      throw notFound('The link');
    this.announce(ticket);
  }

  /** Answers a ticket with an article: a public reply carrying its link, in the customer's language. */
  async answerWithArticle(
    actor: Principal,
    ticketId: string,
    input: { articleId: string; message?: string | undefined },
  ) {
    if (!isStaff(actor)) throw forbidden('Only staff answer with articles.');
    const ticket = await this.deps.tickets.get(actor, ticketId);
    const locale = await this.requesterLocale(ticket.requesterId);
    const article = await this.deps.content.findArticle(input.articleId);
    if (!article) throw notFound('The article');
    const customer = await this.deps.helpCenter.customerViewer(ticket.requesterId, ticket.organizationId);
    if (!this.deps.helpCenter.canRead(customer, article))
      throw badRequest('The customer cannot read that article (draft, archived or another audience).', [
        { field: 'body.articleId', message: 'not readable by the requester' },
      ]);
    const translations = await this.deps.content.translations([article.id]);
    const t = pickTranslation(translations, article.id, locale)!;
    const intro =
      input.message?.trim() ||
      (t.locale === 'fr'
        ? 'Cet article de notre centre d’aide répond à votre question :'
        : 'This article from our help center answers your question:');
    const message = await this.deps.conversation.addMessage(actor, ticketId, {
      body: `${intro}\n\n${t.title}\n${this.deps.publicUrl}${articlePath(t.locale, t.slug)}`,
      bodyFormat: 'text',
      public: true,
    });
    await this.deps.content.insertTicketLink({
      id: newId(),
      ticket_id: ticketId,
      article_id: article.id,
      kind: 'answer',
      locale: t.locale,
      created_by: actor.userId,
      at: this.deps.clock(),
    });
    return message;
  }
}
