import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe.each(databaseTargets())('SLA on tickets on $dialect', (target) => {
  let desk: TestDesk;
  let agent: Person;
  let lead: Person;
  let admin: Person;

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    agent = await desk.person('agent');
    lead = await desk.person('lead');
    admin = await desk.person('admin');
  });
  afterAll(() => desk?.close());

  const simulate = (body: Record<string, unknown>, token = agent.token) =>
    desk.api('POST', '/api/v1/policy/simulate', { token, body });

  describe('simulate', () => {
    it('gives the policy examples on the business clock', async () => {
      const friday = await simulate({ tier: 'basic', priority: 'P2', openedAt: '2026-11-27T21:30:00Z' });
      expect(friday.statusCode).toBe(200);
      expect(friday.json().firstResponse).toMatchObject({
        dueAt: '2026-11-30T21:30:00.000Z',
        target: '1 business day',
        clock: 'business',
        minutes: 480,
      });
      const wednesday = await simulate({ tier: 'basic', priority: 'P2', openedAt: '2026-11-25T15:00:00Z' });
      expect(wednesday.json().firstResponse.dueAt).toBe('2026-11-27T15:00:00.000Z');
    });

    it('gives P0 cadence and escalations on the calendar clock, across the DST change', async () => {
      const res = (
        await simulate({ tier: 'enterprise', priority: 'P0', openedAt: '2026-11-01T05:50:00Z' })
      ).json();
      expect(res.firstResponse).toMatchObject({
        dueAt: '2026-11-01T06:05:00.000Z',
        target: '15 minutes',
        clock: 'calendar',
      });
      expect(res.updates).toMatchObject({ minutes: 30, clock: 'calendar' });
      expect(res.escalations.next).toEqual([
        '2026-11-01T06:50:00.000Z',
        '2026-11-01T08:50:00.000Z',
        '2026-11-01T10:50:00.000Z',
      ]);
      expect(
        (await simulate({ tier: 'essential', priority: 'P1', openedAt: '2026-11-01T05:50:00Z' })).json(),
      ).toMatchObject({ updates: null, escalations: null });
    });

    it('refuses bad input', async () => {
      expect((await simulate({ priority: 'P2', openedAt: '2026-11-27T21:30:00Z' })).statusCode).toBe(422);
      expect(
        (await simulate({ tier: 'gold', priority: 'P2', openedAt: '2026-11-27T21:30:00Z' })).statusCode,
      ).toBe(400);
      expect((await simulate({ tier: 'basic', priority: 'P2', openedAt: 'tomorrow' })).statusCode).toBe(400);
      expect(
        (
          await simulate({
            tier: 'basic',
            priority: 'P2',
            openedAt: '2026-11-27T21:30:00Z',
            organizationId: '0190a1b2-0000-7000-8000-000000000000',
          })
        ).statusCode,
      ).toBe(404);
    });
  });

  it('carries the first-response target on each ticket and marks it met by the first public staff reply', async () => {
    const contact = await desk.person('contact', (await desk.organization('premium')).id);
    const t = await desk.ticket(contact, { priority: 'P1' });
    const opened = desk.now;
    let view = (await desk.api('GET', `/api/v1/tickets/${t.id}`, { token: agent.token })).json();
    expect(view.sla).toMatchObject({
      policyVersion: '2024-02-12',
      firstResponse: {
        dueAt: new Date(opened + HOUR).toISOString(),
        metAt: null,
        breached: false,
        remainingSeconds: 3600,
        target: { label: '1 hour', clock: 'calendar', overridden: false },
      },
      update: null,
      escalation: null,
      nextDueAt: new Date(opened + HOUR).toISOString(),
    });

    desk.advance(10 * MINUTE);
    await desk.api('POST', `/api/v1/tickets/${t.id}/messages`, {
      token: agent.token,
      body: { body: 'Looking', public: false },
    });
    expect(
      (await desk.api('GET', `/api/v1/tickets/${t.id}`, { token: agent.token })).json().sla.firstResponse
        .metAt,
    ).toBeNull();
    await desk.api('POST', `/api/v1/tickets/${t.id}/messages`, {
      token: contact.token,
      body: { body: 'Any news?' },
    });
    expect(
      (await desk.api('GET', `/api/v1/tickets/${t.id}`, { token: agent.token })).json().sla.firstResponse
        .metAt,
    ).toBeNull();

    desk.advance(20 * MINUTE);
    await desk.api('POST', `/api/v1/tickets/${t.id}/messages`, {
      token: agent.token,
      body: { body: 'We are on it.' },
    });
    view = (await desk.api('GET', `/api/v1/tickets/${t.id}`, { token: contact.token })).json();
    expect(view.sla.firstResponse).toMatchObject({
      metAt: new Date(opened + 30 * MINUTE).toISOString(),
      breached: false,
      remainingSeconds: 1800,
    });
    expect(view.sla.nextDueAt).toBeNull();
  });

  it('does not count the message of a ticket staff filed for a customer', async () => {
    const contact = await desk.person('contact', (await desk.organization('essential')).id);
    const filed = (
      await desk.api('POST', '/api/v1/tickets', {
        token: agent.token,
        body: {
          subject: 'Phone',
          body: 'Customer called',
          priority: 'P2',
          requesterId: contact.user.id,
          channel: 'phone',
        },
      })
    ).json();
    expect(filed.sla.firstResponse.metAt).toBeNull();
    expect(filed.sla.firstResponse.target.label).toBe('4 hours');
  });

  it('recomputes from the original opening on re-triage, and starts P0 cadence and escalations', async () => {
    const contact = await desk.person('contact', (await desk.organization('premium')).id);
    const t = await desk.ticket(contact, { priority: 'P3' });
    const opened = desk.now;
    desk.advance(5 * MINUTE);
    const raised = await desk.api('PATCH', `/api/v1/tickets/${t.id}`, {
      token: agent.token,
      body: { priority: 'P0', priorityReason: 'Site down' },
    });
    expect(raised.json().sla).toMatchObject({
      firstResponse: { dueAt: new Date(opened + 15 * MINUTE).toISOString(), target: { label: '15 minutes' } },
      update: { dueAt: null },
      escalation: { level: 0, nextDueAt: new Date(opened + HOUR).toISOString() },
    });
    desk.advance(5 * MINUTE);
    const reply = await desk.api('POST', `/api/v1/tickets/${t.id}/messages`, {
      token: agent.token,
      body: { body: 'Investigating' },
    });
    expect(reply.statusCode).toBe(201);
    const view = (await desk.api('GET', `/api/v1/tickets/${t.id}`, { token: agent.token })).json();
    expect(view.sla.update.dueAt).toBe(new Date(opened + 40 * MINUTE).toISOString());
    expect(view.sla.nextDueAt).toBe(new Date(opened + 40 * MINUTE).toISOString());
  });

  it('orders the queue by the soonest due time', async () => {
    const org = await desk.organization('essential');
    const contact = await desk.person('contact', org.id);
    const p3 = await desk.ticket(contact, { priority: 'P3' });
    const p0 = await desk.ticket(contact, { priority: 'P0' });
    const p1 = await desk.ticket(contact, { priority: 'P1' });
    const queue = (
      await desk.api('GET', `/api/v1/tickets?sort=due&organizationId=${org.id}&limit=2`, {
        token: agent.token,
      })
    ).json();
    expect(queue.data.map((t: { id: string }) => t.id)).toEqual([p0.id, p1.id]);
    const rest = (
      await desk.api('GET', `/api/v1/tickets?sort=due&organizationId=${org.id}&cursor=${queue.nextCursor}`, {
        token: agent.token,
      })
    ).json();
    expect(rest.data.map((t: { id: string }) => t.id)).toEqual([p3.id]);
  });

  it('lists breached tickets and those due before an instant, for staff only', async () => {
    const org = await desk.organization('enterprise');
    const contact = await desk.person('contact', org.id);
    // Enterprise first responses: P0 15 minutes, P3 4 hours (calendar clock).
    const p0 = await desk.ticket(contact, { priority: 'P0' });
    const p3 = await desk.ticket(contact, { priority: 'P3' });
    const ids = async (query: string, token = agent.token) => {
      const res = await desk.api('GET', `/api/v1/tickets?sort=due&organizationId=${org.id}&${query}`, {
        token,
      });
      expect(res.statusCode, query).toBe(200);
      return res.json().data.map((t: { id: string }) => t.id);
    };
    expect(await ids('breached=true')).toEqual([]);
    const inAnHour = new Date(desk.now + 60 * MINUTE).toISOString();
    expect(await ids(`dueBefore=${inAnHour}`)).toEqual([p0.id]);
    desk.advance(16 * MINUTE);
    expect(await ids('breached=true')).toEqual([p0.id]);
    expect(await ids(`dueBefore=${new Date(desk.now + 5 * 60 * MINUTE).toISOString()}`)).toEqual([
      p0.id,
      p3.id,
    ]);

    const denied = await desk.api('GET', '/api/v1/tickets?breached=true', { token: contact.token });
    expect(denied.statusCode).toBe(403);
    expect((await desk.api('GET', '/api/v1/tickets?breached=yes', { token: agent.token })).statusCode).toBe(
      400,
    );
    expect((await desk.api('GET', '/api/v1/tickets?dueBefore=soon', { token: agent.token })).statusCode).toBe(
      400,
    );
  });

  it('fires warnings, breaches and escalations once each, notifies leads, and logs them on the ticket', async () => {
    const contact = await desk.person('contact', (await desk.organization('enterprise')).id);
    const t = await desk.ticket(contact, { priority: 'P0' });
    const opened = desk.now;
    // Other tests' tickets share this desk: count this ticket's effects.
    const count = async () =>
      Number(
        (
          await desk.database.db.kysely
            .selectFrom('sla_events')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('ticket_id', '=', t.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const pass = async () => {
      await desk.services.sla.runDue(desk.now);
      return count();
    };
    expect(await pass()).toBe(0);
    desk.advance(12 * MINUTE); // 3 of 15 minutes left: the warning
    expect(await pass()).toBe(1);
    expect(await pass()).toBe(1);
    desk.advance(4 * MINUTE); // breached
    expect(await pass()).toBe(2);
    desk.advance(3 * HOUR + MINUTE - 16 * MINUTE); // opened + 3h01: escalation levels 1 and 2
    expect(await pass()).toBe(4);
    expect(await pass()).toBe(4);

    const effects = await desk.database.db.kysely
      .selectFrom('sla_events')
      .select(['kind', 'target', 'due_at', 'level'])
      .where('ticket_id', '=', t.id)
      .orderBy('due_at')
      .orderBy('kind')
      .execute();
    expect(effects).toEqual([
      { kind: 'breach', target: 'first_response', due_at: opened + 15 * MINUTE, level: null },
      { kind: 'warning', target: 'first_response', due_at: opened + 15 * MINUTE, level: null },
      { kind: 'escalation', target: 'escalation', due_at: opened + HOUR, level: 1 },
      { kind: 'escalation', target: 'escalation', due_at: opened + 3 * HOUR, level: 2 },
    ]);
    const notes = await desk.database.db.kysely
      .selectFrom('notifications')
      .select(['user_id', 'kind'])
      .where('ticket_id', '=', t.id)
      .execute();
    expect(notes.filter((n) => n.kind === 'sla_escalation' && n.user_id === lead.user.id)).toHaveLength(2);
    const inbox = (
      await desk.api('GET', '/api/v1/notifications?unread=true&limit=200', { token: lead.token })
    ).json().data;
    const escalations = inbox.filter(
      (n: { ticketId: string; kind: string }) => n.ticketId === t.id && n.kind === 'sla_escalation',
    );
    expect(escalations).toHaveLength(2);
    expect(
      (await desk.api('POST', `/api/v1/notifications/${escalations[0].id}/read`, { token: lead.token }))
        .statusCode,
    ).toBe(204);
    expect(
      (await desk.api('POST', `/api/v1/notifications/${escalations[0].id}/read`, { token: agent.token }))
        .statusCode,
    ).toBe(404);
    const view = (await desk.api('GET', `/api/v1/tickets/${t.id}`, { token: agent.token })).json();
    expect(view.sla.escalation).toEqual({ level: 2, nextDueAt: new Date(opened + 5 * HOUR).toISOString() });
    expect(view.sla.firstResponse.breached).toBe(true);
    const events = (
      await desk.api('GET', `/api/v1/tickets/${t.id}/events?limit=200`, { token: agent.token })
    ).json().data;
    expect(events.filter((e: { type: string }) => e.type === 'sla_escalation')).toHaveLength(2);
    const customerView = (await desk.api('GET', `/api/v1/tickets/${t.id}`, { token: contact.token })).json();
    expect(customerView.sla.escalation).toBeNull();
    expect(customerView.sla.firstResponse.breached).toBe(true);
    const customerEvents = (
      await desk.api('GET', `/api/v1/tickets/${t.id}/events?limit=200`, { token: contact.token })
    ).json().data;
    expect(customerEvents.some((e: { type: string }) => e.type.startsWith('sla_'))).toBe(false);

    await desk.api('PATCH', `/api/v1/tickets/${t.id}`, { token: agent.token, body: { status: 'resolved' } });
    desk.advance(10 * HOUR);
    expect(await pass()).toBe(4);
  });

  it('applies contract overrides and shows them', async () => {
    const org = await desk.organization('basic');
    const contact = await desk.person('contact', org.id);
    const bad = await desk.api('PUT', `/api/v1/organizations/${org.id}/policy-overrides`, {
      token: lead.token,
      body: { overrides: { targets: { P2: '30 minuts' } }, reason: 'MSA' },
    });
    expect(bad.statusCode).toBe(400);
    const byAgent = await desk.api('PUT', `/api/v1/organizations/${org.id}/policy-overrides`, {
      token: agent.token,
      body: { overrides: { targets: { P2: '30 minutes' } }, reason: 'MSA' },
    });
    expect(byAgent.statusCode).toBe(403);
    const put = await desk.api('PUT', `/api/v1/organizations/${org.id}/policy-overrides`, {
      token: lead.token,
      body: {
        overrides: { targets: { P2: '30 minutes' } },
        reason: 'MSA 2026 section 4: P2 answered within 30 minutes',
      },
    });
    expect(put.statusCode).toBe(200);
    const t = await desk.ticket(contact, { priority: 'P2' });
    const view = (await desk.api('GET', `/api/v1/tickets/${t.id}`, { token: contact.token })).json();
    expect(view.sla.firstResponse.target).toEqual({
      label: '30 minutes',
      minutes: 30,
      clock: 'calendar',
      overridden: true,
    });
    expect(
      (await simulate({ priority: 'P2', openedAt: '2026-11-27T21:30:00Z', organizationId: org.id })).json()
        .firstResponse,
    ).toMatchObject({
      dueAt: '2026-11-27T22:00:00.000Z',
      overridden: true,
    });
    expect(
      (
        await desk.api('GET', `/api/v1/organizations/${org.id}/policy-overrides`, { token: contact.token })
      ).json().overrides,
    ).toEqual({ targets: { P2: '30 minutes' } });
    expect(
      (await desk.api('DELETE', `/api/v1/organizations/${org.id}/policy-overrides`, { token: admin.token }))
        .statusCode,
    ).toBe(204);
  });

  it('refuses a P0 cadence in business days and applies a contract calendar', async () => {
    const org = await desk.organization('basic');
    const cadence = await desk.api('PUT', `/api/v1/organizations/${org.id}/policy-overrides`, {
      token: lead.token,
      body: { overrides: { p0: { updateEvery: '1 business day' } }, reason: 'MSA' },
    });
    expect(cadence.statusCode).toBe(400);
    const badCalendar = await desk.api('PUT', `/api/v1/organizations/${org.id}/policy-overrides`, {
      token: lead.token,
      body: {
        overrides: {
          calendar: { timeZone: 'Mars/Olympus', hours: { mon: [{ open: '09:00', close: '17:00' }] } },
        },
        reason: 'MSA',
      },
    });
    expect(badCalendar.statusCode).toBe(422);
    const paris = await desk.api('PUT', `/api/v1/organizations/${org.id}/policy-overrides`, {
      token: lead.token,
      body: {
        overrides: {
          calendar: {
            timeZone: 'Europe/Paris',
            hours: Object.fromEntries(
              ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ open: '09:00', close: '17:00' }]]),
            ),
          },
        },
        reason: 'Contract signed with the French subsidiary: Paris business hours',
      },
    });
    expect(paris.statusCode).toBe(200);
    // Friday 2026-11-27 16:30 Paris (15:30Z) + 1 business day (8 business hours) = Monday 16:30 Paris (15:30Z).
    const res = (
      await simulate({ priority: 'P2', openedAt: '2026-11-27T15:30:00Z', organizationId: org.id })
    ).json();
    expect(res.firstResponse).toMatchObject({ dueAt: '2026-11-30T15:30:00.000Z', clock: 'business' });
    expect(res.calendar.timeZone).toBe('Europe/Paris');
  });

  it('publishes the policy and shows it to anyone', async () => {
    const res = await desk.api('GET', '/api/v1/policy');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ version: '2024-02-12', policy: { id: 'maintainx-support' } });
    expect(
      (await desk.api('GET', '/api/v1/policy/versions', { token: agent.token })).json().data,
    ).toHaveLength(1);
  });
});

