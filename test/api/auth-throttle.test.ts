import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordHashingStats } from '../../src/auth/passwords.js';
import { loadConfig } from '../../src/config.js';
import { createServices } from '../../src/services.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/databases.js';
import { TestDesk } from '../support/desk.js';
import { startServer, type RunningServer } from '../support/process.js';

const PASSWORD = 'a long enough password';

const statuses = (responses: { statusCode: number }[]) =>
  responses.reduce<Record<number, number>>((tally, r) => {
    tally[r.statusCode] = (tally[r.statusCode] ?? 0) + 1;
    return tally;
  }, {});

/** Sign-in and password-reset limits that must hold however the requests are timed. */
describe.each(databaseTargets())('sign-in and reset throttles on $dialect', (target) => {
  let desk: TestDesk;

  beforeAll(async () => {
    desk = await TestDesk.start(target);
  });
  afterAll(() => desk?.close());

  const login = (email: string, password: string, ip: string) =>
    desk.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password },
      remoteAddress: ip,
    });

  const requestReset = (email: string, ip: string) =>
    desk.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      payload: { email },
      remoteAddress: ip,
    });

  const mailsTo = (email: string) => {
    const dir = path.join(desk.config.dataDir, 'mail-drop');
    if (!fs.existsSync(dir)) return 0;
    return fs
      .readdirSync(dir)
      .filter((f) => fs.readFileSync(path.join(dir, f), 'utf8').includes(`To: ${email}\r\n`)).length;
  };

  it('checks at most 10 of 100 simultaneous wrong passwords for one account and refuses the rest with Retry-After', async () => {
    const victim = await desk.person('agent', undefined, PASSWORD);
    const checksBefore = passwordHashingStats().verifications;
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => login(victim.user.email, `wrong password ${i}`, '10.20.0.1')),
    );
    expect(passwordHashingStats().verifications - checksBefore).toBe(10);
    expect(statuses(responses)).toEqual({ 401: 10, 429: 90 });
    for (const refused of responses.filter((r) => r.statusCode === 429)) {
      expect(Number(refused.headers['retry-after'])).toBe(15 * 60);
    }
    // The right password is refused too, unchecked, until the window has passed.
    expect((await login(victim.user.email, PASSWORD, '10.20.0.2')).statusCode).toBe(429);
    expect(passwordHashingStats().verifications - checksBefore).toBe(10);
    desk.advance(15 * 60_000 + 1);
    expect((await login(victim.user.email, PASSWORD, '10.20.0.2')).statusCode).toBe(200);
  });

  it('checks at most 50 of 100 simultaneous sign-ins to different accounts from one address', async () => {
    const accounts = await Promise.all(
      Array.from({ length: 20 }, () => desk.person('agent', undefined, PASSWORD)),
    );
    // Most emails belong to no one: they cost a check against a dummy hash all the same.
    const emails = [
      ...accounts.map((a) => a.user.email),
      ...Array.from({ length: 80 }, (_, i) => `sprayed${i}@example.test`),
    ];
    const checksBefore = passwordHashingStats().verifications;
    const responses = await Promise.all(emails.map((email) => login(email, 'wrong password!', '10.21.0.1')));
    expect(passwordHashingStats().verifications - checksBefore).toBe(50);
    expect(statuses(responses)).toEqual({ 401: 50, 429: 50 });
    expect(
      responses.filter((r) => r.statusCode === 429).every((r) => Number(r.headers['retry-after']) > 0),
    ).toBe(true);
    // Another address is not affected.
    const other = await desk.person('agent', undefined, PASSWORD);
    expect((await login(other.user.email, PASSWORD, '10.21.0.2')).statusCode).toBe(200);
  });

  it('does not count finished successful sign-ins against the address', async () => {
    const office = await Promise.all(
      Array.from({ length: 6 }, () => desk.person('agent', undefined, PASSWORD)),
    );
    // A check in flight holds one of the address's 50; a success gives it back when it is done.
    const responses = [];
    for (let i = 0; i < 60; i += 1) {
      responses.push(await login(office[i % office.length]!.user.email, PASSWORD, '10.22.0.1'));
    }
    expect(statuses(responses)).toEqual({ 200: 60 });
  });

  it('mails at most 3 reset links an hour for one address, answering every request the same', async () => {
    const person = await desk.person('agent', undefined, PASSWORD);
    const responses = await Promise.all(
      Array.from({ length: 25 }, (_, i) => requestReset(person.user.email, `10.23.0.${i}`)),
    );
    expect(statuses(responses)).toEqual({ 202: 25 });
    expect(new Set(responses.map((r) => r.body)).size).toBe(1);
    expect(mailsTo(person.user.email)).toBe(3);
    desk.advance(60 * 60_000 + 1);
    expect((await requestReset(person.user.email, '10.23.1.1')).statusCode).toBe(202);
    expect(mailsTo(person.user.email)).toBe(4);
  });

  it('accepts at most 10 reset requests an hour from one client address, whatever the emails', async () => {
    const people = await Promise.all(
      Array.from({ length: 25 }, () => desk.person('agent', undefined, PASSWORD)),
    );
    const responses = await Promise.all(people.map((p) => requestReset(p.user.email, '10.24.0.1')));
    expect(statuses(responses)).toEqual({ 202: 25 });
    expect(people.reduce((sent, p) => sent + mailsTo(p.user.email), 0)).toBe(10);
    // Requests for unknown emails count too, so the limit says nothing about who has an account.
    const ghosts = await Promise.all(
      Array.from({ length: 10 }, (_, i) => requestReset(`ghost${i}@example.test`, '10.24.0.2')),
    );
    expect(statuses(ghosts)).toEqual({ 202: 10 });
    const late = await desk.person('agent', undefined, PASSWORD);
    expect((await requestReset(late.user.email, '10.24.0.2')).statusCode).toBe(202);
    expect(mailsTo(late.user.email)).toBe(0);
  });

  it('keeps reset requests counted for an hour when expired sign-in attempts are pruned', async () => {
    const person = await desk.person('agent', undefined, PASSWORD);
    for (let i = 0; i < 3; i += 1) await requestReset(person.user.email, `10.25.0.${i}`);
    desk.advance(20 * 60_000);
    await desk.services.auth.pruneExpired();
    await requestReset(person.user.email, '10.25.1.1');
    expect(mailsTo(person.user.email)).toBe(3);
  });
});

