import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../shared/problem.js';
import type { Principal } from './principal.js';
import type { AuthService } from './service.js';

export const SESSION_COOKIE = 'accord_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Routes open to anonymous callers say so; every other route requires a signed-in principal. */
    public?: boolean;
  }
}

// The browser app's pages and assets are public; what they show comes from the API, which is not.
const isApiPath = (url: string) => url.startsWith('/api/');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Compares two secrets in constant time. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Authenticates every request from a Bearer token or the session cookie, and refuses
 * cookie-authenticated writes that do not carry the session's CSRF token.
 */
export function registerAuthentication(app: FastifyInstance, auth: AuthService) {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (!isApiPath(request.url)) return;
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(header);
      if (!match) throw unauthorized('The Authorization header must be "Bearer <token>".');
      request.principal = (await auth.principalFromBearer(match[1]!)) ?? null;
      if (!request.principal) throw unauthorized('This API token is not valid or has been revoked.');
    } else {
      const secret = request.cookies[SESSION_COOKIE];
      if (secret && secret.length <= 200)
        request.principal = (await auth.principalFromSession(secret)) ?? null;
      // Public routes (sign-in, password reset) act on no session, so a stale cookie does not block them.
      if (request.principal && !SAFE_METHODS.has(request.method) && !request.routeOptions.config.public) {
        const sent = request.headers[CSRF_HEADER];
        if (typeof sent !== 'string' || !sameSecret(sent, request.principal.csrfToken ?? '')) {
          throw forbidden(
            `Cookie-authenticated changes need the ${CSRF_HEADER} header from GET /api/v1/auth/session.`,
          );
        }
      }
    }
    if (!request.principal && !request.routeOptions.config.public) throw unauthorized();
  });
}

/** The principal of a route that requires one (the hook has already refused anonymous calls). */
export function principal(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthorized();
  return request.principal;
}

/**
 * Whether a request's principal came from the session cookie with the session's CSRF token, or
 * from a bearer token (which a cross-site page cannot send): routes open to anonymous callers that
 * also act for a signed-in member of staff check it themselves.
 */
export function sentByPrincipal(request: FastifyRequest): boolean {
  if (!request.principal) return false;
  if (request.headers.authorization !== undefined) return true;
  if (SAFE_METHODS.has(request.method)) return true;
  const sent = request.headers[CSRF_HEADER];
  return typeof sent === 'string' && sameSecret(sent, request.principal.csrfToken ?? '');
}
