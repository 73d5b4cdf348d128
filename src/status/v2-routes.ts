import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { v5 as uuidv5 } from 'uuid';
import { z } from 'zod';
import type { ComponentState, StatusIncidentTable } from '../db/tables.js';
import { toIso, toIsoOrNull } from '../shared/time.js';
import { matchesEtag, StatusRenderCache } from './render-cache.js';
import type { StatusComponentRow, StatusComponentStateRow } from './repository.js';
import {
  v2Component,
  v2Incident,
  v2Maintenance,
  v2Page,
  v2Status,
  type V2Component,
  type V2Incident,
  type V2IncidentUpdate,
  type V2Maintenance,
  type V2Page,
} from './schema.js';
import { worstState, type IncidentDetail, type StatusPageInfo, type StatusService } from './service.js';

/*
 * The public JSON of a hosted status page, in the format of Atlassian Statuspage's public API v2
 * (the /api/v2/*.json documents that status widgets, monitors and aggregators read). Followed: the
 * `page` object {id, name, url, time_zone, updated_at}; `status` {indicator, description} with the
 * indicator none, minor, major, critical or maintenance; components with group components
 * (`group: true`, `components: [ids]`) and `group_id` on their members; incidents and scheduled
 * maintenances with `incident_updates` (newest first, `affected_components` as {code, name,
 * old_status, new_status} or null) and their `components`; incidents.json and
 * scheduled-maintenances.json give the 50 most recent, summary.json the unresolved incidents and the
 * upcoming and active maintenances. Ids are Accord's UUIDs; group ids and the page id are derived
 * (UUID v5) from the group name and the page URL, so they stay the same from one read to the next.
 */

export type PageIndicator = 'none' | 'minor' | 'major' | 'critical' | 'maintenance';

/** The overall status, in the words of the hosted status-page format. */
export const INDICATOR_DESCRIPTIONS: Record<PageIndicator, string> = {
  none: 'All Systems Operational',
  minor: 'Minor Service Outage',
  major: 'Partial System Outage',
  critical: 'Major System Outage',
  maintenance: 'Service Under Maintenance',
};

const INDICATOR_SEVERITY: Record<PageIndicator, number> = {
  none: 0,
  maintenance: 1,
  minor: 2,
  major: 3,
  critical: 4,
};
const STATE_INDICATOR: Record<ComponentState, PageIndicator> = {
  operational: 'none',
  under_maintenance: 'maintenance',
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
};

/**
 * The page's indicator: the worst of the components' states (degraded performance is minor, a
 * partial outage major, a major outage critical, maintenance maintenance), the impacts of the
 * unresolved incidents, and maintenance under way.
 */
export function pageIndicator(
  componentStates: readonly ComponentState[],
  unresolvedImpacts: readonly StatusIncidentTable['impact'][],
  maintenanceUnderWay: boolean,
): PageIndicator {
  const candidates: PageIndicator[] = [
    ...componentStates.map((s) => STATE_INDICATOR[s]),
    ...unresolvedImpacts.map((i): PageIndicator => (i === 'maintenance' ? 'maintenance' : i)),
    ...(maintenanceUnderWay ? (['maintenance'] as const) : []),
  ];
  return candidates.reduce<PageIndicator>(
    (worst, i) => (INDICATOR_SEVERITY[i] > INDICATOR_SEVERITY[worst] ? i : worst),
    'none',
  );
}

const RECENT = 50;
const OPEN_LIMIT = 100;
const UNRESOLVED = ['investigating', 'identified', 'monitoring'];
const UPCOMING = ['scheduled'];
const ACTIVE = ['in_progress', 'verifying'];

interface Presenter {
  page: V2Page;
  components: Map<string, V2Component>;
}

function presentComponents(rows: readonly StatusComponentRow[], pageId: string): V2Component[] {
  const sorted = [...rows].sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
  const groups = new Map<string, StatusComponentRow[]>();
  for (const row of sorted)
    if (row.group_name !== null) groups.set(row.group_name, [...(groups.get(row.group_name) ?? []), row]);
  const groupId = (name: string) => uuidv5(`group:${name}`, pageId);
  const member = (row: StatusComponentRow): V2Component => ({
    id: row.id,
    name: row.name,
    status: row.state,
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
    position: row.position,
    description: row.description === '' ? null : row.description,
    showcase: true,
    start_date: toIso(row.created_at).slice(0, 10),
    group_id: row.group_name === null ? null : groupId(row.group_name),
    page_id: pageId,
    group: false,
    only_show_if_degraded: false,
  });
  const out: V2Component[] = [];
  const shown = new Set<string>();
  for (const row of sorted) {
    if (row.group_name === null) {
      out.push(member(row));
      continue;
    }
    if (shown.has(row.group_name)) continue;
    shown.add(row.group_name);
    const members = groups.get(row.group_name)!;
    out.push({
      id: groupId(row.group_name),
      name: row.group_name,
      status: worstState(members.map((m) => m.state)),
      created_at: toIso(Math.min(...members.map((m) => m.created_at))),
      updated_at: toIso(Math.max(...members.map((m) => m.updated_at))),
      position: row.position,
      description: null,
      showcase: false,
      start_date: null,
      group_id: null,
      page_id: pageId,
      group: true,
      only_show_if_degraded: false,
      components: members.map((m) => m.id),
    });
    out.push(...members.map(member));
  }
  return out;
}

