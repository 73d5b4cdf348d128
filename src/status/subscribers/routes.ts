import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sendStandalonePage } from '../../helpcenter/site/standalone-page.js';
import { problemSchema } from '../../http/problem-schema.js';
import { confirmedPage, confirmPage, invalidLinkPage, unsubscribedPage, unsubscribePage } from './pages.js';
import { subscribeAccepted, subscribeBody, webhookCreated } from './schema.js';
import type { StatusSubscriptions } from './service.js';

const CONFIRM_PATH = '/status/subscriptions/confirm';
const UNSUBSCRIBE_PATH = '/status/unsubscribe';
const page = { config: { public: true }, schema: { hide: true } } as const;

type TokenQuery = { Querystring: { token?: unknown } };

const tokenOf = (request: FastifyRequest<TokenQuery>) => {
  const token = request.query.token;
  return typeof token === 'string' && /^[A-Za-z0-9_-]{10,100}$/.test(token) ? token : undefined;
};

const send = sendStandalonePage;

/**
 * The public subscription endpoint (/api/v1/status/subscribers) and the pages its links open: a
 * confirmation and an unsubscribe page, each a GET that only shows a button and a POST that acts,
 * since mail scanners follow links. The unsubscribe POST is also RFC 8058's one-click target.
 */
export function statusSubscriptionRoutes(subscriptions: StatusSubscriptions) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.post('/api/v1/status/subscribers', {
      config: { public: true },
      schema: {
        tags: ['status'],
        summary:
          'Subscribe to status updates: an email (confirmed by a link mailed to it; 202 whatever the address) or an https webhook (201, with its signing secret, shown once; 400 when its host is or resolves to an address that is not public)',
        security: [],
        body: subscribeBody,
        response: {
          201: webhookCreated,
          202: subscribeAccepted,
          400: problemSchema,
          429: problemSchema,
          503: problemSchema,
        },
      },
      handler: async (request, reply) => {
        const outcome = await subscriptions.subscribe(request.body, request.ip);
        if (outcome.kind === 'webhook') {
          const { kind: _kind, ...created } = outcome;
          return reply.code(201).send(created);
        }
        return reply.code(202).send({
          status: 'pending' as const,
          detail: 'If this address can receive mail, a link to confirm the subscription is on its way.',
        });
      },
    });

    await fastify.register(async (pages) => {
      // The forms post nothing the handlers read (the token is in the URL); bodies are discarded.
      pages.removeAllContentTypeParsers();
      pages.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 4096 }, (_request, _body, done) =>
        done(null, null),
      );

      pages.get<TokenQuery>(CONFIRM_PATH, page, async (request, reply) => {
        const token = tokenOf(request);
        const subscriber = token ? await subscriptions.pendingConfirmation(token) : undefined;
        if (!token || !subscriber)
          return send(reply, 404, invalidLinkPage(request.headers['accept-language']));
        if (subscriber.confirmed_at !== null) return send(reply, 200, confirmedPage(subscriber));
        return send(reply, 200, confirmPage(subscriber, `${CONFIRM_PATH}?token=${token}`));
      });

      pages.post<TokenQuery>(CONFIRM_PATH, page, async (request, reply) => {
        const token = tokenOf(request);
        const outcome = token ? await subscriptions.confirm(token) : { done: false as const };
        if (!outcome.done) return send(reply, 404, invalidLinkPage(request.headers['accept-language']));
        return send(reply, 200, confirmedPage(outcome.subscriber));
      });

      pages.get<TokenQuery>(UNSUBSCRIBE_PATH, page, async (request, reply) => {
        const token = tokenOf(request);
        const subscriber = token ? await subscriptions.subscriberOfLink(token) : undefined;
        if (!token || !subscriber)
          return send(reply, 404, invalidLinkPage(request.headers['accept-language']));
        if (subscriber.unsubscribed_at !== null) return send(reply, 200, unsubscribedPage(subscriber));
        return send(reply, 200, unsubscribePage(subscriber, `${UNSUBSCRIBE_PATH}?token=${token}`));
      });

      pages.post<TokenQuery>(UNSUBSCRIBE_PATH, page, async (request, reply) => {
        const token = tokenOf(request);
        const outcome = token ? await subscriptions.unsubscribe(token) : { done: false as const };
        if (!outcome.done) return send(reply, 404, invalidLinkPage(request.headers['accept-language']));
        return send(reply, 200, unsubscribedPage(outcome.subscriber));
      });
    });
  };
}
