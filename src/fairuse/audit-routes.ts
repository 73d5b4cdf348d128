import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principal } from '../auth/hook.js';
import { isLeadOrAdmin } from '../auth/principal.js';
import { idSchema, isoOut } from '../shared/schema.js';
import { commonProblems } from '../http/problem-schema.js';
import { decodeCursor, pageQuery, pageSchema, toPage } from '../shared/pagination.js';
import { forbidden } from '../shared/problem.js';
import { toIso } from '../shared/time.js';
import type { AuditLog } from './audit.js';

const auditQuery = z.strictObject({ organizationId: idSchema.optional(), ...pageQuery });

const auditEntryOut = z.object({
  id: z.string(),
  organizationId: z.string().nullable(),
  ticketId: z.string().nullable(),
  actor: z
    .object({ id: z.string(), name: z.string() })
    .nullable()
    .describe('Null for the desk itself (a P0 let through over a limit).'),
  action: z.string(),
  reason: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  at: isoOut,
});

/** The fair-use audit log: who did what, why and when, newest first (leads and admins). */
export function auditRoutes(audit: AuditLog) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get('/audit', {
      schema: {
        tags: ['fair use'],
        summary: 'The fair-use audit log, newest first, for one organization or the whole desk',
        querystring: auditQuery,
        response: { 200: pageSchema(auditEntryOut), ...commonProblems },
      },
      handler: async (request) => {
        if (!isLeadOrAdmin(principal(request))) throw forbidden('Only leads and admins read the audit log.');
        const { organizationId, limit, cursor } = request.query;
        const after = decodeCursor(cursor);
        const rows = await audit.list(
          { organizationId },
          limit,
          after ? { at: Number(after.k), id: after.id } : undefined,
        );
        return toPage(
          rows,
          limit,
          (r) => ({
            id: r.id,
            organizationId: r.organization_id,
            ticketId: r.ticket_id,
            actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? '' } : null,
            action: r.action,
            reason: r.reason,
            data: JSON.parse(r.data) as Record<string, unknown>,
            at: toIso(r.at),
          }),
          (r) => ({ k: r.at, id: r.id }),
        );
      },
    });
  };
}
