import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { startServices } from '../../src/services.js';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

const MINUTE = 60_000;
const SUPPORT = 'support@acme-support.test';

interface Message {
  id: string;
  body: string;
  createdAt: string;
  author: { id: string };
  mergedFrom: { id: string; number: number } | null;
}
interface Event {
  type: string;
  data: Record<string, unknown>;
  actor: { id: string } | null;
}

describe.each(databaseTargets())('merging tickets on $dialect', (target) => {
  let desk: TestDesk;
  let agent: Person;
  let lead: Person;
  let member: Person;
  let contact: Person;
  let orgId: string;
  let mails = 0;

  beforeAll(async () => {
    desk = await TestDesk.start(target, { SUPPORT_EMAIL: SUPPORT });
    agent = await desk.person('agent');
    lead = await desk.person('lead');
    orgId = (await desk.organization('premium')).id;
    member = await desk.person('member', orgId);
    contact = await desk.person('contact', orgId);
  });
  afterAll(() => desk?.close());

  const merge = (token: string, sourceId: string, into: unknown) =>
    desk.api('POST', `/api/v1/tickets/${sourceId}/merge`, { token, body: { into } });
  const reply = (token: string, ticketId: string, body: string, extra: Record<string, unknown> = {}) =>
    desk.api('POST', `/api/v1/tickets/${ticketId}/messages`, { token, body: { body, ...extra } });
  const messages = async (token: string, ticketId: string) =>
    (await desk.api('GET', `/api/v1/tickets/${ticketId}/messages`, { token })).json<{ data: Message[] }>()
      .data;
  const events = async (token: string, ticketId: string) =>
    (await desk.api('GET', `/api/v1/tickets/${ticketId}/events`, { token })).json<{ data: Event[] }>().data;
  const ticket = async (token: string, id: string) =>
    (await desk.api('GET', `/api/v1/tickets/${id}`, { token })).json<{
      status: string;
      createdAt: string;
      mergedInto: { id: string; number: number } | null;
      sla: { firstResponse: { metAt: string | null } } | null;
    }>();
  const upload = (token: string, ticketId: string, messageId: string) => {
    const boundary = 'accordmerge';
    const payload = Buffer.from(
      [
        `--${boundary}`,
        'Content-Disposition: form-data; name="file"; filename="steps.txt"',
        'Content-Type: text/plain',
        '',
        'Open the export page, press Export.',
        `--${boundary}`,
        'Content-Disposition: form-data; name="messageId"',
        '',
        messageId,
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    );
    return desk.api('POST', `/api/v1/tickets/${ticketId}/attachments`, {
      token,
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
  };

  it('moves the source’s messages and files into the target in time order, closes the source with a pointer and records the merge on both', async () => {
    const openedAt = desk.now;
    const source = await desk.ticket(member, { subject: 'Export broken', body: 'Export does nothing.' });
    desk.advance(10 * MINUTE);
    const answered = await reply(agent.token, source.id, 'Looking into the export.');
    expect(answered.statusCode).toBe(201);
    const [sourceOpening] = await messages(agent.token, source.id);
    expect((await upload(member.token, source.id, sourceOpening!.id)).statusCode).toBe(201);
    desk.advance(10 * MINUTE);
    const target = await desk.ticket(member, { subject: 'Export still broken', body: 'Nothing exported.' });
    desk.advance(10 * MINUTE);
    expect((await reply(member.token, target.id, 'Any news?')).statusCode).toBe(201);
    desk.advance(10 * MINUTE);

    const res = await merge(agent.token, source.id, target.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: target.id, createdAt: new Date(openedAt).toISOString() });

    const thread = await messages(agent.token, target.id);
    expect(thread.map((m) => [m.body, m.mergedFrom?.number ?? null])).toEqual([
      ['Export does nothing.', source.number],
      ['Looking into the export.', source.number],
      ['Nothing exported.', null],
      ['Any news?', null],
    ]);
    expect(await messages(agent.token, source.id)).toEqual([]);

    const files = (
      await desk.api('GET', `/api/v1/tickets/${target.id}/attachments`, { token: agent.token })
    ).json<{ data: { filename: string; messageId: string }[] }>().data;
    expect(files).toMatchObject([{ filename: 'steps.txt', messageId: sourceOpening!.id }]);

    const closed = await ticket(agent.token, source.id);
    expect(closed.status).toBe('closed');
    expect(closed.mergedInto).toEqual({ id: target.id, number: target.number });
    expect(closed.sla).toBeNull();
    const sourceLog = await events(agent.token, source.id);
    expect(sourceLog.find((e) => e.type === 'merged_into')).toMatchObject({
      actor: { id: agent.user.id },
      data: { ticketId: target.id, number: target.number },
    });
    expect(sourceLog.filter((e) => e.type === 'status_changed').at(-1)?.data).toMatchObject({
      to: 'closed',
      cause: 'merge',
    });
    expect((await events(agent.token, target.id)).find((e) => e.type === 'merged_from')).toMatchObject({
      data: { ticketId: source.id, number: source.number },
    });
    // The customer reads where the request continues.
    expect((await events(member.token, source.id)).map((e) => e.type)).toContain('merged_into');

    // SLA: the target's promise runs from the earlier opening and the reply on the source answered it.
    const merged = await ticket(agent.token, target.id);
    expect(merged.createdAt).toBe(new Date(openedAt).toISOString());
    expect(merged.sla?.firstResponse.metAt).toBe(new Date(openedAt + 10 * MINUTE).toISOString());

    // Reports read the SLA measure: the source carries none, so it is not an unanswered ticket of its own.
    const rows = await desk.database.db.kysely
      .selectFrom('tickets')
      .select(['id', 'sla_first_response_target_ms', 'sla_first_response_ms', 'sla_next_due_at'])
      .where('id', 'in', [source.id, target.id])
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(source.id)).toMatchObject({
      sla_first_response_target_ms: null,
      sla_first_response_ms: null,
      sla_next_due_at: null,
    });
    expect(Number(byId.get(target.id)!.sla_first_response_ms)).toBeGreaterThan(0);

    // The source takes no more replies; its customer writes on the target.
    const late = await reply(member.token, source.id, 'Hello?');
    expect(late.statusCode).toBe(409);
  });

  it('refuses customers, the same ticket, other organizations, merged or closed tickets, and bad input', async () => {
    const a = await desk.ticket(member);
    const b = await desk.ticket(member);
    expect((await merge(member.token, a.id, b.id)).statusCode).toBe(403);
    expect((await merge(contact.token, a.id, b.id)).statusCode).toBe(403);

    const same = await merge(agent.token, a.id, a.id);
    expect(same.statusCode).toBe(422);
    expect(same.json().type).toBe('urn:accord:problem:merge-same-ticket');

    const otherOrg = await desk.person('contact', (await desk.organization('premium')).id);
    const foreign = await desk.ticket(otherOrg);
    const across = await merge(lead.token, a.id, foreign.id);
    expect(across.statusCode).toBe(422);
    expect(across.json().type).toBe('urn:accord:problem:merge-across-organizations');

    expect((await merge(agent.token, a.id, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await merge(agent.token, a.id, 'not-an-id')).statusCode).toBe(400);
    expect((await merge(agent.token, a.id, 12)).statusCode).toBe(400);
    const malformed = await desk.api('POST', `/api/v1/tickets/${a.id}/merge`, {
      token: agent.token,
      payload: '{"into":',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.statusCode).toBe(400);
    const extra = await desk.api('POST', `/api/v1/tickets/${a.id}/merge`, {
      token: agent.token,
      body: { into: b.id, force: true },
    });
    expect(extra.statusCode).toBe(400);

    expect((await merge(agent.token, a.id, b.id)).statusCode).toBe(200);
    const again = await merge(agent.token, a.id, b.id);
    expect(again.statusCode).toBe(409);
    expect(again.json().type).toBe('urn:accord:problem:ticket-merged');

    const c = await desk.ticket(member);
    const chain = await merge(agent.token, c.id, a.id);
    expect(chain.statusCode).toBe(409);
    expect(chain.json()).toMatchObject({
      type: 'urn:accord:problem:merge-target-merged',
      mergedIntoId: b.id,
    });

    const shut = await desk.ticket(member);
    expect(
      (
        await desk.api('PATCH', `/api/v1/tickets/${shut.id}`, {
          token: agent.token,
          body: { status: 'closed' },
        })
      ).statusCode,
    ).toBe(200);
    expect((await merge(agent.token, c.id, shut.id)).json().type).toBe('urn:accord:problem:ticket-closed');
    expect((await merge(agent.token, shut.id, c.id)).statusCode).toBe(409);
    // Nothing moved on a refusal.
    expect((await messages(agent.token, c.id)).length).toBe(1);
  });

  it('threads a mail reply to the merged ticket into the ticket it continues in', async () => {
    const opening = `<merge-${++mails}.${Date.now()}@customer.test>`;
    const mail = (headers: string[], body: string) =>
      desk.services.emailIngest.ingest(
        Buffer.from(
          [
            `From: ${contact.user.email}`,
            `To: ${SUPPORT}`,
            `Message-ID: <merge-${++mails}.${Date.now()}@customer.test>`,
            ...headers,
            'Content-Type: text/plain; charset=utf-8',
            '',
            body,
            '',
          ].join('\r\n'),
        ),
      );
    const first = await desk.services.emailIngest.ingest(
      Buffer.from(
        [
          `From: ${contact.user.email}`,
          `To: ${SUPPORT}`,
          'Subject: Sync stopped',
          `Message-ID: ${opening}`,
          'Content-Type: text/plain; charset=utf-8',
          '',
          'Nothing syncs since this morning.',
          '',
        ].join('\r\n'),
      ),
    );
    expect(first.disposition).toBe('ticket_created');
    const source = first.ticketId!;
    const sourceNumber = (await ticket(agent.token, source)) && first.ticketNumber!;
    const target = await desk.ticket(contact, { subject: 'Sync down', body: 'Sync is down.' });
    desk.advance(MINUTE);
    expect((await merge(agent.token, source, target.id)).statusCode).toBe(200);

    desk.advance(MINUTE);
    const threaded = await mail(
      ['Subject: Re: Sync stopped', `In-Reply-To: ${opening}`, `References: ${opening}`],
      'It came back for a minute.',
    );
    expect(threaded).toMatchObject({ disposition: 'reply_added', ticketId: target.id });
    desk.advance(MINUTE);
    const numbered = await mail([`Subject: [#${sourceNumber}] still down`], 'And it is down again.');
    expect(numbered).toMatchObject({ disposition: 'reply_added', ticketId: target.id });
    const bodies = (await messages(agent.token, target.id)).map((m) => m.body);
    expect(bodies.at(-2)).toContain('It came back for a minute.');
    expect(bodies.at(-1)).toContain('And it is down again.');
    expect(await messages(agent.token, source)).toEqual([]);
  });

  it('announces both tickets on the live bus after a merge', async () => {
    const heard: { kind: string; ticketId: string }[] = [];
    const stop = desk.services.live.subscribe((m) => heard.push(m));
    try {
      const a = await desk.ticket(member);
      const b = await desk.ticket(member);
      heard.length = 0;
      expect((await merge(agent.token, a.id, b.id)).statusCode).toBe(200);
      const deadline = Date.now() + 5000;
      // On PostgreSQL the bus runs over LISTEN/NOTIFY, so the announcement of b's own
      // opening may arrive after the merge began: count tickets, not announcements.
      const announced = () => [...new Set(heard.map((h) => h.ticketId))].sort();
      while (announced().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(announced()).toEqual([a.id, b.id].sort());
    } finally {
      stop();
    }
  });
});

describe.each(databaseTargets())('stale replies on $dialect', (target) => {
  let desk: TestDesk;
  let mei: Person;
  let sam: Person;
  let member: Person;

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    mei = await desk.person('agent');
    sam = await desk.person('agent');
    member = await desk.person('member', (await desk.organization('premium')).id);
  });
  afterAll(() => desk?.close());

  const reply = (token: string, ticketId: string, body: Record<string, unknown>) =>
    desk.api('POST', `/api/v1/tickets/${ticketId}/messages`, { token, body });

  it('asks staff to confirm a reply on a ticket someone else changed since they started it, listing what changed', async () => {
    const t = await desk.ticket(member);
    const startedWith = (await desk.api('GET', `/api/v1/tickets/${t.id}`, { token: sam.token })).json()
      .updatedAt as string;
    desk.advance(60_000);
    expect((await reply(mei.token, t.id, { body: 'Mei answers first.' })).statusCode).toBe(201);
    expect(
      (
        await desk.api('PATCH', `/api/v1/tickets/${t.id}`, {
          token: mei.token,
          body: { priority: 'P1', priorityReason: 'Blocks payroll' },
        })
      ).statusCode,
    ).toBe(200);
    desk.advance(60_000);

    const stale = await reply(sam.token, t.id, { body: 'Sam answers too.', ifUnchangedSince: startedWith });
    expect(stale.statusCode).toBe(409);
    const problem = stale.json<{ type: string; changes: Event[] }>();
    expect(problem.type).toBe('urn:accord:problem:ticket-changed');
    expect(problem.changes.map((c) => c.type)).toEqual(
      expect.arrayContaining(['message_added', 'priority_changed']),
    );
    expect(problem.changes.every((c) => c.actor?.id === mei.user.id)).toBe(true);
    // Nothing was written.
    const before = await desk.count('ticket_messages');

    const confirmed = await reply(sam.token, t.id, {
      body: 'Sam answers too.',
      ifUnchangedSince: startedWith,
      confirm: true,
    });
    expect(confirmed.statusCode).toBe(201);
    expect(await desk.count('ticket_messages')).toBe(before + 1);

    // A reply started after the changes, and the author's own changes, do not ask.
    const fresh = (await desk.api('GET', `/api/v1/tickets/${t.id}`, { token: sam.token })).json()
      .updatedAt as string;
    desk.advance(60_000);
    expect((await reply(sam.token, t.id, { body: 'One more.', ifUnchangedSince: fresh })).statusCode).toBe(
      201,
    );

    // Customers are never asked.
    expect(
      (await reply(member.token, t.id, { body: 'Thanks!', ifUnchangedSince: startedWith })).statusCode,
    ).toBe(201);
    expect((await reply(sam.token, t.id, { body: 'x', ifUnchangedSince: 'yesterday' })).statusCode).toBe(400);
  });
});

describe.each(databaseTargets())('presence on tickets on $dialect', (target) => {
  let desk: TestDesk;
  let mei: Person;
  let sam: Person;
  let member: Person;
  let ticketId: string;

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    mei = await desk.person('agent');
    sam = await desk.person('lead');
    member = await desk.person('member', (await desk.organization('premium')).id);
    ticketId = (await desk.ticket(member)).id;
  });
  afterAll(() => desk?.close());

  const announce = (token: string, state: unknown, id = ticketId) =>
    desk.api('POST', `/api/v1/tickets/${id}/presence`, { token, body: { state } });
  const others = async (token: string, id = ticketId) => {
    const res = await desk.api('GET', `/api/v1/tickets/${id}/presence`, { token });
    expect(res.statusCode).toBe(200);
    return res.json<{ data: { userId: string; name: string; state: string }[] }>().data;
  };

  it('shows staff who else is viewing or replying, never themselves, until they leave or lapse', async () => {
    const first = await announce(mei.token, 'viewing');
    expect(first.statusCode).toBe(200);
    expect(first.json().data).toEqual([]);
    expect(await others(mei.token)).toEqual([]);
    expect(await others(sam.token)).toMatchObject([
      { userId: mei.user.id, name: mei.user.name, state: 'viewing' },
    ]);

    expect((await announce(sam.token, 'replying')).json().data).toMatchObject([{ userId: mei.user.id }]);
    expect(await others(mei.token)).toMatchObject([{ userId: sam.user.id, state: 'replying' }]);

    expect((await announce(sam.token, 'left')).statusCode).toBe(200);
    expect(await others(mei.token)).toEqual([]);

    // Unrenewed for 30 seconds: gone.
    desk.advance(29_000);
    expect(await others(sam.token)).toHaveLength(1);
    desk.advance(2_000);
    expect(await others(sam.token)).toEqual([]);
  });

  it('streams presence to staff on GET /live, never to customers', async () => {
    await desk.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(desk.app.server.address() as AddressInfo).port}`;
    const staff = await LiveText.open(base, sam.token);
    const customer = await LiveText.open(base, member.token);
    try {
      expect((await announce(mei.token, 'replying')).statusCode).toBe(200);
      // A reply the customer may read arrives after the presence: their stream has it, and no presence.
      expect(
        (
          await desk.api('POST', `/api/v1/tickets/${ticketId}/messages`, {
            token: mei.token,
            body: { body: 'On it.' },
          })
        ).statusCode,
      ).toBe(201);
      const heard = await staff.until('event: message.created');
      expect(heard).toContain('event: presence');
      expect(heard).toContain(`"userId":"${mei.user.id}","name":"${mei.user.name}","state":"replying"`);
      const read = await customer.until('event: message.created');
      expect(read).not.toContain('event: presence');
    } finally {
      staff.close();
      customer.close();
    }
  });

  it('is for staff only, on tickets that exist, with a known state', async () => {
    expect((await announce(member.token, 'viewing')).statusCode).toBe(403);
    expect(
      (await desk.api('GET', `/api/v1/tickets/${ticketId}/presence`, { token: member.token })).statusCode,
    ).toBe(403);
    expect((await announce(mei.token, 'viewing', '00000000-0000-4000-8000-000000000000')).statusCode).toBe(
      404,
    );
    expect((await announce(mei.token, 'typing')).statusCode).toBe(400);
    expect((await announce(mei.token, 'x'.repeat(10_000))).statusCode).toBe(400);
    expect(
      (await desk.api('POST', `/api/v1/tickets/${ticketId}/presence`, { token: mei.token })).statusCode,
    ).toBe(400);
  });
});

/** The raw text of a live stream, read as it arrives. */
class LiveText {
  private text = '';
  private constructor(private readonly controller: AbortController) {}

  static async open(base: string, token: string): Promise<LiveText> {
    const controller = new AbortController();
    const res = await fetch(`${base}/api/v1/live`, {
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    const stream = new LiveText(controller);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        stream.text += value;
      }
    })();
    await stream.until(': connected');
    return stream;
  }

  async until(marker: string): Promise<string> {
    const deadline = Date.now() + 5000;
    while (!this.text.includes(marker)) {
      if (Date.now() > deadline) throw new Error(`no ${marker} in ${this.text}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.text;
  }

  close() {
    this.controller.abort();
  }
}

describe.each(databaseTargets().filter((t) => t.dialect === 'postgres'))(
  'presence across server processes sharing $dialect',
  (target) => {
    it('a presence announced to one process is listed by another', async () => {
      const desk = await TestDesk.start(target);
      // A second process of the same desk: its own pool, bus and memory, the same schema and clock.
      const db = openDatabase({ databaseUrl: desk.database.databaseUrl });
      const config = loadConfig({ DATA_DIR: desk.database.dataDir, LOG_LEVEL: 'silent' });
      const sibling = await startServices(config, db, { clock: () => desk.now });
      const siblingApp = await buildApp({ config, services: sibling, logger: false });
      try {
        const mei = await desk.person('agent');
        const sam = await desk.person('agent');
        const member = await desk.person('member', (await desk.organization('premium')).id);
        const t = await desk.ticket(member);
        const listed = async () =>
          (
            await siblingApp.inject({
              method: 'GET',
              url: `/api/v1/tickets/${t.id}/presence`,
              headers: { authorization: `Bearer ${sam.token}` },
            })
          ).json<{ data: { userId: string; state: string }[] }>().data;

        expect(await listed()).toEqual([]);
        expect(
          (
            await desk.api('POST', `/api/v1/tickets/${t.id}/presence`, {
              token: mei.token,
              body: { state: 'replying' },
            })
          ).statusCode,
        ).toBe(200);
        let seen = await listed();
        const deadline = Date.now() + 5000;
        while (seen.length === 0 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 50));
          seen = await listed();
        }
        expect(seen).toMatchObject([{ userId: mei.user.id, state: 'replying' }]);
      } finally {
        await siblingApp.close();
        await db.close();
        await desk.close();
      }
    });
  },
);
