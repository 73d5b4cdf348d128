import { siteStylesheet } from '../../shared/site/stylesheet.js';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService } from '../../auth/service.js';
import { decodeCursor } from '../../shared/pagination.js';
import { Problem } from '../../shared/problem.js';
import type { HelpCenterEngagement } from '../engagement.js';
import { isHcLocale, type HcLocale } from '../model.js';
import { articlePath } from '../presenters.js';
import type { HelpCenterRepository } from '../repository.js';
import type { HelpCenterService } from '../service.js';
import type { HelpCenterStructure } from '../structure-service.js';
import { articlePage, signInPage } from './article-page.js';
import { layout, type Page, type SiteSettings } from './layout.js';
import {
  categoryPage,
  errorPage,
  homePage,
  knownIssuesPage,
  searchPage,
  sectionPage,
  type ErrorKind,
} from './pages.js';
import {
  cleanQuery,
  crossSite,
  isBot,
  isSlug,
  pageNumber,
  preferredLocale,
  readerOf,
  voterOf,
  type Reader,
} from './reader.js';
import { homePath, knownIssuesPath, SiteContent } from './site-content.js';
import { sitemapXml } from './sitemap.js';

export interface HelpCenterSiteDeps {
  content: HelpCenterService;
  structure: HelpCenterStructure;
  contentRepo: HelpCenterRepository;
  engagement: HelpCenterEngagement;
  auth: AuthService;
  publicUrl: string;
  /** Where "Contact support" leads; the portal's new-ticket form by default. */
  supportUrl?: string;
  /** The status page; the desk's own (/status, /status/fr) by default. */
  statusUrl?: (locale: HcLocale) => string;
}

// The pages run no script at all; styles come from the one stylesheet the site serves.
const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' https: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const RESULTS_PER_PAGE = 10;
const MAX_SEARCH_PAGES = 50;
const KNOWN_ISSUES_PER_PAGE = 30;
const STYLESHEET_PATH = '/hc/assets/hc.css';
// From src/helpcenter/site or dist/helpcenter/site alike: the stylesheet ships in src.
const STYLESHEET_FILE = new URL('../../../src/helpcenter/site/hc.css', import.meta.url);

/** A vote form's fields, parsed here so that a JSON or multipart body never reaches the handler as one. */
class FormBody {
  constructor(readonly fields: [string, string][]) {}
}

type LocaleParams = { Params: { locale: string } };
type KeyParams = { Params: { locale: string; key: string } };
type ArticleParams = { Params: { locale: string; slug: string } };

const route = { config: { public: true }, schema: { hide: true } } as const;

