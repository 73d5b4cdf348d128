import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

const SUPPORT = 'support@acme-support.test';
const HOUR = 3600_000;

interface SpamItem {
  id: string;
  channel: string;
  source: string;
  summary: string;
  reason: string;
  createdAt: string;
  outcome: string | null;
  reviewedAt: string | null;
  reviewedBy: { id: string; name: string } | null;
}

describe.each(databaseTargets())('the spam folder and the public doors on $dialect', (target) => {
  let desk: TestDesk;
  let lead: Person;
  let admin: Person;
  let agent: Person;
  let contact: Person;
  let mails = 0;

  beforeAll(async () => {
    desk = await TestDesk.start(target, {
      SUPPORT_EMAIL: SUPPORT,
      MAIL_RATE_PER_HOUR: '2',
      CHAT_STARTS_PER_HOUR: '2',
      HELPCENTER_SEARCHES_PER_MINUTE: '3',
    });
    lead = await desk.person('lead');
    admin = await desk.person('admin');
    agent = await desk.person('agent');
    contact = await desk.person('contact', (await desk.organization('premium')).id);
  });
  afterAll(() => desk?.close());

  const db = () => desk.database.db.kysely;
  const inbound = (from: string, subject: string) => {
    const raw = [
      `From: ${from}`,
      `To: ${SUPPORT}`,
      `Subject: ${subject}`,
      `Message-ID: <spam-${++mails}.${Date.now()}@customer.test>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      `About ${subject}.`,
      '',
    ].join('\r\n');
    return desk.services.emailIngest.ingest(Buffer.from(raw));
  };
  const folder = async (status: 'pending' | 'reviewed', token = lead.token, extra = '') => {
    const res = await desk.api('GET', `/api/v1/spam?status=${status}${extra}`, { token });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ data: SpamItem[]; nextCursor: string | null }>();
  };
  const audit = async () =>
    (await desk.api('GET', '/api/v1/audit', { token: admin.token })).json<{
      data: {
        action: string;
        reason: string | null;
        actor: { id: string } | null;
        data: Record<string, unknown>;
      }[];
    }>().data;

  it('holds a mail over the sender’s hourly cap for review; released, it is ingested as a ticket', async () => {
    desk.advance(2 * HOUR);
    expect((await inbound(contact.user.email, 'First')).disposition).toBe('ticket_created');
    expect((await inbound(contact.user.email, 'Second')).disposition).toBe('ticket_created');
    const held = await inbound(contact.user.email, 'Third, held back');
    expect(held.disposition).toBe('rate_limited');

    const item = (await folder('pending')).data.find((i) => i.summary === 'Third, held back')!;
    expect(item).toMatchObject({
      channel: 'email',
      source: contact.user.email,
      outcome: null,
      reviewedAt: null,
      reviewedBy: null,
    });
    expect(item.reason).toContain('more than 2 mails in an hour');

    desk.advance(60_000);
    const released = await desk.api('POST', `/api/v1/spam/${item.id}/release`, { token: lead.token });
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json()).toMatchObject({
      id: item.id,
      outcome: 'released',
      reviewedAt: new Date(desk.now).toISOString(),
      reviewedBy: { id: lead.user.id, name: lead.user.name },
    });
    const ticket = await db()
      .selectFrom('tickets')
      .select(['id', 'channel', 'requester_id'])
      .where('subject', '=', 'Third, held back')
      .executeTakeFirst();
    expect(ticket).toMatchObject({ channel: 'email', requester_id: contact.user.id });
    const record = await db()
      .selectFrom('mail_messages')
      .select(['disposition', 'ticket_id'])
      .where('id', '=', held.mailId)
      .executeTakeFirstOrThrow();
    expect(record).toEqual({ disposition: 'ticket_created', ticket_id: ticket!.id });

    // Released once: a second release and a discard are refused; it left the pending list.
    expect(
      (await desk.api('POST', `/api/v1/spam/${item.id}/release`, { token: admin.token })).statusCode,
    ).toBe(409);
    expect(
      (
        await desk.api('POST', `/api/v1/spam/${item.id}/discard`, {
          token: admin.token,
          body: { reason: 'x' },
        })
      ).statusCode,
    ).toBe(409);
    expect((await folder('pending')).data.map((i) => i.id)).not.toContain(item.id);
    expect((await folder('reviewed')).data.map((i) => i.id)).toContain(item.id);
    const entry = (await audit()).find((e) => e.action === 'spam.released' && e.data.spamId === item.id);
    expect(entry).toMatchObject({
      actor: { id: lead.user.id },
      data: { channel: 'email', disposition: 'ticket_created' },
    });
  });

  it('holds chat starts refused by the honeypot or the per-address cap; discarded with a reason, released as legitimate', async () => {
    desk.advance(2 * HOUR);
    const start = (body: Record<string, unknown>) => desk.api('POST', '/api/v1/chat/conversations', { body });
    const bot = await start({
      name: 'Buy now',
      email: 'bot@spam.test',
      message: 'Cheap watches',
      website: 'https://spam.test',
    });
    expect(bot.statusCode).toBe(400);
    for (let i = 0; i < 2; i++)
      expect(
        (await start({ name: 'Vera', email: 'vera@visitor.test', message: `Hello ${i}` })).statusCode,
      ).toBe(201);
    const flood = await start({ name: 'Vera', email: 'vera@visitor.test', message: 'Hello again' });
    expect(flood.statusCode).toBe(429);

    const pending = (await folder('pending')).data.filter((i) => i.channel === 'chat');
    const honeypot = pending.find((i) => i.source === 'bot@spam.test')!;
    const capped = pending.find((i) => i.source === 'vera@visitor.test')!;
    expect(honeypot.reason).toContain('honeypot');
    expect(honeypot.summary).toBe('Buy now: Cheap watches');
    expect(capped.reason).toContain('more than 2 chats');
    expect(capped.summary).toBe('Vera: Hello again');

    const discarded = await desk.api('POST', `/api/v1/spam/${honeypot.id}/discard`, {
      token: admin.token,
      body: { reason: 'A bot selling watches' },
    });
    expect(discarded.statusCode, discarded.body).toBe(200);
    expect(discarded.json()).toMatchObject({ outcome: 'discarded', reviewedBy: { id: admin.user.id } });
    const released = await desk.api('POST', `/api/v1/spam/${capped.id}/release`, { token: lead.token });
    expect(released.json()).toMatchObject({ outcome: 'released' });

    const entries = await audit();
    expect(entries.find((e) => e.action === 'spam.discarded' && e.data.spamId === honeypot.id)).toMatchObject(
      {
        reason: 'A bot selling watches',
        actor: { id: admin.user.id },
        data: { channel: 'chat', source: 'bot@spam.test' },
      },
    );
    expect(entries.find((e) => e.action === 'spam.released' && e.data.spamId === capped.id)).toBeDefined();
    // Nothing was deleted: both items stay in the reviewed list.
    const reviewed = (await folder('reviewed')).data.map((i) => i.id);
    expect(reviewed).toEqual(expect.arrayContaining([honeypot.id, capped.id]));
  });

  it('pages the folder and keeps it to leads and admins; a discard needs a reason', async () => {
    desk.advance(2 * HOUR);
    for (let i = 0; i < 4; i++) await inbound('flood@elsewhere.test', `Flood ${i}`);
    const first = await folder('pending', lead.token, '&limit=1');
    expect(first.data).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = await folder('pending', lead.token, `&limit=1&cursor=${first.nextCursor}`);
    expect(second.data[0]!.id).not.toBe(first.data[0]!.id);
    expect(Date.parse(second.data[0]!.createdAt)).toBeLessThanOrEqual(Date.parse(first.data[0]!.createdAt));

    expect((await desk.api('GET', '/api/v1/spam', { token: agent.token })).statusCode).toBe(403);
    expect((await desk.api('GET', '/api/v1/spam', { token: contact.token })).statusCode).toBe(403);
    expect((await desk.api('GET', '/api/v1/spam?status=maybe', { token: lead.token })).statusCode).toBe(400);
    const id = first.data[0]!.id;
    expect((await desk.api('POST', `/api/v1/spam/${id}/release`, { token: agent.token })).statusCode).toBe(
      403,
    );
    expect(
      (await desk.api('POST', `/api/v1/spam/${id}/discard`, { token: lead.token, body: {} })).statusCode,
    ).toBe(400);
    expect(
      (
        await desk.api('POST', '/api/v1/spam/0190a1b2-0000-7000-8000-000000000000/discard', {
          token: lead.token,
          body: { reason: 'x' },
        })
      ).statusCode,
    ).toBe(404);
  });

  it('answers public help center searches and suggestions over the per-address rate with 429', async () => {
    const search = (token?: string) =>
      desk.api('GET', '/api/v1/helpcenter/search?q=export', token ? { token } : {});
    for (let i = 0; i < 3; i++) expect((await search()).statusCode).toBe(200);
    const refused = await search();
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ status: 429 });
    const suggestions = await desk.api('POST', '/api/v1/helpcenter/suggestions', {
      body: { subject: 'Export', body: 'The export does nothing' },
    });
    expect(suggestions.statusCode).toBe(429);
    // Staff looking things up for customers are not counted; customers from the address are.
    expect((await search(agent.token)).statusCode).toBe(200);
    expect((await search(contact.token)).statusCode).toBe(429);
    // The next minute, the address may search again.
    desk.advance(60_000);
    expect((await search()).statusCode).toBe(200);
  });
});
