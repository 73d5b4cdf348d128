import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

/**
 * Who may read and change what. Customers see their own organization's tickets (contacts: all of
 * them; members: their own); anything else answers 404, never 403, so existence does not leak.
 */
describe.each(databaseTargets())('authorization matrix on $dialect', (target) => {
  let desk: TestDesk;
  let people: Record<'agent' | 'admin' | 'contactA' | 'memberA' | 'otherMemberA' | 'contactB', Person>;
  let ticketOfMemberA: { id: string };
  let ticketOfOtherMemberA: { id: string };
  let ticketOfB: { id: string };
  let orgA: string;
  let orgB: string;

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    orgA = (await desk.organization('enterprise')).id;
    orgB = (await desk.organization('basic')).id;
    people = {
      agent: await desk.person('agent'),
      admin: await desk.person('admin'),
      contactA: await desk.person('contact', orgA),
      memberA: await desk.person('member', orgA),
      otherMemberA: await desk.person('member', orgA),
      contactB: await desk.person('contact', orgB),
    };
    ticketOfMemberA = await desk.ticket(people.memberA);
    ticketOfOtherMemberA = await desk.ticket(people.otherMemberA);
    ticketOfB = await desk.ticket(people.contactB);
  });
  afterAll(() => desk?.close());

  const reads = (id: string) =>
    [
      ['GET', `/api/v1/tickets/${id}`],
      ['GET', `/api/v1/tickets/${id}/messages`],
      ['GET', `/api/v1/tickets/${id}/events`],
      ['GET', `/api/v1/tickets/${id}/attachments`],
    ] as const;

  const visible = (who: keyof typeof people, ticket: 'memberA' | 'otherMemberA' | 'B'): boolean => {
    if (who === 'agent' || who === 'admin') return true;
    if (who === 'contactA') return ticket !== 'B';
    if (who === 'memberA') return ticket === 'memberA';
    if (who === 'otherMemberA') return ticket === 'otherMemberA';
    return ticket === 'B';
  };

  it('answers each read with 200 when visible and 404 otherwise', async () => {
    const tickets = {
      memberA: ticketOfMemberA.id,
      otherMemberA: ticketOfOtherMemberA.id,
      B: ticketOfB.id,
    } as const;
    for (const who of Object.keys(people) as (keyof typeof people)[]) {
      for (const [name, id] of Object.entries(tickets) as ['memberA' | 'otherMemberA' | 'B', string][]) {
        for (const [method, url] of reads(id)) {
          const res = await desk.api(method, url, { token: people[who].token });
          expect({ who, name, url, status: res.statusCode }).toEqual({
            who,
            name,
            url,
            status: visible(who, name) ? 200 : 404,
          });
        }
      }
    }
  });

  it('refuses writes to an invisible ticket with 404 and changes nothing', async () => {
    const before = await desk.count('ticket_messages');
    const post = await desk.api('POST', `/api/v1/tickets/${ticketOfB.id}/messages`, {
      token: people.contactA.token,
      body: { body: 'hi' },
    });
    expect(post.statusCode).toBe(404);
    const patch = await desk.api('PATCH', `/api/v1/tickets/${ticketOfB.id}`, {
      token: people.contactA.token,
      body: { status: 'resolved' },
    });
    expect(patch.statusCode).toBe(404);
    const patchOwnOrg = await desk.api('PATCH', `/api/v1/tickets/${ticketOfOtherMemberA.id}`, {
      token: people.memberA.token,
      body: { status: 'resolved' },
    });
    expect(patchOwnOrg.statusCode).toBe(404);
    expect(await desk.count('ticket_messages')).toBe(before);
  });

  it('lists only what each customer may see, whatever filters they send', async () => {
    const list = async (who: keyof typeof people, query = '') =>
      (await desk.api('GET', `/api/v1/tickets${query}`, { token: people[who].token }))
        .json<{ data: { id: string }[] }>()
        .data.map((t) => t.id)
        .sort();
    expect(await list('contactA')).toEqual([ticketOfMemberA.id, ticketOfOtherMemberA.id].sort());
    expect(await list('memberA')).toEqual([ticketOfMemberA.id]);
    expect(await list('contactA', `?organizationId=${orgB}`)).toEqual([]);
    expect(await list('memberA', `?requesterId=${people.otherMemberA.user.id}`)).toEqual([]);
    expect(await list('contactB')).toEqual([ticketOfB.id]);
    expect((await list('agent')).length).toBe(3);
  });

  it('keeps organizations and users to their own', async () => {
    expect(
      (await desk.api('GET', `/api/v1/organizations/${orgB}`, { token: people.contactA.token })).statusCode,
    ).toBe(404);
    expect(
      (await desk.api('GET', `/api/v1/organizations/${orgA}`, { token: people.memberA.token })).statusCode,
    ).toBe(200);
    expect(
      (await desk.api('GET', `/api/v1/organizations/${orgB}/subscriptions`, { token: people.contactA.token }))
        .statusCode,
    ).toBe(404);
    const orgs = (await desk.api('GET', '/api/v1/organizations', { token: people.contactA.token })).json()
      .data;
    expect(orgs.map((o: { id: string }) => o.id)).toEqual([orgA]);
    expect(
      (await desk.api('GET', `/api/v1/users/${people.contactB.user.id}`, { token: people.contactA.token }))
        .statusCode,
    ).toBe(404);
    expect(
      (await desk.api('GET', `/api/v1/users/${people.otherMemberA.user.id}`, { token: people.memberA.token }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await desk.api('GET', `/api/v1/users/${people.otherMemberA.user.id}`, {
          token: people.contactA.token,
        })
      ).statusCode,
    ).toBe(200);
    const users = (await desk.api('GET', '/api/v1/users', { token: people.contactA.token })).json().data;
    expect(users.every((u: { organizationId: string }) => u.organizationId === orgA)).toBe(true);
    const self = (await desk.api('GET', '/api/v1/users', { token: people.memberA.token })).json().data;
    expect(self.map((u: { id: string }) => u.id)).toEqual([people.memberA.user.id]);
  });

  it('lets only leads and admins manage organizations, and admins staff', async () => {
    const body = { name: 'New Co', domains: ['newco-authz.test'] };
    expect(
      (await desk.api('POST', '/api/v1/organizations', { token: people.contactA.token, body })).statusCode,
    ).toBe(403);
    expect(
      (await desk.api('POST', '/api/v1/organizations', { token: people.agent.token, body })).statusCode,
    ).toBe(403);
    expect(
      (await desk.api('POST', '/api/v1/organizations', { token: people.admin.token, body })).statusCode,
    ).toBe(201);
    const staff = { email: 'new-agent@example.test', name: 'New Agent', role: 'agent' };
    expect(
      (await desk.api('POST', '/api/v1/users', { token: people.contactA.token, body: staff })).statusCode,
    ).toBe(403);
    expect(
      (await desk.api('POST', '/api/v1/users', { token: people.agent.token, body: staff })).statusCode,
    ).toBe(403);
    expect(
      (await desk.api('POST', '/api/v1/users', { token: people.admin.token, body: staff })).statusCode,
    ).toBe(201);
    const intoOtherOrg = {
      email: 'sneaky@example.test',
      name: 'Sneaky',
      role: 'member',
      organizationId: orgB,
    };
    expect(
      (await desk.api('POST', '/api/v1/users', { token: people.contactA.token, body: intoOtherOrg }))
        .statusCode,
    ).toBe(403);
    const intoOwnOrg = { email: 'helper@example.test', name: 'Helper', role: 'member' };
    const created = await desk.api('POST', '/api/v1/users', {
      token: people.contactA.token,
      body: intoOwnOrg,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().organizationId).toBe(orgA);
    const promote = await desk.api('PATCH', `/api/v1/users/${people.memberA.user.id}`, {
      token: people.memberA.token,
      body: { role: 'contact' },
    });
    expect(promote.statusCode).toBe(403);
  });

  it('asks every caller without credentials to sign in', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/tickets'],
      ['GET', `/api/v1/tickets/${ticketOfB.id}`],
      ['POST', '/api/v1/tickets'],
      ['GET', '/api/v1/organizations'],
      ['GET', '/api/v1/users'],
      ['GET', '/api/v1/auth/session'],
      ['GET', `/api/v1/attachments/${ticketOfB.id}`],
    ] as const) {
      const res = await desk.api(method, url);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 401 });
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const badToken = await desk.api('GET', '/api/v1/tickets', { token: 'acc_not-a-real-token-at-all' });
    expect(badToken.statusCode).toBe(401);
    const malformed = await desk.api('GET', '/api/v1/tickets', {
      headers: { authorization: 'Basic YWRtaW46YWRtaW4=' },
    });
    expect(malformed.statusCode).toBe(401);
  });
});
