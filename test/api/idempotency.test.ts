import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { loadConfig } from '../../src/config.js';
import { IdempotentRequests } from '../../src/http/idempotency.js';
import { createServices } from '../../src/services.js';
import type { LedgerTransaction } from '../../src/tickets/ledger.js';
import { ticketCreate } from '../../src/tickets/schema.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

const HOUR = 3600_000;

const filing = (overrides: Record<string, unknown> = {}) => ({
  subject: 'Cannot export work orders',
  body: 'The export button does nothing.',
  priority: 'P2',
  requestType: 'problem',
  ...overrides,
});

describe.each(databaseTargets())('Idempotency-Key on ticket and message creates on $dialect', (target) => {
  let desk: TestDesk;
  let orgId: string;
  let agent: Person;

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    orgId = (await desk.organization('premium')).id;
    agent = await desk.person('agent');
  });
  afterAll(() => desk?.close());

  const file = (person: Person, key: string | undefined, body: unknown = filing()) =>
    desk.api('POST', '/api/v1/tickets', {
      token: person.token,
      body,
      headers: key === undefined ? {} : { 'idempotency-key': key },
    });
  const reply = (person: Person, ticketId: string, key: string, body: unknown = { body: 'Still broken.' }) =>
    desk.api('POST', `/api/v1/tickets/${ticketId}/messages`, {
      token: person.token,
      body,
      headers: { 'idempotency-key': key },
    });
  const ticketsOf = async (requesterId: string) =>
    (
      await desk.database.db.kysely
        .selectFrom('tickets')
        .select(['id', 'number'])
        .where('requester_id', '=', requesterId)
        .execute()
    ).map((t) => ({ id: t.id, number: Number(t.number) }));
  const messagesOf = async (ticketId: string) =>
    desk.database.db.kysely
      .selectFrom('ticket_messages')
      .select('id')
      .where('ticket_id', '=', ticketId)
      .execute();
  const keyRow = (key: string) =>
    desk.database.db.kysely.selectFrom('idempotency_keys').selectAll().where('key', '=', key).execute();

  it('answers a retried create with the first ticket, and files it once', async () => {
    const member = await desk.person('member', orgId);
    const key = randomUUID();
    const first = await file(member, key);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    // The ticket moves on; a retry still gets the answer the first request was given.
    await desk.api('PATCH', `/api/v1/tickets/${first.json().id}`, {
      token: agent.token,
      body: { status: 'open' },
    });
    const retry = await file(member, key);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    expect(retry.json()).toMatchObject({ status: 'new' });
    // The draft's form of the header, an RFC 8941 string, names the same key.
    const quoted = await file(member, `"${key}"`);
    expect(quoted.statusCode).toBe(201);
    expect(quoted.json()).toEqual(first.json());

    expect(await ticketsOf(member.user.id)).toEqual([{ id: first.json().id, number: first.json().number }]);
    // Without a key, nothing changes: each request files a ticket.
    expect((await file(member, undefined)).statusCode).toBe(201);
    expect((await file(member, undefined)).statusCode).toBe(201);
    expect(await ticketsOf(member.user.id)).toHaveLength(3);
  });

  it('answers a retried message with the first message, and adds it once', async () => {
    const member = await desk.person('member', orgId);
    const ticket = await desk.ticket(member);
    const key = randomUUID();
    const first = await reply(member, ticket.id, key);
    expect(first.statusCode).toBe(201);
    const retry = await reply(member, ticket.id, key);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    // The opening message and the reply, nothing more.
    expect(await messagesOf(ticket.id)).toHaveLength(2);

    // Staff notes are keyed the same way.
    const noteKey = randomUUID();
    const note = { body: 'Customer on v4.2.', public: false };
    const firstNote = await reply(agent, ticket.id, noteKey, note);
    expect(firstNote.statusCode).toBe(201);
    expect((await reply(agent, ticket.id, noteKey, note)).json()).toEqual(firstNote.json());
    expect(await messagesOf(ticket.id)).toHaveLength(3);
  });

  it('refuses the same key with another request: 422, problem+json, nothing written', async () => {
    const member = await desk.person('member', orgId);
    const key = randomUUID();
    expect((await file(member, key)).statusCode).toBe(201);
    const other = await file(member, key, filing({ subject: 'Another problem' }));
    expect(other.statusCode).toBe(422);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(other.json()).toMatchObject({
      type: 'urn:accord:problem:idempotency-key-reused',
      status: 422,
      detail: expect.stringContaining('another request'),
    });
    expect(await ticketsOf(member.user.id)).toHaveLength(1);

    // A message's key is bound to its ticket too: the same body on another ticket is another request.
    const [a, b] = [await desk.ticket(member), await desk.ticket(member)];
    const messageKey = randomUUID();
    expect((await reply(member, a.id, messageKey)).statusCode).toBe(201);
    const elsewhere = await reply(member, b.id, messageKey);
    expect(elsewhere.statusCode).toBe(422);
    expect(elsewhere.json().type).toBe('urn:accord:problem:idempotency-key-reused');
    expect(await messagesOf(b.id)).toHaveLength(1);
  });

  it("keeps each caller's keys their own, per route", async () => {
    const member = await desk.person('member', orgId);
    const contact = await desk.person('contact', orgId);
    const key = randomUUID();
    const mine = await file(member, key);
    const theirs = await file(contact, key);
    expect(mine.statusCode).toBe(201);
    expect(theirs.statusCode).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.json().id).not.toBe(mine.json().id);
    expect(theirs.json().requesterId).toBe(contact.user.id);
    // Staff filing for the member with the same key file their own ticket, not a replay of the member's.
    const forMember = await file(agent, key, filing({ requesterId: member.user.id }));
    expect(forMember.statusCode).toBe(201);
    expect(forMember.json().id).not.toBe(mine.json().id);
    // Each caller's retry gets their own answer.
    expect((await file(member, key)).json().id).toBe(mine.json().id);
    expect((await file(contact, key)).json().id).toBe(theirs.json().id);
    expect(await ticketsOf(contact.user.id)).toHaveLength(1);
    expect(await ticketsOf(member.user.id)).toHaveLength(2);
    // The same key on another route is another key.
    const message = await reply(member, mine.json().id, key);
    expect(message.statusCode).toBe(201);
    expect(message.headers['idempotent-replayed']).toBeUndefined();
  });

  it('files one ticket for two requests with the same key sent at once (the other gets 409 or the answer)', async () => {
    for (let round = 0; round < 5; round += 1) {
      const member = await desk.person('member', orgId);
      const key = randomUUID();
      const answers = await Promise.all([file(member, key), file(member, key)]);
      const created = answers.filter((a) => a.statusCode === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(new Set(created.map((a) => a.json().id)).size).toBe(1);
      for (const busy of answers.filter((a) => a.statusCode !== 201)) {
        expect(busy.statusCode).toBe(409);
        expect(busy.json().type).toBe('urn:accord:problem:idempotency-key-in-progress');
      }
      expect(await ticketsOf(member.user.id)).toEqual([
        { id: created[0]!.json().id, number: created[0]!.json().number },
      ]);
    }
  });

  it('files one ticket when two processes take the same key at once: the database decides', async () => {
    // Two IdempotentRequests are two server processes: neither knows what the other is running.
    const processes = [0, 1].map(() => new IdempotentRequests(desk.database.db.kysely, () => desk.now));
    for (let round = 0; round < 5; round += 1) {
      const member = await desk.person('member', orgId);
      const actor = (await desk.services.auth.principalFromBearer(member.token)) as Principal;
      const input = ticketCreate.parse(filing());
      const key = randomUUID();
      const answers = await Promise.all(
        processes.map((p) =>
          p.run({
            userId: actor.userId,
            route: 'POST /tickets',
            key,
            request: { body: input },
            perform: (record) => desk.services.tickets.create(actor, input, undefined, record),
            present: (id) => desk.services.tickets.get(actor, id),
          }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([201, 201]);
      expect(answers[0]!.body.id).toBe(answers[1]!.body.id);
      expect(answers.filter((a) => a.replayed)).toHaveLength(1);
      expect(await ticketsOf(member.user.id)).toHaveLength(1);
    }
  });

  it('refuses an oversized or ill-formed key with 400 and files nothing', async () => {
    const member = await desk.person('member', orgId);
    for (const bad of [
      'k'.repeat(256),
      '',
      '""',
      '"unterminated',
      'two words',
      'caf\u00e9',
      `"${'k'.repeat(256)}"`,
    ]) {
      const res = await file(member, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().errors).toEqual([{ field: 'headers.idempotency-key', message: expect.any(String) }]);
    }
    const messageKey = await reply(member, (await desk.ticket(member)).id, 'x'.repeat(256));
    expect(messageKey.statusCode).toBe(400);
    expect(await ticketsOf(member.user.id)).toHaveLength(1);
    // 255 characters is the longest key, quoted or not.
    expect((await file(member, 'k'.repeat(255))).statusCode).toBe(201);
    expect((await file(member, `"${'q'.repeat(254)}\\""`)).statusCode).toBe(201);
    expect(await ticketsOf(member.user.id)).toHaveLength(3);
  });

  it('documents the header on both routes in the OpenAPI document', async () => {
    const doc = (await desk.api('GET', '/api/v1/openapi.json')).json();
    for (const route of [
      doc.paths['/api/v1/tickets'].post,
      doc.paths['/api/v1/tickets/{id}/messages'].post,
    ]) {
      const header = route.parameters.find(
        (p: { in: string; name: string }) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key',
      );
      expect(header).toMatchObject({ required: false, description: expect.stringContaining('422') });
      expect(header.description).toContain('409');
      expect(header.description).toContain('24 hours');
    }
  });

  /** The ledger's next transaction commits, then the process "dies" before anything is answered. */
  const dieAfterNextCommit = () => {
    const ledger = desk.services.ledger;
    const commit = ledger.transaction.bind(ledger);
    ledger.transaction = async <T>(work: (tx: LedgerTransaction) => Promise<T>): Promise<T> => {
      ledger.transaction = commit;
      await commit(work);
      throw new Error('the process died after the commit');
    };
  };

  it('answers a create whose answer was lost after the commit with the original ticket', async () => {
    const member = await desk.person('member', orgId);
    const key = randomUUID();
    dieAfterNextCommit();
    const lost = await file(member, key);
    expect(lost.statusCode).toBe(500);
    const committed = await ticketsOf(member.user.id);
    expect(committed).toHaveLength(1);
    // The key and its ticket were committed together; the answer was never stored.
    expect(await keyRow(key)).toEqual([
      expect.objectContaining({ resource_id: committed[0]!.id, response_body: null }),
    ]);

    const retry = await file(member, key);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toMatchObject({ id: committed[0]!.id, number: committed[0]!.number });
    expect(await ticketsOf(member.user.id)).toEqual(committed);
    // From now on that answer is the one every retry gets.
    expect((await file(member, key)).json()).toEqual(retry.json());
  });

  it('answers a message whose answer was lost after the commit with the original message', async () => {
    const member = await desk.person('member', orgId);
    const ticket = await desk.ticket(member);
    const key = randomUUID();
    dieAfterNextCommit();
    expect((await reply(member, ticket.id, key)).statusCode).toBe(500);
    const [, added] = await messagesOf(ticket.id);
    expect(added).toBeDefined();
    const retry = await reply(member, ticket.id, key);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toMatchObject({ id: added!.id, body: 'Still broken.' });
    expect(await messagesOf(ticket.id)).toHaveLength(2);
  });

  it('keeps a key 24 hours, then forgets it; the next keyed write prunes it through the expiry index', async () => {
    const member = await desk.person('member', orgId);
    const key = randomUUID();
    const first = await file(member, key);
    desk.advance(24 * HOUR - 1);
    expect((await file(member, key)).json()).toEqual(first.json());
    expect(await keyRow(key)).toHaveLength(1);

    desk.advance(2);
    // Any keyed write prunes what has expired.
    expect((await file(await desk.person('member', orgId), randomUUID())).statusCode).toBe(201);
    expect(await keyRow(key)).toEqual([]);
    const again = await file(member, key);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.json().id).not.toBe(first.json().id);
    expect(await ticketsOf(member.user.id)).toHaveLength(2);

    // Pruning reads the expiry index, never the whole table.
    const db = desk.database.db.kysely;
    if (target.dialect === 'sqlite') {
      const plan = await sql<{ detail: string }>`explain query plan select id from idempotency_keys
        where expires_at <= ${desk.now} order by expires_at limit 100`.execute(db);
      expect(plan.rows.map((r) => r.detail).join('\n')).toContain('USING INDEX idempotency_keys_expires_idx');
    } else {
      const plan = await db.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        return sql<{ 'QUERY PLAN': string }>`explain select id from idempotency_keys
          where expires_at <= ${desk.now} order by expires_at limit 100`.execute(trx);
      });
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('idempotency_keys_expires_idx');
    }
  });
});