/** The help center's public site: server-rendered pages in English and French, readable without JavaScript. */
export function helpCenterSiteRoutes(deps: HelpCenterSiteDeps) {
  const publicUrl = deps.publicUrl.replace(/\/+$/, '');
  const secureCookies = publicUrl.startsWith('https:');
  const supportUrl = deps.supportUrl ?? '/portal/new';
  const site = new SiteContent(deps.content, deps.structure, deps.contentRepo);

  return async (fastify: FastifyInstance) => {
    const stylesheet = siteStylesheet(STYLESHEET_PATH, STYLESHEET_FILE);
    const settings: SiteSettings = {
      publicUrl,
      supportUrl,
      statusUrl: deps.statusUrl ?? ((locale) => (locale === 'en' ? '/status' : `/status/${locale}`)),
      stylesheet: stylesheet.href,
    };

    const reader = (request: FastifyRequest) => readerOf(request, deps.auth, deps.content);

    /** Sends a page; what a signed-in reader sees is theirs alone, what anyone sees may be cached briefly. */
    const sendPage = (reply: FastifyReply, who: Reader | null, status: number, page: Page) =>
      reply
        .code(status)
        .type('text/html; charset=utf-8')
        .header(
          'cache-control',
          status >= 500 ? 'no-store' : who?.principal ? 'private, no-cache' : 'public, max-age=60',
        )
        .header('vary', 'Cookie')
        .send(layout(settings, page).value);

    const sendError = (
      request: FastifyRequest,
      reply: FastifyReply,
      who: Reader | null,
      status: number,
      locale?: HcLocale,
    ) => {
      const kind: ErrorKind = status === 404 ? 'notFound' : status >= 500 ? 'serverError' : 'badRequest';
      const path = (request.url.split('?')[0] ?? '/hc').slice(0, 300);
      return sendPage(
        reply,
        who,
        status,
        errorPage(
          locale ?? localeOfPath(path) ?? preferredLocale(request.headers['accept-language']),
          kind,
          path,
        ),
      );
    };

    // A vote is a plain HTML form; nothing else is read from a body on these routes.
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 2048 },
      (_request, body, done) => done(null, new FormBody([...new URLSearchParams(String(body))])),
    );
    fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 2048 }, (_request, _body, done) =>
      done(null, null),
    );

    fastify.addHook('onSend', async (_request, reply, payload) => {
      void reply.header('content-security-policy', CSP);
      void reply.header('x-content-type-options', 'nosniff');
      void reply.header('referrer-policy', 'strict-origin-when-cross-origin');
      return payload;
    });

    fastify.setErrorHandler((error: FastifyError | Problem, request, reply) => {
      const status = error instanceof Problem ? error.status : (error.statusCode ?? 500);
      if (status >= 500 || status < 400) {
        request.log.error({ err: error }, 'help center page failed');
        return sendError(request, reply, null, 500);
      }
      return sendError(request, reply, null, status);
    });

    fastify.get('/hc', route, (request, reply) =>
      reply
        .header('vary', 'Accept-Language')
        .header('cache-control', 'private, no-cache')
        .redirect(homePath(preferredLocale(request.headers['accept-language'])), 302),
    );

    fastify.get<LocaleParams>('/hc/:locale', route, async (request, reply) => {
      const { locale } = request.params;
      if (locale === '') return reply.redirect('/hc', 302);
      if (!isHcLocale(locale)) return sendError(request, reply, null, 404);
      const who = await reader(request);
      return sendPage(reply, who, 200, homePage(locale, await site.home(who.viewer, locale), supportUrl));
    });

    fastify.get<KeyParams>('/hc/:locale/categories/:key', route, async (request, reply) => {
      const { locale, key } = request.params;
      if (!isHcLocale(locale)) return sendError(request, reply, null, 404);
      const who = await reader(request);
      const category = isSlug(key) ? await site.category(who.viewer, locale, key) : null;
      if (!category) return sendError(request, reply, who, 404, locale);
      return sendPage(reply, who, 200, categoryPage(locale, category));
    });

    fastify.get<KeyParams>('/hc/:locale/sections/:key', route, async (request, reply) => {
      const { locale, key } = request.params;
      if (!isHcLocale(locale)) return sendError(request, reply, null, 404);
      const who = await reader(request);
      const found = isSlug(key) ? await site.section(who.viewer, locale, key) : null;
      if (!found) return sendError(request, reply, who, 404, locale);
      return sendPage(reply, who, 200, sectionPage(locale, found.category, found.section));
    });

    fastify.get<ArticleParams>('/hc/:locale/articles/:slug', route, async (request, reply) => {
      const { locale, slug } = request.params;
      if (!isHcLocale(locale)) return sendError(request, reply, null, 404);
      const who = await reader(request);
      const view = isSlug(slug) ? await site.article(who.viewer, locale, slug) : null;
      if (view === null) return sendError(request, reply, who, 404, locale);
      // Signed in and still excluded: the article is not theirs to know about.
      if (view === 'hidden')
        return who.principal
          ? sendError(request, reply, who, 404, locale)
          : sendPage(reply, who, 401, signInPage(locale, articlePath(locale, slug)));
      // The page a vote redirects to is the same reading, not a second one.
      const voted = (request.query as Record<string, unknown>).voted === '1';
      if (!voted && request.method === 'GET' && !isBot(request.headers['user-agent'])) {
        try {
          await deps.engagement.recordView(view.article.id, locale);
        } catch (error) {
          request.log.warn({ err: error }, 'help center view not recorded');
        }
      }
      return sendPage(reply, who, 200, articlePage(locale, view, { voted, supportUrl }));
    });

    fastify.post<ArticleParams>('/hc/:locale/articles/:slug/vote', route, async (request, reply) => {
      const { locale, slug } = request.params;
      if (!isHcLocale(locale) || !isSlug(slug)) return sendError(request, reply, null, 404);
      if (crossSite(request, publicUrl)) return sendError(request, reply, null, 403, locale);
      const body = request.body;
      const [field] = body instanceof FormBody && body.fields.length === 1 ? body.fields : [];
      if (!field || field[0] !== 'helpful' || (field[1] !== 'yes' && field[1] !== 'no'))
        return sendError(request, reply, null, 400, locale);
      const who = await reader(request);
      const view = await site.article(who.viewer, locale, slug);
      if (view === null || view === 'hidden') return sendError(request, reply, who, 404, locale);
      const voter = voterOf(request, reply, who, secureCookies);
      await deps.engagement.vote(view.article.id, voter, locale, field[1] === 'yes');
      return reply
        .header('cache-control', 'no-store')
        .redirect(`${articlePath(locale, slug)}?voted=1#feedback`, 303);
    });

    fastify.get<LocaleParams>('/hc/:locale/known-issues', route, async (request, reply) => {
      const { locale } = request.params;
      if (!isHcLocale(locale)) return sendError(request, reply, null, 404);
      const raw = (request.query as Record<string, unknown>).cursor;
      const cursor = decodeCursor(typeof raw === 'string' && raw.length <= 512 ? raw : undefined);
      const who = await reader(request);
      const page = await site.knownIssues(who.viewer, locale, KNOWN_ISSUES_PER_PAGE, cursor);
      const older = page.nextCursor
        ? `${knownIssuesPath(locale)}?cursor=${encodeURIComponent(page.nextCursor)}`
        : null;
      return sendPage(reply, who, 200, knownIssuesPage(locale, page.data, older, cursor === undefined));
    });

    fastify.get<LocaleParams>('/hc/:locale/search', route, async (request, reply) => {
      const { locale } = request.params;
      if (!isHcLocale(locale)) return sendError(request, reply, null, 404);
      const query = request.query as Record<string, unknown>;
      const q = cleanQuery(query.q);
      const who = await reader(request);
      if (!q) return sendPage(reply, who, 200, searchPage(locale, null, supportUrl));
      const page = pageNumber(query.page, MAX_SEARCH_PAGES);
      const result = await deps.engagement.search(
        who.viewer,
        { q, locale, limit: RESULTS_PER_PAGE, offset: (page - 1) * RESULTS_PER_PAGE },
        'site',
        // Crawlers following search links are not readers looking for an answer.
        { record: request.method === 'GET' && !isBot(request.headers['user-agent']) },
      );
      const pageCount = Math.min(Math.ceil(result.total / RESULTS_PER_PAGE), MAX_SEARCH_PAGES);
      return sendPage(
        reply,
        who,
        200,
        searchPage(locale, { ...result, query: q, page, pageCount }, supportUrl),
      );
    });

    const sitemap = async (_request: FastifyRequest, reply: FastifyReply) =>
      reply
        .type('application/xml; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(await sitemapXml(publicUrl, site.sitemap()));
    fastify.get('/hc/sitemap.xml', route, sitemap);
    fastify.get('/sitemap.xml', route, sitemap);

    stylesheet.register(fastify, route);

    // Every other address under /hc: a trailing slash is forgiven, anything else is a friendly 404.
    fastify.get<{ Params: { '*': string } }>('/hc/*', route, (request, reply) => {
      const [path = '', search = ''] = request.url.split(/\?(.*)/s);
      if (path.length > 4 && path.endsWith('/') && !path.includes('//'))
        return reply.redirect(`${path.replace(/\/+$/, '')}${search ? `?${search}` : ''}`, 301);
      return sendError(request, reply, null, 404);
    });
  };
}

function localeOfPath(path: string): HcLocale | null {
  const segment = /^\/hc\/([^/?]+)/.exec(path)?.[1] ?? '';
  return isHcLocale(segment) ? segment : null;
}
