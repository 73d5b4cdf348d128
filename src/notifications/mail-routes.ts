import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principal } from '../auth/hook.js';
import { isLeadOrAdmin } from '../auth/principal.js';
import { idParams } from '../shared/schema.js';
import { commonProblems, problemSchema } from '../http/problem-schema.js';
import { decodeCursor, pageSchema, toPage } from '../shared/pagination.js';
import { conflict, forbidden, notFound } from '../shared/problem.js';
import { toIso, toIsoOrNull, type Clock } from '../shared/time.js';
import { OUTBOX_STATUSES, type OutboxRepository, type OutboxRow } from './outbox.js';
import type { StaffReplyAddresses } from './reply-address.js';

// Bodies are left out: a queued password reset holds a one-time link that is the user's alone.
const outboxMailOut = z.object({
  id: z.string(),
  messageId: z.string(),
  kind: z.string(),
  ticketId: z.string().nullable(),
  to: z.string(),
  subject: z.string(),
  status: z.enum(OUTBOX_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z.iso.datetime().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.iso.datetime(),
  sentAt: z.iso.datetime().nullable(),
});

const listQuery = z.strictObject({
  status: z.enum(OUTBOX_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
});

function present(row: OutboxRow): z.infer<typeof outboxMailOut> {
  return {
    id: row.id,
    messageId: row.message_id,
    kind: row.kind,
    ticketId: row.ticket_id,
    to: row.to_address,
    subject: row.subject,
    status: row.status as z.infer<typeof outboxMailOut>['status'],
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? toIso(row.next_attempt_at) : null,
    lastError: row.last_error,
    createdAt: toIso(row.created_at),
    sentAt: toIsoOrNull(row.sent_at),
  };
}

function requireLeadOrAdmin(request: FastifyRequest) {
  if (!isLeadOrAdmin(principal(request))) throw forbidden('Only leads and admins see the mail outbox.');
}

/** The outgoing mail queue for leads and admins: what is waiting, what went out, what failed, and a retry. */
export function mailRoutes(outbox: OutboxRepository, clock: Clock, replyAddresses: StaffReplyAddresses) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['mail'];

    app.get('/tickets/:id/mail-address', {
      schema: {
        tags,
        summary:
          'Your own address for answering this ticket by mail (staff): a mail from you to it is your public reply; a From header alone never is',
        params: idParams,
        response: { 200: z.object({ address: z.string() }), ...commonProblems },
      },
      handler: async (request) => replyAddresses.forTicket(principal(request), request.params.id),
    });

    app.get('/mail/outbox', {
      schema: {
        tags,
        summary: 'Outgoing mail, newest first; status=failed lists the mail delivery gave up on',
        querystring: listQuery,
        response: { 200: pageSchema(outboxMailOut), ...commonProblems },
      },
      handler: async (request) => {
        requireLeadOrAdmin(request);
        const { status, limit, cursor } = request.query;
        const rows = await outbox.list(status, limit, decodeCursor(cursor));
        return toPage(rows, limit, present, (r) => ({ k: r.created_at, id: r.id }));
      },
    });

    app.post('/mail/outbox/:id/retry', {
      schema: {
        tags,
        summary: 'Send a failed mail again, with a fresh series of attempts',
        params: idParams,
        response: { 200: outboxMailOut, ...commonProblems, 409: problemSchema },
      },
      handler: async (request) => {
        requireLeadOrAdmin(request);
        const retried = await outbox.retry(request.params.id, clock());
        if (retried) return present(retried);
        const existing = await outbox.find(request.params.id);
        if (!existing) throw notFound('The mail');
        throw conflict(
          'mail-not-failed',
          `This mail is ${existing.status}; only a failed mail can be retried.`,
        );
      },
    });
  };
}
