import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/services.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from './support/databases.js';
import { startServer, type RunningServer } from './support/process.js';

// Two server processes share a desk only through PostgreSQL (LISTEN/NOTIFY carries sign-in changes);
// an SQLite desk is one process.
const targets = databaseTargets().filter((t) => t.dialect === 'postgres');

const PASSWORD = 'a long enough password';

interface Answer {
  status: number;
  body: string;
  setCookie: string | null;
}

async function call(
  server: RunningServer,
  method: string,
  path: string,
  init: { token?: string; cookie?: string; csrf?: string; body?: unknown } = {},
): Promise<Answer> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.cookie ? { cookie: `accord_session=${init.cookie}` } : {}),
      ...(init.csrf ? { 'x-csrf-token': init.csrf } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, body: await res.text(), setCookie: res.headers.get('set-cookie') };
}

describe.each(targets)('sign-in changes across two server processes on $dialect', (target) => {
  let database: TestDatabase;
  let services: Services;
  let a: RunningServer | undefined;
  let b: RunningServer | undefined;
  let organizationId: string;
  let contactToken: string;
  let sequence = 0;

  beforeAll(async () => {
    database = await createTestDatabase(target);
    const config = loadConfig({ DATA_DIR: database.dataDir, LOG_LEVEL: 'silent' });
    services = createServices(config, database.db);
    await services.policy.ensureDefault();
    const org = await services.organizations.create(null, {
      name: 'Two Processes Inc',
      domains: ['two-processes.test'],
      locale: 'en',
    });
    organizationId = org.id;
    const contact = await services.users.create(null, {
      email: 'contact@two-processes.test',
      name: 'Casey Contact',
      role: 'contact',
      organizationId,
    });
    contactToken = (await services.auth.createToken(contact.id, 'test')).token;
    const env = {
      DATABASE_URL: database.databaseUrl,
      DATA_DIR: database.dataDir,
      ACCORD_DEMO: '0',
      SCHEDULER_INTERVAL_MS: '0',
    };
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  const member = async () => {
    sequence += 1;
    const user = await services.users.create(null, {
      email: `member${sequence}@two-processes.test`,
      name: `Member ${sequence}`,
      role: 'member',
      organizationId,
      password: PASSWORD,
    });
    return { user, token: (await services.auth.createToken(user.id, 'test')).token };
  };

  /** Signs in and reads the session twice on `server`: the second answer comes from its memory. */
  const seenTwice = async (server: RunningServer, init: { token?: string; cookie?: string }) => {
    for (let i = 0; i < 2; i++) expect((await call(server, 'GET', '/auth/session', init)).status).toBe(200);
  };

  it('a token revoked through one process is refused by the other on the very next request', async () => {
    for (let round = 0; round < 3; round++) {
      const m = await member();
      const spare = (await services.auth.createToken(m.user.id, 'spare')).token;
      await seenTwice(b!, { token: m.token });
      const listed = JSON.parse((await call(a!, 'GET', '/auth/tokens', { token: spare })).body) as {
        data: { id: string; name: string }[];
      };
      const id = listed.data.find((t) => t.name === 'test')!.id;
      const revoked = await call(a!, 'DELETE', `/auth/tokens/${id}`, { token: spare });
      expect(revoked.status, revoked.body).toBe(204);
      expect((await call(b!, 'GET', '/auth/session', { token: m.token })).status).toBe(401);
      expect((await call(b!, 'GET', '/auth/session', { token: spare })).status).toBe(200);
    }
  });

  it('a session signed out through one process is refused by the other on the very next request', async () => {
    const m = await member();
    const login = await call(b!, 'POST', '/auth/login', {
      body: { email: m.user.email, password: PASSWORD },
    });
    expect(login.status, login.body).toBe(200);
    const cookie = /accord_session=([^;]+)/.exec(login.setCookie ?? '')![1]!;
    const csrf = (JSON.parse(login.body) as { csrfToken: string }).csrfToken;
    await seenTwice(b!, { cookie });
    const out = await call(a!, 'POST', '/auth/logout', { cookie, csrf });
    expect(out.status, out.body).toBe(204);
    expect((await call(b!, 'GET', '/auth/session', { cookie })).status).toBe(401);
  });

  it('a user deactivated through one process is refused by the other on the very next request', async () => {
    const m = await member();
    await seenTwice(b!, { token: m.token });
    const removed = await call(a!, 'DELETE', `/users/${m.user.id}`, { token: contactToken });
    expect(removed.status, removed.body).toBe(204);
    expect((await call(b!, 'GET', '/auth/session', { token: m.token })).status).toBe(401);
  });
});
