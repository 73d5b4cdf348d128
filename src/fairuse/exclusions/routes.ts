import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principal } from '../../auth/hook.js';
import { idParams } from '../../shared/schema.js';
import { commonProblems } from '../../http/problem-schema.js';
import { ticketExclusionOut } from '../../tickets/schema.js';
import { exclusionCreate, exclusionRemove } from './schema.js';
import type { TicketExclusions } from './service.js';

const tags = ['fair use'];

/** Excluding a ticket from the promise (policy section 5), and taking the exclusion back. */
export function exclusionsRoutes(exclusions: TicketExclusions) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.post('/tickets/:id/exclusion', {
      schema: {
        tags,
        summary:
          'Exclude the ticket from the promise (staff): its SLA clocks stop, it leaves the median reports, the customer sees why',
        params: idParams,
        body: exclusionCreate,
        response: { 200: ticketExclusionOut, ...commonProblems },
      },
      handler: async (request) => exclusions.exclude(principal(request), request.params.id, request.body),
    });

    app.delete('/tickets/:id/exclusion', {
      schema: {
        tags,
        summary: 'Take the exclusion back (staff): the SLA clocks run again from the ticket\u2019s events',
        params: idParams,
        body: exclusionRemove,
        response: { 204: z.null(), ...commonProblems },
      },
      handler: async (request, reply) => {
        await exclusions.remove(principal(request), request.params.id, request.body.reason);
        return reply.code(204).send(null);
      },
    });
  };
}
