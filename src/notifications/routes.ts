import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principal } from '../auth/hook.js';
import { idParams } from '../shared/schema.js';
import { commonProblems } from '../http/problem-schema.js';
import { decodeCursor, pageSchema, toPage } from '../shared/pagination.js';
import { notFound } from '../shared/problem.js';
import { toIso, toIsoOrNull, type Clock } from '../shared/time.js';
import type { NotificationsRepository } from './repository.js';

const notificationOut = z.object({
  id: z.string(),
  ticketId: z.string().nullable(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  createdAt: z.iso.datetime(),
  readAt: z.iso.datetime().nullable(),
});

const listQuery = z.strictObject({
  unread: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
});

export function notificationsRoutes(repo: NotificationsRepository, clock: Clock) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['notifications'];

    app.get('/notifications', {
      schema: {
        tags,
        summary: 'Your notifications, newest first',
        querystring: listQuery,
        response: { 200: pageSchema(notificationOut), ...commonProblems },
      },
      handler: async (request) => {
        const { limit, cursor, unread } = request.query;
        const rows = await repo.list(
          principal(request).userId,
          unread === 'true',
          limit,
          decodeCursor(cursor),
        );
        return toPage(
          rows,
          limit,
          (n) => ({
            id: n.id,
            ticketId: n.ticket_id,
            kind: n.kind,
            title: n.title,
            body: n.body,
            createdAt: toIso(n.created_at),
            readAt: toIsoOrNull(n.read_at),
          }),
          (n) => ({ k: n.created_at, id: n.id }),
        );
      },
    });

    app.post('/notifications/:id/read', {
      schema: {
        tags,
        summary: 'Mark one of your notifications read',
        params: idParams,
        response: { 204: z.null(), ...commonProblems },
      },
      handler: async (request, reply) => {
        if (!(await repo.markRead(principal(request).userId, request.params.id, clock())))
          throw notFound('The notification');
        return reply.code(204).send(null);
      },
    });
  };
}
