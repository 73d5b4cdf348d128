import { createHash } from 'node:crypto';
import type {} from '@fastify/websocket';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principal, sentByPrincipal } from '../../auth/hook.js';
import { isStaff } from '../../auth/principal.js';
import { problemSchema } from '../../http/problem-schema.js';
import { readSingleUpload } from '../../http/multipart.js';
import { allowAnyOrigin } from '../../http/cors.js';
import { sendDownload } from '../../http/download.js';
import { forbidden, unauthorized } from '../../shared/problem.js';
import type { ChatAgents } from './agents.js';
import type { CannedReplies } from './canned.js';
import type { ChatHub, ChatSubscriber } from './hub.js';
import type { ServerFrame } from './model.js';
import { presentMessage } from './presenters.js';
import type { ChatRepository } from './repository.js';
import {
  attachmentOut,
  availabilityOut,
  cannedCreate,
  cannedOut,
  cannedQuery,
  cannedUpdate,
  conversationOut,
  endBody,
  eventsQuery,
  idParam,
  messageOut,
  messagesQuery,
  postBody,
  presenceBody,
  presenceOut,
  queueOut,
  receiptBody,
  startBody,
  startOut,
  ticketBody,
  transferBody,
  typingBody,
} from './schema.js';
import type { ChatCaller, ChatService } from './service.js';
import type { ChatTickets } from './tickets.js';
import { handleChatSocket } from './socket.js';
import { newId } from '../../shared/ids.js';

export interface ChatChannel {
  service: ChatService;
  agents: ChatAgents;
  tickets: ChatTickets;
  canned: CannedReplies;
  hub: ChatHub;
  repo: ChatRepository;
}

const tags = ['chat'];
const CHAT_TOKEN = 'x-chat-token';
const errors = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
  429: problemSchema,
};