describe.each(databaseTargets())('a ticket the scheduler cannot compute on $dialect', (target) => {
  let desk: TestDesk;
  afterAll(() => desk?.close());

  it('holds up no other ticket and is retried later', async () => {
    desk = await TestDesk.start(target);
    const brokenOrg = await desk.organization('premium');
    const healthyOrg = await desk.organization('premium');
    const broken = await desk.ticket(await desk.person('contact', brokenOrg.id), { priority: 'P1' });
    const healthy = await desk.ticket(await desk.person('contact', healthyOrg.id), { priority: 'P1' });
    // An override row written by hand, outside the API's validation.
    await desk.database.db.kysely
      .insertInto('policy_overrides')
      .values({
        organization_id: brokenOrg.id,
        overrides: '{"targets":{"P1":"soon"}}',
        reason: 'hand-edited',
        updated_at: desk.now,
        updated_by: null,
      })
      .execute();
    desk.advance(2 * HOUR);
    const failures: string[] = [];
    await desk.services.sla.runDue(desk.now, { onError: (_err, ticketId) => failures.push(ticketId) });
    expect(failures).toEqual([broken.id]);
    const kinds = await desk.database.db.kysely
      .selectFrom('sla_events')
      .select(['ticket_id', 'kind'])
      .execute();
    expect(kinds).toEqual([{ ticket_id: healthy.id, kind: 'breach' }]);
    const retry = await desk.database.db.kysely
      .selectFrom('tickets')
      .select('sla_next_check_at')
      .where('id', '=', broken.id)
      .executeTakeFirstOrThrow();
    expect(retry.sla_next_check_at).toBe(desk.now + 15 * MINUTE);
  });
});
