import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/shared/ids.js';
import type { StatusIncidentRow, StatusIncidentUpdateRow } from '../../src/status/model.js';
import { IncidentTicketReplies } from '../../src/status/tickets/listener.js';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

const PUBLIC_URL = 'https://support.acme.test';
const SUPPORT = 'support@acme.test';
const MINUTE = 60_000;

describe.each(databaseTargets())('tickets tied to status incidents on $dialect', (target) => {
  let desk: TestDesk;
  let agent: Person;
  let lead: Person;

  const db = () => desk.database.db.kysely;

  function incidentRow(overrides: Partial<StatusIncidentRow> = {}): StatusIncidentRow {
    return {
      id: newId(),
      kind: 'incident',
      name: 'Work orders fail to save',
      name_fr: 'Les ordres de travail ne s’enregistrent pas',
      impact: 'minor',
      status: 'investigating',
      scheduled_for: null,
      scheduled_until: null,
      auto_transition: 1,
      postmortem_md: null,
      postmortem_html: null,
      origin_ticket_id: null,
      created_by: null,
      created_at: desk.now,
      updated_at: desk.now,
      started_at: desk.now,
      resolved_at: null,
      ...overrides,
    };
  }
  function updateRow(incident: StatusIncidentRow, overrides: Partial<StatusIncidentUpdateRow> = {}) {
    return {
      id: newId(),
      incident_id: incident.id,
      status: 'identified',
      body: 'A full disk on the database server; we are freeing space.',
      body_fr: 'Un disque plein sur le serveur de base de données ; nous libérons de la place.',
      author_id: null,
      created_at: desk.now,
      ...overrides,
    } satisfies StatusIncidentUpdateRow;
  }
  const incident = async (overrides: Partial<StatusIncidentRow> = {}) => {
    const row = incidentRow({ created_by: lead.user.id, ...overrides });
    await db().insertInto('status_incidents').values(row).execute();
    return row;
  };
  /** Publishes an update through the API, as staff do: the real StatusService calls its listeners. */
  const publish = async (
    inc: StatusIncidentRow,
    {
      status = 'identified',
      author = lead,
      ...text
    }: { status?: string; author?: Person; body?: string } = {},
  ) => {
    const defaults = updateRow(inc);
    const res = await desk.api('POST', `/api/v1/status/incidents/${inc.id}/updates`, {
      token: author.token,
      body: { status, body: text.body ?? defaults.body, bodyFr: defaults.body_fr },
    });
    expect(res.statusCode, res.body).toBe(201);
    return db()
      .selectFrom('status_incident_updates')
      .selectAll()
      .where('incident_id', '=', inc.id)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
  };
  /** Resolves an incident through the API, so that it no longer draws new problem tickets to it. */
  const resolveIncident = (id: string) =>
    desk.api('POST', `/api/v1/status/incidents/${id}/updates`, {
      token: lead.token,
      body: { status: 'resolved', body: 'Resolved.' },
    });
  const component = async () => {
    const id = newId();
    await db()
      .insertInto('status_components')
      .values({
        id,
        group_name: null,
        name: `Component ${id.slice(-4)}`,
        description: '',
        position: 0,
        state: 'operational',
        created_at: desk.now,
        updated_at: desk.now,
      })
      .execute();
    return id;
  };
  const ticketRow = (id: string) =>
    db().selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const messagesOf = (ticketId: string) =>
    db()
      .selectFrom('ticket_messages')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  const linkedIds = async (incidentId: string) =>
    (
      await db()
        .selectFrom('status_incident_tickets')
        .select(['ticket_id', 'how'])
        .where('incident_id', '=', incidentId)
        .orderBy('ticket_id')
        .execute()
    ).map((r) => `${r.ticket_id}:${r.how}`);
  const link = (incidentId: string, ticketIds: string[], token = agent.token) =>
    desk.api('POST', `/api/v1/status/incidents/${incidentId}/tickets`, { token, body: { ticketIds } });
  const customer = async (tier: 'basic' | 'essential' | 'premium' | 'enterprise' = 'enterprise') =>
    desk.person('contact', (await desk.organization(tier)).id);

  beforeAll(async () => {
    desk = await TestDesk.start(target, { PUBLIC_URL, SUPPORT_EMAIL: SUPPORT });
    agent = await desk.person('agent');
    lead = await desk.person('lead');
  });
  afterAll(() => desk?.close());

  it('opens an incident from a P0 ticket: linked, with the first update as a public reply', async () => {
    const contact = await customer();
    const ticket = await desk.ticket(contact, { priority: 'P0' });
    const api = await component();
    const res = await desk.api('POST', `/api/v1/tickets/${ticket.id}/incident`, {
      token: agent.token,
      body: {
        name: 'Exports fail',
        impact: 'major',
        components: [{ id: api, state: 'major_outage' }],
        body: 'We are looking into failing exports.',
      },
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({
      name: 'Exports fail',
      impact: 'major',
      url: `${PUBLIC_URL}/status/incidents/${created.id}`,
      components: [{ id: api, state: 'major_outage' }],
      latestUpdate: { body: 'We are looking into failing exports.' },
    });
    const row = await db()
      .selectFrom('status_incidents')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.origin_ticket_id).toBe(ticket.id);
    expect(await linkedIds(created.id)).toEqual([`${ticket.id}:manual`]);
    const reply = (await messagesOf(ticket.id)).at(-1)!;
    expect(reply).toMatchObject({ author_id: agent.user.id, visibility: 'public' });
    expect(reply.body).toContain('We are looking into failing exports.');
    // The reply is the first response and starts the P0's 30-minute update cadence.
    const after = await ticketRow(ticket.id);
    expect(after.sla_first_response_at).toBe(desk.now);
    expect(after.sla_update_due_at).toBe(desk.now + 30 * MINUTE);
    expect(after.status).toBe('open');
    // A major incident is suggested to every new ticket: resolved, it leaves the other tests' tickets alone.
    expect((await resolveIncident(created.id)).statusCode).toBe(201);
  });

  it('opens incidents from urgent tickets only, for staff only', async () => {
    const contact = await customer();
    const p2 = await desk.ticket(contact, { priority: 'P2' });
    const p1 = await desk.ticket(contact, { priority: 'P1' });
    const body = { name: 'Slow search', impact: 'minor', body: 'Search is slow.' };
    const open = (id: string, token: string, b: unknown = body) =>
      desk.api('POST', `/api/v1/tickets/${id}/incident`, { token, body: b });
    expect((await open(p2.id, agent.token)).statusCode).toBe(422);
    expect((await open(p1.id, contact.token)).statusCode).toBe(403);
    expect((await open(newId(), agent.token)).statusCode).toBe(404);
    expect((await open(p1.id, agent.token, { ...body, impact: 'apocalyptic' })).statusCode).toBe(400);
    expect(
      (await open(p1.id, agent.token, { ...body, components: [{ id: 'x', state: 'bad' }] })).statusCode,
    ).toBe(400);
    expect((await open(p1.id, agent.token)).statusCode).toBe(201);
  });

  it('posts each update on every linked ticket not closed, and it counts as a P0’s update', async () => {
    const contact = await customer();
    const p0 = await desk.ticket(contact, { priority: 'P0' });
    const closed = await desk.ticket(contact, { priority: 'P2' });
    await desk.api('PATCH', `/api/v1/tickets/${closed.id}`, {
      token: agent.token,
      body: { status: 'closed' },
    });
    const first = await desk.api('POST', `/api/v1/tickets/${p0.id}/messages`, {
      token: agent.token,
      body: { body: 'Looking into it.' },
    });
    expect(first.statusCode).toBe(201);
    expect((await ticketRow(p0.id)).sla_update_due_at).toBe(desk.now + 30 * MINUTE);

    const inc = await incident();
    expect((await link(inc.id, [p0.id, closed.id])).json()).toEqual({ linked: 2, alreadyLinked: 0 });
    const closedBefore = (await messagesOf(closed.id)).length;
    desk.advance(20 * MINUTE);
    const update = await publish(inc, { author: agent });

    const reply = (await messagesOf(p0.id)).at(-1)!;
    expect(reply).toMatchObject({ author_id: agent.user.id, visibility: 'public', created_at: desk.now });
    expect(reply.body).toContain('Work orders fail to save');
    expect(reply.body).toContain(update.body);
    expect(reply.body).toContain(`${PUBLIC_URL}/status/incidents/${inc.id}`);
    expect((await ticketRow(p0.id)).sla_update_due_at).toBe(desk.now + 30 * MINUTE);
    expect(await messagesOf(closed.id)).toHaveLength(closedBefore);

    // The customer is mailed the reply.
    const mails = await db()
      .selectFrom('mail_outbox')
      .select(['kind', 'to_address'])
      .where('ticket_id', '=', p0.id)
      .where('kind', '=', 'reply')
      .execute();
    expect(mails.map((m) => m.to_address)).toContain(contact.user.email);

    // Published once, the update is replied once (the StatusService calls the listener, nobody else).
    expect((await messagesOf(p0.id)).filter((m) => m.body.includes(update.body))).toHaveLength(1);

    // An update nobody wrote (a maintenance window moving by itself) answers no ticket, nor does
    // one by somebody who is no longer active staff: the listener, as the StatusService holds it,
    // is called on such updates by hand.
    const replies = new IncidentTicketReplies({
      ledger: desk.services.ledger,
      dialect: desk.database.db.dialect,
      clock: () => desk.now,
      publicUrl: PUBLIC_URL,
    });
    const gone = await desk.person('agent');
    await db()
      .updateTable('users')
      .set({ deactivated_at: desk.now })
      .where('id', '=', gone.user.id)
      .execute();
    const before = (await messagesOf(p0.id)).length;
    for (const authorless of [
      updateRow(inc, { body: 'Space freed; watching.' }),
      updateRow(inc, { body: 'Written by someone who left.', author_id: gone.user.id }),
    ])
      await db()
        .transaction()
        .execute(async (trx) => {
          await trx.insertInto('status_incident_updates').values(authorless).execute();
          await replies.updatePublished(trx, inc, authorless);
        });
    expect(await messagesOf(p0.id)).toHaveLength(before);
  });

  it('writes the reply in the requester’s language', async () => {
    const org = await desk.organization('enterprise');
    await db().updateTable('organizations').set({ locale: 'fr' }).where('id', '=', org.id).execute();
    const contact = await desk.person('contact', org.id);
    const ticket = await desk.ticket(contact, { priority: 'P1' });
    const inc = await incident();
    await link(inc.id, [ticket.id]);
    await publish(inc);
    const body = (await messagesOf(ticket.id)).at(-1)!.body;
    expect(body).toContain('Les ordres de travail ne s’enregistrent pas');
    expect(body).toContain('Un disque plein');
  });

  it('links many tickets at once, lists and unlinks them, and refuses bad input', async () => {
    const contact = await customer();
    const a = await desk.ticket(contact);
    const b = await desk.ticket(contact);
    const inc = await incident();
    expect((await link(inc.id, [a.id, b.id, a.id])).json()).toEqual({ linked: 2, alreadyLinked: 0 });
    expect((await link(inc.id, [a.id])).json()).toEqual({ linked: 0, alreadyLinked: 1 });

    const tooMany = Array.from({ length: 501 }, () => newId());
    expect((await link(inc.id, tooMany)).statusCode).toBe(400);
    expect((await link(inc.id, [])).statusCode).toBe(400);
    expect((await link(inc.id, ['not-an-id'])).statusCode).toBe(400);
    const unknown = newId();
    const missing = await link(inc.id, [a.id, unknown]);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().missing).toEqual([unknown]);
    expect((await link(newId(), [a.id])).statusCode).toBe(404);
    expect((await link(inc.id, [a.id], contact.token)).statusCode).toBe(403);

    const list = await desk.api('GET', `/api/v1/status/incidents/${inc.id}/tickets?limit=1`, {
      token: agent.token,
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().data).toHaveLength(1);
    const rest = await desk.api(
      'GET',
      `/api/v1/status/incidents/${inc.id}/tickets?limit=1&cursor=${list.json().nextCursor}`,
      { token: agent.token },
    );
    expect([list.json().data[0].ticketId, rest.json().data[0].ticketId].sort()).toEqual([a.id, b.id].sort());
    expect(rest.json().data[0]).toMatchObject({ how: 'manual', linkedBy: { id: agent.user.id } });
    expect(
      (await desk.api('GET', `/api/v1/status/incidents/${inc.id}/tickets`, { token: contact.token }))
        .statusCode,
    ).toBe(403);

    const unlink = (ticketId: string, token = agent.token) =>
      desk.api('DELETE', `/api/v1/status/incidents/${inc.id}/tickets/${ticketId}`, { token });
    expect((await unlink(a.id, contact.token)).statusCode).toBe(403);
    expect((await unlink(a.id)).statusCode).toBe(204);
    expect((await unlink(a.id)).statusCode).toBe(404);
    expect(await linkedIds(inc.id)).toEqual([`${b.id}:manual`]);
  });

  it('shows a ticket’s incidents to its readers: the public facts to customers, the link to staff', async () => {
    const contact = await customer();
    const stranger = await customer();
    const ticket = await desk.ticket(contact);
    const inc = await incident({ impact: 'major' });
    await link(inc.id, [ticket.id]);
    await publish(inc);
    const asCustomer = await desk.api('GET', `/api/v1/tickets/${ticket.id}/incidents`, {
      token: contact.token,
    });
    expect(asCustomer.statusCode).toBe(200);
    expect(asCustomer.json().data).toEqual([
      // The update moved the incident on, as the StatusService does.
      expect.objectContaining({ id: inc.id, name: inc.name, status: 'identified', link: null }),
    ]);
    expect(asCustomer.json().data[0].latestUpdate.status).toBe('identified');
    const asStaff = await desk.api('GET', `/api/v1/tickets/${ticket.id}/incidents`, { token: agent.token });
    expect(asStaff.json().data[0].link).toMatchObject({ how: 'manual', by: { id: agent.user.id } });
    expect(
      (await desk.api('GET', `/api/v1/tickets/${ticket.id}/incidents`, { token: stranger.token })).statusCode,
    ).toBe(404);
    expect((await desk.api('GET', `/api/v1/tickets/${ticket.id}/incidents`)).statusCode).toBe(401);
    expect((await resolveIncident(inc.id)).statusCode).toBe(201);
  });

  it('never answers a ticket by itself: an unrelated ticket filed during a critical incident keeps its first response pending', async () => {
    const outage = await incident({ impact: 'critical', name: 'Platform unreachable' });
    const contact = await customer('essential');
    const unrelated = await desk.ticket(contact, {
      subject: 'Work order checklist photo upload fails',
      requestType: 'problem',
      priority: 'P3',
    });
    const affected = await desk.ticket(contact, {
      subject: 'Nothing loads',
      requestType: 'problem',
      priority: 'P0',
      incidentId: outage.id,
    });
    // Only the ticket the customer confirmed is linked, by the customer, with an event saying so.
    expect(await linkedIds(outage.id)).toEqual([`${affected.id}:customer`]);
    const events = await desk.api('GET', `/api/v1/tickets/${affected.id}/events`, { token: contact.token });
    expect(events.json().data).toContainEqual(
      expect.objectContaining({
        type: 'incident_linked',
        actorId: contact.user.id,
        data: expect.objectContaining({ incidentId: outage.id, how: 'customer' }),
      }),
    );
    // The unrelated ticket is suggested, to its customer and to staff, and nothing more.
    for (const token of [contact.token, agent.token]) {
      const suggested = await desk.api('GET', `/api/v1/tickets/${unrelated.id}/incidents/suggested`, {
        token,
      });
      expect(suggested.statusCode).toBe(200);
      expect(suggested.json().data.map((i: { id: string }) => i.id)).toEqual([outage.id]);
    }
    const linkedSuggestions = await desk.api('GET', `/api/v1/tickets/${affected.id}/incidents/suggested`, {
      token: contact.token,
    });
    expect(linkedSuggestions.json().data).toEqual([]);

    desk.advance(10 * MINUTE);
    await publish(outage, { author: lead, body: 'Identified: a failed load balancer.' });

    // The unrelated ticket got nothing: its first response is still owed.
    expect((await messagesOf(unrelated.id)).map((m) => m.body)).not.toContainEqual(
      expect.stringContaining('failed load balancer'),
    );
    const pending = await desk.api('GET', `/api/v1/tickets/${unrelated.id}`, { token: agent.token });
    expect(pending.json()).toMatchObject({ status: 'new', sla: { firstResponse: { metAt: null } } });
    expect((await ticketRow(unrelated.id)).sla_first_response_at).toBeNull();

    // The confirmed P0 got the update as the lead's reply, which is its first response and starts
    // the 30-minute update cadence.
    const reply = (await messagesOf(affected.id)).at(-1)!;
    expect(reply).toMatchObject({ author_id: lead.user.id, visibility: 'public', created_at: desk.now });
    expect(reply.body).toContain('failed load balancer');
    const p0 = await ticketRow(affected.id);
    expect(p0.sla_first_response_at).toBe(desk.now);
    expect(p0.sla_update_due_at).toBe(desk.now + 30 * MINUTE);
    expect(p0.status).toBe('open');
    desk.advance(25 * MINUTE);
    await publish(outage, { author: lead, status: 'monitoring', body: 'A fix is rolling out.' });
    expect((await ticketRow(affected.id)).sla_update_due_at).toBe(desk.now + 30 * MINUTE);

    // Linked by mistake: staff unlink it; the replies stay, the next update does not come.
    const wrong = await desk.ticket(contact, { requestType: 'problem', priority: 'P2' });
    const confirmed = await desk.api('POST', `/api/v1/tickets/${wrong.id}/incidents`, {
      token: contact.token,
      body: { incidentId: outage.id },
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().data.map((i: { id: string }) => i.id)).toEqual([outage.id]);
    desk.advance(5 * MINUTE);
    await publish(outage, { author: lead, status: 'monitoring', body: 'Still watching.' });
    const withReply = await messagesOf(wrong.id);
    expect(withReply.at(-1)!.body).toContain('Still watching.');
    const unlink = await desk.api('DELETE', `/api/v1/status/incidents/${outage.id}/tickets/${wrong.id}`, {
      token: agent.token,
    });
    expect(unlink.statusCode).toBe(204);
    desk.advance(5 * MINUTE);
    await publish(outage, { author: lead, status: 'monitoring', body: 'Quiet now.' });
    expect(await messagesOf(wrong.id)).toEqual(withReply);
    const log = (await desk.api('GET', `/api/v1/tickets/${wrong.id}/events`, { token: agent.token })).json()
      .data;
    expect(log.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['incident_linked', 'incident_unlinked']),
    );
    expect(log.find((e: { type: string }) => e.type === 'incident_unlinked')).toMatchObject({
      actorId: agent.user.id,
    });
    expect((await resolveIncident(outage.id)).statusCode).toBe(201);
  });

  it('asks new tickets about wide incidents only, and refuses a confirmation it cannot honour', async () => {
    const major = await incident({ impact: 'major' });
    const minor = await incident({ impact: 'minor' });
    const resolved = await incident({ impact: 'major', status: 'resolved', resolved_at: desk.now });
    const contact = await customer('essential');
    const count = async () =>
      Number(
        (
          await db()
            .selectFrom('tickets')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    for (const incidentId of [minor.id, resolved.id, newId()]) {
      const res = await desk.api('POST', '/api/v1/tickets', {
        token: contact.token,
        body: { subject: 'Down', body: 'Down.', priority: 'P1', requestType: 'problem', incidentId },
      });
      expect(res.statusCode, res.body).toBe(422);
    }
    // Refused whole: no ticket, no link, no event was written.
    expect(await count()).toBe(before);
    expect(await linkedIds(minor.id)).toEqual([]);

    const ticket = await desk.ticket(contact, { requestType: 'question' });
    const suggested = await desk.api('GET', `/api/v1/tickets/${ticket.id}/incidents/suggested`, {
      token: contact.token,
    });
    expect(suggested.json().data.map((i: { id: string }) => i.id)).toEqual([major.id]);
    const confirm = (incidentId: string, token: string) =>
      desk.api('POST', `/api/v1/tickets/${ticket.id}/incidents`, { token, body: { incidentId } });
    // A customer confirms a suggested incident only; staff link any.
    expect((await confirm(minor.id, contact.token)).statusCode).toBe(422);
    expect((await confirm(newId(), contact.token)).statusCode).toBe(404);
    const stranger = await desk.person('contact', (await desk.organization('basic')).id);
    expect((await confirm(major.id, stranger.token)).statusCode).toBe(404);
    expect((await confirm(minor.id, agent.token)).statusCode).toBe(200);
    expect(await linkedIds(minor.id)).toEqual([`${ticket.id}:manual`]);
    expect((await desk.api('GET', `/api/v1/tickets/${ticket.id}/incidents/suggested`)).statusCode).toBe(401);

    const open = await desk.api('GET', '/api/v1/status/open-incidents', { token: contact.token });
    expect(open.statusCode).toBe(200);
    const byId = new Map(open.json().data.map((i: { id: string }) => [i.id, i]));
    expect(byId.get(major.id)).toMatchObject({ asksNewTickets: true });
    expect(byId.get(minor.id)).toMatchObject({ asksNewTickets: false });
    expect(byId.has(resolved.id)).toBe(false);
    expect((await desk.api('GET', '/api/v1/status/open-incidents')).statusCode).toBe(401);
    for (const inc of [major, minor]) expect((await resolveIncident(inc.id)).statusCode).toBe(201);
  });

  it('resolves every open linked ticket with the final update', async () => {
    const contact = await customer();
    const a = await desk.ticket(contact, { priority: 'P1' });
    const b = await desk.ticket(contact);
    const closed = await desk.ticket(contact);
    await desk.api('PATCH', `/api/v1/tickets/${closed.id}`, {
      token: agent.token,
      body: { status: 'closed' },
    });
    const inc = await incident();
    await link(inc.id, [a.id, b.id, closed.id]);
    const final = await publish(inc, { status: 'resolved', body: 'The disk was replaced; all is well.' });

    const resolve = (body: unknown, token = agent.token, id = inc.id) =>
      desk.api('POST', `/api/v1/status/incidents/${id}/resolve-tickets`, { token, body });
    expect((await resolve({}, contact.token)).statusCode).toBe(403);
    expect((await resolve({}, agent.token, newId())).statusCode).toBe(404);
    const res = await resolve({});
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ resolved: 2 });
    for (const t of [a, b]) {
      expect((await ticketRow(t.id)).status).toBe('resolved');
      const reply = (await messagesOf(t.id)).at(-1)!;
      expect(reply.body).toContain(final.body);
      expect(reply.author_id).toBe(agent.user.id);
    }
    expect((await ticketRow(closed.id)).status).toBe('closed');
    // Done once: a second call finds nothing open.
    expect((await resolve({ body: 'Again.' })).json()).toEqual({ resolved: 0 });

    const fresh = await incident();
    const other = await desk.ticket(contact);
    await link(fresh.id, [other.id]);
    expect((await resolve({}, agent.token, fresh.id)).statusCode).toBe(422);
    expect((await resolve({ body: 'Fixed.' }, agent.token, fresh.id)).json()).toEqual({ resolved: 1 });
  });

  it('sends proactive notices to the active contacts of organizations by tier, for leads only', async () => {
    const enterprise = await desk.organization('enterprise');
    const basic = await desk.organization('basic');
    const contactA = await desk.person('contact', enterprise.id);
    const contactB = await desk.person('contact', enterprise.id);
    const member = await desk.person('member', enterprise.id);
    const gone = await desk.person('contact', enterprise.id);
    await db()
      .updateTable('users')
      .set({ deactivated_at: desk.now })
      .where('id', '=', gone.user.id)
      .execute();
    const basicContact = await desk.person('contact', basic.id);
    const inc = await incident();
    const api = await component();

    const send = (body: unknown, token = lead.token, id = inc.id) =>
      desk.api('POST', `/api/v1/status/incidents/${id}/notices`, { token, body });
    const notice = { subject: 'Exports are delayed', body: 'Exports started after 9:00 are delayed.' };
    expect((await send(notice, agent.token)).statusCode).toBe(403);
    expect((await send(notice, contactA.token)).statusCode).toBe(403);
    expect((await send(notice, lead.token, newId())).statusCode).toBe(404);
    expect((await send({ ...notice, tiers: ['gold'] })).statusCode).toBe(400);
    expect((await send({ ...notice, componentIds: [newId()] })).statusCode).toBe(400);

    const res = await send({ ...notice, tiers: ['enterprise'], componentIds: [api] });
    expect(res.statusCode).toBe(200);
    expect(res.json().recipients).toBeGreaterThanOrEqual(2);
    const mailedTo = async (email: string) =>
      db()
        .selectFrom('mail_outbox')
        .selectAll()
        .where('to_address', '=', email)
        .where('kind', '=', 'status_notice')
        .execute();
    const [mail] = await mailedTo(contactA.user.email);
    expect(mail).toMatchObject({ subject: notice.subject });
    expect(mail!.body_text).toContain(notice.body);
    expect(mail!.body_text).toContain(`${PUBLIC_URL}/status/incidents/${inc.id}`);
    expect(await mailedTo(contactB.user.email)).toHaveLength(1);
    for (const person of [member, gone, basicContact])
      expect(await mailedTo(person.user.email)).toHaveLength(0);

    const rows = await db()
      .selectFrom('organization_notices')
      .selectAll()
      .where('organization_id', 'in', [enterprise.id, basic.id])
      .execute();
    expect(rows).toEqual([
      expect.objectContaining({
        organization_id: enterprise.id,
        incident_id: inc.id,
        sent_by: lead.user.id,
        recipients: 2,
        at: desk.now,
      }),
    ]);

    // The organization's timeline shows the notice to staff, and to nobody else.
    const timeline = await desk.api('GET', `/api/v1/organizations/${enterprise.id}/notices`, {
      token: agent.token,
    });
    expect(timeline.statusCode).toBe(200);
    expect(timeline.json().data).toEqual([
      expect.objectContaining({
        subject: notice.subject,
        recipients: 2,
        incident: { id: inc.id, name: expect.any(String) },
        sentBy: { id: lead.user.id, name: lead.user.name },
      }),
    ]);
    const basicTimeline = await desk.api('GET', `/api/v1/organizations/${basic.id}/notices`, {
      token: agent.token,
    });
    expect(basicTimeline.json().data).toEqual([]);
    expect(
      (await desk.api('GET', `/api/v1/organizations/${enterprise.id}/notices`, { token: contactA.token }))
        .statusCode,
    ).toBe(403);
  });
});
