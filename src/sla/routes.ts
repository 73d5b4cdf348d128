import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principal } from '../auth/hook.js';
import { commonProblems, problemSchema } from '../http/problem-schema.js';
import type { SlaPreview } from './preview.js';
import { simulateBody, simulateOut } from './schema.js';

/** The promise before a ticket exists. Mounted under /api/v1. */
export function slaRoutes(preview: SlaPreview) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.post('/policy/simulate', {
      schema: {
        tags: ['policy'],
        summary: 'Preview the due times a ticket would get',
        body: simulateBody,
        response: { 200: simulateOut, ...commonProblems, 422: problemSchema },
      },
      handler: async (request) => preview.simulate(principal(request), request.body),
    });
  };
}
