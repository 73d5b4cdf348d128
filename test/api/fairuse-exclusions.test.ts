import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { TEST_EPOCH, TestDesk, type Person } from '../support/desk.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface Ticket {
  id: string;
  number: number;
  sla: { firstResponse: { dueAt: string; breached: boolean }; nextDueAt: string | null } | null;
  exclusion: { reason: string; note: string; at: string } | null;
}

interface Cell {
  tier: string;
  priority: string;
  count: number;
  pending: number;
  median: number | null;
}

describe.each(databaseTargets())('excluding tickets from the promise on $dialect', (target) => {
  let desk: TestDesk;
  let agent: Person;
  let lead: Person;

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    agent = await desk.person('agent');
    lead = await desk.person('lead');
  });
  afterAll(() => desk?.close());

  const db = () => desk.database.db.kysely;
  const exclude = (ticketId: string, body: Record<string, unknown>, token = agent.token) =>
    desk.api('POST', `/api/v1/tickets/${ticketId}/exclusion`, { token, body });
  const unexclude = (ticketId: string, body: Record<string, unknown>, token = agent.token) =>
    desk.api('DELETE', `/api/v1/tickets/${ticketId}/exclusion`, { token, body });
  const ticketAs = async (who: Person, id: string) => {
    const res = await desk.api('GET', `/api/v1/tickets/${id}`, { token: who.token });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Ticket>();
  };
  const slaEvents = (ticketId: string) =>
    db().selectFrom('sla_events').select(['kind', 'target']).where('ticket_id', '=', ticketId).execute();
  const dueColumns = (ticketId: string) =>
    db()
      .selectFrom('tickets')
      .select([
        'sla_first_response_due_at',
        'sla_resolution_due_at',
        'sla_update_due_at',
        'sla_escalation_due_at',
        'sla_next_due_at',
        'sla_next_check_at',
        'sla_first_response_target_ms',
        'sla_first_response_ms',
        'policy_version_id',
      ])
      .where('id', '=', ticketId)
      .executeTakeFirstOrThrow();
  const reply = async (ticketId: string, who: Person = agent) => {
    const res = await desk.api('POST', `/api/v1/tickets/${ticketId}/messages`, {
      token: who.token,
      body: { body: 'Looking at it.', public: true },
    });
    expect(res.statusCode, res.body).toBe(201);
  };

  it('stops the SLA clocks: no due times, no warning, breach or escalation after it; removing it restores them', async () => {
    const org = await desk.organization('enterprise');
    const contact = await desk.person('contact', org.id);
    // Enterprise P0: first response in 15 minutes, updates every 30, escalation at an hour.
    const p0 = await desk.ticket(contact, { priority: 'P0', subject: 'Our scripts flood the API' });
    const before = await dueColumns(p0.id);
    expect(before.sla_next_check_at).not.toBeNull();
    desk.advance(5 * MINUTE);

    const res = await exclude(p0.id, {
      reason: 'nonconforming_use',
      note: 'The outage comes from a script calling the API 500 times a second, against the documentation.',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      reason: 'nonconforming_use',
      note: 'The outage comes from a script calling the API 500 times a second, against the documentation.',
      at: new Date(desk.now).toISOString(),
    });
    expect(await dueColumns(p0.id)).toEqual({
      sla_first_response_due_at: null,
      sla_resolution_due_at: null,
      sla_update_due_at: null,
      sla_escalation_due_at: null,
      sla_next_due_at: null,
      sla_next_check_at: null,
      sla_first_response_target_ms: null,
      sla_first_response_ms: null,
      policy_version_id: before.policy_version_id,
    });
    expect((await ticketAs(agent, p0.id)).sla).toBeNull();

    // Past the first response, the update cadence and the first escalation: nothing fires.
    desk.advance(2 * HOUR);
    await desk.services.sla.runDue(desk.now);
    // The customer writes meanwhile: the clocks stay stopped.
    await reply(p0.id, contact);
    desk.advance(HOUR);
    await desk.services.sla.runDue(desk.now);
    expect(await slaEvents(p0.id)).toEqual([]);
    const events = await db()
      .selectFrom('ticket_events')
      .select('type')
      .where('ticket_id', '=', p0.id)
      .where('type', 'like', 'sla_%')
      .execute();
    expect(events).toEqual([]);
    expect((await dueColumns(p0.id)).sla_next_check_at).toBeNull();

    // The customer sees the exclusion and its reason.
    const seen = await ticketAs(contact, p0.id);
    expect(seen.exclusion).toMatchObject({ reason: 'nonconforming_use' });
    expect(seen.exclusion!.note).toContain('against the documentation');
    expect(seen.sla).toBeNull();
    // Out of the agents' queue by due time.
    const queue = await desk.api('GET', '/api/v1/tickets?sort=due&limit=200', { token: agent.token });
    expect(queue.json<{ data: { id: string }[] }>().data.map((t) => t.id)).not.toContain(p0.id);

    // Taken back: the clocks run again from the ticket's events, and what is overdue fires.
    const removed = await unexclude(p0.id, { reason: 'The script was ours after all' });
    expect(removed.statusCode, removed.body).toBe(204);
    const restored = await ticketAs(agent, p0.id);
    expect(restored.exclusion).toBeNull();
    expect(restored.sla!.firstResponse).toMatchObject({
      dueAt: new Date(TEST_EPOCH + 15 * MINUTE).toISOString(),
      breached: true,
    });
    expect(await desk.services.sla.runDue(desk.now)).toBeGreaterThan(0);
    expect((await slaEvents(p0.id)).map((e) => e.kind)).toContain('breach');

    const audit = await desk.api('GET', `/api/v1/audit?organizationId=${org.id}`, { token: lead.token });
    expect(
      audit
        .json<{ data: { action: string; ticketId: string; actor: { id: string }; reason: string }[] }>()
        .data.map((e) => [e.action, e.ticketId, e.actor.id, e.reason]),
    ).toEqual([
      ['ticket.exclusion_removed', p0.id, agent.user.id, 'The script was ours after all'],
      [
        'ticket.excluded',
        p0.id,
        agent.user.id,
        'The outage comes from a script calling the API 500 times a second, against the documentation.',
      ],
    ]);
  });

  it('corrects an exclusion’s reason without restarting its clocks', async () => {
    const org = await desk.organization('premium');
    const contact = await desk.person('contact', org.id);
    const t = await desk.ticket(contact);
    const first = await exclude(t.id, { reason: 'nonconforming_use', note: 'Unsupported integration' });
    const at = first.json<{ at: string }>().at;
    desk.advance(MINUTE);
    const second = await exclude(t.id, { reason: 'gross_negligence', note: 'Deleted their own data twice' });
    expect(second.json()).toEqual({ reason: 'gross_negligence', note: 'Deleted their own data twice', at });
    expect((await ticketAs(contact, t.id)).exclusion).toEqual({
      reason: 'gross_negligence',
      note: 'Deleted their own data twice',
      at,
    });
    // Ticket lists carry it too.
    const list = await desk.api('GET', `/api/v1/tickets?organizationId=${org.id}`, { token: contact.token });
    expect(list.json<{ data: Ticket[] }>().data[0]!.exclusion).toMatchObject({ reason: 'gross_negligence' });
  });

  it('drops excluded tickets out of the median reports, and back in when the exclusion is removed', async () => {
    const org = await desk.organization('premium');
    const contact = await desk.person('contact', org.id);
    const from = new Date(desk.now - HOUR).toISOString();
    const answered = [];
    // Premium P1: answered after 10, 20 and 90 minutes; the median is 20 minutes.
    for (const minutes of [10, 20, 90]) {
      const t = await desk.ticket(contact, { priority: 'P1' });
      desk.advance(minutes * MINUTE);
      await reply(t.id);
      answered.push(t);
    }
    const open = await desk.ticket(contact, { priority: 'P1' });
    desk.advance(3 * HOUR);
    const to = new Date(desk.now + HOUR).toISOString();
    const cell = async () => {
      const res = await desk.api(
        'GET',
        `/api/v1/reports/response-times?from=${from}&to=${to}&organizationId=${org.id}&tier=premium`,
        { token: lead.token },
      );
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ cells: Cell[] }>().cells.find((c) => c.priority === 'P1')!;
    };
    // The unanswered ticket counts as taking at least its 3 hours (Kaplan–Meier): after 20 minutes
    // half are answered and the curve stays at one half until 90, so the median is halfway: 55.
    expect(await cell()).toMatchObject({ count: 3, pending: 1, median: 55 * 60, medianStatus: 'met' });

    // Excluding the 10-minute ticket and the open one leaves 20 and 90: a median of 55 minutes.
    await exclude(answered[0]!.id, { reason: 'gross_negligence', note: 'Deleted the production database' });
    // An excluded ticket nobody answered is not pending either.
    await exclude(open.id, { reason: 'nonconforming_use', note: 'Asks about a competitor’s product' });
    expect(await cell()).toMatchObject({ count: 2, pending: 0, median: 55 * 60 });

    // Resolution times leave the resolution report the same way.
    for (const t of answered) {
      const res = await desk.api('PATCH', `/api/v1/tickets/${t.id}`, {
        token: agent.token,
        body: { status: 'resolved' },
      });
      expect(res.statusCode).toBe(200);
    }
    const resolution = async () =>
      (
        await desk.api('GET', `/api/v1/reports/resolution?from=${from}&to=${to}&organizationId=${org.id}`, {
          token: lead.token,
        })
      )
        .json<{ priorities: { priority: string; count: number }[] }>()
        .priorities.find((p) => p.priority === 'P1')!.count;
    expect(await resolution()).toBe(2);

    const back = await unexclude(answered[0]!.id, { reason: 'Reviewed: it was our bug' });
    expect(back.statusCode).toBe(204);
    expect(await cell()).toMatchObject({ count: 3, median: 20 * 60 });
    expect(await resolution()).toBe(3);
  });

  it('is for staff, with a reason from the policy and a note; bad input is refused', async () => {
    const org = await desk.organization('premium');
    const contact = await desk.person('contact', org.id);
    const t = await desk.ticket(contact);
    expect((await exclude(t.id, { reason: 'nonconforming_use', note: 'x' }, contact.token)).statusCode).toBe(
      403,
    );
    expect((await exclude(t.id, { reason: 'laziness', note: 'x' })).statusCode).toBe(400);
    expect((await exclude(t.id, { reason: 'gross_negligence' })).statusCode).toBe(400);
    expect((await exclude(t.id, { reason: 'gross_negligence', note: '   ' })).statusCode).toBe(400);
    expect(
      (await exclude('0190a1b2-0000-7000-8000-000000000000', { reason: 'gross_negligence', note: 'x' }))
        .statusCode,
    ).toBe(404);
    // Nothing to take back, and taking back needs a reason.
    expect((await unexclude(t.id, { reason: 'why not' })).statusCode).toBe(404);
    await exclude(t.id, { reason: 'gross_negligence', note: 'x' });
    expect((await unexclude(t.id, {})).statusCode).toBe(400);
    expect((await unexclude(t.id, { reason: 'please' }, contact.token)).statusCode).toBe(403);
    expect((await ticketAs(contact, t.id)).exclusion).not.toBeNull();
  });
});
