import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationOut } from '../../src/customers/schema.js';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

const SECRET = 'a-chat-test-secret-that-is-long-enough-1234';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
// A real 1×1 PNG: attachments are typed by their bytes.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

interface Started {
  conversation: {
    id: string;
    status: string;
    tier: string | null;
    queuePosition: number | null;
    visitor: { verified: boolean; userId: string | null; email: string };
    organization: { id: string } | null;
    lastSeq: number;
  };
  visitorToken: string;
  availability: {
    agentsOnline: number;
    expectedResponse: {
      tier: string;
      tierName: string;
      priority: string;
      label: string;
      clock: string;
    } | null;
  };
}

interface Availability {
  agentsOnline: number;
  queueLength: number;
  priorities: { id: string; name: string }[];
  email: string | null;
}

describe.each(databaseTargets())('live chat over HTTP on $dialect', (target) => {
  let desk: TestDesk;
  let premium: OrganizationOut;
  let agent: Person;
  let agent2: Person;
  let customer: Person;
  let visitors = 0;

  beforeAll(async () => {
    // Every test request comes from one address; the start limit has its own test and desk.
    // The desk reads its mail (a listener port is configured, never opened here): the chat button
    // may offer its address.
    desk = await TestDesk.start(target, {
      EMBED_SECRET: SECRET,
      CHAT_MESSAGES_PER_10S: '8',
      CHAT_STARTS_PER_HOUR: '10000',
      SUPPORT_EMAIL: 'help@desk.test',
      INBOUND_SMTP_PORT: '2525',
    });
    premium = await desk.organization('premium');
    // Its unknown addresses may become authorized users (a chat turned into a ticket files as one).
    const admin = await desk.person('admin');
    const opened = await desk.api('PATCH', `/api/v1/organizations/${premium.id}`, {
      token: admin.token,
      body: { emailSignup: true },
    });
    if (opened.statusCode !== 200) throw new Error(opened.body);
    agent = await desk.person('agent');
    agent2 = await desk.person('agent');
    customer = await desk.person('member', premium.id);
  });
  afterAll(() => desk?.close());

  const start = async (body: Record<string, unknown>) =>
    desk.api('POST', '/api/v1/chat/conversations', { body });
  const visitorOf = (org: OrganizationOut, extra: Record<string, unknown> = {}) =>
    start({ name: 'Vera Visitor', email: `vera${++visitors}@${org.domains[0]}`, ...extra });
  const started = async (org: OrganizationOut, extra: Record<string, unknown> = {}) => {
    const res = await visitorOf(org, extra);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Started>();
  };
  const asVisitor = (s: Started) => ({ 'x-chat-token': s.visitorToken });
  const send = (s: Started, body: string, clientId: string = randomUUID()) =>
    desk.api('POST', `/api/v1/chat/conversations/${s.conversation.id}/messages`, {
      headers: asVisitor(s),
      body: { clientId, body },
    });
  const online = (p: Person, capacity?: number) =>
    desk.api('PUT', '/api/v1/chat/presence', {
      token: p.token,
      body: { status: 'online', ...(capacity ? { capacity } : {}) },
    });
  const accept = (p: Person, s: Started) =>
    desk.api('POST', `/api/v1/chat/conversations/${s.conversation.id}/accept`, { token: p.token });
  const reply = (p: Person, s: Started, body: string) =>
    desk.api('POST', `/api/v1/chat/conversations/${s.conversation.id}/messages`, {
      token: p.token,
      body: { clientId: randomUUID(), body },
    });
  const messages = async (s: Started) =>
    (
      await desk.api('GET', `/api/v1/chat/conversations/${s.conversation.id}/messages`, {
        headers: asVisitor(s),
      })
    ).json<{ data: { seq: number; body: string; author: { kind: string }; clientId: string | null }[] }>()
      .data;
  const end = (s: Started) =>
    desk.api('POST', `/api/v1/chat/conversations/${s.conversation.id}/end`, { token: agent.token, body: {} });

  const asStaff = async (s: Started) =>
    (await desk.api('GET', `/api/v1/chat/conversations/${s.conversation.id}`, { token: agent.token })).json<
      Started['conversation']
    >();

  it('starts an anonymous chat on the organization of the email domain, unverified, queued at its tier for the agents only', async () => {
    const s = await started(premium, { priority: 'P1', message: 'The mobile app will not sync.' });
    expect(s.conversation.status).toBe('queued');
    expect(s.conversation.visitor.verified).toBe(false);
    expect(s.conversation.visitor.userId).toBeNull();
    expect(s.conversation.queuePosition).toBeGreaterThanOrEqual(1);
    expect(s.conversation.lastSeq).toBe(1);
    // Agents see the organization and tier the address matched…
    const seen = await asStaff(s);
    expect(seen.organization?.id).toBe(premium.id);
    expect(seen.tier).toBe('premium');
    // …the visitor, who only typed an address, is told neither, nor the tier's promise.
    expect(s.conversation.organization).toBeNull();
    expect(s.conversation.tier).toBeNull();
    expect(s.availability.expectedResponse).toBeNull();
    const [first] = await messages(s);
    expect(first).toMatchObject({
      seq: 1,
      body: 'The mobile app will not sync.',
      author: { kind: 'visitor' },
    });
    await end(s);
  });

  it('never tells an unverified visitor the tier of the organization whose address they typed', async () => {
    const enterprise = await desk.organization('enterprise');
    // Someone types an address of the enterprise customer, in French, at P0.
    const s = await started(enterprise, { priority: 'P0', locale: 'fr', message: 'Tout est en panne.' });
    expect(JSON.stringify(s)).not.toMatch(/enterprise|Entreprise|15 minutes/i);
    expect(s.conversation).toMatchObject({ organization: null, tier: null, priority: 'P0' });
    expect(s.availability.expectedResponse).toBeNull();
    // Reading the conversation back says no more.
    const read = await desk.api('GET', `/api/v1/chat/conversations/${s.conversation.id}`, {
      headers: asVisitor(s),
    });
    expect(read.json()).toMatchObject({ organization: null, tier: null });
    // Nor do the frames the visitor's connection hears: its new place in line when the queue moves,
    // the conversation when an agent accepts it. The agent's connection hears the tier.
    const heard: { side: string; frame: { type: string } }[] = [];
    const listener = (side: 'visitor' | 'agent') => ({
      id: randomUUID(),
      side,
      send: (frame: { type: string }) => heard.push({ side, frame }),
    });
    const visitorEar = listener('visitor');
    const agentEar = listener('agent');
    const { hub } = desk.services.chat;
    hub.join(s.conversation.id, visitorEar);
    hub.join(s.conversation.id, agentEar);
    try {
      await online(agent2, 20);
      await end(await started(premium));
      await accept(agent2, s);
      const conversations = (side: string) =>
        heard.filter((h) => h.side === side && h.frame.type === 'conversation').map((h) => h.frame);
      await expect.poll(() => conversations('agent').length, { timeout: 5000 }).toBeGreaterThan(0);
      await expect.poll(() => conversations('visitor').length, { timeout: 5000 }).toBeGreaterThan(1);
      expect(JSON.stringify(conversations('visitor'))).not.toMatch(/enterprise/i);
      expect(JSON.stringify(conversations('visitor'))).not.toContain(enterprise.id);
      expect(conversations('agent').at(-1)).toMatchObject({ conversation: { tier: 'enterprise' } });
    } finally {
      hub.leave(s.conversation.id, visitorEar);
      hub.leave(s.conversation.id, agentEar);
    }
    // The ending answer neither; the agent still sees who it probably is.
    const ended = await desk.api('POST', `/api/v1/chat/conversations/${s.conversation.id}/end`, {
      headers: asVisitor(s),
      body: {},
    });
    expect(ended.json()).toMatchObject({ status: 'ended', organization: null, tier: null });
    expect(await asStaff(s)).toMatchObject({ tier: 'enterprise', organization: { id: enterprise.id } });
  });

  it('tells the chat button who is online and the policy’s priority names in the visitor’s language', async () => {
    const en = await desk.api('GET', '/api/v1/chat/availability');
    expect(en.statusCode).toBe(200);
    const body = en.json<Availability>();
    expect(body.priorities).toEqual([
      { id: 'P0', name: 'Critical' },
      { id: 'P1', name: 'Major' },
      { id: 'P2', name: 'Minor' },
      { id: 'P3', name: 'Cosmetic' },
    ]);
    expect(body.email).toBe('help@desk.test');
    expect(typeof body.agentsOnline).toBe('number');
    const fr = (await desk.api('GET', '/api/v1/chat/availability?locale=fr')).json<Availability>();
    expect(fr.priorities.map((p) => p.name)).toEqual(['Critique', 'Majeur', 'Mineur', 'Esthétique']);
    expect((await desk.api('GET', '/api/v1/chat/availability?locale=de')).statusCode).toBe(400);
    // Any website may ask.
    expect(en.headers['access-control-allow-origin']).toBe('*');
  });

  it('knows the signed-in user of the vendor app from its signed token (a verified visitor)', async () => {
    const token = await new SignJWT({ email: customer.user.email, name: customer.user.name })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(Math.floor(desk.now / 1000))
      .setExpirationTime(Math.floor(desk.now / 1000) + 300)
      .sign(new TextEncoder().encode(SECRET));
    const res = await start({ embedToken: token });
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json<Started>();
    expect(s.conversation.visitor).toMatchObject({ verified: true, userId: customer.user.id });
    // A verified visitor is told their own organization, tier and promise.
    expect(s.conversation.organization?.id).toBe(premium.id);
    expect(s.conversation.tier).toBe('premium');
    expect(s.availability.expectedResponse).toMatchObject({
      tier: 'premium',
      tierName: 'Premium',
      priority: 'P2',
      label: '2 hours',
    });
    const forged = await start({ embedToken: `${token.slice(0, -4)}AAAA` });
    expect(forged.statusCode).toBe(401);
    await end(s);
  });

  it('refuses bad starts clearly: no name, a filled honeypot, unknown fields, malformed JSON', async () => {
    expect((await start({ email: 'a@b.test' })).statusCode).toBe(400);
    expect((await start({ name: 'Bot', email: 'bot@b.test', website: 'http://spam.test' })).statusCode).toBe(
      400,
    );
    expect((await start({ name: 'X', email: 'x@b.test', admin: true })).statusCode).toBe(400);
    expect((await start({ name: 'X', email: 'not-an-email' })).statusCode).toBe(400);
    expect((await start({ name: 'X', email: 'x@b.test', page: 'javascript:alert(1)' })).statusCode).toBe(400);
    const malformed = await desk.api('POST', '/api/v1/chat/conversations', {
      payload: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.statusCode).toBe(400);
  });

  it('limits how many chats one address starts per hour', async () => {
    const limited = await TestDesk.start(target, { CHAT_STARTS_PER_HOUR: '2' });
    try {
      const org = await limited.organization('basic');
      const body = () => ({ name: 'V', email: `v${randomUUID().slice(0, 8)}@${org.domains[0]}` });
      const codes = [];
      for (let i = 0; i < 3; i++)
        codes.push((await limited.api('POST', '/api/v1/chat/conversations', { body: body() })).statusCode);
      expect(codes).toEqual([201, 201, 429]);
    } finally {
      await limited.close();
    }
  });

  it('lets only the conversation’s secret or staff in', async () => {
    const s = await started(premium);
    const url = `/api/v1/chat/conversations/${s.conversation.id}`;
    expect((await desk.api('GET', url)).statusCode).toBe(401);
    expect((await desk.api('GET', url, { headers: { 'x-chat-token': 'wrong-token' } })).statusCode).toBe(404);
    expect((await desk.api('GET', url, { token: customer.token })).statusCode).toBe(403);
    expect((await desk.api('GET', url, { token: agent.token })).statusCode).toBe(200);
    expect((await desk.api('GET', '/api/v1/chat/queue', { token: customer.token })).statusCode).toBe(403);
    expect((await desk.api('GET', '/api/v1/chat/queue')).statusCode).toBe(401);
    const other = await started(premium);
    expect((await desk.api('GET', url, { headers: asVisitor(other) })).statusCode).toBe(404);
    await end(s);
    await end(other);
  });

  it('answers the browser’s CORS preflight so the chat button works from the vendor’s website', async () => {
    const res = await desk.api('OPTIONS', '/api/v1/chat/conversations', {
      headers: { origin: 'https://www.vendor.test', 'access-control-request-method': 'POST' },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(String(res.headers['access-control-allow-headers'])).toContain('x-chat-token');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    const suggestions = await desk.api('OPTIONS', '/api/v1/helpcenter/suggestions', {
      headers: { origin: 'https://www.vendor.test', 'access-control-request-method': 'POST' },
    });
    expect(suggestions.statusCode).toBe(204);
    // The agents' side is not opened to other sites.
    const queue = await desk.api('GET', '/api/v1/chat/queue', { token: agent.token });
    expect(queue.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('stores a message once, whatever the number of resends, and refuses empty or oversized ones', async () => {
    const s = await started(premium);
    const clientId = randomUUID();
    const first = await send(s, 'Hello?', clientId);
    expect(first.statusCode).toBe(201);
    const again = await send(s, 'Hello?', clientId);
    expect(again.statusCode).toBe(200);
    expect(again.json<{ id: string }>().id).toBe(first.json<{ id: string }>().id);
    expect((await messages(s)).filter((m) => m.clientId === clientId)).toHaveLength(1);
    expect((await send(s, '   ')).statusCode).toBe(400);
    expect((await send(s, 'x'.repeat(4001))).statusCode).toBe(400);
    const bad = await desk.api('POST', `/api/v1/chat/conversations/${s.conversation.id}/messages`, {
      headers: asVisitor(s),
      body: { clientId: 'not-a-uuid', body: 'hi' },
    });
    expect(bad.statusCode).toBe(400);
    await end(s);
  });

  it('caps how fast one side writes', async () => {
    const s = await started(premium);
    const codes: number[] = [];
    for (let i = 0; i < 10; i++) codes.push((await send(s, `message ${i}`)).statusCode);
    expect(codes.slice(0, 8).every((c) => c === 201)).toBe(true);
    expect(codes.slice(8)).toEqual([429, 429]);
    desk.advance(11_000);
    expect((await send(s, 'after a pause')).statusCode).toBe(201);
    await end(s);
  });

  it('serves the queue by tier, then priority, then the longest wait', async () => {
    const basic = await desk.organization('basic');
    const enterprise = await desk.organization('enterprise');
    const lonely = await desk.person('agent');
    const queued = async (org: OrganizationOut, priority: string) => {
      const s = await started(org, { priority });
      desk.advance(1000);
      return s.conversation.id;
    };
    const basicP0 = await queued(basic, 'P0');
    const entP3 = await queued(enterprise, 'P3');
    const entP1 = await queued(enterprise, 'P1');
    const unknownP0 = (
      await start({ name: 'Nobody', email: `n${randomUUID().slice(0, 6)}@nowhere.test`, priority: 'P0' })
    ).json<Started>().conversation.id;
    const queue = (await desk.api('GET', '/api/v1/chat/queue', { token: lonely.token })).json<{
      queued: { id: string; queuePosition: number }[];
    }>();
    const ours = queue.queued
      .filter((c) => [basicP0, entP3, entP1, unknownP0].includes(c.id))
      .map((c) => c.id);
    expect(ours).toEqual([entP1, entP3, basicP0, unknownP0]);
    const positions = queue.queued.map((c) => c.queuePosition);
    expect(positions).toEqual(positions.map((_, i) => i + 1));
    for (const id of [basicP0, entP3, entP1, unknownP0])
      await desk.api('POST', `/api/v1/chat/conversations/${id}/end`, { token: agent.token, body: {} });
  });

  it('takes chats up to the agent’s capacity, lets one agent take each, and hands them over', async () => {
    const busy = await desk.person('agent');
    const other = await desk.person('agent');
    expect((await online(busy, 1)).statusCode).toBe(200);
    const a = await started(premium);
    const b = await started(premium);
    expect((await reply(busy, a, 'Hi')).statusCode).toBe(409);
    expect((await accept(busy, a)).statusCode).toBe(200);
    expect((await accept(other, a)).statusCode).toBe(409);
    const full = await accept(busy, b);
    expect(full.statusCode).toBe(409);
    expect(full.json<{ detail: string }>().detail).toMatch(/capacity/);
    // The colleague is offline: the chat cannot go to them.
    const refused = await desk.api('POST', `/api/v1/chat/conversations/${a.conversation.id}/transfer`, {
      token: busy.token,
      body: { agentId: other.user.id },
    });
    expect(refused.statusCode).toBe(409);
    await online(other);
    const moved = await desk.api('POST', `/api/v1/chat/conversations/${a.conversation.id}/transfer`, {
      token: busy.token,
      body: { agentId: other.user.id },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json<{ agent: { id: string } }>().agent.id).toBe(other.user.id);
    expect((await reply(busy, a, 'Still me?')).statusCode).toBe(409);
    expect((await reply(other, a, 'I am taking over.')).statusCode).toBe(201);
    expect((await messages(a)).map((m) => m.author.kind)).toEqual(['system', 'system', 'agent']);
    expect((await accept(busy, b)).statusCode).toBe(200);
    await end(a);
    await end(b);
    await desk.api('PUT', '/api/v1/chat/presence', { token: busy.token, body: { status: 'offline' } });
    await desk.api('PUT', '/api/v1/chat/presence', { token: other.token, body: { status: 'offline' } });
  });

  it('counts agents online for the chat button, and forgets a console that went away', async () => {
    const before = (await desk.api('GET', '/api/v1/chat/availability')).json<{ agentsOnline: number }>();
    const solo = await desk.person('agent');
    await online(solo);
    const during = (await desk.api('GET', '/api/v1/chat/availability')).json<{ agentsOnline: number }>();
    expect(during.agentsOnline).toBe(before.agentsOnline + 1);
    desk.advance(5 * MINUTE);
    const after = (await desk.api('GET', '/api/v1/chat/availability')).json<{ agentsOnline: number }>();
    expect(after.agentsOnline).toBe(0);
  });

  it('turns the chat into a ticket whose first response is the first agent message, and keeps writing into it', async () => {
    await online(agent2, 20);
    const s = await started(premium, { priority: 'P1', message: 'Work orders vanish after sync.' });
    const startedAt = desk.now;
    desk.advance(2 * MINUTE);
    expect((await accept(agent2, s)).statusCode).toBe(200);
    desk.advance(3 * MINUTE);
    expect((await reply(agent2, s, 'Which app version are you on?')).statusCode).toBe(201);
    const firstReplyAt = desk.now;
    desk.advance(MINUTE);
    await send(s, '4.2.1 on Android');
    desk.advance(MINUTE);
    const res = await desk.api('POST', `/api/v1/chat/conversations/${s.conversation.id}/ticket`, {
      token: agent2.token,
      body: {},
    });
    expect(res.statusCode, res.body).toBe(201);
    const { ticket } = res.json<{ ticket: { id: string; number: number } }>();
    const row = await desk.database.db.kysely
      .selectFrom('tickets')
      .selectAll()
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(row.channel).toBe('chat');
    expect(row.subject).toBe('Work orders vanish after sync.');
    expect(row.priority).toBe('P1');
    expect(row.status).toBe('open');
    expect(Number(row.created_at)).toBe(startedAt);
    expect(Number(row.sla_first_response_at)).toBe(firstReplyAt);
    const bodies = async () =>
      (
        await desk.database.db.kysely
          .selectFrom('ticket_messages')
          .select(['body'])
          .where('ticket_id', '=', ticket.id)
          .orderBy('created_at')
          .execute()
      ).map((m) => m.body);
    expect(await bodies()).toEqual([
      'Work orders vanish after sync.',
      'Which app version are you on?',
      '4.2.1 on Android',
    ]);
    // The chat goes on; what is said now reaches the ticket too.
    await send(s, 'It happens on every sync.');
    expect((await bodies()).at(-1)).toBe('It happens on every sync.');
    // A resolved ticket reopens when the customer writes in its chat, as with a reply on the ticket.
    const resolved = await desk.api('PATCH', `/api/v1/tickets/${ticket.id}`, {
      token: agent2.token,
      body: { status: 'resolved' },
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    await send(s, 'It is back after the fix.');
    const reopened = await desk.database.db.kysely
      .selectFrom('tickets')
      .select(['status', 'resolved_at'])
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(reopened).toEqual({ status: 'open', resolved_at: null });
    const again = await desk.api('POST', `/api/v1/chat/conversations/${s.conversation.id}/ticket`, {
      token: agent2.token,
      body: {},
    });
    expect(again.statusCode).toBe(409);
    const conversation = (
      await desk.api('GET', `/api/v1/chat/conversations/${s.conversation.id}`, { headers: asVisitor(s) })
    ).json<{ ticket: { number: number } }>();
    expect(conversation.ticket.number).toBe(ticket.number);
    await end(s);
  });

  it('files a chat turned into a ticket like a portal ticket: asked about the open incident, read by fair use', async () => {
    const lead = await desk.person('lead');
    const outage = await desk.api('POST', '/api/v1/status/incidents', {
      token: lead.token,
      body: { name: 'Sync unavailable', impact: 'critical', body: 'Mobile sync fails for everyone.' },
    });
    expect(outage.statusCode, outage.body).toBe(201);
    const incidentId = outage.json<{ id: string }>().id;
    // A portal ticket resolved earlier; the chat repeats it, word for word.
    const words = {
      subject: 'Work order photos fail to upload from the mobile app',
      body: 'Work order photos fail to upload from the mobile app: the upload spinner never stops.',
    };
    const original = await desk.ticket(customer, words);
    expect(
      (
        await desk.api('PATCH', `/api/v1/tickets/${original.id}`, {
          token: agent.token,
          body: { status: 'resolved' },
        })
      ).statusCode,
    ).toBe(200);
    desk.advance(DAY);
    await online(agent2, 20);
    const s = await started(premium, { email: customer.user.email, message: words.body });
    expect((await accept(agent2, s)).statusCode).toBe(200);
    const res = await desk.api('POST', `/api/v1/chat/conversations/${s.conversation.id}/ticket`, {
      token: agent2.token,
      body: {},
    });
    expect(res.statusCode, res.body).toBe(201);
    const { ticket } = res.json<{ ticket: { id: string } }>();

    // Offered to the open incident, and not linked to it: nobody said it is about it.
    const suggested = await desk.api('GET', `/api/v1/tickets/${ticket.id}/incidents/suggested`, {
      token: agent.token,
    });
    expect(suggested.json<{ data: { id: string }[] }>().data.map((i) => i.id)).toEqual([incidentId]);
    const linked = await desk.api('GET', `/api/v1/tickets/${ticket.id}/incidents`, { token: agent.token });
    expect(linked.json<{ data: unknown[] }>().data).toEqual([]);
    // Read by the fair-use signals: a repeat of the resolved ticket.
    const signals = await desk.api('GET', `/api/v1/tickets/${ticket.id}/fairuse`, { token: agent.token });
    expect(signals.json<{ signals: { kind: string }[] }>().signals).toEqual([
      expect.objectContaining({ kind: 'repeat_incident' }),
    ]);
    await end(s);
    const resolved = await desk.api('POST', `/api/v1/status/incidents/${incidentId}/updates`, {
      token: lead.token,
      body: { status: 'resolved', body: 'Sync is back.' },
    });
    expect(resolved.statusCode).toBe(201);
  });

  it('lets a visitor nobody answered leave a ticket instead, which ends the chat', async () => {
    const s = await started(premium, { message: 'Nobody is there; please call me back.' });
    const res = await desk.api('POST', `/api/v1/chat/conversations/${s.conversation.id}/ticket`, {
      headers: asVisitor(s),
      body: {},
    });
    expect(res.statusCode, res.body).toBe(201);
    const { ticket } = res.json<{ ticket: { id: string } }>();
    const row = await desk.database.db.kysely
      .selectFrom('tickets')
      .select(['status', 'sla_first_response_at', 'requester_id'])
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('new');
    expect(row.sla_first_response_at).toBeNull();
    const requester = await desk.database.db.kysely
      .selectFrom('users')
      .select(['email', 'organization_id', 'role'])
      .where('id', '=', row.requester_id)
      .executeTakeFirstOrThrow();
    expect(requester).toEqual({
      email: s.conversation.visitor.email,
      organization_id: premium.id,
      role: 'member',
    });
    const after = (
      await desk.api('GET', `/api/v1/chat/conversations/${s.conversation.id}`, { headers: asVisitor(s) })
    ).json<{ status: string }>();
    expect(after.status).toBe('ended');
    // A visitor already talking to an agent asks the agent instead.
    await online(agent2, 20);
    const talking = await started(premium);
    await accept(agent2, talking);
    const refused = await desk.api('POST', `/api/v1/chat/conversations/${talking.conversation.id}/ticket`, {
      headers: asVisitor(talking),
      body: {},
    });
    expect(refused.statusCode).toBe(403);
    await end(talking);
  });

  it('mails the transcript once when the visitor asks for it at the end', async () => {
    await online(agent2, 20);
    const s = await started(premium, { message: 'Can I export to CSV?', locale: 'fr' });
    await accept(agent2, s);
    await reply(agent2, s, 'Oui : Rapports > Exporter.');
    const endIt = () =>
      desk.api('POST', `/api/v1/chat/conversations/${s.conversation.id}/end`, {
        headers: asVisitor(s),
        body: { transcript: true },
      });
    const ended = await endIt();
    expect(ended.statusCode).toBe(200);
    expect(ended.json<{ status: string }>().status).toBe('ended');
    await endIt();
    const mails = await desk.database.db.kysely
      .selectFrom('mail_outbox')
      .selectAll()
      .where('kind', '=', 'chat_transcript')
      .where('to_address', '=', s.conversation.visitor.email)
      .execute();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.body_text).toContain('Can I export to CSV?');
    expect(mails[0]!.body_text).toContain('Oui : Rapports > Exporter.');
    expect(mails[0]!.subject).toMatch(/Votre discussion/);
    expect((await send(s, 'one more thing')).statusCode).toBe(409);
  });

  it('mails no transcript of a chat nobody answered to an address the visitor typed', async () => {
    const s = await started(premium, { message: 'Read this, whoever owns this address.' });
    const res = await desk.api('POST', `/api/v1/chat/conversations/${s.conversation.id}/end`, {
      headers: asVisitor(s),
      body: { transcript: true },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ status: string; transcriptSentAt: string | null }>()).toMatchObject({
      status: 'ended',
      transcriptSentAt: null,
    });
    const mails = await desk.database.db.kysely
      .selectFrom('mail_outbox')
      .select('id')
      .where('kind', '=', 'chat_transcript')
      .where('to_address', '=', s.conversation.visitor.email)
      .execute();
    expect(mails).toHaveLength(0);
  });

  it('does not make an anonymous visitor a user of an organization that refuses unknown senders', async () => {
    const closed = await desk.organization('enterprise');
    const usersBefore = await desk.count('users');
    const s = await started(closed);
    // Queued at the domain's tier (the agents see it), marked unverified…
    expect((await asStaff(s)).tier).toBe('enterprise');
    expect(s.conversation.visitor.verified).toBe(false);
    // …but no ticket is filed in the organization's name.
    const ticket = await desk.api('POST', `/api/v1/chat/conversations/${s.conversation.id}/ticket`, {
      headers: asVisitor(s),
      body: {},
    });
    expect(ticket.statusCode).toBe(422);
    expect(await desk.count('users')).toBe(usersBefore);
  });

  it('carries files both ways, typed by their bytes, readable only inside the conversation', async () => {
    const s = await started(premium);
    const upload = (payload: Buffer, filename: string, type: string, headers = asVisitor(s)) => {
      const boundary = '----accordchat';
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
        ),
        payload,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return desk.api('POST', `/api/v1/chat/conversations/${s.conversation.id}/attachments`, {
        payload: body,
        headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
    };
    const res = await upload(PNG, 'screen.png', 'image/png');
    expect(res.statusCode, res.body).toBe(201);
    const file = res.json<{ id: string; contentType: string }>();
    expect(file.contentType).toBe('image/png');
    const sent = await desk.api('POST', `/api/v1/chat/conversations/${s.conversation.id}/messages`, {
      headers: asVisitor(s),
      body: { clientId: randomUUID(), body: '', attachmentId: file.id },
    });
    expect(sent.statusCode).toBe(201);
    const download = await desk.api(
      'GET',
      `/api/v1/chat/conversations/${s.conversation.id}/attachments/${file.id}`,
      {
        headers: asVisitor(s),
      },
    );
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PNG)).toBe(true);
    expect(download.headers['content-disposition']).toMatch(/^attachment/);
    const other = await started(premium);
    const stolen = await desk.api(
      'GET',
      `/api/v1/chat/conversations/${other.conversation.id}/attachments/${file.id}`,
      {
        headers: asVisitor(other),
      },
    );
    expect(stolen.statusCode).toBe(404);
    const disguised = await upload(Buffer.from('MZ\x90\x00 not really a picture'), 'cat.png', 'image/png');
    expect([400, 415]).toContain(disguised.statusCode);
    const broken = await desk.api('POST', `/api/v1/chat/conversations/${s.conversation.id}/attachments`, {
      payload: '--x\r\nbroken',
      headers: { ...asVisitor(s), 'content-type': 'multipart/form-data; boundary=x' },
    });
    expect(broken.statusCode).toBe(400);
    await end(s);
    await end(other);
  });

  it('answers a long poll at once with stored messages, and wakes a waiting one with the next message', async () => {
    await online(agent2, 20);
    const s = await started(premium, { message: 'polling from behind a proxy' });
    const url = (after: number, wait: number) =>
      `/api/v1/chat/conversations/${s.conversation.id}/events?after=${after}&wait=${wait}`;
    const stored = await desk.api('GET', url(0, 5), { headers: asVisitor(s) });
    expect(stored.json<{ frames: { type: string }[] }>().frames.map((f) => f.type)).toEqual(['message']);
    await accept(agent2, s);
    const last = (await messages(s)).at(-1)!.seq;
    const waiting = desk.api('GET', url(last, 5), { headers: asVisitor(s) });
    await new Promise((r) => setTimeout(r, 100));
    await reply(agent2, s, 'I can see you.');
    const frames = (await waiting).json<{ frames: { type: string; message?: { body: string } }[] }>().frames;
    expect(frames.find((f) => f.type === 'message')?.message?.body).toBe('I can see you.');
    await end(s);
  });

  it('ends chats left waiting by visitors who went away, not those whose page is still connected', async () => {
    const gone = await started(premium);
    const here = await started(premium);
    desk.advance(6 * MINUTE);
    await desk.services.chat.service.touchVisitors([here.conversation.id]);
    desk.advance(6 * MINUTE);
    expect(await desk.services.chat.service.endAbandoned()).toBeGreaterThanOrEqual(1);
    const status = async (s: Started) =>
      (
        await desk.api('GET', `/api/v1/chat/conversations/${s.conversation.id}`, { headers: asVisitor(s) })
      ).json<{ status: string }>().status;
    expect(await status(gone)).toBe('ended');
    expect(await status(here)).toBe('queued');
    expect((await messages(gone)).at(-1)?.author.kind).toBe('system');
    await end(here);
  });

  it('keeps canned replies for staff', async () => {
    const created = await desk.api('POST', '/api/v1/chat/canned-replies', {
      token: agent.token,
      body: { title: 'Sync reset', body: 'Sign out, then sign in again to reset the sync.', locale: 'en' },
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json<{ id: string }>();
    const found = await desk.api('GET', '/api/v1/chat/canned-replies?q=sync%20reset', { token: agent.token });
    expect(found.json<{ data: { id: string }[] }>().data.map((r) => r.id)).toContain(id);
    const wildcard = await desk.api('GET', '/api/v1/chat/canned-replies?q=%25', { token: agent.token });
    expect(wildcard.json<{ data: unknown[] }>().data).toHaveLength(0);
    expect((await desk.api('GET', '/api/v1/chat/canned-replies', { token: customer.token })).statusCode).toBe(
      403,
    );
    const edited = await desk.api('PATCH', `/api/v1/chat/canned-replies/${id}`, {
      token: agent.token,
      body: { title: 'Reset the sync' },
    });
    expect(edited.json<{ title: string }>().title).toBe('Reset the sync');
    expect(
      (await desk.api('DELETE', `/api/v1/chat/canned-replies/${id}`, { token: agent.token })).statusCode,
    ).toBe(204);
    expect(
      (await desk.api('DELETE', `/api/v1/chat/canned-replies/${id}`, { token: agent.token })).statusCode,
    ).toBe(404);
  });
});
