import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalOf } from '../src/auth/principal.js';
import { loadConfig } from '../src/config.js';
import { startServices } from '../src/services.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from './support/databases.js';
import { runCli, startServer } from './support/process.js';

describe.each(databaseTargets())('the accord command line on $dialect', (target) => {
  let database: TestDatabase;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    database = await createTestDatabase(target);
    env = { DATA_DIR: database.dataDir, DATABASE_URL: database.databaseUrl ?? '', ACCORD_DEMO: '0' };
  });
  afterAll(() => database?.drop());

  it('creates a user and a token that reads the tickets API of a running server', async () => {
    const created = await runCli(
      [
        'user',
        'create',
        '--email',
        'Ops@Example.test',
        '--name',
        'Ops Admin',
        '--role',
        'admin',
        '--password',
        'a long admin password',
      ],
      env,
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      email: 'ops@example.test',
      role: 'admin',
      active: true,
    });

    const token = await runCli(['token', 'create', '--email', 'ops@example.test'], env);
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/^acc_[A-Za-z0-9_-]{43}\n$/);

    const server = await startServer(env);
    try {
      const health = await fetch(`${server.url}/api/v1/health`);
      expect(await health.json()).toEqual({ status: 'ok', database: target.dialect });
      const tickets = await fetch(`${server.url}/api/v1/tickets`, {
        headers: { authorization: `Bearer ${token.stdout.trim()}` },
      });
      expect(tickets.status).toBe(200);
      expect(await tickets.json()).toEqual({ data: [], nextCursor: null });
      const anonymous = await fetch(`${server.url}/api/v1/tickets`);
      expect(anonymous.status).toBe(401);
      // Not a demo desk: no demo logins for its sign-in page.
      expect((await fetch(`${server.url}/api/v1/demo`)).status).toBe(404);
    } finally {
      await server.stop();
    }
  });

  it.each([
    [['user', 'create', '--email', 'not-an-email', '--name', 'X', '--role', 'admin']],
    [['user', 'create', '--email', 'x@example.test', '--name', 'X', '--role', 'wizard']],
    [['user', 'create', '--email', 'x@example.test', '--role', 'agent']],
    [['user', 'create', '--email', 'x@example.test', '--name', 'X', '--role', 'member']],
    [
      [
        'user',
        'create',
        '--email',
        'x@example.test',
        '--name',
        'X',
        '--role',
        'agent',
        '--password',
        'short',
      ],
    ],
    [['token', 'create']],
    [['seed']],
    [['frobnicate']],
  ])('exits 2 with a message on a bad command line: %j', async (args) => {
    const result = await runCli(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/error/i);
    expect(result.stdout).toBe('');
  });

  it('exits 1 when the command is well formed but cannot be done', async () => {
    const result = await runCli(['token', 'create', '--email', 'nobody@example.test'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nobody@example.test');
    const duplicate = await runCli(
      ['user', 'create', '--email', 'ops@example.test', '--name', 'Again', '--role', 'agent'],
      env,
    );
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('already exists');
  });

  it('imports a help center folder, reports bad files and exits 1 for them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-hc-cli-'));
    fs.writeFileSync(
      path.join(dir, '_categories.yaml'),
      '- key: basics\n  title: { en: Basics, fr: Bases }\n  sections:\n    - key: start\n      title: { en: Start }\n',
    );
    fs.writeFileSync(
      path.join(dir, 'hello.en.md'),
      '---\nkey: hello\nlocale: en\ntitle: Hello there\nsection: start\n---\nWelcome **aboard**.\n',
    );
    fs.writeFileSync(
      path.join(dir, 'hello.fr.md'),
      '---\nkey: hello\nlocale: fr\ntitle: Bonjour\n---\nBienvenue.\n',
    );
    const ok = await runCli(['hc', 'import', dir], env);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('articles created 1, updated 0, unchanged 0; errors 0');
    const again = await runCli(['hc', 'import', dir], env);
    expect(again.stdout).toContain('articles created 0, updated 0, unchanged 1; errors 0');

    fs.writeFileSync(path.join(dir, 'bad.md'), '---\nkey: Bad Key\nlocale: xx\n---\n');
    const bad = await runCli(['hc', 'import', dir], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('bad.md');
    const missing = await runCli(['hc', 'import', path.join(dir, 'nowhere')], env);
    expect(missing.code).toBe(2);
  });
});

