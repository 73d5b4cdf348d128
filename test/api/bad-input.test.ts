import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

/** Every wrong input gets a clear problem+json 4xx, never a 500, and writes nothing. */
describe.each(databaseTargets())('bad input on $dialect', (target) => {
  let desk: TestDesk;
  let contact: Person;
  let agent: Person;
  let ticketId: string;

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    const org = await desk.organization('premium');
    contact = await desk.person('contact', org.id);
    agent = await desk.person('agent');
    ticketId = (await desk.ticket(contact)).id;
  });
  afterAll(() => desk?.close());

  const expectProblem = (
    res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown },
    status: number,
  ) => {
    expect(res.statusCode).toBe(status);
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
    const body = res.json() as Record<string, unknown>;
    expect(body).toMatchObject({
      status,
      title: expect.any(String),
      type: expect.any(String),
      detail: expect.any(String),
    });
    return body;
  };

  it('refuses malformed JSON', async () => {
    for (const payload of [
      '{"subject":',
      '{subject: "x"}',
      'null',
      '[]',
      '"just a string"',
      '{"a":1}{"b":2}',
    ]) {
      const res = await desk.api('POST', '/api/v1/tickets', {
        token: contact.token,
        payload,
        headers: { 'content-type': 'application/json' },
      });
      expect({ payload, status: res.statusCode }).toEqual({ payload, status: 400 });
      expect(String(res.headers['content-type'])).toContain('application/problem+json');
    }
    expectProblem(
      await desk.api('POST', '/api/v1/tickets', {
        token: contact.token,
        payload: '',
        headers: { 'content-type': 'application/json' },
      }),
      400,
    );
  });

  it('names each wrong field and each unknown field', async () => {
    const body = expectProblem(
      await desk.api('POST', '/api/v1/tickets', {
        token: contact.token,
        body: {
          subject: 42,
          body: '',
          priority: 'P7',
          requestType: 'anything',
          isAdmin: true,
          reproduction: { steps: 1, colour: 'red' },
        },
      }),
      400,
    );
    const fields = (body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(
      [
        'body.body',
        'body.isAdmin',
        'body.priority',
        'body.reproduction.colour',
        'body.reproduction.steps',
        'body.requestType',
        'body.subject',
      ].sort(),
    );
  });

  it('refuses prototype pollution and NUL characters', async () => {
    expectProblem(
      await desk.api('POST', '/api/v1/tickets', {
        token: contact.token,
        payload: '{"subject":"x","body":"y","priority":"P3","__proto__":{"admin":true}}',
        headers: { 'content-type': 'application/json' },
      }),
      400,
    );
    expectProblem(
      await desk.api('POST', '/api/v1/tickets', {
        token: contact.token,
        body: { subject: 'nul\u0000byte', body: 'y', priority: 'P3' },
      }),
      400,
    );
  });

  it('refuses oversized bodies and fields', async () => {
    const before = await desk.count('tickets');
    const huge = 'x'.repeat(1024 * 1024 + 10);
    expectProblem(
      await desk.api('POST', '/api/v1/tickets', {
        token: contact.token,
        body: { subject: 'big', body: huge, priority: 'P3' },
      }),
      413,
    );
    expectProblem(
      await desk.api('POST', '/api/v1/tickets', {
        token: contact.token,
        body: { subject: 's'.repeat(301), body: 'b', priority: 'P3' },
      }),
      400,
    );
    expectProblem(
      await desk.api('POST', '/api/v1/tickets', {
        token: contact.token,
        body: { subject: 'ok', body: 'b'.repeat(100_001), priority: 'P3' },
      }),
      400,
    );
    expect(await desk.count('tickets')).toBe(before);
  });

  it('refuses other content types', async () => {
    expectProblem(
      await desk.api('POST', '/api/v1/tickets', {
        token: contact.token,
        payload: 'subject=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
    );
    expectProblem(
      await desk.api('POST', '/api/v1/tickets', {
        token: contact.token,
        payload: '<xml/>',
        headers: { 'content-type': 'text/xml' },
      }),
      415,
    );
  });

  it('tells a malformed id from an unknown one', async () => {
    const malformed = expectProblem(
      await desk.api('GET', '/api/v1/tickets/not-an-id', { token: agent.token }),
      400,
    );
    expect(malformed.errors).toEqual([{ field: 'params.id', message: 'must be an id (UUID)' }]);
    expectProblem(await desk.api('GET', "/api/v1/tickets/1'%20OR%201=1--", { token: agent.token }), 400);
    expectProblem(await desk.api('GET', `/api/v1/tickets/${'a'.repeat(300)}`, { token: agent.token }), 414);
    expectProblem(await desk.api('GET', '/api/v1/tickets/%E0%A4%A', { token: agent.token }), 400);
    expectProblem(
      await desk.api('GET', '/api/v1/tickets/0190a1b2-0000-7000-8000-000000000000', { token: agent.token }),
      404,
    );
    expectProblem(
      await desk.api('GET', '/api/v1/organizations/0190a1b2-0000-7000-8000-000000000000', {
        token: agent.token,
      }),
      404,
    );
    expectProblem(await desk.api('GET', '/api/v1/nowhere', { token: agent.token }), 404);
  });

  it('refuses bad query parameters', async () => {
    for (const query of [
      'limit=0',
      'limit=100000',
      'limit=abc',
      'status=pending',
      'priority=P0,P9',
      'cursor=garbage',
      'cursor=%00',
      'assigneeId=someone',
      'status=new&status=open',
      'unknown=1',
    ]) {
      const res = await desk.api('GET', `/api/v1/tickets?${query}`, { token: agent.token });
      expect({ query, status: res.statusCode }).toEqual({ query, status: 400 });
    }
  });

  it('refuses empty and invalid updates without writing', async () => {
    await desk.api('PATCH', `/api/v1/tickets/${ticketId}`, { token: agent.token, body: { status: 'open' } });
    const events = await desk.count('ticket_events');
    expectProblem(
      await desk.api('PATCH', `/api/v1/tickets/${ticketId}`, { token: agent.token, body: {} }),
      400,
    );
    expectProblem(
      await desk.api('PATCH', `/api/v1/tickets/${ticketId}`, { token: agent.token, body: { status: 'new' } }),
      422,
    );
    expectProblem(
      await desk.api('PATCH', `/api/v1/tickets/${ticketId}`, {
        token: agent.token,
        body: { assigneeId: 'nobody' },
      }),
      400,
    );
    expectProblem(
      await desk.api('POST', `/api/v1/tickets/${ticketId}/messages`, {
        token: agent.token,
        body: { body: '   ' },
      }),
      400,
    );
    expectProblem(
      await desk.api('POST', `/api/v1/tickets/${ticketId}/messages`, {
        token: agent.token,
        body: { body: 'x', public: 'yes' },
      }),
      400,
    );
    expect(await desk.count('ticket_events')).toBe(events);
  });

  it('stores hostile strings as given and returns them intact', async () => {
    const subject = `'); DROP TABLE tickets;-- <script>alert(1)</script> ${'é'.repeat(3)} 😀 \u202e`;
    const res = await desk.api('POST', '/api/v1/tickets', {
      token: contact.token,
      body: { subject, body: '%s %n {{7*7}} ${process.env}', priority: 'P3' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().subject).toBe(subject.trim());
    expect(
      (await desk.api('GET', `/api/v1/tickets/${res.json().id}`, { token: contact.token })).json().subject,
    ).toBe(subject.trim());
  });

  it('refuses invalid organization and user input', async () => {
    const admin = await desk.person('admin');
    const orgBody = expectProblem(
      await desk.api('POST', '/api/v1/organizations', {
        token: admin.token,
        body: {
          name: '',
          domains: ['not a domain', 'http://x.test'],
          locale: 'de',
          subscription: { tier: 'gold', termStart: 'yesterday', termEnd: '2026-13-45' },
        },
      }),
      400,
    );
    const fields = (orgBody.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'body.name',
        'body.domains.0',
        'body.domains.1',
        'body.locale',
        'body.subscription.tier',
        'body.subscription.termStart',
        'body.subscription.termEnd',
      ]),
    );
    expectProblem(
      await desk.api('POST', '/api/v1/users', {
        token: admin.token,
        body: { email: 'not-an-email', name: 'x', role: 'agent' },
      }),
      400,
    );
    expectProblem(
      await desk.api('POST', '/api/v1/users', {
        token: admin.token,
        body: { email: 'a@b.test', name: 'x', role: 'superuser' },
      }),
      400,
    );
    expectProblem(
      await desk.api('POST', '/api/v1/users', {
        token: admin.token,
        body: {
          email: 'a@b.test',
          name: 'x',
          role: 'member',
          organizationId: '0190a1b2-0000-7000-8000-000000000000',
        },
      }),
      404,
    );
  });

  it('refuses instants outside the years a support desk deals with, and impossible dates', async () => {
    const admin = await desk.person('admin');
    for (const [termStart, termEnd] of [
      ['0001-01-01', '2026-01-01'],
      ['2026-01-01', '9999-12-31'],
      ['2026-02-30', '2027-01-01'],
      ['2026-01-01T25:00:00Z', '2027-01-01'],
    ]) {
      const res = await desk.api('POST', '/api/v1/organizations', {
        token: admin.token,
        body: { name: 'Dates', subscription: { tier: 'basic', termStart, termEnd } },
      });
      expect({ termStart, termEnd, status: res.statusCode }).toEqual({ termStart, termEnd, status: 400 });
    }
    const simulate = await desk.api('POST', '/api/v1/policy/simulate', {
      token: admin.token,
      body: { tier: 'basic', priority: 'P2', openedAt: '0001-01-01T00:00:00Z' },
    });
    expect(simulate.statusCode).toBe(400);
  });

  it('refuses a contract override whose durations no promise could mean', async () => {
    const lead = await desk.person('lead');
    const org = await desk.organization('premium');
    for (const overrides of [
      { targets: { P3: '3000000000 hours' } },
      { resolutionTargets: { P1: '1000000000 business days' } },
      { p0: { updateEvery: '600000 minutes' } },
    ]) {
      const res = await desk.api('PUT', `/api/v1/organizations/${org.id}/policy-overrides`, {
        token: lead.token,
        body: { overrides, reason: 'typo' },
      });
      expect({ overrides, status: res.statusCode }).toEqual({ overrides, status: 400 });
    }
  });

  it('refuses tampered cursors on every list', async () => {
    const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const id = '0190a1b2-0000-7000-8000-000000000000';
    for (const [list, value] of [
      ['tickets', { k: 'abc', id }],
      ['tickets?sort=due', { k: 1e300, id }],
      ['tickets', { k: 1.5, id }],
      ['tickets', { k: 1, id: 'a\u0000b' }],
      ['organizations', { k: 'a\u0000', id }],
      ['organizations', { k: 'Acme', id: 'not-an-id' }],
      ['users', { k: 'zz', id }],
      ['notifications', { k: 'zz', id }],
    ] as const) {
      const separator = list.includes('?') ? '&' : '?';
      const res = await desk.api('GET', `/api/v1/${list}${separator}cursor=${cursor(value)}`, {
        token: agent.token,
      });
      expect({ list, value, status: res.statusCode }).toEqual({ list, value, status: 400 });
    }
  });

  it('refuses lone surrogates, which each database would store differently', async () => {
    const res = await desk.api('POST', '/api/v1/tickets', {
      token: contact.token,
      payload: '{"subject":"s\\ud800","body":"b","priority":"P3"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    const ok = await desk.api('POST', '/api/v1/tickets', {
      token: contact.token,
      body: { subject: 'emoji 😀 ok', body: 'b', priority: 'P3' },
    });
    expect(ok.statusCode).toBe(201);
  });
});
