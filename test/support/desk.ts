import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../src/config.js';
import type { OrganizationOut, UserOut } from '../../src/customers/schema.js';
import type { Tier } from '../../src/policy/tiers.js';
import { buildApp } from '../../src/server.js';
import { startServices, type Services } from '../../src/services.js';
import { MailDrop } from '../../src/notifications/mail-drop.js';
import { QueryCounter } from '../../src/db/query-counter.js';
import { fixedDns } from './dns.js';
import { createTestDatabase, type DatabaseTarget, type TestDatabase } from './databases.js';
import path from 'node:path';

/** Tests run at a fixed instant, never at today's date. */
export const TEST_EPOCH = Date.parse('2026-06-01T12:00:00Z');

export interface ApiOptions {
  token?: string;
  body?: unknown;
  payload?: string | Buffer;
  headers?: Record<string, string>;
  cookies?: Record<string, string>;
}

export type ApiResponse = LightMyRequestResponse;

export interface Person {
  user: UserOut;
  token: string;
}

/** One Accord on a fresh database, driven through its HTTP interface, with factories for its data. */
export class TestDesk {
  private sequence = 0;

  private constructor(
    private readonly clock: { now: number },
    readonly app: FastifyInstance,
    readonly services: Services,
    readonly config: Config,
    readonly database: TestDatabase,
    /** Counts the statements the desk's services run (a test's own queries through `database` are not counted). */
    readonly queries: QueryCounter,
  ) {}

  /**
   * `dns`: the TXT records inbound mail authentication sees (see fixedDns); without them every
   * lookup finds nothing, so no test depends on the network.
   */
  static async start(
    target: DatabaseTarget,
    env: Record<string, string> = {},
    options: { dns?: Map<string, string[][]> } = {},
  ): Promise<TestDesk> {
    const database = await createTestDatabase(target);
    const config = loadConfig({ DATA_DIR: database.dataDir, LOG_LEVEL: 'silent', ...env });
    const clock = { now: TEST_EPOCH };
    const queries = new QueryCounter();
    const counted = { ...database.db, kysely: database.db.kysely.withPlugin(queries) };
    const services = await startServices(config, counted, {
      clock: () => clock.now,
      mailer: new MailDrop(path.join(database.dataDir, 'mail-drop')),
      dnsResolver: fixedDns(options.dns),
    });
    const app = await buildApp({ config, services, logger: false });
    return new TestDesk(clock, app, services, config, database, queries);
  }

  /** The desk's current instant; tests move it forward with advance(). */
  get now(): number {
    return this.clock.now;
  }

  async close() {
    await this.app.close();
    await this.database.drop();
  }

  advance(ms: number) {
    this.clock.now += ms;
  }

  async api(method: InjectOptions['method'], url: string, options: ApiOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | Buffer | undefined = options.payload;
    if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    return this.app.inject({
      method,
      url,
      headers,
      ...(payload !== undefined ? { payload } : {}),
      ...(options.cookies ? { cookies: options.cookies } : {}),
    });
  }

  private unique(prefix: string) {
    this.sequence += 1;
    return `${prefix}${this.sequence}-${Math.random().toString(36).slice(2, 8)}`;
  }

  /** An organization; with a tier it gets a subscription covering the test instant. */
  async organization(tier: Tier | null = 'premium', name?: string): Promise<OrganizationOut> {
    const slug = this.unique('org');
    return this.services.organizations.create(null, {
      name: name ?? `Org ${slug}`,
      domains: [`${slug}.test`],
      locale: 'en',
      ...(tier
        ? {
            subscription: {
              tier,
              termStart: new Date(TEST_EPOCH - 180 * 86400_000).toISOString(),
              termEnd: new Date(TEST_EPOCH + 180 * 86400_000).toISOString(),
            },
          }
        : {}),
    });
  }

  async person(role: UserOut['role'], organizationId?: string, password?: string): Promise<Person> {
    const user = await this.services.users.create(null, {
      email: `${this.unique(role)}@example.test`,
      name: `${role} ${this.sequence}`,
      role,
      ...(organizationId ? { organizationId } : {}),
      ...(password ? { password } : {}),
    });
    const { token } = await this.services.auth.createToken(user.id, 'test');
    return { user, token };
  }

  /** A customer files a ticket through the API and the created ticket is returned. */
  async ticket(requester: Person, overrides: Record<string, unknown> = {}) {
    const res = await this.api('POST', '/api/v1/tickets', {
      token: requester.token,
      body: {
        subject: 'Cannot export work orders',
        body: 'The export button does nothing.',
        priority: 'P2',
        requestType: 'problem',
        ...overrides,
      },
    });
    if (res.statusCode !== 201) throw new Error(`ticket creation failed: ${res.statusCode} ${res.body}`);
    return res.json<{
      id: string;
      number: number;
      status: string;
      organizationId: string;
      requesterId: string;
    }>();
  }

  /** The statements the desk's services ran while `action` ran (nothing else should be running). */
  async queriesDuring(action: () => Promise<unknown>): Promise<string[]> {
    const mark = this.queries.count;
    await action();
    return this.queries.since(mark);
  }

  async count(
    table:
      | 'tickets'
      | 'ticket_messages'
      | 'ticket_events'
      | 'users'
      | 'organizations'
      | 'attachments'
      | 'subscriptions',
  ) {
    const row = await this.database.db.kysely
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
