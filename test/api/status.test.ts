import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusUpdateListener } from '../../src/status/model.js';
import { runMaintenance } from '../../src/status/maintenance.js';
import { StatusRepository } from '../../src/status/repository.js';
import { statusRoutes } from '../../src/status/routes.js';
import { StatusService } from '../../src/status/service.js';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

const API = '/api/v1/status';
const HOUR = 3600_000;

interface ComponentBody {
  id: string;
  name: string;
  group: string | null;
  state: string;
}
interface IncidentBody {
  id: string;
  kind: string;
  status: string;
  impact: string;
  startedAt: string | null;
  resolvedAt: string | null;
  postmortemHtml: string | null;
  components: { id: string; name: string; state: string }[];
  updates: { id: string; status: string; body: string; bodyFr: string | null; createdAt: string }[];
}

interface RecordedCall {
  incidentId: string;
  incidentStatus: string;
  updateId: string;
  updateStatus: string;
  /** The update as the listener's transaction reads it: written before the listener is told. */
  seenInTransaction: boolean;
}

/** The desk's status service, or one built on its database until the server wires it in. */
async function statusOn(desk: TestDesk): Promise<StatusService> {
  const wired = (desk.services as unknown as { status?: StatusService }).status;
  const service =
    wired ??
    new StatusService({
      repo: new StatusRepository(desk.database.db.kysely, desk.database.db.dialect),
      clock: () => desk.now,
      policy: desk.services.policy,
      pageUrl: `${desk.config.publicUrl ?? `http://localhost:${desk.config.port}`}/status`,
    });
  if (!desk.app.hasRoute({ method: 'GET', url: `${API}/components` }))
    await desk.app.register(statusRoutes(service), { prefix: '/api/v1' });
  return service;
}