/** A visitor's conversation secret, or a member of staff signed in (with the CSRF token on writes). */
function callerOf(request: FastifyRequest): ChatCaller {
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
const clientKey = (request: FastifyRequest) =>
  createHash('sha256').update(request.ip).digest('hex').slice(0, 32);

/**
 * Live chat over HTTP: the visitor's calls (any website may make them: CORS without credentials,
 * authorized by the conversation's secret), the long-poll fallback for networks that refuse
 * WebSockets, the agents' queue, presence and canned replies, and the WebSocket itself.
 */
export function chatRoutes(chat: ChatChannel, options: { sameOrigin: (request: FastifyRequest) => boolean }) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const { service, agents, canned, hub, repo } = chat;
    const visitorRoute = { public: true } as const;

    // The chat button runs on the vendor's website, another origin than the desk's; the agents'
    // routes (queue, presence, canned replies) stay same-origin.
    allowAnyOrigin(
      app,
      ['/chat/availability', '/chat/conversations', '/chat/conversations/*'],
      ['content-type', CHAT_TOKEN],
    );

    app.get(
      '/chat/socket',
      { websocket: true, config: visitorRoute, schema: { hide: true } },
      (socket, request) =>
        handleChatSocket(
          { service, repo, hub, sameOrigin: options.sameOrigin, log: request.log },
          socket,
          request,
        ),
    );

    app.get('/chat/availability', {
      config: visitorRoute,
      schema: {
        tags,
        summary: 'Whether agents are online to chat now',
        security: [],
        response: { 200: availabilityOut },
      },
      handler: async () => service.availability(),
    });

    app.post('/chat/conversations', {
      config: visitorRoute,
      schema: {
        tags,
        summary:
          'Start a chat: as the signed-in user of the vendor\u2019s app (embedToken) or with a name and email',
        security: [],
        body: startBody,
        response: { 201: startOut, ...errors, 503: problemSchema },
      },
      handler: async (request, reply) =>
        reply.code(201).send(await service.start(request.body, clientKey(request))),
    });

    app.get('/chat/conversations/:id', {
      config: visitorRoute,
      schema: {
        tags,
        summary: 'A conversation',
        params: idParam,
        response: { 200: conversationOut, ...errors },
      },
      handler: async (request) => service.get(callerOf(request), request.params.id),
    });

    app.get('/chat/conversations/:id/messages', {
      config: visitorRoute,
      schema: {
        tags,
        summary: 'A conversation\u2019s messages after a number, oldest first',
        params: idParam,
        querystring: messagesQuery,
        response: { 200: z.object({ data: z.array(messageOut) }), ...errors },
      },
      handler: async (request) => ({
        data: await service.messages(
          callerOf(request),
          request.params.id,
          request.query.after,
          request.query.limit,
        ),
      }),
    });

    app.post('/chat/conversations/:id/messages', {
      config: visitorRoute,
      schema: {
        tags,
        summary: 'Send a message (stored before it is acknowledged; a resent clientId is stored once)',
        params: idParam,
        body: postBody,
        response: { 200: messageOut, 201: messageOut, ...errors },
      },
      handler: async (request, reply) => {
        const { message, created } = await service.post(callerOf(request), request.params.id, request.body);
        return reply.code(created ? 201 : 200).send(message);
      },
    });

    app.post('/chat/conversations/:id/attachments', {
      config: visitorRoute,
      schema: {
        tags,
        summary: 'Upload a file to send in the chat (multipart, field "file")',
        params: idParam,
        response: { 201: attachmentOut, ...errors, 413: problemSchema, 415: problemSchema },
      },
      handler: async (request, reply) => {
        const caller = callerOf(request);
        const upload = await readSingleUpload(request, {});
        return reply.code(201).send(await service.addAttachment(caller, request.params.id, upload));
      },
    });

    app.get('/chat/conversations/:id/attachments/:attachmentId', {
      config: visitorRoute,
      schema: {
        tags,
        summary: 'Download a file sent in the chat',
        params: z.object({ id: z.uuid(), attachmentId: z.uuid() }),
      },
      handler: async (request, reply) => {
        const { attachment, stream } = await service.openAttachment(
          callerOf(request),
          request.params.id,
          request.params.attachmentId,
        );
        return sendDownload(
          reply,
          {
            filename: attachment.filename,
            contentType: attachment.content_type,
            size: Number(attachment.size),
          },
          stream,
        );
      },
    });

    app.post('/chat/conversations/:id/typing', {
      config: visitorRoute,
      schema: {
        tags,
        summary: 'Typing, or stopped',
        params: idParam,
        body: typingBody,
        response: { 204: z.null(), ...errors },
      },
      handler: async (request, reply) => {
        await service.typing(callerOf(request), request.params.id, request.body.active);
        return reply.code(204).send(null);
      },
    });

    app.post('/chat/conversations/:id/receipts', {
      config: visitorRoute,
      schema: {
        tags,
        summary: 'What this side has received and seen',
        params: idParam,
        body: receiptBody,
        response: { 204: z.null(), ...errors },
      },
      handler: async (request, reply) => {
        await service.receipt(callerOf(request), request.params.id, request.body);
        return reply.code(204).send(null);
      },
    });

    app.get('/chat/conversations/:id/events', {
      config: visitorRoute,
      schema: {
        tags,
        summary: 'Long-poll fallback: the messages after a number, else the next event within `wait` seconds',
        params: idParam,
        querystring: eventsQuery,
        response: { 200: z.object({ frames: z.array(z.record(z.string(), z.unknown())) }), ...errors },
      },
      handler: async (request) => {
        const caller = callerOf(request);
        const access = await service.access(caller, request.params.id);
        return {
          frames: await longPoll(
            hub,
            repo,
            request.params.id,
            request.raw,
            access.side,
            request.query.after,
            request.query.wait,
          ),
        };
      },
    });

    app.post('/chat/conversations/:id/end', {
      config: visitorRoute,
      schema: {
        tags,
        summary: 'End the chat; the visitor may ask for the transcript by email',
        params: idParam,
        body: endBody,
        response: { 200: conversationOut, ...errors },
      },
      handler: async (request) =>
        service.end(callerOf(request), request.params.id, request.body.transcript ?? false),
    });

    app.post('/chat/conversations/:id/ticket', {
      config: visitorRoute,
      schema: {
        tags,
        summary: 'Turn the chat into a ticket (staff), or leave a ticket instead of waiting (visitor)',
        params: idParam,
        body: ticketBody,
        response: {
          201: z.object({ ticket: z.object({ id: z.string(), number: z.number() }) }),
          ...errors,
          422: problemSchema,
        },
      },
      handler: async (request, reply) => {
        const caller = callerOf(request);
        const { conversation, side, principal: staff } = await service.access(caller, request.params.id);
        if (side === 'visitor') {
          if (conversation.status !== 'queued')
            throw forbidden('An agent is in this chat: ask them to turn it into a ticket.');
          return reply
            .code(201)
            .send({ ticket: await chat.tickets.convert(conversation, { kind: 'visitor' }, {}) });
        }
        const ticket = await chat.tickets.convert(
          conversation,
          { kind: 'agent', principal: staff! },
          request.body,
        );
        return reply.code(201).send({ ticket });
      },
    });

    // The agents' side: staff only (the authentication hook refuses anonymous calls).
    app.get('/chat/queue', {
      schema: {
        tags,
        summary: 'Chats waiting (in queue order), mine, and who is present',
        response: { 200: queueOut, ...errors },
      },
      handler: async (request) => agents.queue(principal(request)),
    });
    app.put('/chat/presence', {
      schema: {
        tags,
        summary: 'Set my presence and chat capacity',
        body: presenceBody,
        response: { 200: presenceOut, ...errors },
      },
      handler: async (request) =>
        agents.setPresence(principal(request), request.body.status, request.body.capacity),
    });
    app.post('/chat/conversations/:id/accept', {
      schema: {
        tags,
        summary: 'Take a waiting chat',
        params: idParam,
        response: { 200: conversationOut, ...errors },
      },
      handler: async (request) => agents.accept(staffOnly(request), request.params.id),
    });
    app.post('/chat/conversations/:id/transfer', {
      schema: {
        tags,
        summary: 'Hand a chat to another online agent',
        params: idParam,
        body: transferBody,
        response: { 200: conversationOut, ...errors },
      },
      handler: async (request) =>
        agents.transfer(staffOnly(request), request.params.id, request.body.agentId),
    });
    app.get('/chat/canned-replies', {
      schema: {
        tags,
        summary: 'Canned replies',
        querystring: cannedQuery,
        response: { 200: z.object({ data: z.array(cannedOut) }), ...errors },
      },
      handler: async (request) => ({ data: await canned.list(principal(request), request.query) }),
    });
    app.post('/chat/canned-replies', {
      schema: {
        tags,
        summary: 'Save a canned reply',
        body: cannedCreate,
        response: { 201: cannedOut, ...errors },
      },
      handler: async (request, reply) =>
        reply.code(201).send(await canned.create(principal(request), request.body)),
    });
    app.patch('/chat/canned-replies/:id', {
      schema: {
        tags,
        summary: 'Edit a canned reply',
        params: idParam,
        body: cannedUpdate,
        response: { 200: cannedOut, ...errors },
      },
      handler: async (request) => canned.update(principal(request), request.params.id, request.body),
    });
    app.delete('/chat/canned-replies/:id', {
      schema: {
        tags,
        summary: 'Delete a canned reply',
        params: idParam,
        response: { 204: z.null(), ...errors },
      },
      handler: async (request, reply) => {
        await canned.remove(principal(request), request.params.id);
        return reply.code(204).send(null);
      },
    });
  };
}

