import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principal } from '../auth/hook.js';
import { commonProblems, problemSchema } from '../http/problem-schema.js';
import { idParams } from '../shared/schema.js';
import {
  macroApplyOut,
  macroCreate,
  macroOut,
  macroParams,
  macroPreviewOut,
  macroQuery,
  macroUpdate,
} from './schema.js';
import type { MacrosService } from './service.js';

const tags = ['macros'];
const writeProblems = { ...commonProblems, 409: problemSchema, 422: problemSchema };

/** Macros (staff only): the library, and applying one to a ticket. */
export function macrosRoutes(macros: MacrosService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get('/macros', {
      schema: {
        tags,
        summary: 'The shared macros and your personal ones, by title',
        querystring: macroQuery,
        response: { 200: z.object({ data: z.array(macroOut) }), ...commonProblems },
      },
      handler: async (request) => ({ data: await macros.list(principal(request), request.query) }),
    });

    app.post('/macros', {
      schema: {
        tags,
        summary: 'Save a macro (shared: leads and admins only)',
        body: macroCreate,
        response: { 201: macroOut, ...writeProblems },
      },
      handler: async (request, reply) =>
        reply.code(201).send(await macros.create(principal(request), request.body)),
    });

    app.get('/macros/:id', {
      schema: {
        tags,
        summary: 'One macro',
        params: idParams,
        response: { 200: macroOut, ...commonProblems },
      },
      handler: async (request) => macros.get(principal(request), request.params.id),
    });

    app.patch('/macros/:id', {
      schema: {
        tags,
        summary: 'Edit a macro (your own; shared ones: leads and admins)',
        params: idParams,
        body: macroUpdate,
        response: { 200: macroOut, ...writeProblems },
      },
      handler: async (request) => macros.update(principal(request), request.params.id, request.body),
    });

    app.delete('/macros/:id', {
      schema: {
        tags,
        summary: 'Delete a macro (your own; shared ones: leads and admins)',
        params: idParams,
        response: { 204: z.null(), ...commonProblems },
      },
      handler: async (request, reply) => {
        await macros.remove(principal(request), request.params.id);
        return reply.code(204).send(null);
      },
    });

    app.post('/tickets/:id/macros/:macroId/preview', {
      schema: {
        tags,
        summary: 'What applying a macro would do, with its reply as the requester will read it',
        params: macroParams,
        response: { 200: macroPreviewOut, ...commonProblems },
      },
      handler: async (request) =>
        macros.preview(principal(request), request.params.id, request.params.macroId),
    });

    app.post('/tickets/:id/macros/:macroId', {
      schema: {
        tags,
        summary:
          'Apply a macro: its reply, status, priority, assignee and tags, in one transaction recorded in the event log',
        params: macroParams,
        response: { 200: macroApplyOut, ...writeProblems },
      },
      handler: async (request) => macros.apply(principal(request), request.params.id, request.params.macroId),
    });
  };
}
