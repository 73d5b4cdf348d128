import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principal } from '../auth/hook.js';
import { idParams } from '../shared/schema.js';
import { commonProblems, problemSchema } from '../http/problem-schema.js';
import {
  categoryCreate,
  categoryOut,
  categoryUpdate,
  sectionCreate,
  sectionOut,
  sectionUpdate,
} from './schema.js';
import type { HelpCenterStructure } from './structure-service.js';

const writeProblems = { ...commonProblems, 409: problemSchema };

/** Categories and sections under /helpcenter: read by anyone, arranged by leads and admins. */
export function helpCenterStructureRoutes(structure: HelpCenterStructure) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['help center'];

    app.get('/helpcenter/categories', {
      config: { public: true },
      schema: {
        tags,
        summary: 'Categories with their sections, in order',
        security: [],
        response: { 200: z.object({ data: z.array(categoryOut) }), ...commonProblems },
      },
      handler: async () => ({ data: await structure.listCategories() }),
    });

    app.post('/helpcenter/categories', {
      schema: {
        tags,
        summary: 'Create a category (leads and admins)',
        body: categoryCreate,
        response: { 201: categoryOut, ...writeProblems },
      },
      handler: async (request, reply) =>
        reply.code(201).send(await structure.createCategory(principal(request), request.body)),
    });

    app.patch('/helpcenter/categories/:id', {
      schema: {
        tags,
        summary: 'Rename or move a category',
        params: idParams,
        body: categoryUpdate,
        response: { 200: categoryOut, ...writeProblems },
      },
      handler: async (request) =>
        structure.updateCategory(principal(request), request.params.id, request.body),
    });

    app.delete('/helpcenter/categories/:id', {
      schema: {
        tags,
        summary: 'Delete an empty category',
        params: idParams,
        response: { 204: z.null(), ...writeProblems },
      },
      handler: async (request, reply) => {
        await structure.deleteCategory(principal(request), request.params.id);
        return reply.code(204).send(null);
      },
    });

    app.post('/helpcenter/sections', {
      schema: {
        tags,
        summary: 'Create a section in a category (leads and admins)',
        body: sectionCreate,
        response: { 201: sectionOut, ...writeProblems },
      },
      handler: async (request, reply) =>
        reply.code(201).send(await structure.createSection(principal(request), request.body)),
    });

    app.patch('/helpcenter/sections/:id', {
      schema: {
        tags,
        summary: 'Rename or move a section',
        params: idParams,
        body: sectionUpdate,
        response: { 200: sectionOut, ...writeProblems },
      },
      handler: async (request) =>
        structure.updateSection(principal(request), request.params.id, request.body),
    });

    app.delete('/helpcenter/sections/:id', {
      schema: {
        tags,
        summary: 'Delete a section; its articles stay, without a section',
        params: idParams,
        response: { 204: z.null(), ...writeProblems },
      },
      handler: async (request, reply) => {
        await structure.deleteSection(principal(request), request.params.id);
        return reply.code(204).send(null);
      },
    });
  };
}