function staffOnly(request: FastifyRequest) {
  const actor = principal(request);
  if (!isStaff(actor)) throw forbidden('Live chat is answered by staff.');
  return actor;
}

/**
 * The stored messages after `after`; when there are none, the next frame of the conversation, or
 * nothing after `wait` seconds. The poll listens before it reads, so nothing slips between the two.
 */
async function longPoll(
  hub: ChatHub,
  repo: ChatRepository,
  id: string,
  raw: IncomingMessage,
  side: 'visitor' | 'agent',
  after: number,
  wait: number,
): Promise<ServerFrame[]> {
  const frames: ServerFrame[] = [];
  let wake: (() => void) | undefined;
  const subscriber: ChatSubscriber = {
    id: newId(),
    side,
    send: (frame) => {
      frames.push(frame);
      // A few more frames may follow at once (a message and its receipt): answer on the next tick.
      setImmediate(() => wake?.());
    },
  };
  hub.join(id, subscriber);
  try {
    const stored = await repo.messagesAfter(id, after, 200);
    if (stored.length > 0 || wait === 0)
      return stored.map((m) => ({ type: 'message', conversationId: id, message: presentMessage(m) }));
    if (frames.length > 0) return frames;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait * 1000);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      wake = done;
      raw.once('close', done);
    });
    return frames;
  } finally {
    hub.leave(id, subscriber);
  }
}