/** Each update's component changes: the history rows its incident wrote at its instant. */
function affectedComponents(
  detail: IncidentDetail,
  createdAt: number,
  history: readonly StatusComponentStateRow[],
  names: Map<string, string>,
): V2IncidentUpdate['affected_components'] {
  const changes = history.filter((h) => h.incident_id === detail.incident.id && h.from_at === createdAt);
  if (changes.length === 0) return null;
  return changes.map((change) => {
    const earlier = history.filter(
      (h) =>
        h.component_id === change.component_id &&
        (h.from_at < change.from_at || (h.from_at === change.from_at && h.id < change.id)),
    );
    const previous: ComponentState = earlier.at(-1)?.state ?? 'operational';
    return {
      code: change.component_id,
      name: names.get(change.component_id) ?? '',
      old_status: previous,
      new_status: change.state,
    };
  });
}

function presentIncident(
  detail: IncidentDetail,
  presenter: Presenter,
  history: readonly StatusComponentStateRow[],
): V2Incident {
  const { incident: row, updates } = detail;
  const names = new Map(detail.components.map((c) => [c.id, c.name]));
  const monitoring = updates.filter((u) => u.status === 'monitoring').at(-1);
  return {
    id: row.id,
    name: row.name,
    status: row.status as V2Incident['status'],
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
    monitoring_at: toIsoOrNull(monitoring?.created_at ?? null),
    resolved_at: toIsoOrNull(row.resolved_at),
    impact: row.impact,
    shortlink: `${presenter.page.url}/incidents/${row.id}`,
    started_at: toIso(row.started_at ?? row.created_at),
    page_id: presenter.page.id,
    incident_updates: updates.map((u) => ({
      id: u.id,
      status: u.status as V2Incident['status'],
      body: u.body,
      incident_id: row.id,
      created_at: toIso(u.created_at),
      updated_at: toIso(u.created_at),
      display_at: toIso(u.created_at),
      affected_components: affectedComponents(detail, u.created_at, history, names),
      deliver_notifications: true,
    })),
    components: detail.components.flatMap((c) => {
      const component = presenter.components.get(c.id);
      return component ? [component] : [];
    }),
  };
}

function presentMaintenance(
  detail: IncidentDetail,
  presenter: Presenter,
  history: readonly StatusComponentStateRow[],
): V2Maintenance {
  return {
    ...presentIncident(detail, presenter, history),
    scheduled_for: toIsoOrNull(detail.incident.scheduled_for),
    scheduled_until: toIsoOrNull(detail.incident.scheduled_until),
  };
}

const presentPage = (info: StatusPageInfo): V2Page => ({
  id: uuidv5(info.url, uuidv5.URL),
  name: info.name,
  url: info.url,
  time_zone: info.timeZone,
  updated_at: toIso(info.updatedAt),
});

/**
 * The hosted status-page JSON at /api/v2: public, cacheable for a few seconds, readable cross-origin.
 * Each document is rendered once per change of the status data and served from memory in between
 * (StatusRenderCache), with an ETag a reader can revalidate with.
 */
