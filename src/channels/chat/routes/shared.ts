import { createHash } from 'node:crypto';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principal, sentByPrincipal } from '../../../auth/hook.js';
import { isStaff } from '../../../auth/principal.js';
import { problemSchema } from '../../../http/problem-schema.js';
import { forbidden, unauthorized } from '../../../shared/problem.js';
import type { ChatCaller } from '../service.js';

/** The Fastify instance the chat routes are added to, typed by their zod schemas. */
export type ChatApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export const tags = ['chat'];
export const CHAT_TOKEN = 'x-chat-token';
export const errors = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
  429: problemSchema,
};

/** Route config for the calls a visitor makes: the authentication hook lets them through unsigned. */
export const visitorRoute = { public: true } as const;

/** A visitor's conversation secret, or a member of staff signed in (with the CSRF token on writes). */
export function callerOf(request: FastifyRequest): ChatCaller {
  const token = request.headers[CHAT_TOKEN];
  if (typeof token === 'string' && token.length > 0) {
    if (token.length > 200) throw unauthorized('The chat token is not valid.');
    return { kind: 'visitor', token };
  }
  if (!request.principal)
    throw unauthorized(`Send the conversation\u2019s ${CHAT_TOKEN} header, or sign in.`);
  if (!sentByPrincipal(request))
    throw forbidden(
      'Cookie-authenticated changes need the x-csrf-token header from GET /api/v1/auth/session.',
    );
  if (!isStaff(request.principal)) throw forbidden('Customers chat through the chat button.');
  return { kind: 'staff', principal: request.principal };
}

/** Who started a chat, as the per-address limit counts it; the address itself is not kept. */
export const clientKey = (request: FastifyRequest) =>
  createHash('sha256').update(request.ip).digest('hex').slice(0, 32);

/** The signed-in caller, refused unless they are staff. */
export function staffOnly(request: FastifyRequest) {
  const actor = principal(request);
  if (!isStaff(actor)) throw forbidden('Live chat is answered by staff.');
  return actor;
}
