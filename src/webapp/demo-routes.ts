import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { roleSchema } from '../auth/schema.js';
import { problemSchema } from '../http/problem-schema.js';
import { tierSchema } from '../policy/tiers.js';
import { DEMO_LOGINS } from '../seed/demo-people.js';
import { Problem } from '../shared/problem.js';
import { localeSchema } from '../shared/schema.js';

/** The demo vendor app's signed-in user: an authorized user of the demo's enterprise customer. */
export const DEMO_WIDGET_USER = { email: 'ivan@northwind.test', name: 'Ivan Petrov' };

/**
 * GET /demo/token stands in for the vendor's own server on the demo desk: it signs the current
 * user's identity with the desk's embed secret, exactly as a vendor's backend would (see the
 * README's "In-app support button"). Registered only on demo desks.
 */
export function demoRoutes(secret: string, now: () => number) {
  const key = new TextEncoder().encode(secret);
  return async (app: FastifyInstance) => {
    app.get('/demo/token', { schema: { hide: true } }, async (_request, reply) => {
      const issuedAt = Math.floor(now() / 1000);
      const token = await new SignJWT({ ...DEMO_WIDGET_USER })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + 5 * 60)
        .sign(key);
      return reply.header('cache-control', 'no-store').send({ token });
    });
  };
}

const demoLoginsOut = z.object({
  logins: z.array(
    z.object({
      role: roleSchema,
      name: z.string(),
      email: z.string(),
      password: z.string(),
      organization: z.object({ name: z.string(), tier: tierSchema.nullable() }).nullable(),
      locale: localeSchema.nullable(),
    }),
  ),
});

/**
 * GET /api/v1/demo: the people a visitor of a demo desk can sign in as, which its sign-in page lists.
 * Any other desk answers 404, so a production desk never shows a login.
 */
export function demoLoginRoutes(demo: boolean) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.get('/demo', {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary: 'The demo desk\u2019s sign-ins to try (404 on any other desk)',
        security: [],
        response: { 200: demoLoginsOut, 404: problemSchema },
      },
      handler: async (_request, reply) => {
        if (!demo) throw new Problem(404, 'Not Found', 'This desk is not a demo desk.');
        void reply.header('cache-control', 'no-store');
        return { logins: [...DEMO_LOGINS] };
      },
    });
  };
}
