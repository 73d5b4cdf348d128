import type {} from '@fastify/websocket';
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { newId } from '../../../shared/ids.js';
import type { ChatHub, ChatSubscriber } from '../hub.js';
import type { ServerFrame } from '../model.js';
import { presentMessage } from '../presenters.js';
import type { ChatRepository } from '../repository.js';
import { eventsQuery, idParam, receiptBody, typingBody } from '../schema.js';
import type { ChatService } from '../service.js';
import { handleChatSocket } from '../socket.js';
import { callerOf, errors, tags, visitorRoute, type ChatApp } from './shared.js';

/** What the live side of a chat reads and listens to. */
export interface LiveChat {
  service: ChatService;
  hub: ChatHub;
  repo: ChatRepository;
}

/** The chat WebSocket, for visitors and agents alike (not in the OpenAPI document). */
export function socketRoute(app: ChatApp, chat: LiveChat, sameOrigin: (request: FastifyRequest) => boolean) {
  const { service, repo, hub } = chat;
  app.get(
    '/chat/socket',
    { websocket: true, config: visitorRoute, schema: { hide: true } },
    (socket, request) =>
      handleChatSocket({ service, repo, hub, sameOrigin, log: request.log }, socket, request),
  );
}

/** Typing and receipts, and the long-poll fallback for networks that refuse WebSockets. */
export function signalRoutes(app: ChatApp, chat: LiveChat) {
  const { service, hub, repo } = chat;

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
      const { id } = request.params;
      const { side } = await service.access(callerOf(request), id);
      const { after, wait } = request.query;
      return { frames: await longPoll(hub, repo, id, request.raw, side, after, wait) };
    },
  });
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
