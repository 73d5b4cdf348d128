import { toIso } from '../../shared/time.js';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principal } from '../../auth/hook.js';
import { idParams, isoOut } from '../../shared/schema.js';
import { commonProblems, problemSchema } from '../../http/problem-schema.js';
import type { IncidentNotices } from './notices.js';
import {
  confirmIncidentBody,
  incidentFromTicketBody,
  incidentTicketParams,
  linkedTicketOut,
  linkedTicketsQuery,
  linkTicketsBody,
  noticeBody,
  openIncidentOut,
  publicIncidentOut,
  resolveTicketsBody,
  ticketIncidentOut,
} from './schema.js';
import type { IncidentTickets } from './service.js';

/** Incidents and tickets: opening, linking, listing, resolving, and proactive notices. Mounted under /api/v1. */
export function incidentTicketRoutes(incidentTickets: IncidentTickets, notices: IncidentNotices) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['status'];

    app.post('/tickets/:id/incident', {
      schema: {
        tags,
        summary:
          'Open a status incident from a P0 or P1 ticket (staff); the ticket is linked and gets every update as a public reply',
        params: idParams,
        body: incidentFromTicketBody,
        response: { 201: publicIncidentOut, 422: problemSchema, ...commonProblems },
      },
      handler: async (request, reply) =>
        reply
          .code(201)
          .send(await incidentTickets.openFromTicket(principal(request), request.params.id, request.body)),
    });

    app.get('/tickets/:id/incidents', {
      schema: {
        tags,
        summary: 'The incidents a ticket is linked to, for its readers; staff also see how it was linked',
        params: idParams,
        response: { 200: z.object({ data: z.array(ticketIncidentOut) }), ...commonProblems },
      },
      handler: async (request) => ({
        data: await incidentTickets.forTicket(principal(request), request.params.id),
      }),
    });

    app.get('/tickets/:id/incidents/suggested', {
      schema: {
        tags,
        summary:
          'Open incidents this ticket may be about and is not linked to (major or critical, begun before it or within the hour after), for its readers',
        params: idParams,
        response: { 200: z.object({ data: z.array(publicIncidentOut) }), ...commonProblems },
      },
      handler: async (request) => ({
        data: await incidentTickets.suggestedFor(principal(request), request.params.id),
      }),
    });
    app.post('/tickets/:id/incidents', {
      schema: {
        tags,
        summary:
          'Link this ticket to an incident: a customer confirms a suggested incident, staff link any; the ticket then gets the incident’s updates',
        params: idParams,
        body: confirmIncidentBody,
        response: {
          200: z.object({ data: z.array(ticketIncidentOut) }),
          422: problemSchema,
          ...commonProblems,
        },
      },
      handler: async (request) => ({
        data: await incidentTickets.confirm(principal(request), request.params.id, request.body.incidentId),
      }),
    });
    app.get('/status/open-incidents', {
      schema: {
        tags,
        summary:
          'Open incidents, for signed-in customers and staff (the ticket form shows them before sending)',
        response: { 200: z.object({ data: z.array(openIncidentOut) }), ...commonProblems },
      },
      handler: async (request) => ({ data: await incidentTickets.openIncidents(principal(request)) }),
    });

    app.post('/status/incidents/:id/tickets', {
      schema: {
        tags,
        summary:
          'Link up to 500 tickets to an incident (staff); all or none: an unknown ticket links nothing',
        params: idParams,
        body: linkTicketsBody,
        response: {
          200: z.object({ linked: z.number().int(), alreadyLinked: z.number().int() }),
          ...commonProblems,
        },
      },
      handler: async (request) =>
        incidentTickets.link(principal(request), request.params.id, request.body.ticketIds),
    });

    app.get('/status/incidents/:id/tickets', {
      schema: {
        tags,
        summary: 'The tickets linked to an incident (staff), most recently linked first',
        params: idParams,
        querystring: linkedTicketsQuery,
        response: {
          200: z.object({ data: z.array(linkedTicketOut), nextCursor: z.string().nullable() }),
          ...commonProblems,
        },
      },
      handler: async (request) =>
        incidentTickets.listLinked(
          principal(request),
          request.params.id,
          request.query.limit,
          request.query.cursor,
        ),
    });

    app.delete('/status/incidents/:id/tickets/:ticketId', {
      schema: {
        tags,
        summary: 'Unlink a ticket from an incident (staff)',
        params: incidentTicketParams,
        response: { 204: z.null(), ...commonProblems },
      },
      handler: async (request, reply) => {
        await incidentTickets.unlink(principal(request), request.params.id, request.params.ticketId);
        return reply.code(204).send(null);
      },
    });

    app.post('/status/incidents/:id/resolve-tickets', {
      schema: {
        tags,
        summary:
          'Resolve every open linked ticket with a reply: the given body or the incident’s latest update (staff)',
        params: idParams,
        body: resolveTicketsBody,
        response: { 200: z.object({ resolved: z.number().int() }), 422: problemSchema, ...commonProblems },
      },
      handler: async (request) =>
        incidentTickets.resolveTickets(principal(request), request.params.id, request.body.body),
    });

    app.get('/organizations/:id/notices', {
      schema: {
        tags,
        summary: 'The proactive notices an organization’s contacts were sent, newest first (staff)',
        params: idParams,
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: {
          200: z.object({
            data: z.array(
              z.object({
                id: z.string(),
                incident: z.object({ id: z.string(), name: z.string() }).nullable(),
                subject: z.string(),
                body: z.string(),
                recipients: z.number().int(),
                at: isoOut,
                sentBy: z.object({ id: z.string(), name: z.string() }).nullable(),
              }),
            ),
          }),
          ...commonProblems,
        },
      },
      handler: async (request) => {
        const rows = await notices.forOrganization(
          principal(request),
          request.params.id,
          request.query.limit,
        );
        return {
          data: rows.map((r) => ({
            id: r.id,
            incident: r.incident_id && r.incident_name ? { id: r.incident_id, name: r.incident_name } : null,
            subject: r.subject,
            body: r.body,
            recipients: r.recipients,
            at: toIso(r.at),
            sentBy: r.sent_by && r.sent_by_name ? { id: r.sent_by, name: r.sent_by_name } : null,
          })),
        };
      },
    });

    app.post('/status/incidents/:id/notices', {
      schema: {
        tags,
        summary:
          'Mail a notice about an incident to the active contacts of every organization, or of some tiers (leads and admins)',
        params: idParams,
        body: noticeBody,
        response: {
          200: z.object({ organizations: z.number().int(), recipients: z.number().int() }),
          ...commonProblems,
        },
      },
      handler: async (request) => notices.send(principal(request), request.params.id, request.body),
    });
  };
}
