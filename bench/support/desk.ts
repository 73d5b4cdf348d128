import type { Db } from '../../src/db/database.js';
import { sql, type Insertable } from 'kysely';
import type { TicketEventRow, TicketMessageRow, TicketRow, TicketTable } from '../../src/db/tables.js';
import type { Priority, RequestType, Tier } from '../../src/policy/tiers.js';
import type { Services } from '../../src/services.js';
import type { Channel, Status } from '../../src/tickets/schema.js';
import { v7 as uuidv7 } from 'uuid';
import { DAY, HOUR, MAX_PARAMETERS } from './common.js';

const YEAR = 365 * DAY;

/** A small deterministic generator (mulberry32), so that two runs build the same desk. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks from [value, weight] pairs. */
export function weighted<T>(random: () => number, table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((sum, [, w]) => sum + w, 0);
  let x = random() * total;
  for (const [value, w] of table) {
    x -= w;
    if (x < 0) return value;
  }
  return table[table.length - 1]![0];
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

export interface DeskOrganization {
  id: string;
  name: string;
  tier: Tier;
  /** Share of the desk's tickets: a few large customers and a long tail. */
  weight: number;
  contactId: string;
  customerIds: string[];
}

/** The people and customers a benchmark desk is made of. */
export interface Desk {
  organizations: DeskOrganization[];
  adminId: string;
  agentIds: string[];
  /** A personal API token of an agent. */
  agentToken: string;
}

export interface DeskShape {
  organizations: number;
  agents: number;
}

const TIER_MIX = [
  [null, 20],
  ['essential', 40],
  ['premium', 25],
  ['enterprise', 15],
] as const;

/**
 * Creates the staff, the customer organizations with their subscriptions and users, and an agent's
 * API token, through Accord's services as the operator does at the command line.
 */
export async function seedDesk(services: Services, shape: DeskShape, now: number): Promise<Desk> {
  const random = rng(7);
  const admin = await services.users.create(null, {
    email: 'admin@bench.test',
    name: 'Bench Admin',
    role: 'admin',
  });
  await services.users.create(null, { email: 'lead@bench.test', name: 'Bench Lead', role: 'lead' });
  const agentIds: string[] = [];
  for (let i = 1; i <= shape.agents; i++) {
    const agent = await services.users.create(null, {
      email: `agent${i}@bench.test`,
      name: `Agent ${i}`,
      role: 'agent',
    });
    agentIds.push(agent.id);
  }
  const organizations: DeskOrganization[] = [];
  for (let i = 1; i <= shape.organizations; i++) {
    const tier = weighted(random, TIER_MIX);
    const org = await services.organizations.create(null, {
      name: `Customer ${String(i).padStart(3, '0')}`,
      domains: [`customer${i}.bench.test`],
      locale: random() < 0.3 ? 'fr' : 'en',
      ...(tier
        ? {
            subscription: {
              tier,
              termStart: new Date(now - 3 * YEAR).toISOString(),
              termEnd: new Date(now + YEAR).toISOString(),
            },
          }
        : {}),
    });
    const customerIds: string[] = [];
    const people = 2 + Math.floor(random() * 5);
    for (let p = 0; p < people; p++) {
      const user = await services.users.create(null, {
        email: `user${p}@customer${i}.bench.test`,
        name: `User ${p} of customer ${i}`,
        role: p === 0 ? 'contact' : 'member',
        organizationId: org.id,
      });
      customerIds.push(user.id);
    }
    organizations.push({
      id: org.id,
      name: org.name,
      tier: tier ?? 'basic',
      weight: 1 / i ** 0.8,
      contactId: customerIds[0]!,
      customerIds,
    });
  }
  const token = await services.auth.createToken(agentIds[0]!, 'benchmark');
  return { organizations, adminId: admin.id, agentIds, agentToken: token.token };
}

const SUBJECTS = [
  'Work orders not syncing from the mobile app',
  'Cannot export the asset register to CSV',
  'Preventive maintenance schedule skipped a week',
  'How do I add a technician to my team?',
  'Meter readings chart shows the wrong units',
  'SSO sign-in loops back to the login page',
  'Importing spare parts from our previous system',
  'PDF export of a work order is empty',
  'Best practice for reorder points across warehouses',
  'Digitizing our lockout/tagout procedures',
  'API returns 500 on /workorders',
  'Notification emails arrive hours late',
  'Barcode scanner does not open the asset',
  'Technician cannot close a work order offline',
  'Dashboard widgets load very slowly',
  'Question about user roles and permissions',
];

const PARAGRAPHS = [
  'Since this morning several of our technicians report the same behaviour on different sites; it started right after the last update of the app.',
  'We tried signing out and back in, clearing the cache and reinstalling, without any change. The problem happens on both iOS and Android devices.',
  'Could you tell us whether this is a known issue and, if so, when a fix is expected? We have an audit next week and need the history to be complete.',
  'Attached is a screenshot of the screen where it happens. The asset in question is PUMP-12 in building B, but we see it on other assets as well.',
  'We would like some guidance on how other customers organize this; our maintenance manager is new and wants to start from a sensible default.',
  'This blocks about twenty people in the plant, so we would appreciate a quick look. Our contact on site is available all day at the usual number.',
  'For context, we run roughly 1,200 assets over three warehouses and four production lines, with about forty technicians working in two shifts.',
  'Nothing changed on our side as far as we know: same network, same devices, same accounts. Let us know if you need logs or a screen recording.',
];

const PRIORITY_MIX = [
  ['P0', 1],
  ['P1', 9],
  ['P2', 40],
  ['P3', 50],
] as const satisfies readonly (readonly [Priority, number])[];

export const CHANNEL_MIX = [
  ['email', 35],
  ['portal', 25],
  ['in_app', 15],
  ['api', 10],
  ['chat', 8],
  ['phone', 7],
] as const satisfies readonly (readonly [Channel, number])[];

const BASIC_REQUESTS = [
  ['question', 60],
  ['problem', 40],
] as const satisfies readonly (readonly [RequestType, number])[];

const PAID_REQUESTS = [
  ['question', 35],
  ['problem', 40],
  ['data_import', 10],
  ['procedure_digitization', 7],
  ['best_practice', 8],
] as const satisfies readonly (readonly [RequestType, number])[];

const MINUTE = 60_000;

/**
 * First-response targets of the default support policy (policy/default.yaml), in minutes; business
 * days are taken as calendar days. The history's SLA columns are filled from these so that the
 * desk's deadlines look like the ones the SLA engine stores for tickets filed through the API.
 */
const FIRST_RESPONSE_MINUTES: Record<Tier, Record<Priority, number>> = {
  basic: { P0: 120, P1: 240, P2: 24 * 60, P3: 48 * 60 },
  essential: { P0: 60, P1: 120, P2: 240, P3: 24 * 60 },
  premium: { P0: 15, P1: 60, P2: 120, P3: 240 },
  enterprise: { P0: 15, P1: 60, P2: 120, P3: 240 },
};
/** The policy's P0 customer-update cadence. */
const P0_UPDATE_MINUTES = 30;

/** Where a ticket of a given age stands: recent work is open, the history is closed, with a few stale tickets. */
function statusMix(age: number): readonly (readonly [Status, number])[] {
  if (age < 2 * DAY)
    return [
      ['new', 35],
      ['open', 40],
      ['waiting_on_customer', 15],
      ['resolved', 10],
    ];
  if (age < 14 * DAY)
    return [
      ['new', 4],
      ['open', 22],
      ['waiting_on_customer', 20],
      ['resolved', 30],
      ['closed', 24],
    ];
  if (age < 60 * DAY)
    return [
      ['open', 3],
      ['waiting_on_customer', 4],
      ['resolved', 10],
      ['closed', 83],
    ];
  return [
    ['open', 0.3],
    ['waiting_on_customer', 0.2],
    ['resolved', 1],
    ['closed', 98.5],
  ];
}

/**
 * The rows that filing one ticket writes: the ticket, its first message and two events. Columns the
 * service leaves empty at filing (the SLA deadlines, until the engine looks at the ticket) are left
 * to their defaults.
 */
export interface GeneratedTicket {
  ticket: Insertable<TicketTable>;
  message: TicketMessageRow;
  events: TicketEventRow[];
}

export interface TicketCreateBody {
  subject: string;
  body: string;
  priority: Priority;
  requestType: RequestType;
  requesterId: string;
}

/** Makes tickets with realistic mixes of customers, priorities, channels and statuses. */
export class TicketFactory {
  private readonly random: () => number;
  private readonly cumulative: number[];

  constructor(
    private readonly desk: Desk,
    private readonly now: number,
    /** The published policy version the desk's tickets were computed under. */
    private readonly policyVersionId: string | null,
    seed = 42,
  ) {
    this.random = rng(seed);
    let sum = 0;
    this.cumulative = desk.organizations.map((o) => (sum += o.weight));
  }

  organization(): DeskOrganization {
    const x = this.random() * this.cumulative[this.cumulative.length - 1]!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.desk.organizations[lo]!;
  }

  private body(): string {
    const count = 1 + Math.floor(this.random() * 3);
    const parts = ['Hello,'];
    for (let i = 0; i < count; i++) parts.push(pick(this.random, PARAGRAPHS));
    parts.push('Thanks,');
    return parts.join('\n\n');
  }

  /** A body for POST /api/v1/tickets as an agent files it for a customer. */
  apiBody(): TicketCreateBody {
    const org = this.organization();
    return {
      subject: pick(this.random, SUBJECTS),
      body: this.body(),
      priority: weighted(this.random, PRIORITY_MIX),
      requestType: 'question',
      requesterId: pick(this.random, org.customerIds),
    };
  }

  /** Deadlines as the SLA engine stores them: what the ticket owes next, and when it is next looked at. */
  private sla(
    status: Status,
    priority: Priority,
    tier: Tier,
    createdAt: number,
    updatedAt: number,
    resolvedAt: number | null,
  ) {
    const target = FIRST_RESPONSE_MINUTES[tier][priority] * MINUTE;
    const firstDue = createdAt + target;
    const answered = status !== 'new';
    const owesReply = status === 'new' || status === 'open';
    const nextResponseDue = status === 'open' ? updatedAt + target : null;
    const updateDue = owesReply && priority === 'P0' ? updatedAt + P0_UPDATE_MINUTES * MINUTE : null;
    const nextDue = owesReply
      ? Math.min(status === 'new' ? firstDue : nextResponseDue!, updateDue ?? Number.POSITIVE_INFINITY)
      : null;
    return {
      policy_version_id: this.policyVersionId,
      sla_first_response_due_at: firstDue,
      sla_first_response_at: answered ? createdAt + Math.floor(target * (0.1 + this.random() * 1.1)) : null,
      sla_next_response_due_at: nextResponseDue,
      sla_next_response_at: null,
      sla_resolution_due_at: null,
      sla_resolved_at: resolvedAt,
      sla_update_due_at: updateDue,
      sla_escalation_due_at: null,
      sla_escalation_level: 0,
      sla_next_due_at: nextDue,
      sla_next_check_at: nextDue,
    };
  }

  /** The rows of a ticket filed at createdAt, in the state it has reached by now. */
  rows(number: number, createdAt: number): GeneratedTicket {
    const r = this.random;
    const org = this.organization();
    const requesterId = pick(r, org.customerIds);
    const channel = weighted(r, CHANNEL_MIX);
    const byStaff = channel === 'email' || channel === 'chat' || channel === 'phone';
    const createdById = byStaff ? pick(r, this.desk.agentIds) : requesterId;
    const status = weighted(r, statusMix(this.now - createdAt));
    const priority = weighted(r, PRIORITY_MIX);
    const requestType = weighted(r, org.tier === 'basic' ? BASIC_REQUESTS : PAID_REQUESTS);
    const assigned = status === 'new' ? r() < 0.15 : r() < 0.92;
    let resolvedAt: number | null = null;
    let closedAt: number | null = null;
    let updatedAt = createdAt + Math.floor(r() * Math.min(this.now - createdAt, 3 * DAY));
    if (status === 'resolved' || status === 'closed') {
      resolvedAt = Math.min(this.now, createdAt + Math.floor(HOUR / 4 + -Math.log(1 - r()) * 30 * HOUR));
      updatedAt = resolvedAt;
      if (status === 'closed') {
        closedAt = Math.min(this.now, resolvedAt + 7 * DAY);
        updatedAt = closedAt;
      }
    }
    const id = uuidv7({ msecs: createdAt });
    const messageId = uuidv7({ msecs: createdAt });
    const subject = pick(r, SUBJECTS);
    const ticket: Insertable<TicketTable> = {
      id,
      number,
      subject,
      organization_id: org.id,
      requester_id: requesterId,
      created_by_id: createdById,
      priority,
      status,
      channel,
      request_type: requestType,
      tier: org.tier,
      assignee_id: assigned ? pick(r, this.desk.agentIds) : null,
      repro_steps: null,
      repro_expected: null,
      repro_actual: null,
      repro_environment: null,
      created_at: createdAt,
      updated_at: updatedAt,
      resolved_at: resolvedAt,
      closed_at: closedAt,
      ...this.sla(status, priority, org.tier, createdAt, updatedAt, resolvedAt),
    };
    const message: TicketMessageRow = {
      id: messageId,
      ticket_id: id,
      author_id: createdById,
      visibility: 'public',
      body_format: 'text',
      body: this.body(),
      created_at: createdAt,
      merged_from_ticket_id: null,
    };
    const authorRole = byStaff ? 'agent' : requesterId === org.contactId ? 'contact' : 'member';
    const event = (type: string, data: Record<string, unknown>): TicketEventRow => ({
      id: uuidv7({ msecs: createdAt }),
      ticket_id: id,
      type,
      visibility: 'public',
      actor_id: createdById,
      at: createdAt,
      data: JSON.stringify(data),
    });
    const events = [
      event('created', {
        number,
        subject,
        priority,
        status: 'new',
        channel,
        requestType,
        tier: org.tier,
        requesterId,
        organizationId: org.id,
      }),
      event('message_added', { messageId, visibility: 'public', authorRole, initial: true }),
    ];
    return { ticket, message, events };
  }
}

/** Spreads a run of tickets evenly over the desk's history, oldest first. */
export class Timeline {
  private next = 0;

  constructor(
    private readonly total: number,
    private readonly from: number,
    private readonly to: number,
    private readonly random: () => number = rng(99),
  ) {}

  take(): number {
    const step = (this.to - this.from) / Math.max(1, this.total);
    const at = this.from + Math.floor((this.next + this.random()) * step);
    this.next++;
    return Math.min(at, this.to);
  }
}

function* chunks<T>(rows: T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** Writes generated tickets straight into the database: multi-row inserts, one transaction per batch. */
export class RawWriter {
  constructor(private readonly db: Db) {}

  private rowsPerStatement(sample: object): number {
    return Math.floor(MAX_PARAMETERS[this.db.dialect] / Object.keys(sample).length);
  }

  async write(batch: GeneratedTicket[]): Promise<void> {
    const first = batch[0];
    if (!first) return;
    const tickets = batch.map((b) => b.ticket);
    const messages = batch.map((b) => b.message);
    const events = batch.flatMap((b) => b.events);
    await this.db.kysely.transaction().execute(async (trx) => {
      for (const rows of chunks(tickets, this.rowsPerStatement(first.ticket)))
        await trx.insertInto('tickets').values(rows).execute();
      for (const rows of chunks(messages, this.rowsPerStatement(first.message)))
        await trx.insertInto('ticket_messages').values(rows).execute();
      for (const rows of chunks(events, this.rowsPerStatement(first.events[0]!)))
        await trx.insertInto('ticket_events').values(rows).execute();
    });
  }

  /** The last ticket number handed out (the service's sequence or counter), or 1000 before the first ticket. */
  async lastTicketNumber(): Promise<number> {
    if (this.db.dialect === 'postgres') {
      const { rows } = await sql<{
        last_value: number | string;
        is_called: boolean;
      }>`select last_value, is_called from ticket_number_seq`.execute(this.db.kysely);
      const row = rows[0]!;
      return row.is_called ? Number(row.last_value) : Number(row.last_value) - 1;
    }
    const row = await this.db.kysely
      .selectFrom('counters')
      .select('value')
      .where('name', '=', 'ticket_number')
      .executeTakeFirst();
    return row ? Number(row.value) : 1000;
  }

  /** Moves the service's numbering past the numbers written here, so that filing through the API goes on. */
  async setLastTicketNumber(value: number): Promise<void> {
    if (this.db.dialect === 'postgres') {
      await sql`select setval('ticket_number_seq', ${value})`.execute(this.db.kysely);
      return;
    }
    await this.db.kysely
      .insertInto('counters')
      .values({ name: 'ticket_number', value })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
      .execute();
  }
}

/** Hands out ticket numbers after the service's counter. */
export class Numbers {
  constructor(private last: number) {}

  take(): number {
    return ++this.last;
  }

  get current(): number {
    return this.last;
  }
}

export interface FillProgress {
  written: number;
  seconds: number;
}

/**
 * Generates and writes `count` tickets in batches, `concurrency` transactions at a time
 * (PostgreSQL takes several writers; SQLite has one), and returns the elapsed seconds.
 */
export async function fill(
  writer: RawWriter,
  make: () => GeneratedTicket,
  count: number,
  options: { batch: number; concurrency: number; onProgress?: (p: FillProgress) => void },
): Promise<number> {
  const started = performance.now();
  let handedOut = 0;
  let written = 0;
  let reported = 0;
  const step = Math.max(options.batch, Math.floor(count / 10));
  const worker = async () => {
    while (handedOut < count) {
      const size = Math.min(options.batch, count - handedOut);
      handedOut += size;
      const batch: GeneratedTicket[] = new Array<GeneratedTicket>(size);
      for (let i = 0; i < size; i++) batch[i] = make();
      await writer.write(batch);
      written += size;
      if (options.onProgress && written - reported >= step) {
        reported = written;
        options.onProgress({ written, seconds: (performance.now() - started) / 1000 });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return (performance.now() - started) / 1000;
}

/**
 * A ticket's opening events as the ledger writes them (created, then its first message added), for
 * benches that write due tickets straight into the database and let the scheduler read a real
 * timeline.
 */
export function openingEventRows(
  t: Pick<
    TicketRow,
    | 'id'
    | 'number'
    | 'subject'
    | 'priority'
    | 'channel'
    | 'request_type'
    | 'tier'
    | 'requester_id'
    | 'organization_id'
    | 'created_by_id'
    | 'created_at'
  >,
) {
  return [
    {
      id: uuidv7(),
      ticket_id: t.id,
      type: 'created',
      visibility: 'public',
      actor_id: t.created_by_id,
      at: t.created_at,
      data: JSON.stringify({
        number: t.number,
        subject: t.subject,
        priority: t.priority,
        status: 'new',
        channel: t.channel,
        requestType: t.request_type,
        tier: t.tier,
        requesterId: t.requester_id,
        organizationId: t.organization_id,
      }),
    },
    {
      id: uuidv7(),
      ticket_id: t.id,
      type: 'message_added',
      visibility: 'public',
      actor_id: t.created_by_id,
      at: t.created_at,
      data: JSON.stringify({
        messageId: uuidv7(),
        visibility: 'public',
        authorRole: 'contact',
        initial: true,
      }),
    },
  ];
}
