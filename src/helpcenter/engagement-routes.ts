import type { FastifyInstance, FastifyRequest } from 'fastify';
import { allowAnyOrigin } from '../http/cors.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principal } from '../auth/hook.js';
import { isStaff } from '../auth/principal.js';
import { idParams, idSchema, instantInput } from '../shared/schema.js';
import { commonProblems, problemSchema } from '../http/problem-schema.js';
import { badRequest, forbidden, tooManyRequests } from '../shared/problem.js';
import { WindowLimiter } from '../shared/rate-limit.js';
import { parseInstant, type Clock } from '../shared/time.js';
import { messageOut } from '../tickets/schema.js';
import type { HelpCenterEngagement } from './engagement.js';
import { ARTICLE_KINDS, SUGGESTION_CHANNELS } from './model.js';
import {
  hcLocaleSchema,
  metricsOut,
  searchResultsOut,
  suggestionsOut,
  ticketHelpCenterOut,
} from './schema.js';
import type { HelpCenterService } from './service.js';
import type { TicketHelpCenterLinks } from './ticket-links.js';

const noNul = (s: string) => !s.includes('\u0000');

const searchQuery = z.strictObject({
  q: z.string().max(500).refine(noNul, { message: 'must not contain NUL' }),
  locale: hcLocaleSchema.default('en'),
  kind: z.enum(ARTICLE_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  offset: z.coerce.number().int().min(0).max(1000).default(0),
});

const suggestionsBody = z.strictObject({
  sessionId: idSchema
    .optional()
    .describe('The session a previous call returned, while the same form is open.'),
  locale: hcLocaleSchema.default('en'),
  channel: z.enum(SUGGESTION_CHANNELS).default('portal'),
  subject: z.string().max(300).refine(noNul, { message: 'must not contain NUL' }).default(''),
  body: z.string().max(20_000).refine(noNul, { message: 'must not contain NUL' }).default(''),
});

const MAX_METRICS_SPAN = 400 * 86_400_000;

/** How many public searches and suggestions one address may ask per minute. */
export interface PublicSearchLimit {
  perMinute: number;
  clock: Clock;
}

/** Search, suggestions and their outcomes, votes, metrics, and the help center on a ticket. */
export function helpCenterEngagementRoutes(
  helpCenter: HelpCenterService,
  engagement: HelpCenterEngagement,
  links: TicketHelpCenterLinks,
  publicLimit?: PublicSearchLimit,
) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['help center'];
    // Searches are open to anyone: an address asking too fast waits (per process, a fixed window).
    // Staff looking things up for customers are not counted.
    const limiter = publicLimit ? new WindowLimiter(publicLimit.perMinute, 60_000) : undefined;
    const throttle = async (request: FastifyRequest) => {
      if (!limiter || !publicLimit || (request.principal && isStaff(request.principal))) return;
      const wait = limiter.hit(request.ip, publicLimit.clock());
      if (wait > 0)
        throw tooManyRequests('Too many searches from this address; try again in a moment.', wait);
    };
    // The chat button suggests articles from the vendor's website, another origin than the desk's.
    allowAnyOrigin(app, ['/helpcenter/suggestions', '/helpcenter/suggestions/*']);

    app.get('/helpcenter/search', {
      config: { public: true },
      onRequest: throttle,
      schema: {
        tags,
        summary:
          'Search articles and known issues: ranked, stemmed, typo-tolerant; results the reader may see, with highlighted snippets',
        security: [],
        querystring: searchQuery,
        response: {
          200: searchResultsOut,
          ...commonProblems,
          429: problemSchema,
        },
      },
      handler: async (request) => {
        const { q, locale, kind, limit, offset } = request.query;
        const viewer = await helpCenter.viewer(request.principal);
        // Staff looking up an article for a customer are not a gap in the help center.
        return engagement.search(
          viewer,
          { q, locale, limit, offset, ...(kind ? { kinds: [kind] } : {}) },
          'api',
          {
            record: !viewer.staff,
          },
        );
      },
    });

    app.post('/helpcenter/suggestions', {
      config: { public: true },
      onRequest: throttle,
      schema: {
        tags,
        summary:
          'Articles for what a customer is typing into a ticket; pass the returned sessionId on later calls and when sending the ticket',
        security: [],
        body: suggestionsBody,
        response: {
          200: suggestionsOut,
          ...commonProblems,
          429: problemSchema,
        },
      },
      handler: async (request) =>
        engagement.suggest(request.principal, await helpCenter.viewer(request.principal), request.body),
    });

    app.post('/helpcenter/suggestions/:id/opened', {
      config: { public: true },
      schema: {
        tags,
        summary:
          'The customer opened a suggestion: counted as a view, and as a deflection unless the ticket is sent',
        security: [],
        params: idParams,
        body: z.strictObject({ articleId: idSchema }),
        response: { 204: z.null(), ...commonProblems },
      },
      handler: async (request, reply) => {
        await engagement.opened(request.principal, request.params.id, request.body.articleId);
        return reply.code(204).send(null);
      },
    });

    app.post('/helpcenter/articles/:id/votes', {
      schema: {
        tags,
        summary: '“Was this helpful?” from a signed-in reader; voting again changes the vote',
        params: idParams,
        body: z.strictObject({ helpful: z.boolean(), locale: hcLocaleSchema }),
        response: {
          200: z.object({
            views: z.number().int(),
            helpfulYes: z.number().int(),
            helpfulNo: z.number().int(),
          }),
          ...commonProblems,
        },
      },
      handler: async (request) => {
        const who = principal(request);
        const article = await helpCenter.getArticle(await helpCenter.viewer(who), request.params.id);
        await engagement.vote(article.id, `user:${who.userId}`, request.body.locale, request.body.helpful);
        return engagement.counters(article.id);
      },
    });

    app.get('/helpcenter/metrics', {
      schema: {
        tags,
        summary:
          'Help center usage over a period (staff): searches, content gaps, views, suggestions, deflections, votes; per locale and per article',
        querystring: z.strictObject({
          from: instantInput,
          to: instantInput,
          locale: hcLocaleSchema.optional(),
        }),
        response: { 200: metricsOut, ...commonProblems },
      },
      handler: async (request) => {
        if (!isStaff(principal(request))) throw forbidden('Only staff see help center metrics.');
        const from = parseInstant(request.query.from);
        const to = parseInstant(request.query.to);
        if (to <= from || to - from > MAX_METRICS_SPAN)
          throw badRequest('The period must end after it starts and span at most 400 days.', [
            { field: 'query.to', message: 'after from, within 400 days' },
          ]);
        return engagement.metrics({ from, to, locale: request.query.locale });
      },
    });

    app.get('/tickets/:id/helpcenter', {
      schema: {
        tags,
        summary:
          'The help center on a ticket: linked known issues and answers; for staff also what the customer was shown and suggestions',
        params: idParams,
        response: { 200: ticketHelpCenterOut, ...commonProblems },
      },
      handler: async (request) => links.forTicket(principal(request), request.params.id),
    });

    app.post('/tickets/:id/known-issues', {
      schema: {
        tags,
        summary: 'Link the ticket to the known issue it reports (staff); the customer sees the link',
        params: idParams,
        body: z.strictObject({ articleId: idSchema }),
        response: { 200: ticketHelpCenterOut, ...commonProblems },
      },
      handler: async (request) =>
        links.linkKnownIssue(principal(request), request.params.id, request.body.articleId),
    });

    app.delete('/tickets/:id/known-issues/:articleId', {
      schema: {
        tags,
        summary: 'Unlink a known issue from the ticket (staff)',
        params: z.strictObject({ id: idSchema, articleId: idSchema }),
        response: { 204: z.null(), ...commonProblems },
      },
      handler: async (request, reply) => {
        await links.unlinkKnownIssue(principal(request), request.params.id, request.params.articleId);
        return reply.code(204).send(null);
      },
    });

    app.post('/tickets/:id/article-answers', {
      schema: {
        tags,
        summary:
          'Answer the ticket with an article (staff): a public reply with its link in the requester’s language',
        params: idParams,
        body: z.strictObject({
          articleId: idSchema,
          message: z.string().max(5000).refine(noNul, { message: 'must not contain NUL' }).optional(),
        }),
        response: { 201: messageOut, ...commonProblems, 409: problemSchema },
      },
      handler: async (request, reply) =>
        reply
          .code(201)
          .send(await links.answerWithArticle(principal(request), request.params.id, request.body)),
    });
  };
}