// Several server processes share one desk only through PostgreSQL: the limits must hold across them.
describe.each(databaseTargets().filter((t) => t.dialect === 'postgres'))(
  'sign-in throttle across two server processes on $dialect',
  (target) => {
    let database: TestDatabase;
    let servers: RunningServer[] = [];
    let email: string;

    beforeAll(async () => {
      database = await createTestDatabase(target);
      const config = loadConfig({ DATA_DIR: database.dataDir, LOG_LEVEL: 'silent' });
      const services = createServices(config, database.db);
      await services.policy.ensureDefault();
      email = (
        await services.users.create(null, {
          email: 'sam@desk.test',
          name: 'Sam',
          role: 'agent',
          password: PASSWORD,
        })
      ).email;
      const env = {
        DATABASE_URL: database.databaseUrl,
        DATA_DIR: database.dataDir,
        ACCORD_DEMO: '0',
        SCHEDULER_INTERVAL_MS: '0',
        // Each test speaks for its own client addresses.
        TRUST_PROXY: '1',
      };
      servers = await Promise.all([startServer(env), startServer(env)]);
    }, 120_000);
    afterAll(async () => {
      await Promise.all(servers.map((s) => s.stop()));
      await database?.drop();
    });

    const login = async (server: RunningServer, body: { email: string; password: string }, ip: string) => {
      const res = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
        body: JSON.stringify(body),
      });
      await res.body?.cancel();
      return { statusCode: res.status, retryAfter: res.headers.get('retry-after') };
    };

    it('lets 10 of 100 wrong passwords for one account, sent to both processes at once, be checked', async () => {
      // Every answer other than 429 comes from a password check; the counter of checks lives in the servers.
      const responses = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          login(servers[i % 2]!, { email, password: `wrong password ${i}` }, '10.30.0.1'),
        ),
      );
      expect(statuses(responses)).toEqual({ 401: 10, 429: 90 });
      expect(responses.filter((r) => r.statusCode === 429).every((r) => Number(r.retryAfter) > 0)).toBe(true);
    });

    it('lets 50 of 100 sign-ins to different accounts from one address, across both processes, be checked', async () => {
      const responses = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          login(
            servers[i % 2]!,
            { email: `sprayed${i}@desk.test`, password: 'wrong password!' },
            '10.31.0.1',
          ),
        ),
      );
      expect(statuses(responses)).toEqual({ 401: 50, 429: 50 });
    });
  },
);
