import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principal } from '../../auth/hook.js';
import { idParams } from '../../shared/schema.js';
import { commonProblems, problemSchema } from '../../http/problem-schema.js';
import { pageSchema } from '../../shared/pagination.js';
import { spamDiscard, spamItemOut, spamQuery } from './schema.js';
import type { SpamFolder } from './service.js';

const tags = ['fair use'];
const writeProblems = { ...commonProblems, 409: problemSchema };

/** The spam folder (leads and admins): what the public doors held back, to release or discard. */
export function spamRoutes(spam: SpamFolder) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get('/spam', {
      schema: {
        tags,
        summary: 'Held items waiting for review (pending) or reviewed, newest first',
        querystring: spamQuery,
        response: { 200: pageSchema(spamItemOut), ...commonProblems },
      },
      handler: async (request) =>
        spam.list(principal(request), request.query.status, request.query.limit, request.query.cursor),
    });

    app.post('/spam/:id/release', {
      schema: {
        tags,
        summary:
          'Let it through: a held mail is ingested as if the cap had not held it; a chat start is marked legitimate',
        params: idParams,
        response: { 200: spamItemOut, ...writeProblems },
      },
      handler: async (request) => spam.release(principal(request), request.params.id),
    });

    app.post('/spam/:id/discard', {
      schema: {
        tags,
        summary: 'Discard it, with the reason (kept in the audit log)',
        params: idParams,
        body: spamDiscard,
        response: { 200: spamItemOut, ...writeProblems },
      },
      handler: async (request) => spam.discard(principal(request), request.params.id, request.body.reason),
    });
  };
}
