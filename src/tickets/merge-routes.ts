import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principal } from '../auth/hook.js';
import { commonProblems, problemSchema } from '../http/problem-schema.js';
import { idParams, idSchema } from '../shared/schema.js';
import type { MergeService } from './merge.js';
import { ticketOut } from './schema.js';

export const mergeRequest = z.strictObject({
  into: idSchema.describe('The ticket the conversation continues in.'),
});

/** POST /tickets/{id}/merge: staff merge a duplicate into another ticket of the same organization. */
export function mergeRoutes(merges: MergeService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.post('/tickets/:id/merge', {
      schema: {
        tags: ['tickets'],
        summary: 'Merge this ticket into another of the same organization (staff)',
        description:
          'The ticket\u2019s messages and attachments move into the other ticket\u2019s history at their own times, marked with the ticket they came from; this ticket closes and points at the other (mergedInto); both logs record the merge. The other ticket\u2019s SLA counts from the earlier opening and the earliest first response given on either. 422: the same ticket, or another organization\u2019s; 409: this ticket already merged or closed, or the other one closed or itself merged.',
        params: idParams,
        body: mergeRequest,
        response: { 200: ticketOut, ...commonProblems, 409: problemSchema, 422: problemSchema },
      },
      handler: async (request) => merges.merge(principal(request), request.params.id, request.body.into),
    });
  };
}
