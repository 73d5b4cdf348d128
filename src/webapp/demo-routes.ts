import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';

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