describe.each(databaseTargets())('status page administration on $dialect', (target) => {
  let desk: TestDesk;
  let service: StatusService;
  let agent: Person;
  let lead: Person;
  let customer: Person;
  const calls: RecordedCall[] = [];

  const component = async (name: string, group?: string): Promise<ComponentBody> => {
    const res = await desk.api('POST', `${API}/components`, {
      token: agent.token,
      body: { name, ...(group ? { group } : {}) },
    });
    if (res.statusCode !== 201) throw new Error(`component: ${res.statusCode} ${res.body}`);
    return res.json<ComponentBody>();
  };
  const open = async (body: Record<string, unknown>): Promise<IncidentBody> => {
    const res = await desk.api('POST', `${API}/incidents`, {
      token: agent.token,
      body: { name: 'Work orders fail to sync', impact: 'major', body: 'We are investigating.', ...body },
    });
    if (res.statusCode !== 201) throw new Error(`incident: ${res.statusCode} ${res.body}`);
    return res.json<IncidentBody>();
  };
  const update = (id: string, body: Record<string, unknown>, token = agent.token) =>
    desk.api('POST', `${API}/incidents/${id}/updates`, { token, body });
  const stateOf = async (id: string) =>
    (await desk.api('GET', `${API}/components`, { token: agent.token }))
      .json<{ data: ComponentBody[] }>()
      .data.find((c) => c.id === id)?.state;
  const history = (componentId: string) =>
    desk.database.db.kysely
      .selectFrom('status_component_states')
      .select(['state', 'incident_id', 'from_at'])
      .where('component_id', '=', componentId)
      .orderBy('from_at')
      .orderBy('id')
      .execute();

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    service = await statusOn(desk);
    service.addListener({
      async updatePublished(trx, incident, row) {
        const seen = await trx
          .selectFrom('status_incident_updates')
          .select('id')
          .where('id', '=', row.id)
          .executeTakeFirst();
        calls.push({
          incidentId: incident.id,
          incidentStatus: incident.status,
          updateId: row.id,
          updateStatus: row.status,
          seenInTransaction: seen !== undefined,
        });
      },
    } satisfies StatusUpdateListener);
    agent = await desk.person('agent');
    lead = await desk.person('lead');
    const org = await desk.organization('premium');
    customer = await desk.person('contact', org.id);
  });
  afterAll(() => desk?.close());

  it('keeps components grouped and ordered, records each state change, and deletes them', async () => {
    const api = await component('API', 'Platform');
    expect(api).toMatchObject({ name: 'API', group: 'Platform', state: 'operational' });
    expect(await history(api.id)).toEqual([{ state: 'operational', incident_id: null, from_at: desk.now }]);

    desk.advance(60_000);
    const changed = await desk.api('PATCH', `${API}/components/${api.id}`, {
      token: lead.token,
      body: { state: 'degraded_performance', position: 3, description: 'The REST API' },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ state: 'degraded_performance', position: 3 });
    const rows = await history(api.id);
    expect(rows.map((r) => [r.state, r.incident_id, r.from_at])).toEqual([
      ['operational', null, desk.now - 60_000],
      ['degraded_performance', null, desk.now],
    ]);
    // Renaming alone writes no history row.
    await desk.api('PATCH', `${API}/components/${api.id}`, {
      token: agent.token,
      body: { name: 'REST API' },
    });
    expect(await history(api.id)).toHaveLength(2);

    expect((await desk.api('DELETE', `${API}/components/${api.id}`, { token: agent.token })).statusCode).toBe(
      204,
    );
    expect(
      (await desk.api('PATCH', `${API}/components/${api.id}`, { token: agent.token, body: { name: 'x' } }))
        .statusCode,
    ).toBe(404);
    expect(await history(api.id)).toHaveLength(0);
  });

  it('holds components in the worst open state, returns them when resolved, and writes the history', async () => {
    const sync = await component('Sync');
    const mobile = await component('Mobile app');
    const first = await open({ components: [{ id: sync.id, state: 'partial_outage' }] });
    expect(first).toMatchObject({ kind: 'incident', status: 'investigating', impact: 'major' });
    expect(first.components).toEqual([{ id: sync.id, name: 'Sync', state: 'partial_outage' }]);
    expect(await stateOf(sync.id)).toBe('partial_outage');

    desk.advance(60_000);
    const second = await open({
      impact: 'critical',
      components: [
        { id: sync.id, state: 'major_outage' },
        { id: mobile.id, state: 'degraded_performance' },
      ],
    });
    expect(await stateOf(sync.id)).toBe('major_outage');
    expect(await stateOf(mobile.id)).toBe('degraded_performance');

    desk.advance(60_000);
    const resolved = await update(second.id, { status: 'resolved', body: 'Fixed.', bodyFr: 'Corrigé.' });
    expect(resolved.statusCode).toBe(201);
    expect(resolved.json()).toMatchObject({
      status: 'resolved',
      resolvedAt: new Date(desk.now).toISOString(),
    });
    // The first incident still holds Sync; nothing holds the mobile app any more.
    expect(await stateOf(sync.id)).toBe('partial_outage');
    expect(await stateOf(mobile.id)).toBe('operational');

    for (const status of ['identified', 'monitoring']) {
      desk.advance(60_000);
      expect((await update(first.id, { status, body: `Now ${status}.` })).statusCode).toBe(201);
    }
    desk.advance(60_000);
    expect((await update(first.id, { status: 'resolved', body: 'All clear.' })).statusCode).toBe(201);
    expect(await stateOf(sync.id)).toBe('operational');

    const t0 = first.updates[0]!.createdAt;
    const rows = (await history(sync.id)).map((r) => [
      r.state,
      r.incident_id,
      new Date(r.from_at).toISOString(),
    ]);
    expect(rows).toEqual([
      ['operational', null, t0],
      ['partial_outage', first.id, t0],
      ['major_outage', second.id, new Date(Date.parse(t0) + 60_000).toISOString()],
      ['partial_outage', second.id, new Date(Date.parse(t0) + 120_000).toISOString()],
      ['operational', first.id, new Date(desk.now).toISOString()],
    ]);

    const detail = (
      await desk.api('GET', `${API}/incidents/${first.id}`, { token: agent.token })
    ).json<IncidentBody>();
    expect(detail.updates.map((u) => u.status)).toEqual([
      'resolved',
      'monitoring',
      'identified',
      'investigating',
    ]);
    expect(detail.resolvedAt).toBe(new Date(desk.now).toISOString());
  });

  it('tells every listener once per update, inside the publishing transaction', async () => {
    const before = calls.length;
    const scanner = await component('Scanner');
    const incident = await open({
      impact: 'minor',
      components: [{ id: scanner.id, state: 'degraded_performance' }],
    });
    desk.advance(1000);
    await update(incident.id, { status: 'identified', body: 'Found it.' });
    desk.advance(1000);
    await update(incident.id, { status: 'resolved', body: 'Done.' });
    // A name change is not an update: nobody is told.
    await desk.api('PATCH', `${API}/incidents/${incident.id}`, {
      token: agent.token,
      body: { name: 'Renamed' },
    });

    const mine = calls.slice(before);
    const detail = (
      await desk.api('GET', `${API}/incidents/${incident.id}`, { token: agent.token })
    ).json<IncidentBody>();
    expect(mine.map((c) => c.updateId).sort()).toEqual(detail.updates.map((u) => u.id).sort());
    expect(mine.map((c) => [c.incidentStatus, c.updateStatus])).toEqual([
      ['investigating', 'investigating'],
      ['identified', 'identified'],
      ['resolved', 'resolved'],
    ]);
    expect(mine.every((c) => c.incidentId === incident.id && c.seenInTransaction)).toBe(true);
  });

  it('rolls the update back when a listener fails', async () => {
    const printer = await component('Printer');
    const incident = await open({ components: [{ id: printer.id, state: 'partial_outage' }] });
    const historyBefore = await history(printer.id);
    const remove = service.addListener({
      updatePublished: async (_trx, _incident, row) => {
        if (row.body.includes('boom')) throw new Error('subscriber store down');
      },
    });
    try {
      desk.advance(1000);
      const res = await update(incident.id, { status: 'resolved', body: 'boom' });
      expect(res.statusCode).toBe(500);
    } finally {
      remove();
    }
    const detail = (
      await desk.api('GET', `${API}/incidents/${incident.id}`, { token: agent.token })
    ).json<IncidentBody>();
    expect(detail.status).toBe('investigating');
    expect(detail.resolvedAt).toBeNull();
    expect(detail.updates).toHaveLength(1);
    expect(await stateOf(printer.id)).toBe('partial_outage');
    expect(await history(printer.id)).toEqual(historyBefore);
  });

  it('starts and completes self-transitioning maintenance at its times, once', async () => {
    const db = await component('Database');
    const start = desk.now + 2 * HOUR;
    const res = await desk.api('POST', `${API}/incidents`, {
      token: agent.token,
      body: {
        kind: 'maintenance',
        name: 'Database upgrade',
        nameFr: 'Mise à niveau de la base',
        body: 'We will upgrade the database.',
        components: [{ id: db.id }],
        scheduledFor: new Date(start).toISOString(),
        scheduledUntil: new Date(start + HOUR).toISOString(),
      },
    });
    expect(res.statusCode).toBe(201);
    const maintenance = res.json<IncidentBody>();
    expect(maintenance).toMatchObject({ status: 'scheduled', impact: 'maintenance', startedAt: null });
    expect(maintenance.components).toEqual([{ id: db.id, name: 'Database', state: 'under_maintenance' }]);
    expect(await stateOf(db.id)).toBe('operational');
    const manual = await desk.api('POST', `${API}/incidents`, {
      token: agent.token,
      body: {
        kind: 'maintenance',
        name: 'Manual window',
        body: 'Staff move this one.',
        components: [{ id: db.id }],
        scheduledFor: new Date(start).toISOString(),
        scheduledUntil: new Date(start + HOUR).toISOString(),
        autoTransition: false,
      },
    });
    expect(manual.statusCode).toBe(201);

    expect(await runMaintenance(service, desk.now)).toEqual({ started: 0, completed: 0 });
    desk.advance(2 * HOUR);
    const before = calls.length;
    expect(await runMaintenance(service, desk.now)).toEqual({ started: 1, completed: 0 });
    expect(await runMaintenance(service, desk.now)).toEqual({ started: 0, completed: 0 });
    expect(await stateOf(db.id)).toBe('under_maintenance');
    let detail = (
      await desk.api('GET', `${API}/incidents/${maintenance.id}`, { token: agent.token })
    ).json<IncidentBody>();
    expect(detail.status).toBe('in_progress');
    expect(detail.startedAt).toBe(new Date(desk.now).toISOString());
    expect(detail.updates[0]).toMatchObject({
      status: 'in_progress',
      body: 'Maintenance is in progress.',
      bodyFr: 'La maintenance est en cours.',
    });

    desk.advance(HOUR);
    expect(await runMaintenance(service, desk.now)).toEqual({ started: 0, completed: 1 });
    expect(await stateOf(db.id)).toBe('operational');
    detail = (
      await desk.api('GET', `${API}/incidents/${maintenance.id}`, { token: agent.token })
    ).json<IncidentBody>();
    expect(detail.status).toBe('completed');
    expect(detail.resolvedAt).toBe(new Date(desk.now).toISOString());
    expect(detail.updates.map((u) => u.status)).toEqual(['completed', 'in_progress', 'scheduled']);
    expect(calls.slice(before).map((c) => [c.incidentId, c.updateStatus])).toEqual([
      [maintenance.id, 'in_progress'],
      [maintenance.id, 'completed'],
    ]);
    expect((await history(db.id)).map((r) => [r.state, r.incident_id])).toEqual([
      ['operational', null],
      ['under_maintenance', maintenance.id],
      ['operational', maintenance.id],
    ]);
    const untouched = (
      await desk.api('GET', `${API}/incidents/${manual.json().id}`, { token: agent.token })
    ).json();
    expect(untouched.status).toBe('scheduled');
  });

  it('refuses illegal transitions', async () => {
    const incident = await open({ impact: 'minor' });
    const maintenanceRes = await desk.api('POST', `${API}/incidents`, {
      token: agent.token,
      body: {
        kind: 'maintenance',
        name: 'Network work',
        body: 'Scheduled.',
        status: 'in_progress',
        scheduledFor: new Date(desk.now).toISOString(),
        scheduledUntil: new Date(desk.now + HOUR).toISOString(),
        autoTransition: false,
      },
    });
    expect(maintenanceRes.statusCode).toBe(201);
    const maintenance = maintenanceRes.json<IncidentBody>();

    expect((await update(incident.id, { status: 'in_progress', body: 'x' })).statusCode).toBe(400);
    expect((await update(maintenance.id, { status: 'investigating', body: 'x' })).statusCode).toBe(400);
    expect((await update(maintenance.id, { status: 'scheduled', body: 'x' })).statusCode).toBe(409);
    const earlyPostmortem = await desk.api('PATCH', `${API}/incidents/${incident.id}`, {
      token: agent.token,
      body: { postmortem: 'Too early' },
    });
    expect(earlyPostmortem.statusCode).toBe(409);

    expect((await update(incident.id, { status: 'resolved', body: 'Fixed.' })).statusCode).toBe(201);
    const late = await update(incident.id, { status: 'monitoring', body: 'Again?' });
    expect(late.statusCode).toBe(409);
    expect(late.json().type).toBe('urn:accord:problem:resolved');
    const postmortem = await desk.api('PATCH', `${API}/incidents/${incident.id}`, {
      token: agent.token,
      body: { postmortem: '## Cause\n\nA **bad** deploy. <script>alert(1)</script>' },
    });
    expect(postmortem.statusCode).toBe(200);
    expect(postmortem.json().postmortemHtml).toContain('<strong>bad</strong>');
    expect(postmortem.json().postmortemHtml).not.toContain('<script>');

    for (const body of [
      { name: 'No impact', body: 'x' },
      { name: 'Wrong impact', impact: 'maintenance', body: 'x' },
      { name: 'Wrong status', impact: 'minor', status: 'scheduled', body: 'x' },
      { name: 'Scheduled incident', impact: 'minor', body: 'x', scheduledFor: '2026-07-01T00:00:00Z' },
      { kind: 'maintenance', name: 'Unscheduled', body: 'x' },
      {
        kind: 'maintenance',
        name: 'Impactful',
        impact: 'critical',
        body: 'x',
        scheduledFor: '2026-07-01T00:00:00Z',
        scheduledUntil: '2026-07-01T02:00:00Z',
      },
    ]) {
      const res = await desk.api('POST', `${API}/incidents`, { token: agent.token, body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
  });

  it('lists incidents newest first by keyset pages, by kind and openness', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      desk.advance(1000);
      ids.push((await open({ name: `Paged ${i}`, impact: 'none' })).id);
    }
    const first = await desk.api('GET', `${API}/incidents?kind=incident&open=true&limit=2`, {
      token: agent.token,
    });
    expect(first.statusCode).toBe(200);
    const page1 = first.json<{ data: IncidentBody[]; nextCursor: string }>();
    expect(page1.data.map((i) => i.id)).toEqual([ids[2], ids[1]]);
    const second = await desk.api(
      'GET',
      `${API}/incidents?kind=incident&open=true&limit=2&cursor=${page1.nextCursor}`,
      { token: agent.token },
    );
    expect(second.json().data[0].id).toBe(ids[0]);
    const closed = await desk.api('GET', `${API}/incidents?open=false&limit=200`, { token: agent.token });
    expect(closed.json().data.every((i: IncidentBody) => i.resolvedAt !== null)).toBe(true);
    expect(closed.json().data.some((i: IncidentBody) => i.kind === 'maintenance')).toBe(true);
    expect(
      (await desk.api('GET', `${API}/incidents?cursor=nonsense`, { token: agent.token })).statusCode,
    ).toBe(400);
    expect((await desk.api('GET', `${API}/incidents?open=yes`, { token: agent.token })).statusCode).toBe(400);
  });

  it('lets only staff in', async () => {
    const incident = await open({ impact: 'none' });
    const componentBody = { name: 'Anything' };
    for (const [method, url, body] of [
      ['GET', `${API}/components`, undefined],
      ['POST', `${API}/components`, componentBody],
      ['GET', `${API}/incidents`, undefined],
      ['GET', `${API}/incidents/${incident.id}`, undefined],
      ['POST', `${API}/incidents`, { name: 'x', impact: 'minor', body: 'x' }],
      ['PATCH', `${API}/incidents/${incident.id}`, { name: 'x' }],
      ['POST', `${API}/incidents/${incident.id}/updates`, { status: 'resolved', body: 'x' }],
    ] as const) {
      const asCustomer = await desk.api(method, url, { token: customer.token, ...(body ? { body } : {}) });
      expect(asCustomer.statusCode, `${method} ${url}`).toBe(403);
      const anonymous = await desk.api(method, url, body ? { body } : {});
      expect(anonymous.statusCode, `${method} ${url}`).toBe(401);
    }
    expect(
      (await desk.api('GET', `${API}/incidents/${incident.id}`, { token: agent.token })).json().status,
    ).toBe('investigating');
  });

  it('refuses bad input', async () => {
    const known = await component('Known');
    const unknownId = '01930000-0000-7000-8000-000000000000';
    const base = { name: 'Bad', impact: 'minor', body: 'x' };
    for (const body of [
      { ...base, components: [{ id: unknownId, state: 'major_outage' }] },
      { ...base, components: [{ id: 'not-a-uuid', state: 'major_outage' }] },
      { ...base, components: [{ id: known.id }] },
      { ...base, components: [{ id: known.id, state: 'on_fire' }] },
      {
        ...base,
        components: [
          { id: known.id, state: 'major_outage' },
          { id: known.id, state: 'partial_outage' },
        ],
      },
      { ...base, name: 'n'.repeat(201) },
      { ...base, name: '   ' },
      { ...base, name: 'null\u0000byte' },
      { ...base, body: 'null\u0000byte' },
      { ...base, impact: 'catastrophic' },
      { ...base, extra: true },
      { kind: 'maintenance', name: 'M', body: 'x', scheduledFor: 'tomorrow', scheduledUntil: '2026-07-02' },
      { kind: 'maintenance', name: 'M', body: 'x', scheduledFor: '2026-13-45', scheduledUntil: '2026-07-02' },
      {
        kind: 'maintenance',
        name: 'M',
        body: 'x',
        scheduledFor: '2026-07-02T10:00:00Z',
        scheduledUntil: '2026-07-02T09:00:00Z',
      },
    ]) {
      const res = await desk.api('POST', `${API}/incidents`, { token: agent.token, body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    for (const body of [
      { name: 'c'.repeat(101) },
      { name: 'bad\u0000' },
      { name: 'x', group: '' },
      { name: 'x', position: -1 },
    ]) {
      const res = await desk.api('POST', `${API}/components`, { token: agent.token, body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect(
      (
        await desk.api('PATCH', `${API}/components/${known.id}`, {
          token: agent.token,
          body: { state: 'broken' },
        })
      ).statusCode,
    ).toBe(400);
    const incident = await open({ impact: 'minor' });
    const unknownUpdate = await update(incident.id, {
      status: 'identified',
      body: 'x',
      components: [{ id: unknownId, state: 'major_outage' }],
    });
    expect(unknownUpdate.statusCode).toBe(400);
    expect((await desk.api('GET', `${API}/incidents/${unknownId}`, { token: agent.token })).statusCode).toBe(
      404,
    );
    // Nothing of the refused requests was written.
    expect(
      (await desk.api('GET', `${API}/incidents/${incident.id}`, { token: agent.token })).json().updates,
    ).toHaveLength(1);
  });
});