async function getJson<T>(url: string, cookie: string): Promise<T> {
  return (await (await fetch(url, { headers: { cookie } })).json()) as T;
}

describe('the quick start on a fresh data folder', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-start-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('creates the SQLite database, seeds the demo desk and prints the URL and a demo login', async () => {
    const server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: '' });
    try {
      expect(fs.existsSync(path.join(dataDir, 'accord.sqlite'))).toBe(true);
      const login = /Demo admin login: (\S+) \/ (\S+)/.exec(server.output());
      expect(login).not.toBeNull();
      // The sign-in page of the demo desk names its people to try, the admin printed here among them.
      const demo = (await (await fetch(`${server.url}/api/v1/demo`)).json()) as {
        logins: { role: string; email: string; password: string }[];
      };
      expect(demo.logins.map((l) => l.role)).toEqual([
        'admin',
        'lead',
        'agent',
        'contact',
        'member',
        'contact',
      ]);
      expect(demo.logins[0]).toMatchObject({ email: login![1], password: login![2] });
      expect(server.output()).toContain(
        `Demo logins for every role, listed on the sign-in page: ${server.url}/login`,
      );
      expect(await (await fetch(`${server.url}/api/v1/health`)).json()).toEqual({
        status: 'ok',
        database: 'sqlite',
      });

      const session = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: login![1], password: login![2] }),
      });
      expect(session.status).toBe(200);
      const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
      const tickets = await getJson<{
        data: { status: string; priority: string; channel: string; tier: string }[];
      }>(`${server.url}/api/v1/tickets?limit=200`, cookie);
      const statuses = new Set(tickets.data.map((t) => t.status));
      const priorities = new Set(tickets.data.map((t) => t.priority));
      const channels = new Set(tickets.data.map((t) => t.channel));
      const tiers = new Set(tickets.data.map((t) => t.tier));
      expect([...statuses].sort()).toEqual(['closed', 'new', 'open', 'resolved', 'waiting_on_customer']);
      expect([...priorities].sort()).toEqual(['P0', 'P1', 'P2', 'P3']);
      expect([...channels].sort()).toEqual(['api', 'chat', 'email', 'in_app', 'phone', 'portal']);
      expect([...tiers].sort()).toEqual(['basic', 'enterprise', 'essential', 'premium']);
      const orgs = (await getJson<{ data: { tier: string }[] }>(`${server.url}/api/v1/organizations`, cookie))
        .data;
      expect(orgs.map((o) => o.tier).sort()).toEqual(['basic', 'enterprise', 'essential', 'premium']);
      // Fair use: the demo's repeated problem and off-topic requests are flagged with their evidence.
      const flags = (
        await getJson<{ data: { organizationName: string; kind: string; evidence: unknown[] }[] }>(
          `${server.url}/api/v1/fairuse/flags`,
          cookie,
        )
      ).data.filter((f) => f.organizationName === 'Contoso Foods');
      expect(flags.map((f) => f.kind)).toEqual(expect.arrayContaining(['off_topic', 'repeat_incident']));
      expect(flags.find((f) => f.kind === 'repeat_incident')!.evidence.length).toBeGreaterThanOrEqual(5);
      const docs = await fetch(`${server.url}/api/docs/`);
      expect(docs.status).toBe(200);
      const openapi = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
        openapi: string;
        paths: Record<string, unknown>;
      };
      expect(openapi.openapi).toBe('3.1.0');
      expect(Object.keys(openapi.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/tickets',
          '/api/v1/tickets/{id}',
          '/api/v1/organizations',
          '/api/v1/users',
          '/api/v1/health',
        ]),
      );
    } finally {
      await server.stop();
    }
    // A second start keeps the data and does not seed again.
    const again = await startServer({ DATA_DIR: dataDir, DATABASE_URL: '' });
    await again.stop();
  });
});

/**
 * The SLA scheduler runs in every server process. With two processes on one PostgreSQL database,
 * each warning, breach and escalation must happen exactly once, and a restart must not repeat any.
 */
