import { z } from 'zod';
import { problemSchema } from '../../../http/problem-schema.js';
import { forbidden } from '../../../shared/problem.js';
import {
  availabilityOut,
  availabilityQuery,
  conversationOut,
  endBody,
  idParam,
  startBody,
  startOut,
  ticketBody,
} from '../schema.js';
import type { ChatAccess, ChatService } from '../service.js';
import type { ChatTickets } from '../tickets.js';
import { callerOf, clientKey, errors, tags, visitorRoute, type ChatApp } from './shared.js';

/** Opening a chat: whether anyone is online, starting a conversation, and reading it back. */
export function conversationRoutes(app: ChatApp, service: ChatService) {
  app.get('/chat/availability', {
    config: visitorRoute,
    schema: {
      tags,
      summary:
        'Whether agents are online to chat now, the policy\u2019s priority names and the support address',
      security: [],
      querystring: availabilityQuery,
      response: { 200: availabilityOut, 400: problemSchema },
    },
    handler: async (request) => service.availability(request.query.locale ?? 'en'),
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
}

/** Closing a chat: ending it, or turning it into a ticket. */
export function closingRoutes(app: ChatApp, service: ChatService, tickets: ChatTickets) {
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
      const access = await service.access(callerOf(request), request.params.id);
      return reply.code(201).send({ ticket: await convertToTicket(tickets, access, request.body) });
    },
  });
}

/**
 * A visitor may leave a ticket only while still waiting, and chooses nothing about it; staff may
 * convert any chat, with a subject and priority.
 */
async function convertToTicket(
  tickets: ChatTickets,
  { conversation, side, principal: staff }: ChatAccess,
  input: z.infer<typeof ticketBody>,
) {
  if (side === 'visitor') {
    if (conversation.status !== 'queued')
      throw forbidden('An agent is in this chat: ask them to turn it into a ticket.');
    return tickets.convert(conversation, { kind: 'visitor' }, {});
  }
  return tickets.convert(conversation, { kind: 'agent', principal: staff! }, input);
}
