import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createServices } from '../src/services.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from './support/databases.js';
import { startServer, type RunningServer } from './support/process.js';

// Each server process keeps its own renderings of the status page; PostgreSQL is all they share.
const targets = databaseTargets().filter((t) => t.dialect === 'postgres');

interface Summary {
  incidents: { id: string; name: string; status: string }[];
}

describe.each(targets)('status page renderings across two server processes on $dialect', (target) => {
  let database: TestDatabase;
  let writer: RunningServer | undefined;
  let reader: RunningServer | undefined;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase(target);
    const config = loadConfig({ DATA_DIR: database.dataDir, LOG_LEVEL: 'silent' });
    const services = createServices(config, database.db);
    await services.policy.ensureDefault();
    const user = await services.users.create(null, { email: 'sam@desk.test', name: 'Sam', role: 'agent' });
    token = (await services.auth.createToken(user.id, 'test')).token;
    const env = {
      DATABASE_URL: database.databaseUrl,
      DATA_DIR: database.dataDir,
      ACCORD_DEMO: '0',
      SCHEDULER_INTERVAL_MS: '0',
    };
    [writer, reader] = await Promise.all([startServer(env), startServer(env)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([writer?.stop(), reader?.stop()]);
    await database?.drop();
  });

  const summary = async (etag?: string) =>
    fetch(`${reader!.url}/api/v2/summary.json`, etag ? { headers: { 'if-none-match': etag } } : {});
  const admin = async (path: string, body: unknown) => {
    const res = await fetch(`${writer!.url}/api/v1/status/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as { id: string };
  };

  it('shows an incident opened and updated through one process on the next read from the other', async () => {
    const first = await summary();
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect((await summary(etag)).status).toBe(304);

    const incident = await admin('incidents', { name: 'Search is down', impact: 'major', body: 'Looking.' });
    const opened = await summary(etag);
    expect(opened.status).toBe(200);
    const body = (await opened.json()) as Summary;
    expect(body.incidents.map((i) => i.name)).toEqual(['Search is down']);

    await admin(`incidents/${incident.id}/updates`, { status: 'identified', body: 'A full disk.' });
    const page = await fetch(`${reader!.url}/status`);
    expect(await page.text()).toContain('A full disk.');
    expect(((await (await summary()).json()) as Summary).incidents[0]!.status).toBe('identified');
  });
});
