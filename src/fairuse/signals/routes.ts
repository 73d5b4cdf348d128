import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principal } from '../../auth/hook.js';
import { idParams } from '../../shared/schema.js';
import { commonProblems, problemSchema } from '../../http/problem-schema.js';
import {
  classifierOut,
  classifierQuery,
  dismissBody,
  flagOut,
  flagsQuery,
  offTopicBody,
  ticketFairUseOut,
} from './schema.js';
import type { FairUseFlagsService } from './service.js';

/** Fair-use flags, dismissals, off-topic marks and the classifier (staff only). */
export function fairUseSignalsRoutes(service: FairUseFlagsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['fair use'];

    app.get('/fairuse/flags', {
      schema: {
        tags,
        summary:
          'Open fair-use flags with their evidence (repeats of resolved incidents, questions the help center answers, off-topic requests, volume), most serious first',
        querystring: flagsQuery,
        response: { 200: z.object({ data: z.array(flagOut) }), ...commonProblems },
      },
      handler: async (request) => ({
        data: await service.flags(principal(request), request.query.organizationId),
      }),
    });

    app.post('/fairuse/flags/dismiss', {
      schema: {
        tags,
        summary: 'Dismiss a flag (lead or admin): its evidence so far is set aside, and the dismissal logged',
        body: dismissBody,
        response: { 204: z.null(), ...commonProblems, 409: problemSchema },
      },
      handler: async (request, reply) => {
        await service.dismiss(principal(request), request.body);
        return reply.code(204).send(null);
      },
    });

    app.post('/tickets/:id/off-topic', {
      schema: {
        tags,
        summary: 'Mark the ticket off-topic: not a support request (staff)',
        params: idParams,
        body: offTopicBody,
        response: { 204: z.null(), ...commonProblems },
      },
      handler: async (request, reply) => {
        await service.markOffTopic(principal(request), request.params.id, request.body?.note || undefined);
        return reply.code(204).send(null);
      },
    });

    app.delete('/tickets/:id/off-topic', {
      schema: {
        tags,
        summary: 'Take the off-topic mark back (staff)',
        params: idParams,
        response: { 204: z.null(), ...commonProblems },
      },
      handler: async (request, reply) => {
        await service.unmarkOffTopic(principal(request), request.params.id);
        return reply.code(204).send(null);
      },
    });

    app.get('/tickets/:id/fairuse', {
      schema: {
        tags,
        summary: 'The ticket’s off-topic mark and fair-use signals with their evidence (staff)',
        params: idParams,
        response: { 200: ticketFairUseOut, ...commonProblems },
      },
      handler: async (request) => service.forTicket(principal(request), request.params.id),
    });

    app.get('/fairuse/classifier', {
      schema: {
        tags,
        summary:
          'How much the ticket reads like those staff marked off-topic: naive Bayes over stemmed words (staff)',
        querystring: classifierQuery,
        response: { 200: classifierOut, ...commonProblems },
      },
      handler: async (request) => service.classify(principal(request), request.query.ticketId),
    });
  };
}
