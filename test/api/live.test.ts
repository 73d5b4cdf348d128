import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import type { TicketActivity } from '../../src/live/bus.js';
import { startServices } from '../../src/services.js';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

interface Received {
  event: string;
  data: { kind: string; ticketId: string; number: number; organizationId: string };
}

/** A live stream read the way a browser's EventSource reads it. */
class Stream {
  readonly events: Received[] = [];
  private waiters: (() => void)[] = [];
  private constructor(
    readonly status: number,
    readonly contentType: string,
    private readonly request: http.ClientRequest,
  ) {}

  static open(base: string, token: string | undefined): Promise<Stream> {
    return new Promise((resolve, reject) => {
      const request = http.get(
        `${base}/api/v1/live`,
        { headers: token ? { authorization: `Bearer ${token}` } : {} },
        (res) => {
          const stream = new Stream(res.statusCode ?? 0, String(res.headers['content-type']), request);
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffer += chunk;
            let end: number;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const event = /^event: (.+)$/m.exec(block)?.[1];
              const data = /^data: (.+)$/m.exec(block)?.[1];
              if (event && data) stream.events.push({ event, data: JSON.parse(data) });
              stream.waiters.splice(0).forEach((w) => w());
            }
          });
          // The stream is open once the connection comment arrives.
          res.once('data', () => resolve(stream));
          res.on('error', () => undefined);
        },
      );
      request.on('error', reject);
    });
  }

  /** Waits until at least n events have arrived. */
  async next(n: number): Promise<Received[]> {
    const deadline = Date.now() + 5000;
    while (this.events.length < n) {
      if (Date.now() > deadline) throw new Error(`expected ${n} events, got ${this.events.length}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return this.events;
  }

  close() {
    this.request.destroy();
  }
}

describe.each(databaseTargets())('live ticket activity on $dialect', (target) => {
  let desk: TestDesk;
  let base: string;
  let agent: Person;
  let contact: Person;
  let member: Person;
  let otherMember: Person;
  let outsider: Person;

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    await desk.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(desk.app.server.address() as AddressInfo).port}`;
    agent = await desk.person('agent');
    const org = (await desk.organization('premium')).id;
    contact = await desk.person('contact', org);
    member = await desk.person('member', org);
    otherMember = await desk.person('member', org);
    outsider = await desk.person('contact', (await desk.organization('premium')).id);
  });
  afterAll(() => desk?.close());

  it('refuses anonymous listeners', async () => {
    const stream = await new Promise<number>((resolve) =>
      http.get(`${base}/api/v1/live`, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }),
    );
    expect(stream).toBe(401);
  });

  it('tells each viewer only of the tickets and notes they may read', async () => {
    const staff = await Stream.open(base, agent.token);
    const orgContact = await Stream.open(base, contact.token);
    const requester = await Stream.open(base, member.token);
    const colleague = await Stream.open(base, otherMember.token);
    const stranger = await Stream.open(base, outsider.token);
    expect(staff.status).toBe(200);
    expect(staff.contentType).toContain('text/event-stream');

    const ticket = await desk.ticket(member, { priority: 'P1' });
    const note = await desk.api('POST', `/api/v1/tickets/${ticket.id}/messages`, {
      token: agent.token,
      body: { body: 'Checking the sync logs', public: false },
    });
    expect(note.statusCode).toBe(201);
    const reply = await desk.api('POST', `/api/v1/tickets/${ticket.id}/messages`, {
      token: agent.token,
      body: { body: 'We are on it' },
    });
    expect(reply.statusCode).toBe(201);
    // An activity everyone may hear closes the sequence: what came before it has been delivered.
    const outsiderTicket = await desk.ticket(outsider);

    const staffEvents = await staff.next(4);
    expect(staffEvents.map((e) => e.event)).toEqual([
      'ticket.created',
      'message.created',
      'message.created',
      'ticket.created',
    ]);
    expect(staffEvents[0]!.data).toMatchObject({ ticketId: ticket.id, number: ticket.number });

    // The internal note reaches no customer; the requester and their contact hear the rest.
    for (const customer of [orgContact, requester]) {
      await new Promise((r) => setTimeout(r, 200));
      expect(customer.events.map((e) => [e.event, e.data.ticketId])).toEqual([
        ['ticket.created', ticket.id],
        ['message.created', ticket.id],
      ]);
    }
    // A member does not hear of a colleague's ticket; another organization hears only its own.
    expect(colleague.events).toEqual([]);
    const strangerEvents = await stranger.next(1);
    expect(strangerEvents.map((e) => e.data.ticketId)).toEqual([outsiderTicket.id]);
    for (const s of [staff, orgContact, requester, colleague, stranger]) s.close();
  });

  it('stops delivering to closed connections', async () => {
    const stream = await Stream.open(base, agent.token);
    const before = desk.services.live.listenerCount;
    stream.close();
    const deadline = Date.now() + 2000;
    while (desk.services.live.listenerCount >= before && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(desk.services.live.listenerCount).toBe(before - 1);
  });
});

describe.each(databaseTargets().filter((t) => t.dialect === 'postgres'))(
  'live activity across server processes sharing $dialect',
  (target) => {
    it('reaches the screens of another process through LISTEN/NOTIFY, and only within the same desk', async () => {
      const desk = await TestDesk.start(target);
      const elsewhere = await TestDesk.start(target);
      // A second process of the first desk: its own pool and bus, the same schema.
      const db = openDatabase({ databaseUrl: desk.database.databaseUrl });
      const sibling = await startServices(
        loadConfig({ DATA_DIR: desk.database.dataDir, LOG_LEVEL: 'silent' }),
        db,
      );
      try {
        const heard: TicketActivity[] = [];
        const strayed: TicketActivity[] = [];
        sibling.live.subscribe((a) => {
          if (a.kind !== 'presence') heard.push(a);
        });
        elsewhere.services.live.subscribe((a) => {
          if (a.kind !== 'presence') strayed.push(a);
        });
        const contact = await desk.person('contact', (await desk.organization('premium')).id);
        const ticket = await desk.ticket(contact);
        const deadline = Date.now() + 5000;
        while (heard.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        expect(heard).toMatchObject([
          { kind: 'ticket.created', ticketId: ticket.id, requesterId: contact.user.id },
        ]);
        expect(strayed).toEqual([]);
      } finally {
        await sibling.live.close();
        await db.close();
        await elsewhere.close();
        await desk.close();
      }
    });
  },
);