/** `accord serve` as its own process, which the test may kill outright. */
function serve(env: Record<string, string | undefined>): Promise<{ url: string; child: ChildProcess }> {
  const root = path.resolve(import.meta.dirname, '../..');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli.ts'), 'serve'], {
      cwd: root,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (d: Buffer) => {
      output += d.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) resolve({ url: match[1]!, child });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

const killed = (child: ChildProcess) =>
  new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGKILL');
  });

describe.each(databaseTargets())('a server killed with SIGKILL while filing, on $dialect', (target) => {
  let database: TestDatabase;
  let token: string;
  let requesterId: string;
  const running = new Set<ChildProcess>();

  beforeAll(async () => {
    database = await createTestDatabase(target);
    const config = loadConfig({ DATA_DIR: database.dataDir, LOG_LEVEL: 'silent' });
    const services = createServices(config, database.db);
    await services.policy.ensureDefault();
    // No subscription: served at basic, whatever today's date, which a real server process reads.
    const org = await services.organizations.create(null, {
      name: 'Crash Co',
      domains: ['crash.test'],
      locale: 'en',
    });
    const user = await services.users.create(null, {
      email: 'dana@crash.test',
      name: 'Dana',
      role: 'member',
      organizationId: org.id,
    });
    requesterId = user.id;
    token = (await services.auth.createToken(user.id, 'test')).token;
  }, 60_000);
  afterAll(async () => {
    await Promise.all([...running].map(killed));
    await database?.drop();
  });

  it('answers every retry with the ticket that was committed, acknowledged or not, and files none twice', async () => {
    const env = {
      DATA_DIR: database.dataDir,
      DATABASE_URL: database.databaseUrl ?? '',
      ACCORD_DEMO: '0',
      SCHEDULER_INTERVAL_MS: '0',
    };
    const post = (url: string, key: string, i: number) =>
      fetch(`${url}/api/v1/tickets`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': `"${key}"`,
        },
        body: JSON.stringify(filing({ subject: `Load ${i}` })),
      });
    const count = async () =>
      Number(
        (
          await database.db.kysely
            .selectFrom('tickets')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('requester_id', '=', requesterId)
            .executeTakeFirstOrThrow()
        ).n,
      );

    const first = await serve(env);
    running.add(first.child);
    const keys: string[] = [];
    const acknowledged = new Map<string, { id: string; number: number }>();
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // Under load, once a few tickets are answered, the server is stopped the moment the database
    // holds a ticket whose answer has not arrived. Stopped, it sends nothing more; if that ticket is
    // still unanswered, it is killed: that answer, and those of the requests in flight, are lost. A
    // batch the server answers too fast to catch is followed by another.
    let caught = false;
    const loads: Promise<unknown>[] = [];
    for (let round = 0; round < 10 && !caught; round++) {
      const batch = Array.from({ length: 40 }, () => randomUUID());
      const offset = keys.length;
      keys.push(...batch);
      let settled = 0;
      const load = Promise.allSettled(
        batch.map(async (key, i) => {
          try {
            const res = await post(first.url, key, offset + i);
            const body = (await res.json()) as { id: string; number: number };
            if (res.status !== 201) throw new Error(`answered ${res.status}`);
            acknowledged.set(key, { id: body.id, number: body.number });
          } finally {
            settled += 1;
          }
        }),
      );
      loads.push(load);
      for (;;) {
        if (acknowledged.size >= 5 && (await count()) > acknowledged.size) {
          first.child.kill('SIGSTOP');
          await pause(200);
          if ((await count()) > acknowledged.size) {
            caught = true;
            break;
          }
          first.child.kill('SIGCONT');
        } else if (settled === batch.length) break;
        else await pause(1);
      }
    }
    expect(caught).toBe(true);
    await killed(first.child);
    running.delete(first.child);
    await Promise.all(loads);

    const second = await serve(env);
    running.add(second.child);
    const committed = await count();
    expect(committed).toBeGreaterThan(acknowledged.size);
    const answers = new Map<string, { id: string; number: number }>();
    let replayed = 0;
    for (const [i, key] of keys.entries()) {
      const res = await post(second.url, key, i);
      expect(res.status).toBe(201);
      if (res.headers.get('idempotent-replayed') === 'true') replayed += 1;
      answers.set(key, (await res.json()) as { id: string; number: number });
    }
    // Every ticket committed before the kill is answered again, and only those.
    expect(replayed).toBe(committed);
    // An acknowledged ticket is answered again; a committed, unacknowledged one is found, not refiled.
    for (const [key, ticket] of acknowledged) expect(answers.get(key)).toMatchObject(ticket);
    expect(new Set([...answers.values()].map((t) => t.id)).size).toBe(keys.length);
    expect(await count()).toBe(keys.length);
    await killed(second.child);
    running.delete(second.child);
  }, 120_000);
});
