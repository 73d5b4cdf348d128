import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../shared/schema.js';
import { commonProblems, problemSchema } from '../http/problem-schema.js';
import { toIso, toIsoOrNull } from '../shared/time.js';
import { principal, SESSION_COOKIE } from './hook.js';
import { presentSessionUser, type Principal } from './principal.js';
import {
  loginBody,
  passwordChange,
  passwordResetConfirm,
  passwordResetRequest,
  sessionOut,
  tokenCreate,
  tokenCreated,
  tokenOut,
} from './schema.js';
import type { AuthService } from './service.js';

const tags = ['auth'];

const presentSession = (p: Principal) => ({
  user: presentSessionUser(p),
  csrfToken: p.csrfToken ?? null,
});

export function authRoutes(auth: AuthService, options: { secureCookies: boolean; sessionTtlMs: number }) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.post('/auth/login', {
      config: { public: true },
      schema: {
        tags,
        summary: 'Sign in; sets the session cookie',
        body: loginBody,
        response: { 200: sessionOut, 401: problemSchema, 429: problemSchema },
      },
      handler: async (request, reply) => {
        const { secret, principal: p } = await auth.login(
          request.body.email,
          request.body.password,
          request.ip,
        );
        void reply.setCookie(SESSION_COOKIE, secret, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: options.secureCookies,
          maxAge: Math.floor(options.sessionTtlMs / 1000),
        });
        return presentSession(p);
      },
    });

    app.post('/auth/logout', {
      schema: { tags, summary: 'Sign out', response: { 204: z.null(), ...commonProblems } },
      handler: async (request, reply) => {
        await auth.logout(principal(request));
        void reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send(null);
      },
    });

    app.get('/auth/session', {
      schema: {
        tags,
        summary: 'The signed-in user and the CSRF token',
        response: { 200: sessionOut, ...commonProblems },
      },
      handler: async (request) => presentSession(principal(request)),
    });

    app.post('/auth/password', {
      schema: {
        tags,
        summary: 'Change your password (signs out other sessions)',
        body: passwordChange,
        response: { 204: z.null(), ...commonProblems },
      },
      handler: async (request, reply) => {
        await auth.changePassword(principal(request), request.body.currentPassword, request.body.newPassword);
        return reply.code(204).send(null);
      },
    });

    app.post('/auth/password-reset', {
      config: { public: true },
      schema: {
        tags,
        summary: 'Ask for a password reset link by email',
        description:
          'Always answers 202, whether or not the email belongs to a user. At most 3 mails per email address and 10 requests per client address an hour; requests beyond are answered the same and send nothing.',
        body: passwordResetRequest,
        response: { 202: z.object({ status: z.literal('accepted') }), 400: problemSchema },
      },
      handler: async (request, reply) => {
        await auth.requestPasswordReset(request.body.email, request.ip);
        return reply.code(202).send({ status: 'accepted' as const });
      },
    });

    app.post('/auth/password-reset/confirm', {
      config: { public: true },
      schema: {
        tags,
        summary: 'Choose a new password with a reset token',
        body: passwordResetConfirm,
        response: { 204: z.null(), 400: problemSchema },
      },
      handler: async (request, reply) => {
        await auth.confirmPasswordReset(request.body.token, request.body.password);
        return reply.code(204).send(null);
      },
    });

    app.post('/auth/tokens', {
      schema: {
        tags,
        summary: 'Create a personal API token',
        body: tokenCreate,
        response: { 201: tokenCreated, ...commonProblems },
      },
      handler: async (request, reply) =>
        reply.code(201).send(await auth.createToken(principal(request).userId, request.body.name)),
    });

    app.get('/auth/tokens', {
      schema: {
        tags,
        summary: 'Your API tokens (never their secrets)',
        response: { 200: z.object({ data: z.array(tokenOut) }), ...commonProblems },
      },
      handler: async (request) => ({
        data: (await auth.listTokens(principal(request).userId)).map((t) => ({
          id: t.id,
          name: t.name,
          createdAt: toIso(t.created_at),
          lastUsedAt: toIsoOrNull(t.last_used_at),
        })),
      }),
    });

    app.delete('/auth/tokens/:id', {
      schema: {
        tags,
        summary: 'Revoke one of your API tokens',
        params: idParams,
        response: { 204: z.null(), ...commonProblems },
      },
      handler: async (request, reply) => {
        await auth.revokeToken(principal(request).userId, request.params.id);
        return reply.code(204).send(null);
      },
    });
  };
}
