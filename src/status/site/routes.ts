import { siteStylesheet } from '../../shared/site/stylesheet.js';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.js';
import { decodeCursor, encodeCursor } from '../../shared/pagination.js';
import { crossSite } from '../../helpcenter/site/reader.js';
import { Problem } from '../../shared/problem.js';
import { matchesEtag, StatusRenderCache, type Rendering } from '../render-cache.js';
import type { Clock } from '../../shared/time.js';
import type { StatusSubscriptions } from '../subscribers/service.js';
import { StatusSiteContent } from './content.js';
import { atomFeed } from './feed.js';
import { STATUS_LOCALES, type StatusLocale } from './i18n.js';
import { layout, type StatusPage, type StatusSiteSettings } from './layout.js';
import { errorPage, historyPage, homePage, incidentPage, type ErrorKind } from './pages.js';
import { feedPath, historyPath, homePath, incidentPath, subscribePath } from './paths.js';
import { StatusSiteRepository } from './repository.js';
import { subscribeFromForm, subscribePage } from './subscribe.js';

export interface StatusSiteDeps {
  db: Kysely<Database>;
  clock: Clock;
  /** The policy's support time zone in force at an instant: the bars' days and the second clock shown. */
  timeZoneAt: (at: number) => Promise<string>;
  publicUrl: string;
  helpCenterUrl?: string;
  /** The subscription form posts through the same service, checks and limits as the API. */
  subscriptions: Pick<StatusSubscriptions, 'subscribe'>;
}

// The pages run no script at all; styles come from the one stylesheet the page serves.
const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' https: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
// Short: a reader reloading during an incident sees the news within half a minute.
const CACHE = 'public, max-age=30';
const CACHE_MS = 30_000;
const STYLESHEET_PATH = '/status/assets/status.css';
// From src/status/site or dist/status/site alike: the stylesheet ships in src.
const STYLESHEET_FILE = new URL('../../../src/status/site/status.css', import.meta.url);
const INCIDENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_CURSOR = 512;

const route = { config: { public: true }, schema: { hide: true } } as const;

type IdParams = { Params: { id: string } };

/** A form's fields, parsed here so that a JSON or multipart body never reaches a handler as one. */
class FormBody {
  constructor(readonly fields: [string, string][]) {}
}

/**
 * The public status page, server-rendered in English (/status) and French (/status/fr): the overall
 * state, components with 90 days of uptime, open incidents and maintenance, the history, each
 * incident's page, an Atom feed of the updates and the subscription form. Readable and usable
 * without JavaScript.
 */
