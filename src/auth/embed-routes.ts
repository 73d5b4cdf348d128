import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { userOut } from '../customers/schema.js';
import { problemSchema } from '../http/problem-schema.js';
import type { EmbedService } from './embed.js';

const embedBody = z.strictObject({
  token: z
    .string()
    .min(1)
    .max(4096)
    .describe('A JWT (HS256) the vendor\u2019s server signed with EMBED_SECRET: email, name, iat, exp.'),
});

const embedOut = z.object({
  sessionToken: z.string().describe('Send as `Authorization: Bearer <sessionToken>` from the widget.'),
  expiresAt: z.iso.datetime(),
  user: userOut.pick({ id: true, email: true, name: true, role: true, organizationId: true, locale: true }),
});

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
          user: {
            id: p.userId,
            email: p.email,
            name: p.name,
            role: p.role,
            organizationId: p.organizationId,
            locale: p.locale as 'en' | 'fr' | null,
          },
        };
      },
    });
  };
}
