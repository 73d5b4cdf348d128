import type { FastifyInstance } from 'fastify';
import { presentSessionUser } from '../../auth/principal.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { problemSchema } from '../../http/problem-schema.js';
import type { EmbedService } from './embed.js';
import { embedBody, embedOut } from './schema.js';

export function embedRoutes(embed: EmbedService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.post('/auth/embed', {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in the in-app support button with a token from the vendor\u2019s server',
        security: [],
        body: embedBody,
        response: {
          200: embedOut,
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          404: problemSchema,
          503: problemSchema,
        },
      },
      handler: async (request) => {
        const { sessionToken, expiresAt, principal: p } = await embed.signIn(request.body.token);
        return {
          sessionToken,
          expiresAt: new Date(expiresAt).toISOString(),
          user: presentSessionUser(p),
        };
      },
    });
  };
}