export function statusV2Routes(
  status: StatusService,
  options: { maxAgeSeconds?: number; clock?: () => number } = {},
) {
  const maxAge = options.maxAgeSeconds ?? 5;
  const cache = new StatusRenderCache({
    readVersion: () => status.version(),
    clock: options.clock ?? Date.now,
    maxAgeMs: maxAge * 1000,
  });
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    // Widgets on customers' sites fetch these; errors carry the headers too, so they can be read.
    app.addHook('onSend', async (_request, reply) => {
      reply.header('access-control-allow-origin', '*');
      reply.header('cache-control', `public, max-age=${maxAge}`);
    });

    const presenter = async () => {
      const rows = await status.components();
      const page = presentPage(await status.page(rows));
      const list = presentComponents(rows, page.id);
      return { page, list, components: new Map(list.map((c) => [c.id, c])) };
    };
    const incidents = async (p: Presenter, statuses: readonly string[] | 'recent') => {
      const details = await status.publicIncidents(
        'incident',
        statuses,
        statuses === 'recent' ? RECENT : OPEN_LIMIT,
      );
      const history = await status.stateChanges(details);
      return details.map((d) => presentIncident(d, p, history));
    };
    const maintenances = async (p: Presenter, statuses: readonly string[] | 'recent') => {
      const details = await status.publicIncidents(
        'maintenance',
        statuses,
        statuses === 'recent' ? RECENT : OPEN_LIMIT,
      );
      const history = await status.stateChanges(details);
      return details.map((d) => presentMaintenance(d, p, history));
    };
    const indicatorOf = (components: V2Component[], unresolved: V2Incident[], active: boolean) => {
      const indicator = pageIndicator(
        components.filter((c) => !c.group).map((c) => c.status),
        unresolved.map((i) => i.impact),
        active,
      );
      return { indicator, description: INDICATOR_DESCRIPTIONS[indicator] };
    };

    const schema = <T extends z.ZodType>(summary: string, response: T) => ({
      tags: ['status'],
      summary,
      security: [],
      response: { 200: response },
    });
    const config = { public: true };
    /** Serves the document at the request's path from the cache, validated by its schema once per rendering. */
    const cached =
      <T extends z.ZodType>(response: T, build: () => Promise<z.input<T>>) =>
      async (request: FastifyRequest, reply: FastifyReply) => {
        const path = request.routeOptions.url ?? request.url;
        const { body, etag } = await cache.get(path, async () => ({
          status: 200,
          body: JSON.stringify(response.parse(await build())),
        }));
        void reply.header('etag', etag).type('application/json; charset=utf-8');
        if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
        return reply.send(body);
      };
    const incidentList = z.object({ page: v2Page, incidents: z.array(v2Incident) });
    const maintenanceList = z.object({ page: v2Page, scheduled_maintenances: z.array(v2Maintenance) });

    const summary = z.object({
      page: v2Page,
      components: z.array(v2Component),
      incidents: z.array(v2Incident),
      scheduled_maintenances: z.array(v2Maintenance),
      status: v2Status,
    });
    app.get('/api/v2/summary.json', {
      config,
      schema: schema(
        'The page, its status, components, unresolved incidents and upcoming or active maintenance',
        summary,
      ),
      handler: cached(summary, async () => {
        const p = await presenter();
        const unresolved = await incidents(p, UNRESOLVED);
        const scheduled = await maintenances(p, [...UPCOMING, ...ACTIVE]);
        const active = scheduled.some((m) => ACTIVE.includes(m.status));
        return {
          page: p.page,
          components: p.list,
          incidents: unresolved,
          scheduled_maintenances: scheduled,
          status: indicatorOf(p.list, unresolved, active),
        };
      }),
    });

    const pageStatus = z.object({ page: v2Page, status: v2Status });
    app.get('/api/v2/status.json', {
      config,
      schema: schema('The page and its overall status', pageStatus),
      handler: cached(pageStatus, async () => {
        const p = await presenter();
        const unresolved = await incidents(p, UNRESOLVED);
        const active = (await status.publicIncidents('maintenance', ACTIVE, 1)).length > 0;
        return { page: p.page, status: indicatorOf(p.list, unresolved, active) };
      }),
    });

    const componentList = z.object({ page: v2Page, components: z.array(v2Component) });
    app.get('/api/v2/components.json', {
      config,
      schema: schema('Every component, groups included', componentList),
      handler: cached(componentList, async () => {
        const p = await presenter();
        return { page: p.page, components: p.list };
      }),
    });

    app.get('/api/v2/incidents.json', {
      config,
      schema: schema('The 50 most recent incidents', incidentList),
      handler: cached(incidentList, async () => {
        const p = await presenter();
        return { page: p.page, incidents: await incidents(p, 'recent') };
      }),
    });

    app.get('/api/v2/incidents/unresolved.json', {
      config,
      schema: schema('Incidents not yet resolved', incidentList),
      handler: cached(incidentList, async () => {
        const p = await presenter();
        return { page: p.page, incidents: await incidents(p, UNRESOLVED) };
      }),
    });

    for (const [path, summary, statuses] of [
      ['scheduled-maintenances.json', 'The 50 most recent scheduled maintenances', 'recent'],
      ['scheduled-maintenances/upcoming.json', 'Maintenance still scheduled', UPCOMING],
      ['scheduled-maintenances/active.json', 'Maintenance in progress or verifying', ACTIVE],
    ] as const) {
      app.get(`/api/v2/${path}`, {
        config,
        schema: schema(summary, maintenanceList),
        handler: cached(maintenanceList, async () => {
          const p = await presenter();
          return { page: p.page, scheduled_maintenances: await maintenances(p, statuses) };
        }),
      });
    }
  };
}
