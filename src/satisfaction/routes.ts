import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sendStandalonePage } from '../helpcenter/site/standalone-page.js';
import { principal } from '../auth/hook.js';
import { commonProblems, problemSchema } from '../http/problem-schema.js';
import { badRequest } from '../shared/problem.js';
import { idParams } from '../shared/schema.js';
import { parseInstant } from '../shared/time.js';
import {
  alreadyAnsweredPage,
  badAnswerPage,
  expiredPage,
  invalidLinkPage,
  questionPage,
  thanksPage,
  type TicketTitle,
} from './pages.js';
import type { SatisfactionRepository, SurveyRow } from './repository.js';
import {
  answerBody,
  MAX_COMMENT_CHARS,
  reportOut,
  reportQuery,
  settingsBody,
  settingsOut,
  ticketSurveyOut,
} from './schema.js';
import { TOKEN_PATTERN, type SatisfactionService } from './service.js';
import { satisfactionLocale, type SatisfactionLocale } from './text.js';

export const ANSWER_PATH = '/satisfaction/answer';
const MAX_SPAN = 400 * 86_400_000;
const page = { config: { public: true }, schema: { hide: true } } as const;

type LinkRequest = { Querystring: { token?: unknown; rating?: unknown } };

const send = sendStandalonePage;

/** The survey routes: the ticket's question, the settings and the report under /api/v1. */
export function satisfactionRoutes(satisfaction: SatisfactionService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get('/tickets/:id/satisfaction', {
      schema: {
        tags: ['satisfaction'],
        summary: 'The ticket’s satisfaction question and its answer, once the ticket was resolved',
        params: idParams,
        response: { 200: ticketSurveyOut, ...commonProblems },
      },
      handler: async (request) => satisfaction.forTicket(principal(request), request.params.id),
    });

    app.post('/tickets/:id/satisfaction', {
      schema: {
        tags: ['satisfaction'],
        summary:
          'The requester answers the satisfaction question (good or bad, an optional comment); 409 once answered (the first answer is kept), 410 after 14 days',
        params: idParams,
        body: answerBody,
        response: { 200: ticketSurveyOut, ...commonProblems, 409: problemSchema, 410: problemSchema },
      },
      handler: async (request) =>
        satisfaction.answerInPortal(principal(request), request.params.id, request.body),
    });

    app.get('/satisfaction/settings', {
      schema: {
        tags: ['satisfaction'],
        summary: 'Which tiers are asked the satisfaction question (leads and admins)',
        response: { 200: settingsOut, ...commonProblems },
      },
      handler: async (request) => satisfaction.settings(principal(request)),
    });

    app.put('/satisfaction/settings', {
      schema: {
        tags: ['satisfaction'],
        summary: 'Choose the tiers asked the satisfaction question (leads and admins); the others are not',
        body: settingsBody,
        response: { 200: settingsOut, ...commonProblems },
      },
      handler: async (request) => satisfaction.saveSettings(principal(request), request.body.enabledTiers),
    });

    app.get('/reports/satisfaction', {
      schema: {
        tags: ['reports'],
        summary:
          'Satisfaction of the tickets resolved in the period: good, bad, score and share of responses, per tier, priority, agent and week or month',
        querystring: reportQuery,
        response: { 200: reportOut, ...commonProblems },
      },
      handler: async (request) => {
        const { from: fromText, to: toText, period, ...filters } = request.query;
        const from = parseInstant(fromText);
        const to = parseInstant(toText);
        if (to <= from || to - from > MAX_SPAN)
          throw badRequest('The period must end after it starts and span at most 400 days.', [
            { field: 'query.to', message: 'after from, within 400 days' },
          ]);
        return satisfaction.report(principal(request), { from, to, ...filters }, period);
      },
    });
  };
}

/**
 * The page a survey link opens, outside the API and without signing in: GET shows the question
 * (mail scanners follow links, so it records nothing), POST records the answer. Bad, unknown and
 * expired links get a page that says so (400, 404, 410).
 */
export function satisfactionPageRoutes(satisfaction: SatisfactionService, repo: SatisfactionRepository) {
  return async (pages: FastifyInstance) => {
    pages.removeAllContentTypeParsers();
    // The form posts application/x-www-form-urlencoded; anything else reads as an empty form.
    pages.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 16_384 }, (request, body, done) =>
      done(
        null,
        String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
          ? new URLSearchParams(String(body))
          : new URLSearchParams(),
      ),
    );

    const tokenOf = (request: FastifyRequest<LinkRequest>) => {
      const token = request.query.token;
      return typeof token === 'string' && TOKEN_PATTERN.test(token) ? token : undefined;
    };
    const browserLocale = (request: FastifyRequest) => satisfactionLocale(request.headers['accept-language']);
    const titleOf = async (survey: SurveyRow): Promise<TicketTitle> =>
      (await repo.ticketTitle(survey.ticket_id)) ?? { id: survey.ticket_id, number: 0, subject: '' };
    const localeOf = (survey: SurveyRow) => satisfactionLocale(survey.locale);

    /** The page for a link that cannot be answered, or undefined when it can. */
    const refusal = async (
      reply: FastifyReply,
      request: FastifyRequest<LinkRequest>,
    ): Promise<{ token: string; survey: SurveyRow; locale: SatisfactionLocale } | undefined> => {
      const token = tokenOf(request);
      if (!token) {
        await send(reply, 400, invalidLinkPage(browserLocale(request), true));
        return undefined;
      }
      const state = await satisfaction.linkState(token);
      if (state.kind === 'unknown') {
        await send(reply, 404, invalidLinkPage(browserLocale(request), false));
        return undefined;
      }
      const locale = localeOf(state.survey);
      if (state.kind === 'answered') {
        await send(reply, 200, alreadyAnsweredPage(locale, await titleOf(state.survey), state.survey));
        return undefined;
      }
      if (state.kind === 'expired') {
        await send(reply, 410, expiredPage(locale, await titleOf(state.survey)));
        return undefined;
      }
      return { token, survey: state.survey, locale };
    };

    pages.get<LinkRequest>(ANSWER_PATH, page, async (request, reply) => {
      const open = await refusal(reply, request);
      if (!open) return reply;
      const rating = request.query.rating;
      return send(
        reply,
        200,
        questionPage(
          open.locale,
          await titleOf(open.survey),
          `${ANSWER_PATH}?token=${open.token}`,
          rating === 'good' || rating === 'bad' ? rating : undefined,
        ),
      );
    });

    pages.post<LinkRequest & { Body: URLSearchParams | undefined }>(
      ANSWER_PATH,
      page,
      async (request, reply) => {
        const open = await refusal(reply, request);
        if (!open) return reply;
        const form = request.body ?? new URLSearchParams();
        const rating = form.get('rating');
        const comment = (form.get('comment') ?? '').trim();
        if ((rating !== 'good' && rating !== 'bad') || comment.length > MAX_COMMENT_CHARS)
          return send(reply, 400, badAnswerPage(open.locale));
        const outcome = await satisfaction.answerByLink(open.token, rating, comment || null);
        const title = await titleOf(open.survey);
        switch (outcome.kind) {
          case 'recorded':
            return send(reply, 200, thanksPage(open.locale, title, outcome.survey));
          case 'answered':
          case 'open':
            return send(reply, 200, alreadyAnsweredPage(open.locale, title, outcome.survey));
          case 'expired':
            return send(reply, 410, expiredPage(open.locale, title));
          case 'unknown':
            return send(reply, 404, invalidLinkPage(open.locale, false));
        }
      },
    );
  };
}
