import { z } from 'zod';
import { sendDownload } from '../../../http/download.js';
import { readSingleUpload } from '../../../http/multipart.js';
import { problemSchema } from '../../../http/problem-schema.js';
import { attachmentOut, idParam, messageOut, messagesQuery, postBody } from '../schema.js';
import type { ChatService } from '../service.js';
import { callerOf, errors, tags, visitorRoute, type ChatApp } from './shared.js';

/** A conversation's messages and the files sent with them, for either side. */
export function messageRoutes(app: ChatApp, service: ChatService) {
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
      const { filename, content_type: contentType, size } = attachment;
      return sendDownload(reply, { filename, contentType, size: Number(size) }, stream);
    },
  });
}
