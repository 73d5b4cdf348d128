import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { OrganizationOut } from '../src/customers/schema.js';
import { createServices, type Services } from '../src/services.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from './support/databases.js';
import { runCli } from './support/process.js';

describe.each(databaseTargets())('accord import on $dialect', (target) => {
  let database: TestDatabase;
  let services: Services;
  let env: Record<string, string | undefined>;
  let dir: string;

  beforeAll(async () => {
    database = await createTestDatabase(target);
    env = { DATA_DIR: database.dataDir, DATABASE_URL: database.databaseUrl ?? '', ACCORD_DEMO: '0' };
    services = createServices(loadConfig({ DATA_DIR: database.dataDir, LOG_LEVEL: 'silent' }), database.db);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-import-'));
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await database?.drop();
  });

  let sequence = 0;
  const organization = (): Promise<OrganizationOut> => {
    sequence += 1;
    return services.organizations.create(null, {
      name: `Northwind ${sequence}`,
      domains: [`northwind${sequence}.test`],
      locale: 'en',
      emailSignup: false,
    });
  };

  /** Basic tier (no subscription), P2: 1 business day; answered 10:00 to 10:20 Eastern, 20 business minutes. */
  const ticket = (org: OrganizationOut, externalId: string, agentEmail: string) => ({
    externalId,
    organization: org.name,
    requester: { email: `nora@${org.domains[0]}`, name: 'Nora Quinn' },
    subject: 'Work orders do not sync',
    priority: 'P2',
    openedAt: '2026-03-02T15:00:00Z',
    messages: [
      {
        at: '2026-03-02T15:00:00Z',
        author: { email: `nora@${org.domains[0]}` },
        public: true,
        body: 'No sync.',
      },
      {
        at: '2026-03-02T15:20:00Z',
        author: { email: agentEmail, staff: true },
        public: true,
        body: 'Fixed.',
      },
    ],
    resolvedAt: '2026-03-02T16:00:00Z',
  });

  const writeFile = (name: string, lines: unknown[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(
      file,
      lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n',
    );
    return file;
  };

  it('imports a file as an admin, reports failed lines on stderr, and leaves a second run unchanged', async () => {
    for (const [email, role] of [
      ['imports@vendor.test', 'admin'],
      ['agent@vendor.test', 'agent'],
    ] as const) {
      const created = await runCli(['user', 'create', '--email', email, '--name', role, '--role', role], env);
      expect(created.code).toBe(0);
    }
    const org = await organization();
    const good = writeFile('good.jsonl', [
      ticket(org, 'zd-1', 'agent@vendor.test'),
      ticket(org, 'zd-2', 'agent@vendor.test'),
    ]);
    const first = await runCli(['import', good, '--as', 'imports@vendor.test'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`${good}: imported 2, unchanged 0, failed 0\n`);

    const again = await runCli(['import', good], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`${good}: imported 0, unchanged 2, failed 0\n`);

    const mixed = writeFile('mixed.jsonl', [
      ticket(org, 'zd-3', 'agent@vendor.test'),
      { ...ticket(org, 'zd-4', 'agent@vendor.test'), organization: 'Nobody Ltd' },
      'not json',
    ]);
    const partial = await runCli(['import', mixed], env);
    expect(partial.code).toBe(1);
    expect(partial.stdout).toBe(`${mixed}: imported 1, unchanged 0, failed 2\n`);
    expect(partial.stderr.split('\n')).toEqual([
      expect.stringMatching(/^line 2 \(zd-4\): organization: no organization is named "Nobody Ltd"/),
      expect.stringMatching(/^line 3: \(line\): is not valid JSON/),
      '',
    ]);
    const imported = await database.db.kysely
      .selectFrom('tickets')
      .select(['external_id', 'status', 'sla_first_response_ms'])
      .where('external_id', 'in', ['zd-1', 'zd-2', 'zd-3', 'zd-4'])
      .orderBy('external_id')
      .execute();
    expect(imported.map((t) => [t.external_id, t.status, Number(t.sla_first_response_ms)])).toEqual([
      ['zd-1', 'resolved', 20 * 60_000],
      ['zd-2', 'resolved', 20 * 60_000],
      ['zd-3', 'resolved', 20 * 60_000],
    ]);
  });

  it('refuses a missing file and an importer who is not an admin, with the usage exit code', async () => {
    const missing = await runCli(['import', path.join(dir, 'nope.jsonl')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('is not a file');
    const file = writeFile('one.jsonl', [ticket(await organization(), 'zd-9', 'agent@vendor.test')]);
    const notAdmin = await runCli(['import', file, '--as', 'agent@vendor.test'], env);
    expect(notAdmin.code).toBe(2);
    expect(notAdmin.stderr).toContain('agent@vendor.test is not an active admin');
  });
});