export function statusSiteRoutes(deps: StatusSiteDeps) {
  const publicUrl = deps.publicUrl.replace(/\/+$/, '');
  const repo = new StatusSiteRepository(deps.db);
  const content = new StatusSiteContent(repo, deps.timeZoneAt, deps.clock);
  // Pages are rendered once per change of the status data, not per reader (see StatusRenderCache).
  const cache = new StatusRenderCache({
    readVersion: () => repo.version(),
    clock: deps.clock,
    maxAgeMs: CACHE_MS,
  });

  return async (fastify: FastifyInstance) => {
    const stylesheet = siteStylesheet(STYLESHEET_PATH, STYLESHEET_FILE);
    const settings: StatusSiteSettings = {
      publicUrl,
      stylesheet: stylesheet.href,
      helpCenterUrl: deps.helpCenterUrl ?? '/hc',
    };

    const sendPage = (reply: FastifyReply, status: number, page: StatusPage, cache = CACHE) =>
      reply
        .code(status)
        .type('text/html; charset=utf-8')
        .header('cache-control', status >= 500 ? 'no-store' : cache)
        .send(layout(settings, page).value);

    const sendError = (request: FastifyRequest, reply: FastifyReply, status: number) => {
      const kind: ErrorKind = status === 404 ? 'notFound' : status >= 500 ? 'serverError' : 'badRequest';
      const path = (request.url.split('?')[0] ?? '/status').slice(0, 300);
      return sendPage(reply, status, errorPage(localeOfPath(path), kind, path));
    };

    /** Sends the rendering kept at `key`, or 304 when the reader holds it already. */
    const sendCached = async (
      request: FastifyRequest,
      reply: FastifyReply,
      key: string,
      type: string,
      render: () => Promise<Omit<Rendering, 'etag'>>,
    ) => {
      const { status, body, etag } = await cache.get(key, render);
      void reply.type(type).header('cache-control', CACHE).header('etag', etag);
      if (status === 200 && matchesEtag(request.headers['if-none-match'], etag))
        return reply.code(304).send();
      return reply.code(status).send(body);
    };
    const html = 'text/html; charset=utf-8';
    const rendered = (status: number, page: StatusPage) => ({ status, body: layout(settings, page).value });

    // The subscription form is the only body these pages read; any other is discarded unread.
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4096 },
      (_request, body, done) => done(null, new FormBody([...new URLSearchParams(String(body))])),
    );
    fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 4096 }, (_request, _body, done) =>
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
        request.log.error({ err: error }, 'status page failed');
        return sendError(request, reply, 500);
      }
      return sendError(request, reply, status);
    });

    for (const locale of STATUS_LOCALES) {
      fastify.get(homePath(locale), route, async (request, reply) =>
        sendCached(request, reply, `home:${locale}`, html, async () =>
          rendered(200, homePage(locale, await content.home())),
        ),
      );

      fastify.get(historyPath(locale), route, async (request, reply) => {
        const raw = (request.query as Record<string, unknown>).cursor;
        const cursor = decodeCursor(typeof raw === 'string' && raw.length <= MAX_CURSOR ? raw : undefined);
        const after =
          cursor && typeof cursor.k === 'number' ? { createdAt: cursor.k, id: cursor.id } : undefined;
        const key = `history:${locale}:${cursor ? encodeCursor(cursor) : ''}`;
        return sendCached(request, reply, key, html, async () => {
          const view = await content.history(after);
          const older = view.older
            ? `${historyPath(locale)}?cursor=${encodeCursor({ k: view.older.createdAt, id: view.older.id })}`
            : null;
          return rendered(200, historyPage(locale, view, { older, first: cursor === undefined }));
        });
      });

      fastify.get<IdParams>(incidentPath(locale, ':id'), route, async (request, reply) => {
        const { id } = request.params;
        if (!INCIDENT_ID.test(id)) return sendError(request, reply, 404);
        return sendCached(request, reply, `incident:${locale}:${id}`, html, async () => {
          const found = await content.incident(id);
          if (!found) {
            const path = incidentPath(locale, id);
            return rendered(404, errorPage(locale, 'notFound', path));
          }
          return rendered(200, incidentPage(locale, found.view, found.timeZone));
        });
      });

      fastify.get(subscribePath(locale), route, async (_request, reply) =>
        sendPage(reply, 200, subscribePage(locale)),
      );

      // No cookie or session rides on this form, so there is nothing to forge in a visitor's name;
      // posts from other sites are still refused, so that no page can use its visitors' browsers
      // (and addresses, past the per-IP limit) to subscribe strangers.
      fastify.post(subscribePath(locale), route, async (request, reply) => {
        if (crossSite(request, publicUrl)) return sendError(request, reply, 403);
        const fields = request.body instanceof FormBody ? request.body.fields : [];
        const answer = await subscribeFromForm(deps.subscriptions, locale, fields, request.ip);
        if (answer.retryAfter) void reply.header('retry-after', String(answer.retryAfter));
        // The answer may hold a webhook's secret, and always the address typed: never cached.
        return sendPage(reply, answer.status, answer.page, 'no-store');
      });

      fastify.get(feedPath(locale), route, async (request, reply) =>
        sendCached(request, reply, `feed:${locale}`, 'application/atom+xml; charset=utf-8', async () => {
          const { entries, now } = await content.feed();
          return { status: 200, body: atomFeed(publicUrl, locale, entries, now) };
        }),
      );
    }

    stylesheet.register(fastify, route);

    // Every other address under /status: a trailing slash is forgiven, anything else is a friendly 404.
    fastify.get('/status/*', route, (request, reply) => {
      const [path = '', search = ''] = request.url.split(/\?(.*)/s);
      if (path.length > '/status'.length && path.endsWith('/') && !path.includes('//'))
        return reply.redirect(`${path.replace(/\/+$/, '')}${search ? `?${search}` : ''}`, 301);
      return sendError(request, reply, 404);
    });
  };
}

function localeOfPath(path: string): StatusLocale {
  return /^\/status\/fr(?:\/|$)/.test(path) ? 'fr' : 'en';
}
