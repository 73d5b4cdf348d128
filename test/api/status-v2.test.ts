import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMaintenance } from '../../src/status/maintenance.js';
import { StatusRepository } from '../../src/status/repository.js';
import { statusRoutes } from '../../src/status/routes.js';
import { StatusService } from '../../src/status/service.js';
import { statusV2Routes } from '../../src/status/v2-routes.js';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

const ADMIN = '/api/v1/status';
const V2 = '/api/v2';
const HOUR = 3600_000;

const COMPONENT_KEYS = [
  'created_at',
  'description',
  'group',
  'group_id',
  'id',
  'name',
  'only_show_if_degraded',
  'page_id',
  'position',
  'showcase',
  'start_date',
  'status',
  'updated_at',
];
const INCIDENT_KEYS = [
  'components',
  'created_at',
  'id',
  'impact',
  'incident_updates',
  'monitoring_at',
  'name',
  'page_id',
  'resolved_at',
  'shortlink',
  'started_at',
  'status',
  'updated_at',
];
const UPDATE_KEYS = [
  'affected_components',
  'body',
  'created_at',
  'deliver_notifications',
  'display_at',
  'id',
  'incident_id',
  'status',
  'updated_at',
];

interface V2ComponentBody {
  id: string;
  name: string;
  status: string;
  group: boolean;
  group_id: string | null;
  page_id: string;
  components?: string[];
  [key: string]: unknown;
}

