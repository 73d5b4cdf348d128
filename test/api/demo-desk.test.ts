import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { seedDemo } from '../../src/seed/demo.js';
import { buildApp } from '../../src/server.js';
import { startServices } from '../../src/services.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/databases.js';

interface DemoLoginsBody {
  logins: {
    role: string;
    name: string;
    email: string;
    password: string;
    organization: { name: string; tier: string | null } | null;
    locale: string | null;
  }[];
}

/**
 * GET /api/v1/demo: a demo desk names the people a visitor can sign in as, each of whom the seed
 * created; any other desk answers 404 and gives away no login.
 */
describe.each(databaseTargets())('the demo desk\u2019s sign-ins on $dialect', (target) => {
  let database: TestDatabase;
  let demoApp: FastifyInstance;
  let productionApp: FastifyInstance;

  beforeAll(async () => {
    database = await createTestDatabase(target);
    const config = loadConfig({ DATA_DIR: database.dataDir, LOG_LEVEL: 'silent' });
    await seedDemo(config, database.db);
    demoApp = await buildApp({
      config,
      services: await startServices(config, database.db),
      logger: false,
      demo: true,
    });
    // The same data behind a desk started as a production one: what it answers depends on that alone.
    productionApp = await buildApp({
      config,
      services: await startServices(config, database.db),
      logger: false,
    });
    // The whole demo is seeded, so that every login listed is checked against what the seed made.
  }, 120_000);
  afterAll(async () => {
    await demoApp?.close();
    await productionApp?.close();
    await database?.drop();
  });

  it('lists one login per role and a French customer, each of whom signs in', async () => {
    const res = await demoApp.inject({ method: 'GET', url: '/api/v1/demo' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { logins } = res.json<DemoLoginsBody>();
    expect(logins.map((l) => l.role)).toEqual(['admin', 'lead', 'agent', 'contact', 'member', 'contact']);
    expect(logins.filter((l) => l.locale === 'fr')).toEqual([
      expect.objectContaining({
        role: 'contact',
        organization: { name: 'Fabrikam Usines', tier: 'premium' },
      }),
    ]);
    expect(logins[0]).toMatchObject({ email: 'admin@accord.test', password: 'accord-demo-admin' });
    for (const login of logins) {
      const session = await demoApp.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: login.email, password: login.password },
      });
      expect(session.statusCode, login.email).toBe(200);
      expect(session.json(), login.email).toMatchObject({
        user: { email: login.email, name: login.name, role: login.role, locale: login.locale },
      });
    }
  });

  it('answers 404 on a desk that is not a demo, naming no login', async () => {
    const res = await productionApp.inject({ method: 'GET', url: '/api/v1/demo' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).not.toContain('@');
    expect(res.body).not.toContain('accord-demo');
  });
});
