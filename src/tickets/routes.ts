import { sendDownload } from '../http/download.js';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principal } from '../auth/hook.js';
import { idParams, idSchema } from '../shared/schema.js';
import { commonProblems, problemSchema } from '../http/problem-schema.js';
import { pageSchema } from '../shared/pagination.js';
import { readSingleUpload } from '../http/multipart.js';
import { idempotencyHeaders, sendIdempotentAnswer, type IdempotentRequests } from '../http/idempotency.js';
import {
  attachmentOut,
  eventOut,
  messageCreate,
  messageOut,
  threadQuery,
  ticketCreate,
  ticketListQuery,
  ticketOut,
  ticketUpdate,
} from './schema.js';
import type { TicketAttachmentsService } from './attachments-service.js';
import type { TicketsService } from './service.js';
import { ticketMatchOut } from './search-port.js';
import type { TicketConversationService } from './conversation-service.js';

const tags = ['tickets'];
const writeProblems = {
  ...commonProblems,
  409: problemSchema,
  413: problemSchema,
  415: problemSchema,
  422: problemSchema,
};

export function ticketsRoutes(
  tickets: TicketsService,
  conversation: TicketConversationService,
  attachments: TicketAttachmentsService,
  idempotency: IdempotentRequests,
) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.post('/tickets', {
      schema: {
        tags,
        summary: 'File a ticket',
        headers: idempotencyHeaders,
        body: ticketCreate,
        response: { 201: ticketOut, ...writeProblems },
      },
      handler: async (request, reply) => {
        const actor = principal(request);
        const answer = await idempotency.run({
          userId: actor.userId,
          route: 'POST /tickets',
          key: request.headers['idempotency-key'],
          request: { body: request.body },
          perform: (record) => tickets.create(actor, request.body, undefined, record),
          present: (id) => tickets.get(actor, id),
        });
        return sendIdempotentAnswer(reply, answer);
      },
    });

    app.get('/tickets', {
      schema: {
        tags,
        summary: 'List tickets you may see, newest first, or search them (q)',
        querystring: ticketListQuery,
        response: {
          200: pageSchema(ticketOut.extend({ match: ticketMatchOut.optional() })),
          ...commonProblems,
        },
      },
      handler: async (request) => tickets.list(principal(request), request.query),
    });

    app.get('/tickets/:id', {
      schema: {
        tags,
        summary: 'One ticket',
        params: idParams,
        response: { 200: ticketOut, ...commonProblems },
      },
      handler: async (request) => tickets.get(principal(request), request.params.id),
    });

    app.patch('/tickets/:id', {
      schema: {
        tags,
        summary: 'Triage: status, priority (with a reason), assignee, subject, request type',
        params: idParams,
        body: ticketUpdate,
        response: { 200: ticketOut, ...writeProblems },
      },
      handler: async (request) => tickets.update(principal(request), request.params.id, request.body),
    });

    app.get('/tickets/:id/messages', {
      schema: {
        tags,
        summary: 'The conversation, oldest first (customers see public replies only)',
        params: idParams,
        querystring: threadQuery,
        response: { 200: pageSchema(messageOut), ...commonProblems },
      },
      handler: async (request) =>
        conversation.listMessages(
          principal(request),
          request.params.id,
          request.query.limit,
          request.query.cursor,
        ),
    });

    app.post('/tickets/:id/messages', {
      schema: {
        tags,
        summary: 'Reply publicly or add an internal note',
        params: idParams,
        headers: idempotencyHeaders,
        body: messageCreate,
        response: { 201: messageOut, ...writeProblems },
      },
      handler: async (request, reply) => {
        const actor = principal(request);
        const ticketId = request.params.id;
        const answer = await idempotency.run({
          userId: actor.userId,
          route: 'POST /tickets/:id/messages',
          key: request.headers['idempotency-key'],
          request: { params: request.params, body: request.body },
          perform: (record) => conversation.addMessage(actor, ticketId, request.body, record),
          present: (id) => conversation.getMessage(actor, ticketId, id),
        });
        return sendIdempotentAnswer(reply, answer);
      },
    });

    app.get('/tickets/:id/events', {
      schema: {
        tags,
        summary: 'The append-only event log, oldest first',
        params: idParams,
        querystring: threadQuery,
        response: { 200: pageSchema(eventOut), ...commonProblems },
      },
      handler: async (request) =>
        conversation.listEvents(
          principal(request),
          request.params.id,
          request.query.limit,
          request.query.cursor,
        ),
    });

    app.get('/tickets/:id/attachments', {
      schema: {
        tags,
        summary: 'Attachments of a ticket',
        params: idParams,
        response: { 200: z.object({ data: z.array(attachmentOut) }), ...commonProblems },
      },
      handler: async (request) => ({
        data: await attachments.listAttachments(principal(request), request.params.id),
      }),
    });

    app.post('/tickets/:id/attachments', {
      schema: {
        tags,
        summary: 'Upload one attachment (multipart/form-data: field "file", optional field "messageId")',
        consumes: ['multipart/form-data'],
        params: idParams,
        response: { 201: attachmentOut, ...writeProblems },
      },
      handler: async (request, reply) => {
        const upload = await readSingleUpload(request, { messageId: idSchema });
        return reply.code(201).send(
          await attachments.addAttachment(principal(request), request.params.id, {
            ...upload,
            messageId: upload.fields.messageId,
          }),
        );
      },
    });

    app.get('/attachments/:id', {
      schema: {
        tags,
        summary: 'Download an attachment (sent with nosniff and a sandboxing CSP)',
        params: idParams,
      },
      handler: async (request, reply) => {
        const { attachment, stream } = await attachments.openAttachment(
          principal(request),
          request.params.id,
        );
        return sendDownload(reply, attachment, stream);
      },
    });
  };
}