describe.each(databaseTargets())('hosted status-page JSON (Statuspage API v2) on $dialect', (target) => {
  let desk: TestDesk;
  let service: StatusService;
  let agent: Person;
  let pageUrl: string;
  const ids: Record<string, string> = {};

  const get = async (path: string) => {
    const res = await desk.api('GET', `${V2}/${path}`);
    expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
    return res.json();
  };
  const admin = async (method: 'POST' | 'PATCH', path: string, body: Record<string, unknown>) => {
    const res = await desk.api(method, `${ADMIN}/${path}`, { token: agent.token, body });
    if (res.statusCode >= 300) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
    return res.json<{ id: string }>();
  };
  const indicator = async () => (await get('status.json')).status;

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    pageUrl = `${desk.config.publicUrl ?? `http://localhost:${desk.config.port}`}/status`;
    const wired = (desk.services as unknown as { status?: StatusService }).status;
    service =
      wired ??
      new StatusService({
        repo: new StatusRepository(desk.database.db.kysely, desk.database.db.dialect),
        clock: () => desk.now,
        policy: desk.services.policy,
        pageUrl,
      });
    if (!desk.app.hasRoute({ method: 'GET', url: `${ADMIN}/components` }))
      await desk.app.register(statusRoutes(service), { prefix: '/api/v1' });
    if (!desk.app.hasRoute({ method: 'GET', url: `${V2}/summary.json` }))
      await desk.app.register(statusV2Routes(service));
    agent = await desk.person('agent');
  });
  afterAll(() => desk?.close());

  it('names the page after the policy’s vendor and is all operational when empty, to anyone', async () => {
    const { policy } = await desk.services.policy.inForceAt(desk.now);
    const summary = await get('summary.json');
    expect(Object.keys(summary).sort()).toEqual([
      'components',
      'incidents',
      'page',
      'scheduled_maintenances',
      'status',
    ]);
    expect(summary.page).toMatchObject({
      name: policy.vendor,
      url: pageUrl,
      time_zone: policy.support.timeZone,
    });
    expect(Object.keys(summary.page).sort()).toEqual(['id', 'name', 'time_zone', 'updated_at', 'url']);
    expect(summary.status).toEqual({ indicator: 'none', description: 'All Systems Operational' });
    expect(summary.components).toEqual([]);
    expect(summary.incidents).toEqual([]);
    expect(summary.scheduled_maintenances).toEqual([]);
    // The page id is stable from one read to the next.
    expect((await get('components.json')).page.id).toBe(summary.page.id);
  });

  it('shows groups as components holding their members, in position order', async () => {
    ids.api = (await admin('POST', 'components', { name: 'API', position: 0 })).id;
    ids.web = (await admin('POST', 'components', { name: 'Web app', group: 'Apps', position: 1 })).id;
    ids.mobile = (await admin('POST', 'components', { name: 'Mobile app', group: 'Apps', position: 2 })).id;
    ids.email = (
      await admin('POST', 'components', { name: 'Email', description: 'Inbound mail', position: 3 })
    ).id;

    const { page, components } = await get('components.json');
    expect(components.map((c: V2ComponentBody) => c.name)).toEqual([
      'API',
      'Apps',
      'Web app',
      'Mobile app',
      'Email',
    ]);
    for (const c of components as V2ComponentBody[]) {
      const keys = c.group ? [...COMPONENT_KEYS, 'components'].sort() : COMPONENT_KEYS;
      expect(Object.keys(c).sort()).toEqual(keys);
      expect(c.page_id).toBe(page.id);
      expect(c.status).toBe('operational');
    }
    const group = components.find((c: V2ComponentBody) => c.group);
    expect(group).toMatchObject({
      name: 'Apps',
      group: true,
      group_id: null,
      components: [ids.web, ids.mobile],
    });
    expect(components.find((c: V2ComponentBody) => c.id === ids.web).group_id).toBe(group.id);
    expect(components.find((c: V2ComponentBody) => c.id === ids.api).group_id).toBeNull();
    expect(components.find((c: V2ComponentBody) => c.id === ids.email)).toMatchObject({
      description: 'Inbound mail',
      start_date: new Date(desk.now).toISOString().slice(0, 10),
      showcase: true,
      only_show_if_degraded: false,
    });
    expect((await get('components.json')).components.find((c: V2ComponentBody) => c.group).id).toBe(group.id);
  });

  it('takes the indicator from the worst component state and incident impact, and lists what is unresolved', async () => {
    desk.advance(60_000);
    const incident = await admin('POST', 'incidents', {
      name: 'Slow web app',
      impact: 'minor',
      body: 'Pages load slowly.',
      components: [{ id: ids.web, state: 'degraded_performance' }],
    });
    ids.incident = incident.id;
    expect(await indicator()).toEqual({ indicator: 'minor', description: 'Minor Service Outage' });

    const unresolved = (await get('incidents/unresolved.json')).incidents;
    expect(unresolved.map((i: { id: string }) => i.id)).toEqual([incident.id]);
    const [shown] = unresolved;
    expect(Object.keys(shown).sort()).toEqual(INCIDENT_KEYS);
    expect(shown).toMatchObject({
      name: 'Slow web app',
      status: 'investigating',
      impact: 'minor',
      monitoring_at: null,
      resolved_at: null,
      started_at: new Date(desk.now).toISOString(),
      shortlink: `${pageUrl}/incidents/${incident.id}`,
    });
    expect(shown.components.map((c: V2ComponentBody) => [c.id, c.status])).toEqual([
      [ids.web, 'degraded_performance'],
    ]);
    expect(Object.keys(shown.incident_updates[0]).sort()).toEqual(UPDATE_KEYS);
    expect(shown.incident_updates[0]).toMatchObject({
      status: 'investigating',
      body: 'Pages load slowly.',
      incident_id: incident.id,
      deliver_notifications: true,
      affected_components: [
        { code: ids.web, name: 'Web app', old_status: 'operational', new_status: 'degraded_performance' },
      ],
    });
    const group = (await get('components.json')).components.find((c: V2ComponentBody) => c.group);
    expect(group.status).toBe('degraded_performance');

    desk.advance(60_000);
    await admin('POST', `incidents/${incident.id}/updates`, {
      status: 'identified',
      body: 'The mobile app is down too.',
      components: [
        { id: ids.web, state: 'degraded_performance' },
        { id: ids.mobile, state: 'major_outage' },
      ],
    });
    expect(await indicator()).toEqual({ indicator: 'critical', description: 'Major System Outage' });
    const updates = (await get('incidents/unresolved.json')).incidents[0].incident_updates;
    expect(updates.map((u: { status: string }) => u.status)).toEqual(['identified', 'investigating']);
    expect(updates[0].affected_components).toEqual([
      { code: ids.mobile, name: 'Mobile app', old_status: 'operational', new_status: 'major_outage' },
    ]);

    desk.advance(60_000);
    await admin('POST', `incidents/${incident.id}/updates`, {
      status: 'monitoring',
      body: 'A fix is out.',
      components: [{ id: ids.web, state: 'degraded_performance' }],
    });
    expect(await indicator()).toEqual({ indicator: 'minor', description: 'Minor Service Outage' });
    const monitoringAt = new Date(desk.now).toISOString();

    // An incident of major impact without components raises the page to major.
    const major = await admin('POST', 'incidents', {
      name: 'Logins fail',
      impact: 'major',
      body: 'Looking.',
    });
    expect(await indicator()).toEqual({ indicator: 'major', description: 'Partial System Outage' });
    desk.advance(60_000);
    await admin('POST', `incidents/${major.id}/updates`, { status: 'resolved', body: 'Fixed.' });
    await admin('POST', `incidents/${incident.id}/updates`, { status: 'resolved', body: 'All good.' });

    expect(await indicator()).toEqual({ indicator: 'none', description: 'All Systems Operational' });
    expect((await get('incidents/unresolved.json')).incidents).toEqual([]);
    expect((await get('summary.json')).incidents).toEqual([]);
    const recent = (await get('incidents.json')).incidents;
    expect(recent.map((i: { id: string }) => i.id)).toEqual([major.id, incident.id]);
    expect(recent[1]).toMatchObject({
      status: 'resolved',
      monitoring_at: monitoringAt,
      resolved_at: new Date(desk.now).toISOString(),
    });
    expect(recent[1].incident_updates[0].affected_components).toEqual([
      { code: ids.web, name: 'Web app', old_status: 'degraded_performance', new_status: 'operational' },
    ]);
  });

  it('lists upcoming and active maintenance, and shows maintenance under way', async () => {
    const start = desk.now + HOUR;
    const maintenance = await admin('POST', 'incidents', {
      kind: 'maintenance',
      name: 'Mail server move',
      body: 'Mail may be delayed.',
      components: [{ id: ids.email }],
      scheduledFor: new Date(start).toISOString(),
      scheduledUntil: new Date(start + HOUR).toISOString(),
    });
    const upcoming = (await get('scheduled-maintenances/upcoming.json')).scheduled_maintenances;
    expect(upcoming.map((m: { id: string }) => m.id)).toEqual([maintenance.id]);
    expect(Object.keys(upcoming[0]).sort()).toEqual(
      [...INCIDENT_KEYS, 'scheduled_for', 'scheduled_until'].sort(),
    );
    expect(upcoming[0]).toMatchObject({
      status: 'scheduled',
      impact: 'maintenance',
      scheduled_for: new Date(start).toISOString(),
      scheduled_until: new Date(start + HOUR).toISOString(),
    });
    expect((await get('scheduled-maintenances/active.json')).scheduled_maintenances).toEqual([]);
    const summary = await get('summary.json');
    expect(summary.scheduled_maintenances.map((m: { id: string }) => m.id)).toEqual([maintenance.id]);
    expect(summary.status.indicator).toBe('none');
    expect(summary.incidents).toEqual([]);

    desk.advance(HOUR);
    await runMaintenance(service, desk.now);
    expect((await get('scheduled-maintenances/upcoming.json')).scheduled_maintenances).toEqual([]);
    const active = (await get('scheduled-maintenances/active.json')).scheduled_maintenances;
    expect(active.map((m: { id: string; status: string }) => [m.id, m.status])).toEqual([
      [maintenance.id, 'in_progress'],
    ]);
    expect(active[0].incident_updates[0]).toMatchObject({
      body: 'Maintenance is in progress.',
      affected_components: [
        { code: ids.email, name: 'Email', old_status: 'operational', new_status: 'under_maintenance' },
      ],
    });
    expect(await indicator()).toEqual({ indicator: 'maintenance', description: 'Service Under Maintenance' });
    const email = (await get('components.json')).components.find((c: V2ComponentBody) => c.id === ids.email);
    expect(email.status).toBe('under_maintenance');

    desk.advance(HOUR);
    await runMaintenance(service, desk.now);
    expect((await get('scheduled-maintenances/active.json')).scheduled_maintenances).toEqual([]);
    expect(await indicator()).toEqual({ indicator: 'none', description: 'All Systems Operational' });
    const all = (await get('scheduled-maintenances.json')).scheduled_maintenances;
    expect(all.map((m: { id: string; status: string }) => [m.id, m.status])).toEqual([
      [maintenance.id, 'completed'],
    ]);
    // Maintenance is not an incident in incidents.json.
    expect((await get('incidents.json')).incidents.some((i: { id: string }) => i.id === maintenance.id)).toBe(
      false,
    );
  });

  it('gives at most the 50 most recent incidents', async () => {
    for (let i = 0; i < 51; i++) {
      desk.advance(1000);
      await admin('POST', 'incidents', {
        name: `Blip ${i}`,
        impact: 'none',
        status: 'resolved',
        body: 'Over.',
      });
    }
    const recent = (await get('incidents.json')).incidents;
    expect(recent).toHaveLength(50);
    expect(recent[0].name).toBe('Blip 50');
    expect(recent[49].name).toBe('Blip 1');
  });
});
