import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationOut } from '../../src/customers/schema.js';
import { databaseTargets } from '../support/databases.js';
import { TEST_EPOCH, TestDesk, type Person } from '../support/desk.js';

const SUPPORT = 'support@acme-support.test';
const DAY = 86_400_000;
const LIMITED = 'urn:accord:problem:support-limited';
// Policy section 5 as policy/default.yaml writes it, in both languages.
const SECTION_5_EN = 'The Customer acknowledges and agrees that no support will be provided for:';
const SECTION_5_FR = "Le Client reconnaît et accepte qu'aucune assistance ne sera fournie pour :";

interface Limit {
  id: string;
  kind: string;
  settings: Record<string, unknown>;
  reason: string;
  endsAt: string | null;
  createdBy: { id: string; name: string } | null;
  liftedAt: string | null;
  active: boolean;
}

describe.each(databaseTargets())('support limits on $dialect', (target) => {
  let desk: TestDesk;
  let lead: Person;
  let admin: Person;
  let agent: Person;
  let mails = 0;

  beforeAll(async () => {
    desk = await TestDesk.start(target, { SUPPORT_EMAIL: SUPPORT, CHAT_STARTS_PER_HOUR: '10000' });
    // The first lead of the desk: a P0 over a limit goes to them.
    lead = await desk.person('lead');
    admin = await desk.person('admin');
    agent = await desk.person('agent');
  });
  afterAll(() => desk?.close());

  const db = () => desk.database.db.kysely;

  const organization = async (locale: 'en' | 'fr' = 'en') => {
    const slug = `limits-${Math.random().toString(36).slice(2, 8)}`;
    return desk.services.organizations.create(null, {
      name: `Org ${slug}`,
      domains: [`${slug}.test`],
      locale,
      subscription: {
        tier: 'premium',
        termStart: new Date(TEST_EPOCH - 180 * DAY).toISOString(),
        termEnd: new Date(TEST_EPOCH + 180 * DAY).toISOString(),
      },
    });
  };

  const apply = (orgId: string, body: Record<string, unknown>, token = lead.token) =>
    desk.api('POST', `/api/v1/fairuse/organizations/${orgId}/limits`, { token, body });
  const applied = async (orgId: string, body: Record<string, unknown>) => {
    const res = await apply(orgId, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Limit>();
  };
  const file = (who: Person, extra: Record<string, unknown> = {}) =>
    desk.api('POST', '/api/v1/tickets', {
      token: who.token,
      body: { subject: 'The export fails', body: 'Nothing happens.', priority: 'P2', ...extra },
    });
  const inbound = (from: string, subject: string, body = 'Please help.') => {
    const id = `<limit-${++mails}.${Date.now()}@customer.test>`;
    const raw = [
      `From: ${from}`,
      `To: ${SUPPORT}`,
      `Subject: ${subject}`,
      `Message-ID: ${id}`,
      'Date: Mon, 1 Jun 2026 12:00:00 +0000',
      'Content-Type: text/plain; charset=utf-8',
      '',
      body,
      '',
    ].join('\r\n');
    return desk.services.emailIngest.ingest(Buffer.from(raw));
  };
  const outboxTo = (email: string, kind: string) =>
    db()
      .selectFrom('mail_outbox')
      .selectAll()
      .where('to_address', '=', email)
      .where('kind', '=', kind)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  const startChat = (email: string, extra: Record<string, unknown> = {}) =>
    desk.api('POST', '/api/v1/chat/conversations', {
      body: { name: 'Vera Visitor', email, message: 'Are you there?', ...extra },
    });
  const auditOf = async (orgId: string) =>
    (await desk.api('GET', `/api/v1/audit?organizationId=${orgId}`, { token: lead.token })).json<{
      data: {
        action: string;
        reason: string | null;
        actor: { id: string; name: string } | null;
        ticketId: string | null;
        data: Record<string, unknown>;
        at: string;
      }[];
    }>().data;

  const expectLimited = (
    res: { statusCode: number; json: () => unknown; body: string },
    kind: string,
    texts: string[],
  ) => {
    expect(res.statusCode, res.body).toBe(403);
    const problem = res.json() as {
      type: string;
      detail: string;
      limit: { kind: string; endsAt: string | null };
    };
    expect(problem.type).toBe(LIMITED);
    expect(problem.limit.kind).toBe(kind);
    for (const text of texts) expect(problem.detail).toContain(text);
    return problem;
  };

  it('enforces a suspension on every channel, saying what, why and until when; a P0 still reaches a lead', async () => {
    const org = await organization();
    const contact = await desk.person('contact', org.id);
    const earlier = await desk.ticket(contact);
    // A chat waiting in the queue before the suspension, which its visitor then turns into a ticket.
    const waiting = await startChat(contact.user.email);
    expect(waiting.statusCode, waiting.body).toBe(201);
    const chat = waiting.json<{ conversation: { id: string }; visitorToken: string }>();

    const reason = 'Repeated requests about incidents already resolved';
    const limit = await applied(org.id, { kind: 'suspension', reason, endsAt: '2026-06-08T12:00:00Z' });
    expect(limit).toMatchObject({
      kind: 'suspension',
      settings: {},
      reason,
      endsAt: '2026-06-08T12:00:00.000Z',
      createdBy: { id: lead.user.id },
      liftedAt: null,
      active: true,
    });
    const what = ['Support for your organization is suspended.', reason, 'June 8, 2026'];

    // Portal, API and the in-app button.
    const api = expectLimited(await file(contact), 'suspension', what);
    expect(api.limit.endsAt).toBe('2026-06-08T12:00:00.000Z');
    expectLimited(await file(contact, { channel: 'portal' }), 'suspension', what);
    expectLimited(await file(contact, { channel: 'in_app' }), 'suspension', what);
    // A reply to a ticket filed before waits too.
    const reply = await desk.api('POST', `/api/v1/tickets/${earlier.id}/messages`, {
      token: contact.token,
      body: { body: 'Any news?' },
    });
    expectLimited(reply, 'suspension', [reason]);

    // Email: answered with the same explanation, not dropped.
    const mailed = await inbound(contact.user.email, 'Export broken again');
    expect(mailed.disposition).toBe('limited');
    const record = await db()
      .selectFrom('mail_messages')
      .select(['disposition', 'reason', 'ticket_id'])
      .where('id', '=', mailed.mailId)
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({ disposition: 'limited', ticket_id: null });
    expect(record.reason).toContain('suspended');
    const [answer] = await outboxTo(contact.user.email, 'fairuse_refusal');
    expect(answer).toMatchObject({ subject: 'Re: Export broken again', status: 'pending' });
    expect(answer!.body_text).toContain('could not file it as a ticket');
    for (const text of what) expect(answer!.body_text).toContain(text);
    expect(answer!.body_text).toContain(SECTION_5_EN);
    const headers = JSON.parse(answer!.headers) as Record<string, string>;
    expect(headers['In-Reply-To']).toMatch(/^<limit-\d+\./);
    expect(headers['Auto-Submitted']).toBe('auto-replied');

    // Chat: no new chat, and a waiting chat does not become a ticket.
    expectLimited(await startChat(contact.user.email), 'suspension', what);
    const converted = await desk.api('POST', `/api/v1/chat/conversations/${chat.conversation.id}/ticket`, {
      headers: { 'x-chat-token': chat.visitorToken },
      body: {},
    });
    expectLimited(converted, 'suspension', what);
    expect(
      await db().selectFrom('tickets').select('id').where('organization_id', '=', org.id).execute(),
    ).toHaveLength(1);

    // A P0 is never refused: filed, assigned to the first lead, who is told, and audited.
    const p0 = await file(contact, { priority: 'P0', subject: 'Production is down' });
    expect(p0.statusCode, p0.body).toBe(201);
    expect(p0.json()).toMatchObject({ priority: 'P0', assignee: { id: lead.user.id } });
    const notice = await db()
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', lead.user.id)
      .where('ticket_id', '=', p0.json<{ id: string }>().id)
      .executeTakeFirst();
    expect(notice?.kind).toBe('fairuse_p0_over_limit');
    const overridden = (await auditOf(org.id)).find((e) => e.action === 'limit.overridden_p0');
    expect(overridden).toMatchObject({ ticketId: p0.json<{ id: string }>().id, actor: null, reason });
    expect(overridden!.data).toMatchObject({ kind: 'suspension', assigneeId: lead.user.id });
    // A P0 by chat (started and turned into a ticket) and by mail get through as well.
    const urgent = await startChat(contact.user.email, { priority: 'P0' });
    expect(urgent.statusCode, urgent.body).toBe(201);
    const urgentChat = urgent.json<{ conversation: { id: string }; visitorToken: string }>();
    const urgentTicket = await desk.api(
      'POST',
      `/api/v1/chat/conversations/${urgentChat.conversation.id}/ticket`,
      { headers: { 'x-chat-token': urgentChat.visitorToken }, body: {} },
    );
    expect(urgentTicket.statusCode, urgentTicket.body).toBe(201);
    const filed = await db()
      .selectFrom('tickets')
      .select(['priority', 'channel', 'assignee_id'])
      .where('id', '=', urgentTicket.json<{ ticket: { id: string } }>().ticket.id)
      .executeTakeFirstOrThrow();
    expect(filed).toEqual({ priority: 'P0', channel: 'chat', assignee_id: lead.user.id });
    expect((await inbound(contact.user.email, '[P0] Everything is down')).disposition).toBe('ticket_created');
  });

  it('answers refused mail only up to the sender’s hourly cap: a flood gets no flood of answers', async () => {
    const org = await organization();
    const contact = await desk.person('contact', org.id);
    await applied(org.id, { kind: 'suspension', reason: 'Abusive use', endsAt: '2026-06-08T12:00:00Z' });
    const dispositions: string[] = [];
    for (let i = 0; i < 32; i++)
      dispositions.push((await inbound(contact.user.email, `Flood ${i}`)).disposition);
    // MAIL_RATE_PER_HOUR is 30 by default: refusals count toward it like tickets do.
    expect(dispositions.filter((d) => d === 'limited')).toHaveLength(30);
    expect(dispositions.slice(30)).toEqual(['rate_limited', 'rate_limited']);
    expect(await outboxTo(contact.user.email, 'fairuse_refusal')).toHaveLength(30);
  });

  it('restricts an organization to some channels: the others are refused, the named ones work', async () => {
    const org = await organization();
    const contact = await desk.person('contact', org.id);
    await applied(org.id, {
      kind: 'channels',
      settings: { channels: ['email'] },
      reason: 'Tickets by email only while we sort out the duplicates',
    });
    const what = [
      'goes through email only',
      'the API is not one of them',
      'duplicates',
      'until our support team lifts it',
    ];
    expectLimited(await file(contact), 'channels', what);
    expectLimited(await file(contact, { channel: 'in_app' }), 'channels', [
      'the in-app support button is not one of them',
    ]);
    expectLimited(await startChat(contact.user.email), 'channels', ['live chat is not one of them']);
    const mailed = await inbound(contact.user.email, 'By mail, then');
    expect(mailed.disposition).toBe('ticket_created');
  });

  it('caps open tickets: refused while the cap is reached, filed again once one is resolved', async () => {
    const org = await organization();
    const contact = await desk.person('contact', org.id);
    const first = await desk.ticket(contact);
    await applied(org.id, { kind: 'open_tickets', settings: { max: 1 }, reason: 'One question at a time' });
    expectLimited(await file(contact), 'open_tickets', [
      'at most 1 open ticket at a time; 1 is open now',
      'One question at a time',
      'once one of your open tickets is resolved',
    ]);
    const resolved = await desk.api('PATCH', `/api/v1/tickets/${first.id}`, {
      token: agent.token,
      body: { status: 'resolved' },
    });
    expect(resolved.statusCode).toBe(200);
    expect((await file(contact)).statusCode).toBe(201);
  });

  it('caps tickets per period: says when filing is possible again, and files then', async () => {
    const org = await organization();
    const contact = await desk.person('contact', org.id);
    const firstAt = desk.now;
    await desk.ticket(contact);
    desk.advance(DAY);
    await desk.ticket(contact);
    await applied(org.id, {
      kind: 'tickets_per_period',
      settings: { max: 2, periodDays: 7 },
      reason: 'Too many tickets this week',
      endsAt: new Date(desk.now + 30 * DAY).toISOString(),
    });
    // The oldest of the two leaves the window seven days after it was filed.
    const again = new Intl.DateTimeFormat('en-US', {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      timeZone: 'UTC',
    }).format(firstAt + 7 * DAY);
    const refused = expectLimited(await file(contact, { channel: 'portal' }), 'tickets_per_period', [
      'at most 2 tickets every 7 days; 2 were filed in the last 7 days',
      `You can file again from`,
      again,
    ]);
    expect((refused as unknown as { limit: { availableAt: string } }).limit.availableAt).toBe(
      new Date(firstAt + 7 * DAY).toISOString(),
    );
    desk.advance(6 * DAY + 60_000);
    expect((await file(contact)).statusCode).toBe(201);
  });

  it('tells the contacts in their language, quoting section 5, when a limit is applied and lifted', async () => {
    const fr = await organization('fr');
    const en = await organization('en');
    const frContact = await desk.person('contact', fr.id);
    const frMember = await desk.person('member', fr.id);
    const enContact = await desk.person('contact', en.id);
    const gone = await desk.person('contact', fr.id);
    await db()
      .updateTable('users')
      .set({ deactivated_at: desk.now })
      .where('id', '=', gone.user.id)
      .execute();

    const limit = await applied(fr.id, {
      kind: 'open_tickets',
      settings: { max: 2 },
      reason: 'Trop de tickets ouverts en même temps',
      endsAt: new Date(desk.now + 20 * DAY).toISOString(),
    });
    const frDate = new Intl.DateTimeFormat('fr-FR', {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      timeZone: 'UTC',
    }).format(desk.now + 20 * DAY);
    const [frMail] = await outboxTo(frContact.user.email, 'fairuse_limit_applied');
    expect(frMail).toBeDefined();
    expect(frMail!.subject).toBe(`Limite de support pour ${fr.name}`);
    expect(frMail!.body_text).toContain('Bonjour');
    expect(frMail!.body_text).toContain('au plus 2 tickets ouverts à la fois');
    expect(frMail!.body_text).toContain('Motif : Trop de tickets ouverts en même temps');
    expect(frMail!.body_text).toContain(`Cette limite prend fin le`);
    expect(frMail!.body_text).toContain(frDate);
    expect(frMail!.body_text).toContain('Section 5 de la politique de support MaintainX');
    expect(frMail!.body_text).toContain(`> ${SECTION_5_FR}`);
    expect(frMail!.body_text).not.toContain(SECTION_5_EN);
    // Contacts only, and active ones.
    expect(await outboxTo(frMember.user.email, 'fairuse_limit_applied')).toHaveLength(0);
    expect(await outboxTo(gone.user.email, 'fairuse_limit_applied')).toHaveLength(0);

    await applied(en.id, {
      kind: 'suspension',
      reason: 'Abusive language',
      endsAt: new Date(desk.now + 2 * DAY).toISOString(),
    });
    const [enMail] = await outboxTo(enContact.user.email, 'fairuse_limit_applied');
    expect(enMail!.subject).toBe(`Support limit for ${en.name}`);
    expect(enMail!.body_text).toContain('support suspended');
    expect(enMail!.body_text).toContain(`> ${SECTION_5_EN}`);

    const lift = await desk.api('POST', `/api/v1/fairuse/organizations/${fr.id}/limits/${limit.id}/lift`, {
      token: admin.token,
      body: { reason: 'Les tickets ouverts ont été traités' },
    });
    expect(lift.statusCode, lift.body).toBe(200);
    expect(lift.json<Limit>()).toMatchObject({ active: false });
    expect(lift.json<Limit>().liftedAt).not.toBeNull();
    const [lifted] = await outboxTo(frContact.user.email, 'fairuse_limit_lifted');
    expect(lifted!.subject).toBe(`Limite de support levée pour ${fr.name}`);
    expect(lifted!.body_text).toContain('Les tickets ouverts ont été traités');
    expect(lifted!.body_text).toContain(SECTION_5_FR);
    const again = await desk.api('POST', `/api/v1/fairuse/organizations/${fr.id}/limits/${limit.id}/lift`, {
      token: lead.token,
      body: { reason: 'twice' },
    });
    expect(again.statusCode).toBe(409);

    // Lifted, the cap no longer applies; the history keeps it.
    for (let i = 0; i < 3; i++) await desk.ticket(frContact);
    const history = await desk.api('GET', `/api/v1/fairuse/organizations/${fr.id}/limits`, {
      token: agent.token,
    });
    expect(history.json<{ data: Limit[] }>().data).toMatchObject([{ id: limit.id, active: false }]);
  });

  it('sends a lead’s message to the contacts with the evidence of the flags named and section 5', async () => {
    const org = await organization('fr');
    const contact = await desk.person('contact', org.id);
    const tickets = [];
    for (const subject of ['Recette de gâteau', 'Résultats du match']) {
      const t = await desk.ticket(contact, { subject });
      tickets.push(t);
      const marked = await desk.api('POST', `/api/v1/tickets/${t.id}/off-topic`, {
        token: agent.token,
        body: { note: 'Not about the product' },
      });
      expect(marked.statusCode, marked.body).toBe(204);
    }
    const res = await desk.api('POST', `/api/v1/fairuse/organizations/${org.id}/messages`, {
      token: lead.token,
      body: {
        message: 'Merci de réserver le support aux questions sur le produit.',
        flagKinds: ['off_topic'],
      },
    });
    expect(res.statusCode, res.body).toBe(204);
    const [mail] = await outboxTo(contact.user.email, 'fairuse_message');
    expect(mail!.body_text).toContain(`${lead.user.name}, du support MaintainX, vous écrit`);
    expect(mail!.body_text).toContain('Merci de réserver le support aux questions sur le produit.');
    expect(mail!.body_text).toContain('Demandes sans rapport avec le support');
    for (const t of tickets) expect(mail!.body_text).toContain(`#${t.number}`);
    expect(mail!.body_text).toContain('Recette de gâteau');
    expect(mail!.body_text).toContain(SECTION_5_FR);
    const entry = (await auditOf(org.id)).find((e) => e.action === 'contact.messaged');
    expect(entry).toMatchObject({
      actor: { id: lead.user.id, name: lead.user.name },
      reason: 'Merci de réserver le support aux questions sur le produit.',
      data: { flagKinds: ['off_topic'], contactsTold: 1 },
    });

    // An organization without an active contact cannot be written to; agents may not write.
    const empty = await organization();
    const none = await desk.api('POST', `/api/v1/fairuse/organizations/${empty.id}/messages`, {
      token: lead.token,
      body: { message: 'Hello' },
    });
    expect(none.statusCode).toBe(422);
    const byAgent = await desk.api('POST', `/api/v1/fairuse/organizations/${org.id}/messages`, {
      token: agent.token,
      body: { message: 'Hello' },
    });
    expect(byAgent.statusCode).toBe(403);
  });

  it('lets customers read their own organization’s limits in force, and nothing more', async () => {
    const org = await organization();
    const other = await organization();
    const contact = await desk.person('contact', org.id);
    const member = await desk.person('member', org.id);
    const ended = await applied(org.id, {
      kind: 'open_tickets',
      settings: { max: 5 },
      reason: 'An old cap',
      endsAt: new Date(desk.now + DAY).toISOString(),
    });
    desk.advance(2 * DAY);
    const current = await applied(org.id, {
      kind: 'channels',
      settings: { channels: ['portal', 'email'] },
      reason: 'Portal and email only',
    });
    for (const who of [contact, member]) {
      const res = await desk.api('GET', `/api/v1/fairuse/organizations/${org.id}/limits?active=true`, {
        token: who.token,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<{ data: Limit[] }>().data).toEqual([
        expect.objectContaining({
          id: current.id,
          active: true,
          createdBy: null,
          reason: 'Portal and email only',
        }),
      ]);
    }
    // Without active=true a customer still sees only what is in force.
    const all = await desk.api('GET', `/api/v1/fairuse/organizations/${org.id}/limits`, {
      token: contact.token,
    });
    expect(all.json<{ data: Limit[] }>().data.map((l) => l.id)).toEqual([current.id]);
    const staff = await desk.api('GET', `/api/v1/fairuse/organizations/${org.id}/limits`, {
      token: agent.token,
    });
    expect(staff.json<{ data: Limit[] }>().data.map((l) => [l.id, l.active])).toEqual([
      [current.id, true],
      [ended.id, false],
    ]);
    expect(
      (await desk.api('GET', `/api/v1/fairuse/organizations/${other.id}/limits`, { token: contact.token }))
        .statusCode,
    ).toBe(404);
    // Customers and agents do not apply limits.
    expect(
      (await apply(org.id, { kind: 'suspension', reason: 'x', endsAt: '2026-12-01' }, contact.token))
        .statusCode,
    ).toBe(403);
    expect(
      (await apply(org.id, { kind: 'suspension', reason: 'x', endsAt: '2026-12-01' }, agent.token))
        .statusCode,
    ).toBe(403);
    const lift = await desk.api('POST', `/api/v1/fairuse/organizations/${org.id}/limits/${current.id}/lift`, {
      token: contact.token,
      body: { reason: 'please' },
    });
    expect(lift.statusCode).toBe(403);
  });

  it('refuses bad limits with 4xx', async () => {
    const org = await organization();
    const future = new Date(desk.now + 7 * DAY).toISOString();
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'forever', reason: 'x' }, 'body.kind'],
      [{ kind: 'suspension', reason: 'x' }, 'body.endsAt'],
      [{ kind: 'suspension', reason: 'x', endsAt: '2026-05-01T00:00:00Z' }, 'body.endsAt'],
      [{ kind: 'open_tickets', settings: { max: 0 }, reason: 'x' }, 'body.settings.max'],
      [{ kind: 'open_tickets', settings: {}, reason: 'x' }, 'body.settings.max'],
      [{ kind: 'tickets_per_period', settings: { max: 3 }, reason: 'x' }, 'body.settings.periodDays'],
      [{ kind: 'channels', settings: { channels: ['pigeon'] }, reason: 'x' }, 'body.settings.channels.0'],
      [{ kind: 'channels', settings: { channels: [] }, reason: 'x' }, 'body.settings.channels'],
      [{ kind: 'suspension', reason: '', endsAt: future }, 'body.reason'],
      [{ kind: 'suspension', reason: 'x', endsAt: 'next week' }, 'body.endsAt'],
      [{ kind: 'suspension', reason: 'x', endsAt: future, extra: 1 }, 'body.extra'],
    ];
    for (const [body, field] of cases) {
      const res = await apply(org.id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toContain(field);
    }
    const unknown = await apply('0190a1b2-0000-7000-8000-000000000000', {
      kind: 'suspension',
      reason: 'x',
      endsAt: future,
    });
    expect(unknown.statusCode).toBe(404);
    const badLimit = await desk.api(
      'POST',
      `/api/v1/fairuse/organizations/${org.id}/limits/0190a1b2-0000-7000-8000-000000000000/lift`,
      { token: lead.token, body: { reason: 'x' } },
    );
    expect(badLimit.statusCode).toBe(404);
    expect(
      await db().selectFrom('support_limits').select('id').where('organization_id', '=', org.id).execute(),
    ).toEqual([]);
  });

  it('lists every action in the audit log with who, why and when, a page at a time (leads and admins)', async () => {
    const org: OrganizationOut = await organization();
    await desk.person('contact', org.id);
    const limit = await applied(org.id, {
      kind: 'suspension',
      reason: 'Applied for the audit',
      endsAt: '2026-12-01',
    });
    desk.advance(60_000);
    await desk.api('POST', `/api/v1/fairuse/organizations/${org.id}/limits/${limit.id}/lift`, {
      token: admin.token,
      body: { reason: 'Lifted for the audit' },
    });
    const entries = await auditOf(org.id);
    expect(entries.map((e) => [e.action, e.actor?.id, e.reason])).toEqual([
      ['limit.lifted', admin.user.id, 'Lifted for the audit'],
      ['limit.applied', lead.user.id, 'Applied for the audit'],
    ]);
    expect(entries[0]!.at).toBe(new Date(desk.now).toISOString());
    expect(entries[1]!.data).toMatchObject({ limitId: limit.id, kind: 'suspension', contactsTold: 1 });
    const first = await desk.api('GET', `/api/v1/audit?organizationId=${org.id}&limit=1`, {
      token: admin.token,
    });
    const page = first.json<{ data: { action: string }[]; nextCursor: string }>();
    expect(page.data.map((e) => e.action)).toEqual(['limit.lifted']);
    const second = await desk.api(
      'GET',
      `/api/v1/audit?organizationId=${org.id}&limit=1&cursor=${page.nextCursor}`,
      { token: admin.token },
    );
    expect(second.json<{ data: { action: string }[] }>().data.map((e) => e.action)).toEqual([
      'limit.applied',
    ]);
    expect((await desk.api('GET', '/api/v1/audit', { token: agent.token })).statusCode).toBe(403);
    expect((await desk.api('GET', '/api/v1/audit?cursor=nonsense', { token: lead.token })).statusCode).toBe(
      400,
    );
  });
});
