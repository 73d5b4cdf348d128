import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principal } from '../auth/hook.js';
import { idParams, idSchema } from '../shared/schema.js';
import { commonProblems, problemSchema } from '../http/problem-schema.js';
import { decodeCursor, pageQuery, pageSchema } from '../shared/pagination.js';
import { toIso } from '../shared/time.js';
import { ARTICLE_KINDS, ARTICLE_STATUSES, type HcLocale } from './model.js';
import {
  articleCreate,
  articleOut,
  articleUpdate,
  hcLocaleSchema,
  revisionOut,
  translationInput,
} from './schema.js';
import type { HelpCenterService } from './service.js';

const writeProblems = { ...commonProblems, 409: problemSchema };
const translationParams = z.strictObject({ id: idSchema, locale: hcLocaleSchema });
const articleListQuery = z.strictObject({
  kind: z.enum(ARTICLE_KINDS).optional(),
  status: z.enum(ARTICLE_STATUSES).optional().describe('Staff only; customers see published articles.'),
  sectionId: idSchema.optional(),
  locale: hcLocaleSchema.optional().describe('Only articles translated into this locale.'),
  ...pageQuery,
});

/** The help center's content under /helpcenter: read by anyone it is meant for, written by staff. */
export function helpCenterRoutes(helpCenter: HelpCenterService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['help center'];
    const reader = async (request: { principal: Parameters<HelpCenterService['viewer']>[0] }) =>
      helpCenter.viewer(request.principal);

    app.get('/helpcenter/articles', {
      config: { public: true },
      schema: {
        tags,
        summary:
          'Articles and known issues, most recently changed first; customers and visitors see the published ones meant for them',
        security: [],
        querystring: articleListQuery,
        response: { 200: pageSchema(articleOut), ...commonProblems },
      },
      handler: async (request) => {
        const { limit, cursor, kind, status, sectionId, locale } = request.query;
        return helpCenter.listArticles(
          await reader(request),
          {
            ...(kind ? { kind } : {}),
            ...(status ? { status } : {}),
            ...(sectionId ? { sectionId } : {}),
            ...(locale ? { locale } : {}),
          },
          limit,
          decodeCursor(cursor),
        );
      },
    });

    app.get('/helpcenter/articles/:id', {
      config: { public: true },
      schema: {
        tags,
        summary: 'One article with its translations',
        security: [],
        params: idParams,
        response: { 200: articleOut, ...commonProblems },
      },
      handler: async (request) => helpCenter.getArticle(await reader(request), request.params.id),
    });

    app.post('/helpcenter/articles', {
      schema: {
        tags,
        summary:
          'Write an article or known issue (staff), with its translations; status draft unless published at once',
        body: articleCreate,
        response: { 201: articleOut, ...writeProblems },
      },
      handler: async (request, reply) =>
        reply.code(201).send(await helpCenter.createArticle(principal(request), request.body)),
    });

    app.patch('/helpcenter/articles/:id', {
      schema: {
        tags,
        summary: 'Publish, archive, move, change the audience or a known issue’s status (staff)',
        params: idParams,
        body: articleUpdate,
        response: { 200: articleOut, ...writeProblems },
      },
      handler: async (request) =>
        helpCenter.updateArticle(principal(request), request.params.id, request.body),
    });

    app.delete('/helpcenter/articles/:id', {
      schema: {
        tags,
        summary: 'Delete an article for good (leads and admins; others archive)',
        params: idParams,
        response: { 204: z.null(), ...writeProblems },
      },
      handler: async (request, reply) => {
        await helpCenter.deleteArticle(principal(request), request.params.id);
        return reply.code(204).send(null);
      },
    });

    app.put('/helpcenter/articles/:id/translations/:locale', {
      schema: {
        tags,
        summary: 'Add or change one locale’s translation (staff); each save is a revision',
        params: translationParams,
        body: translationInput,
        response: { 200: articleOut, ...writeProblems },
      },
      handler: async (request) =>
        helpCenter.saveTranslation(
          principal(request),
          request.params.id,
          request.params.locale,
          request.body,
        ),
    });

    app.delete('/helpcenter/articles/:id/translations/:locale', {
      schema: {
        tags,
        summary: 'Remove one locale’s translation (staff)',
        params: translationParams,
        response: { 204: z.null(), ...writeProblems },
      },
      handler: async (request, reply) => {
        await helpCenter.deleteTranslation(principal(request), request.params.id, request.params.locale);
        return reply.code(204).send(null);
      },
    });

    app.get('/helpcenter/articles/:id/revisions', {
      schema: {
        tags,
        summary: 'An article’s revision history, newest first (staff)',
        params: idParams,
        querystring: z.strictObject({ locale: hcLocaleSchema.optional() }),
        response: { 200: z.object({ data: z.array(revisionOut) }), ...commonProblems },
      },
      handler: async (request) => {
        const rows = await helpCenter.revisions(principal(request), request.params.id, request.query.locale);
        return {
          data: rows.map((r) => ({
            id: r.id,
            locale: r.locale as HcLocale,
            revision: r.revision,
            title: r.title,
            summary: r.summary,
            bodyMarkdown: r.body_md,
            symptom: r.symptom,
            workaroundMarkdown: r.workaround_md,
            author: r.author_id && r.author_name ? { id: r.author_id, name: r.author_name } : null,
            at: toIso(r.at),
          })),
        };
      },
    });
  };
}
