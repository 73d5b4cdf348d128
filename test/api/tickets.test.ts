import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

describe.each(databaseTargets())('tickets on $dialect', (target) => {
  let desk: TestDesk;
  let agent: Person;
  let lead: Person;
  let orgId: string;
  let contact: Person;
  let member: Person;

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    agent = await desk.person('agent');
    lead = await desk.person('lead');
    orgId = (await desk.organization('premium')).id;
    contact = await desk.person('contact', orgId);
    member = await desk.person('member', orgId);
  });
  afterAll(() => desk?.close());

  it('files a ticket for a customer with its opening message, tier and event log', async () => {
    const res = await desk.api('POST', '/api/v1/tickets', {
      token: member.token,
      body: {
        subject: 'Work orders do not sync',
        body: 'Created on mobile, missing on web.',
        priority: 'P1',
        requestType: 'problem',
        reproduction: {
          steps: 'Create WO on iOS',
          expected: 'Visible on web',
          actual: 'Missing',
          environment: 'iOS 18',
        },
      },
    });
    expect(res.statusCode).toBe(201);
    const ticket = res.json();
    expect(ticket).toMatchObject({
      subject: 'Work orders do not sync',
      priority: 'P1',
      status: 'new',
      channel: 'api',
      requestType: 'problem',
      tier: 'premium',
      organizationId: orgId,
      requesterId: member.user.id,
      assignee: null,
      reproduction: { steps: 'Create WO on iOS', environment: 'iOS 18' },
      createdAt: '2026-06-01T12:00:00.000Z',
    });
    expect(ticket.number).toBeGreaterThanOrEqual(1001);

    const read = await desk.api('GET', `/api/v1/tickets/${ticket.id}`, { token: member.token });
    expect(read.statusCode).toBe(200);
    expect(read.json().id).toBe(ticket.id);

    const messages = (
      await desk.api('GET', `/api/v1/tickets/${ticket.id}/messages`, { token: member.token })
    ).json();
    expect(messages.data).toHaveLength(1);
    expect(messages.data[0]).toMatchObject({
      public: true,
      body: 'Created on mobile, missing on web.',
      author: { id: member.user.id },
    });

    const events = (
      await desk.api('GET', `/api/v1/tickets/${ticket.id}/events`, { token: agent.token })
    ).json();
    expect(events.data.map((e: { type: string }) => e.type)).toEqual(['created', 'message_added']);
    expect(events.data[0]).toMatchObject({
      actorId: member.user.id,
      data: { priority: 'P1', tier: 'premium', channel: 'api' },
    });
  });

  it('numbers tickets one after another', async () => {
    const a = await desk.ticket(contact);
    const b = await desk.ticket(contact);
    expect(b.number).toBe(a.number + 1);
  });

  it('refuses a request type outside the tier and names the tier that includes it, writing nothing', async () => {
    const basicOrg = await desk.organization(null);
    const trial = await desk.person('contact', basicOrg.id);
    const before = await desk.count('tickets');
    const res = await desk.api('POST', '/api/v1/tickets', {
      token: trial.token,
      body: {
        subject: 'Import our assets',
        body: 'CSV attached',
        priority: 'P2',
        requestType: 'data_import',
      },
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      type: 'urn:accord:problem:request-type-not-in-tier',
      tier: 'basic',
      requiredTier: 'essential',
    });
    expect(res.json().detail).toContain('Essential');
    expect(await desk.count('tickets')).toBe(before);
    // The same organization may still ask a general question.
    expect((await desk.ticket(trial, { requestType: 'question' })).status).toBe('new');
  });

  it('serves an organization whose subscription has ended at the basic tier', async () => {
    const org = await desk.services.organizations.create(null, {
      name: 'Lapsed Co',
      domains: [],
      locale: 'fr',
      subscription: { tier: 'enterprise', termStart: '2025-01-01', termEnd: '2026-01-01' },
    });
    const person = await desk.person('contact', org.id);
    expect((await desk.ticket(person, { requestType: 'question' })) as unknown).toMatchObject({
      tier: 'basic',
    });
  });

  it('lets staff file for a customer, who must be named', async () => {
    const missing = await desk.api('POST', '/api/v1/tickets', {
      token: agent.token,
      body: { subject: 'Phone call', body: 'Customer called', priority: 'P2' },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([
      { field: 'body.requesterId', message: 'required when staff file a ticket' },
    ]);

    const filed = await desk.api('POST', '/api/v1/tickets', {
      token: agent.token,
      body: {
        subject: 'Phone call',
        body: 'Customer called',
        priority: 'P2',
        requesterId: contact.user.id,
        channel: 'phone',
      },
    });
    expect(filed.statusCode).toBe(201);
    expect(filed.json()).toMatchObject({
      requesterId: contact.user.id,
      organizationId: orgId,
      channel: 'phone',
    });

    const staffAsRequester = await desk.api('POST', '/api/v1/tickets', {
      token: agent.token,
      body: { subject: 'x', body: 'y', priority: 'P2', requesterId: lead.user.id },
    });
    expect(staffAsRequester.statusCode).toBe(422);
  });

  it('opens a phone ticket with the customer’s words, taken down by staff, which is no first response', async () => {
    const filed = await desk.api('POST', '/api/v1/tickets', {
      token: agent.token,
      body: {
        subject: 'Platform unreachable',
        body: 'Nobody at our sites can log in.',
        priority: 'P1',
        requesterId: contact.user.id,
        channel: 'phone',
      },
    });
    expect(filed.statusCode).toBe(201);
    const ticket = filed.json();
    expect(ticket.sla.firstResponse).toMatchObject({ metAt: null });

    for (const viewer of [agent, contact]) {
      const messages = (
        await desk.api('GET', `/api/v1/tickets/${ticket.id}/messages`, { token: viewer.token })
      ).json().data;
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({
        body: 'Nobody at our sites can log in.',
        author: { id: contact.user.id, name: contact.user.name, role: 'contact' },
        takenBy: { id: agent.user.id, name: agent.user.name, channel: 'phone' },
      });
    }

    const events = (
      await desk.api('GET', `/api/v1/tickets/${ticket.id}/events`, { token: agent.token })
    ).json().data;
    expect(events.map((e: { type: string }) => e.type)).toEqual(['created', 'message_added']);
    expect(events[0]).toMatchObject({
      actorId: agent.user.id,
      data: { channel: 'phone', requesterId: contact.user.id },
    });
    expect(events[1]).toMatchObject({
      actorId: contact.user.id,
      data: { initial: true, authorRole: 'contact', takenById: agent.user.id, channel: 'phone' },
    });

    // The desk's first answer is the first response; the customer's words were not one.
    desk.advance(10 * 60_000);
    const reply = await desk.api('POST', `/api/v1/tickets/${ticket.id}/messages`, {
      token: agent.token,
      body: { body: 'We are on it.' },
    });
    expect(reply.json().takenBy).toBeNull();
    const after = (await desk.api('GET', `/api/v1/tickets/${ticket.id}`, { token: agent.token })).json();
    expect(after.sla.firstResponse.metAt).toBe(new Date(desk.now).toISOString());

    // A customer's own ticket was taken down by nobody.
    const own = await desk.ticket(contact);
    const ownMessages = (
      await desk.api('GET', `/api/v1/tickets/${own.id}/messages`, { token: agent.token })
    ).json().data;
    expect(ownMessages[0]).toMatchObject({ author: { id: contact.user.id }, takenBy: null });
  });

  it('refuses channels a customer cannot claim', async () => {
    const res = await desk.api('POST', '/api/v1/tickets', {
      token: contact.token,
      body: { subject: 'x', body: 'y', priority: 'P3', channel: 'email' },
    });
    expect(res.statusCode).toBe(422);
  });

  it('re-triages priority only with a reason, and logs who, when and why', async () => {
    const t = await desk.ticket(contact, { priority: 'P2' });
    const noReason = await desk.api('PATCH', `/api/v1/tickets/${t.id}`, {
      token: agent.token,
      body: { priority: 'P1' },
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].field).toBe('body.priorityReason');

    desk.advance(60_000);
    const ok = await desk.api('PATCH', `/api/v1/tickets/${t.id}`, {
      token: agent.token,
      body: {
        priority: 'P1',
        priorityReason: 'Whole site blocked',
        assigneeId: agent.user.id,
        status: 'open',
      },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ priority: 'P1', status: 'open', assignee: { id: agent.user.id } });
    const events = (await desk.api('GET', `/api/v1/tickets/${t.id}/events`, { token: agent.token })).json()
      .data;
    const change = events.find((e: { type: string }) => e.type === 'priority_changed');
    expect(change).toMatchObject({
      actorId: agent.user.id,
      at: new Date(desk.now).toISOString(),
      data: { from: 'P2', to: 'P1', reason: 'Whole site blocked' },
    });
    expect(events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['assignee_changed', 'status_changed']),
    );

    // Customers see the re-triage but not internal assignment events.
    const seen = (await desk.api('GET', `/api/v1/tickets/${t.id}/events`, { token: contact.token })).json()
      .data;
    expect(seen.map((e: { type: string }) => e.type)).toContain('priority_changed');
    expect(seen.map((e: { type: string }) => e.type)).not.toContain('assignee_changed');
  });

  it('assigns only to active staff', async () => {
    const t = await desk.ticket(contact);
    const res = await desk.api('PATCH', `/api/v1/tickets/${t.id}`, {
      token: agent.token,
      body: { assigneeId: contact.user.id },
    });
    expect(res.statusCode).toBe(422);
  });

  it('keeps internal notes from customers and moves status on replies', async () => {
    const t = await desk.ticket(member);
    const note = await desk.api('POST', `/api/v1/tickets/${t.id}/messages`, {
      token: agent.token,
      body: { body: 'Looks like bug 4411', public: false },
    });
    expect(note.statusCode).toBe(201);
    expect(note.json().public).toBe(false);
    expect((await desk.api('GET', `/api/v1/tickets/${t.id}`, { token: agent.token })).json().status).toBe(
      'new',
    );

    const reply = await desk.api('POST', `/api/v1/tickets/${t.id}/messages`, {
      token: agent.token,
      body: { body: 'We are on it.' },
    });
    expect(reply.statusCode).toBe(201);
    expect((await desk.api('GET', `/api/v1/tickets/${t.id}`, { token: agent.token })).json().status).toBe(
      'open',
    );

    const customerView = (
      await desk.api('GET', `/api/v1/tickets/${t.id}/messages`, { token: member.token })
    ).json().data;
    expect(customerView.map((m: { body: string }) => m.body)).toEqual([
      'The export button does nothing.',
      'We are on it.',
    ]);
    const customerEvents = (
      await desk.api('GET', `/api/v1/tickets/${t.id}/events`, { token: member.token })
    ).json().data;
    expect(customerEvents.filter((e: { type: string }) => e.type === 'message_added')).toHaveLength(2);

    const forbiddenNote = await desk.api('POST', `/api/v1/tickets/${t.id}/messages`, {
      token: member.token,
      body: { body: 'psst', public: false },
    });
    expect(forbiddenNote.statusCode).toBe(403);

    await desk.api('PATCH', `/api/v1/tickets/${t.id}`, {
      token: agent.token,
      body: { status: 'waiting_on_customer' },
    });
    await desk.api('POST', `/api/v1/tickets/${t.id}/messages`, {
      token: member.token,
      body: { body: 'Here is the file.' },
    });
    expect((await desk.api('GET', `/api/v1/tickets/${t.id}`, { token: agent.token })).json().status).toBe(
      'open',
    );
  });

  it('sanitizes HTML messages', async () => {
    const t = await desk.ticket(contact);
    const res = await desk.api('POST', `/api/v1/tickets/${t.id}/messages`, {
      token: contact.token,
      body: {
        body: '<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(1)">link</a><img src=x onerror=alert(1)></p>',
        bodyFormat: 'html',
      },
    });
    expect(res.statusCode).toBe(201);
    const body: string = res.json().body;
    expect(body).not.toMatch(/script|onclick|onerror|javascript:|<img/i);
    expect(body).toContain('<p>Hi');
  });

  it('lets a customer resolve, reopens on their reply, and refuses everything on a closed ticket', async () => {
    const t = await desk.ticket(contact);
    const triage = await desk.api('PATCH', `/api/v1/tickets/${t.id}`, {
      token: contact.token,
      body: { priority: 'P0', priorityReason: 'urgent' },
    });
    expect(triage.statusCode).toBe(403);
    const resolved = await desk.api('PATCH', `/api/v1/tickets/${t.id}`, {
      token: contact.token,
      body: { status: 'resolved' },
    });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json().resolvedAt).toBe(new Date(desk.now).toISOString());
    await desk.api('POST', `/api/v1/tickets/${t.id}/messages`, {
      token: contact.token,
      body: { body: 'It came back.' },
    });
    const reopened = (await desk.api('GET', `/api/v1/tickets/${t.id}`, { token: contact.token })).json();
    expect(reopened).toMatchObject({ status: 'open', resolvedAt: null });

    await desk.api('PATCH', `/api/v1/tickets/${t.id}`, { token: agent.token, body: { status: 'closed' } });
    const late = await desk.api('POST', `/api/v1/tickets/${t.id}/messages`, {
      token: contact.token,
      body: { body: 'hello?' },
    });
    expect(late.statusCode).toBe(409);
    const back = await desk.api('PATCH', `/api/v1/tickets/${t.id}`, {
      token: agent.token,
      body: { status: 'open' },
    });
    expect(back.statusCode).toBe(409);
  });

  it('pages through a filtered list with a cursor, without duplicates or gaps', async () => {
    const org = await desk.organization('essential');
    const requester = await desk.person('contact', org.id);
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      desk.advance(1000);
      ids.push((await desk.ticket(requester, { priority: i % 2 === 0 ? 'P3' : 'P2' })).id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `/api/v1/tickets?organizationId=${org.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await desk.api('GET', q, { token: agent.token })).json<{
        data: { id: string }[];
        nextCursor: string | null;
      }>();
      seen.push(...page.data.map((t) => t.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());

    const p3 = (
      await desk.api('GET', `/api/v1/tickets?organizationId=${org.id}&priority=P3&status=new,open`, {
        token: agent.token,
      })
    ).json();
    expect(p3.data).toHaveLength(4);
    const none = (
      await desk.api('GET', `/api/v1/tickets?organizationId=${org.id}&assigneeId=none&tier=essential`, {
        token: agent.token,
      })
    ).json();
    expect(none.data).toHaveLength(7);
  });

  it('merges several statuses into one ordered list, page after page, in both orders', async () => {
    const org = await desk.organization('premium');
    const requester = await desk.person('contact', org.id);
    const created: { id: string; status: string }[] = [];
    for (let i = 0; i < 9; i += 1) {
      desk.advance(1000);
      const t = await desk.ticket(requester, { priority: (['P1', 'P2', 'P3'] as const)[i % 3] });
      const status = (['new', 'open', 'waiting_on_customer'] as const)[i % 3]!;
      if (status !== 'new')
        await desk.api('PATCH', `/api/v1/tickets/${t.id}`, { token: agent.token, body: { status } });
      created.push({ id: t.id, status });
    }
    const walk = async (query: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/v1/tickets?organizationId=${org.id}&limit=2&${query}${cursor ? `&cursor=${cursor}` : ''}`;
        const page = (await desk.api('GET', url, { token: agent.token })).json<{
          data: { id: string }[];
          nextCursor: string | null;
        }>();
        seen.push(...page.data.map((t) => t.id));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    const wanted = created.filter((t) => t.status === 'new' || t.status === 'open');
    expect(await walk('status=new,open')).toEqual(wanted.map((t) => t.id).reverse());
    const byDue = await walk('status=new,open&sort=due');
    expect([...byDue].sort()).toEqual(wanted.map((t) => t.id).sort());
    const dues = await Promise.all(
      byDue.map(
        async (id) =>
          (await desk.api('GET', `/api/v1/tickets/${id}`, { token: agent.token })).json().sla
            .nextDueAt as string,
      ),
    );
    expect(dues).toEqual([...dues].sort());
    expect(await walk('priority=P1,P3')).toEqual(
      created
        .filter((_, i) => i % 3 !== 1)
        .map((t) => t.id)
        .reverse(),
    );
  });

  it('logs a reproduction change only when something changed, naming what', async () => {
    const t = await desk.ticket(contact, { reproduction: { steps: 'one' } });
    const count = async () =>
      (await desk.api('GET', `/api/v1/tickets/${t.id}/events`, { token: agent.token })).json().data.length;
    const before = await count();
    await desk.api('PATCH', `/api/v1/tickets/${t.id}`, { token: agent.token, body: { reproduction: {} } });
    await desk.api('PATCH', `/api/v1/tickets/${t.id}`, {
      token: agent.token,
      body: { reproduction: { steps: 'one' } },
    });
    expect(await count()).toBe(before);
    await desk.api('PATCH', `/api/v1/tickets/${t.id}`, {
      token: agent.token,
      body: { reproduction: { steps: 'one', actual: 'crash' } },
    });
    const events = (await desk.api('GET', `/api/v1/tickets/${t.id}/events`, { token: agent.token })).json()
      .data;
    expect(events.at(-1)).toMatchObject({ type: 'reproduction_changed', data: { fields: ['actual'] } });
  });
});
