import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principal } from '../auth/hook.js';
import { commonProblems, problemSchema } from '../http/problem-schema.js';
import { idParams } from '../shared/schema.js';
import { ticketTagsOut, ticketTagsPatch, ticketTagsPut } from './tags-schema.js';
import type { TicketTagsService } from './tags-service.js';

const tags = ['tickets'];
const writeProblems = { ...commonProblems, 422: problemSchema };

/** A ticket's tags (staff only). */
export function ticketTagsRoutes(service: TicketTagsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get('/tickets/:id/tags', {
      schema: {
        tags,
        summary: 'A ticket\u2019s tags (staff only)',
        params: idParams,
        response: { 200: ticketTagsOut, ...commonProblems },
      },
      handler: async (request) => service.list(principal(request), request.params.id),
    });

    app.put('/tickets/:id/tags', {
      schema: {
        tags,
        summary: 'Set a ticket\u2019s tags (staff only; at most 20, normalized)',
        params: idParams,
        body: ticketTagsPut,
        response: { 200: ticketTagsOut, ...writeProblems },
      },
      handler: async (request) => service.replace(principal(request), request.params.id, request.body.tags),
    });

    app.patch('/tickets/:id/tags', {
      schema: {
        tags,
        summary: 'Add and remove tags of a ticket (staff only)',
        params: idParams,
        body: ticketTagsPatch,
        response: { 200: ticketTagsOut, ...writeProblems },
      },
      handler: async (request) => service.change(principal(request), request.params.id, request.body),
    });
  };
}
