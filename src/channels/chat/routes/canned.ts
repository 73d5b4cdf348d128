import { z } from 'zod';
import { principal } from '../../../auth/hook.js';
import type { CannedReplies } from '../canned.js';
import { cannedCreate, cannedOut, cannedQuery, cannedUpdate, idParam } from '../schema.js';
import { errors, tags, type ChatApp } from './shared.js';

/** The agents' canned replies (staff only; the authentication hook refuses anonymous calls). */
export function cannedReplyRoutes(app: ChatApp, canned: CannedReplies) {
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
}
