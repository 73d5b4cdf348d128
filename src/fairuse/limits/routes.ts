import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principal } from '../../auth/hook.js';
import { idParams } from '../../shared/schema.js';
import { commonProblems, problemSchema } from '../../http/problem-schema.js';
import { contactMessage, limitCreate, limitLift, limitOut, limitParams, limitsQuery } from './schema.js';
import type { SupportLimitsService } from './service.js';

const tags = ['fair use'];
const writeProblems = { ...commonProblems, 409: problemSchema, 422: problemSchema };

/** An organization's support limits and a lead's messages to its contacts (policy section 5). */
export function fairUseLimitsRoutes(limits: SupportLimitsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get('/fairuse/organizations/:id/limits', {
      schema: {
        tags,
        summary:
          'An organization\u2019s support limits, newest first (staff); its customers read the ones in force (active=true)',
        params: idParams,
        querystring: limitsQuery,
        response: { 200: z.object({ data: z.array(limitOut) }), ...commonProblems },
      },
      handler: async (request) => ({
        data: await limits.list(principal(request), request.params.id, request.query.active === 'true'),
      }),
    });

    app.post('/fairuse/organizations/:id/limits', {
      schema: {
        tags,
        summary:
          'Apply a limit (leads and admins): open tickets, tickets per period, channels or a suspension; the contacts are told',
        params: idParams,
        body: limitCreate,
        response: { 201: limitOut, ...writeProblems },
      },
      handler: async (request, reply) =>
        reply.code(201).send(await limits.apply(principal(request), request.params.id, request.body)),
    });

    app.post('/fairuse/organizations/:id/limits/:limitId/lift', {
      schema: {
        tags,
        summary: 'Lift a limit before its end (leads and admins); the contacts are told',
        params: limitParams,
        body: limitLift,
        response: { 200: limitOut, ...writeProblems },
      },
      handler: async (request) =>
        limits.lift(principal(request), request.params.id, request.params.limitId, request.body.reason),
    });

    app.post('/fairuse/organizations/:id/messages', {
      schema: {
        tags,
        summary:
          'Write to the organization\u2019s contacts (leads and admins) with the evidence of open flags and policy section 5',
        params: idParams,
        body: contactMessage,
        response: { 204: z.null(), ...writeProblems },
      },
      handler: async (request, reply) => {
        await limits.message(principal(request), request.params.id, request.body);
        return reply.code(204).send(null);
      },
    });
  };
}
