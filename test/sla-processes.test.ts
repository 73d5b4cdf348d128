import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { TicketRow } from '../src/db/tables.js';
import { createServices } from '../src/services.js';
import { newId } from '../src/shared/ids.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from './support/databases.js';
import { startServer, type RunningServer } from './support/process.js';

// Two server processes share the SLA scheduler's work only through PostgreSQL (SKIP LOCKED claims).
const targets = databaseTargets().filter((t) => t.dialect === 'postgres');

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const BURST = 300;

describe.each(targets)('an SLA burst drained by two server processes on $dialect', (target) => {
  let database: TestDatabase;
  let servers: RunningServer[] = [];
  let tickets: TicketRow[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(target);
    const config = loadConfig({ DATA_DIR: database.dataDir, LOG_LEVEL: 'silent' });
    const services = createServices(config, database.db);
    await services.policy.ensureDefault();
    const version = (await services.policy.list()).at(-1)!;
    const now = Date.now();
    const org = await services.organizations.create(null, {
      name: 'Mass Incident Customer',
      domains: ['mass.test'],
      locale: 'en',
      subscription: {
        tier: 'premium',
        termStart: new Date(now - 365 * DAY).toISOString(),
        termEnd: new Date(now + 365 * DAY).toISOString(),
      },
    });
    const requester = await services.users.create(null, {
      email: 'ops@mass.test',
      name: 'Ops',
      role: 'contact',
      organizationId: org.id,
    });
    for (const name of ['Lee', 'Lou'])
      await services.users.create(null, { email: `${name.toLowerCase()}@desk.test`, name, role: 'lead' });

    servers = await Promise.all(
      [1, 2].map(() =>
        startServer({
          DATABASE_URL: database.databaseUrl,
          DATA_DIR: database.dataDir,
          ACCORD_DEMO: '0',
          SCHEDULER_INTERVAL_MS: '200',
        }),
      ),
    );

    // Premium P2 tickets opened 100 minutes ago, unassigned: the first-response warning (at 96 of
    // the 120 minutes) is due on each, all at the same instant.
    const openedAt = now - 100 * MINUTE;
    tickets = Array.from({ length: BURST }, (_, i) => ({
      id: newId(),
      number: 5001 + i,
      subject: `The API answers 500 (${i + 1})`,
      organization_id: org.id,
      requester_id: requester.id,
      created_by_id: requester.id,
      channel: 'portal',
      request_type: 'problem',
      tier: 'premium',
      priority: 'P2',
      status: 'new',
      assignee_id: null,
      repro_steps: null,
      repro_expected: null,
      repro_actual: null,
      repro_environment: null,
      created_at: openedAt,
      updated_at: openedAt,
      resolved_at: null,
      closed_at: null,
      policy_version_id: version.id,
      sla_first_response_due_at: openedAt + 120 * MINUTE,
      sla_first_response_at: null,
      sla_next_response_due_at: null,
      sla_next_response_at: null,
      sla_resolution_due_at: null,
      sla_resolved_at: null,
      sla_update_due_at: null,
      sla_escalation_due_at: null,
      sla_escalation_level: 0,
      sla_next_due_at: openedAt + 120 * MINUTE,
      sla_next_check_at: now,
      sla_first_response_target_ms: null,
      sla_first_response_clock: null,
      sla_first_response_ms: null,
      external_id: null,
      merged_into_id: null,
    }));
    const events = tickets.flatMap((t) => [
      {
        id: newId(),
        ticket_id: t.id,
        type: 'created',
        visibility: 'public',
        actor_id: requester.id,
        at: openedAt,
        data: JSON.stringify({ priority: 'P2', status: 'new', tier: 'premium', channel: 'portal' }),
      },
      {
        id: newId(),
        ticket_id: t.id,
        type: 'message_added',
        visibility: 'public',
        actor_id: requester.id,
        at: openedAt,
        data: JSON.stringify({
          messageId: newId(),
          visibility: 'public',
          authorRole: 'contact',
          initial: true,
        }),
      },
    ]);
    // One commit: the whole burst falls due for both processes at once.
    await database.db.kysely.transaction().execute(async (trx) => {
      await trx.insertInto('tickets').values(tickets).execute();
      await trx.insertInto('ticket_events').values(events).execute();
    });
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await database?.drop();
  });

  it('records each ticket’s warning exactly once, with one log event and one notice per lead', async () => {
    const { kysely } = database.db;
    const ids = tickets.map((t) => t.id);
    const due = async () =>
      Number(
        (
          await kysely
            .selectFrom('tickets')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('id', 'in', ids)
            .where('sla_next_check_at', '<=', Date.now())
            .executeTakeFirstOrThrow()
        ).n,
      );
    const deadline = Date.now() + 120_000;
    while ((await due()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await due()).toBe(0);

    const effects = await kysely
      .selectFrom('sla_events')
      .select(['ticket_id', 'kind', 'target'])
      .where('ticket_id', 'in', ids)
      .execute();
    expect(effects).toHaveLength(BURST);
    expect(new Set(effects.map((e) => e.ticket_id)).size).toBe(BURST);
    expect(effects.every((e) => e.kind === 'warning' && e.target === 'first_response')).toBe(true);

    const logged = await kysely
      .selectFrom('ticket_events')
      .select(['ticket_id', 'type'])
      .where('ticket_id', 'in', ids)
      .where('type', 'like', 'sla_%')
      .execute();
    expect(logged).toHaveLength(BURST);
    expect(new Set(logged.map((e) => e.ticket_id)).size).toBe(BURST);
    expect(logged.every((e) => e.type === 'sla_warning')).toBe(true);

    const notices = await kysely
      .selectFrom('notifications')
      .select(['ticket_id', 'user_id'])
      .where('ticket_id', 'in', ids)
      .execute();
    expect(notices).toHaveLength(2 * BURST);
    expect(new Set(notices.map((n) => `${n.ticket_id}/${n.user_id}`)).size).toBe(2 * BURST);
  }, 180_000);
});
