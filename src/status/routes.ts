import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principal } from '../auth/hook.js';
import { idParams } from '../shared/schema.js';
import { commonProblems, problemSchema } from '../http/problem-schema.js';
import { decodeCursor, pageSchema, toPage } from '../shared/pagination.js';
import { toIso, toIsoOrNull } from '../shared/time.js';
import type { StatusComponentRow } from './repository.js';
import {
  componentCreate,
  componentOut,
  componentUpdate,
  incidentCreate,
  incidentListItemOut,
  incidentListQuery,
  incidentOut,
  incidentUpdate,
  updateCreate,
  type ComponentOut,
  type IncidentListItemOut,
  type IncidentOut,
} from './schema.js';
import type { IncidentDetail, StatusService } from './service.js';

const writeProblems = { ...commonProblems, 409: problemSchema };

export function presentComponent(row: StatusComponentRow): ComponentOut {
  return {
    id: row.id,
    group: row.group_name,
    name: row.name,
    description: row.description,
    position: row.position,
    state: row.state,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

function presentListItem({
  incident: row,
  components,
}: Omit<IncidentDetail, 'updates'>): IncidentListItemOut {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    nameFr: row.name_fr,
    impact: row.impact,
    status: row.status as IncidentOut['status'],
    scheduledFor: toIsoOrNull(row.scheduled_for),
    scheduledUntil: toIsoOrNull(row.scheduled_until),
    autoTransition: row.auto_transition === 1,
    postmortemMarkdown: row.postmortem_md,
    postmortemHtml: row.postmortem_html,
    originTicketId: row.origin_ticket_id,
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    startedAt: toIsoOrNull(row.started_at),
    resolvedAt: toIsoOrNull(row.resolved_at),
    components,
  };
}

export function presentIncident(detail: IncidentDetail): IncidentOut {
  return {
    ...presentListItem(detail),
    updates: detail.updates.map((u) => ({
      id: u.id,
      status: u.status as IncidentOut['status'],
      body: u.body,
      bodyFr: u.body_fr,
      authorId: u.author_id,
      createdAt: toIso(u.created_at),
    })),
  };
}

/** The status page's administration under /status: components, incidents, maintenance (staff). */
export function statusRoutes(status: StatusService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['status'];

    app.get('/status/components', {
      schema: {
        tags,
        summary: 'Every component of the status page, by position (staff)',
        response: { 200: z.object({ data: z.array(componentOut) }), ...commonProblems },
      },
      handler: async (request) => ({
        data: (await status.listComponents(principal(request))).map(presentComponent),
      }),
    });

    app.post('/status/components', {
      schema: {
        tags,
        summary: 'Add a component, operational (staff)',
        body: componentCreate,
        response: { 201: componentOut, ...writeProblems },
      },
      handler: async (request, reply) =>
        reply
          .code(201)
          .send(presentComponent(await status.createComponent(principal(request), request.body))),
    });

    app.patch('/status/components/:id', {
      schema: {
        tags,
        summary: 'Rename, regroup or move a component, or set its state by hand (staff)',
        params: idParams,
        body: componentUpdate,
        response: { 200: componentOut, ...writeProblems },
      },
      handler: async (request) =>
        presentComponent(await status.updateComponent(principal(request), request.params.id, request.body)),
    });

    app.delete('/status/components/:id', {
      schema: {
        tags,
        summary: 'Remove a component and its history (staff)',
        params: idParams,
        response: { 204: z.null(), ...writeProblems },
      },
      handler: async (request, reply) => {
        await status.deleteComponent(principal(request), request.params.id);
        return reply.code(204).send(null);
      },
    });

    app.get('/status/incidents', {
      schema: {
        tags,
        summary: 'Incidents and maintenance, newest first (staff)',
        querystring: incidentListQuery,
        response: { 200: pageSchema(incidentListItemOut), ...commonProblems },
      },
      handler: async (request) => {
        const { kind, open, limit, cursor } = request.query;
        const { rows, components } = await status.listIncidents(
          principal(request),
          { ...(kind ? { kind } : {}), ...(open !== undefined ? { open } : {}) },
          limit,
          decodeCursor(cursor),
        );
        return toPage(
          rows,
          limit,
          (incident) =>
            presentListItem({
              incident,
              components: components
                .filter((c) => c.incident_id === incident.id)
                .map((c) => ({ id: c.component_id, name: c.name, state: c.state })),
            }),
          (row) => ({ k: row.created_at, id: row.id }),
        );
      },
    });

    app.post('/status/incidents', {
      schema: {
        tags,
        summary: 'Open an incident or schedule maintenance, with its first update (staff)',
        body: incidentCreate,
        response: { 201: incidentOut, ...writeProblems },
      },
      handler: async (request, reply) =>
        reply.code(201).send(presentIncident(await status.createIncident(principal(request), request.body))),
    });

    app.get('/status/incidents/:id', {
      schema: {
        tags,
        summary: 'One incident or maintenance with its components and updates, newest first (staff)',
        params: idParams,
        response: { 200: incidentOut, ...commonProblems },
      },
      handler: async (request) =>
        presentIncident(await status.getIncident(principal(request), request.params.id)),
    });

    app.patch('/status/incidents/:id', {
      schema: {
        tags,
        summary: 'Rename, change the impact or components, or write the postmortem once resolved (staff)',
        params: idParams,
        body: incidentUpdate,
        response: { 200: incidentOut, ...writeProblems },
      },
      handler: async (request) =>
        presentIncident(await status.updateIncident(principal(request), request.params.id, request.body)),
    });

    app.post('/status/incidents/:id/updates', {
      schema: {
        tags,
        summary: 'Publish an update: status, words, affected components (staff); subscribers are told',
        params: idParams,
        body: updateCreate,
        response: { 201: incidentOut, ...writeProblems },
      },
      handler: async (request, reply) =>
        reply
          .code(201)
          .send(presentIncident(await status.addUpdate(principal(request), request.params.id, request.body))),
    });
  };
}