describe.each(databaseTargets().filter((t) => t.dialect === 'postgres'))(
  'the SLA scheduler in two processes on $dialect',
  (target) => {
    let database: TestDatabase;
    afterAll(() => database?.drop());

    it('records every due effect exactly once', async () => {
      database = await createTestDatabase(target);
      const config = loadConfig({ DATA_DIR: database.dataDir, LOG_LEVEL: 'silent' });
      const realNow = Date.now();
      let clock = realNow;
      const services = await startServices(config, database.db, { clock: () => clock });
      await services.users.create(null, { email: 'lead@example.test', name: 'Lead', role: 'lead' });
      const staff = await services.users.create(null, {
        email: 'agent@example.test',
        name: 'Agent',
        role: 'agent',
      });
      const agent = principalOf(
        {
          id: staff.id,
          email: staff.email,
          name: staff.name,
          role: 'agent',
          organization_id: null,
          locale: null,
          password_hash: null,
          deactivated_at: null,
          created_at: 0,
          updated_at: 0,
        },
        'token',
      );
      const term = {
        termStart: new Date(realNow - 100 * 86400_000).toISOString(),
        termEnd: new Date(realNow + 100 * 86400_000).toISOString(),
      };
      const enterprise = await services.organizations.create(null, {
        name: 'Big',
        domains: [],
        locale: 'en',
        subscription: { tier: 'enterprise', ...term },
      });
      const premium = await services.organizations.create(null, {
        name: 'Mid',
        domains: [],
        locale: 'en',
        subscription: { tier: 'premium', ...term },
      });
      const bigContact = await services.users.create(null, {
        email: 'c1@example.test',
        name: 'C1',
        role: 'contact',
        organizationId: enterprise.id,
      });
      const midContact = await services.users.create(null, {
        email: 'c2@example.test',
        name: 'C2',
        role: 'contact',
        organizationId: premium.id,
      });
      // P0s opened 3h05 ago with no answer: first response breached, escalations 1 (1h) and 2 (3h) due.
      clock = realNow - (3 * 60 + 5) * 60_000;
      for (let i = 0; i < 15; i += 1) {
        await services.tickets.create(agent, {
          subject: `Down ${i}`,
          body: 'Outage',
          bodyFormat: 'text',
          priority: 'P0',
          requestType: 'problem',
          requesterId: bigContact.id,
        });
      }
      // P2s (2 hours) opened 1h50 ago: inside the warning window (the last 24 minutes), not breached.
      clock = realNow - 110 * 60_000;
      for (let i = 0; i < 10; i += 1) {
        await services.tickets.create(agent, {
          subject: `Slow ${i}`,
          body: 'Slow',
          bodyFormat: 'text',
          priority: 'P2',
          requestType: 'problem',
          requesterId: midContact.id,
        });
      }
      const expected = 15 * 3 + 10;
      const count = async () => {
        const kysely = database.db.kysely;
        const one = async (q: Promise<{ n: number }>) => Number((await q).n);
        return {
          effects: await one(
            kysely
              .selectFrom('sla_events')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow(),
          ),
          events: await one(
            kysely
              .selectFrom('ticket_events')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('type', 'like', 'sla_%')
              .executeTakeFirstOrThrow(),
          ),
          notifications: await one(
            kysely
              .selectFrom('notifications')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow(),
          ),
        };
      };

      const env = {
        DATA_DIR: database.dataDir,
        DATABASE_URL: database.databaseUrl,
        ACCORD_DEMO: '0',
        SCHEDULER_INTERVAL_MS: '50',
      };
      const [a, b] = await Promise.all([startServer(env), startServer(env)]);
      try {
        const deadline = Date.now() + 30_000;
        while ((await count()).effects < expected && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 100));
        await new Promise((r) => setTimeout(r, 500));
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
      expect(await count()).toEqual({ effects: expected, events: expected, notifications: expected });

      // A restart finds nothing new to do.
      const again = await startServer(env);
      await new Promise((r) => setTimeout(r, 500));
      await again.stop();
      expect(await count()).toEqual({ effects: expected, events: expected, notifications: expected });
    });
  },
);
