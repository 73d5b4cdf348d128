/**
 * The floor: the least work the same framework and drivers can do for three of Accord's operations,
 * on the tables and indexes Accord's migrations create (run them first), for `npm run bench:compare`.
 *
 * - POST /api/v1/tickets validates the same JSON body as Accord's route (its JSON Schema is made
 *   from Accord's zod schema, checked by fastify's own compiled validator), looks up the requester's
 *   organization and tier, and writes the ticket, its first message and two events (created,
 *   message_added) in one transaction; it answers 201 with the ticket's id and number.
 * - GET /api/v1/tickets?sort=urgency&limit=50 reads a page of the queue in Accord's urgency order
 *   (every P0 and P1 first, soonest due first), one band at a time on the same expression index,
 *   with the columns the console shows (number, subject, priority, tier, organization, status,
 *   assignee and the SLA due times), serialized by fastify from a JSON Schema.
 * - An SMTP listener (smtp-server, as Accord's) takes a mail for the support domain, parses it with
 *   Accord's MIME parser (mailparser), looks the sender up by address and files the mail as a ticket,
 *   its message and the same two events in one transaction, then answers 250.
 *
 * What it leaves out is what Accord adds: authentication (the bearer token is not read), roles and
 * visibility, idempotency keys, the SLA computation and its stored deadlines, the ledger's hooks
 * (search index, fair use, incidents, notifications), the live bus, the presentation of the full
 * ticket, and for mail the raw copy, de-duplication, threading, sender authentication, loop and
 * rate checks and the acknowledgement.
 *
 * Drivers: better-sqlite3 directly (statements prepared once, WAL, synchronous=NORMAL as Accord
 * opens it) and pg directly (a pool of 10 as Accord's, named prepared statements). No Kysely.
 *
 * Run by bench/compare.ts as a child process; alone: FLOOR_SQLITE_FILE=… or FLOOR_DATABASE_URL=…
 * [FLOOR_PG_SCHEMA=…], FLOOR_HOST, FLOOR_PORT, FLOOR_SMTP_PORT, FLOOR_SUPPORT_EMAIL.
 */
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { parseMail } from '../src/channels/email/parse.js';
import { ticketCreate } from '../src/tickets/schema.js';

export type FloorDatabase =
  { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string; schema?: string | undefined };

export interface FloorOptions {
  database: FloorDatabase;
  host: string;
  httpPort: number;
  smtpPort: number;
  supportEmail: string;
  /** Larger mails are refused during DATA, as Accord's listener does. */
  maxMailBytes: number;
}

export interface Floor {
  httpPort: number;
  smtpPort: number;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// The rows of one filing

interface Filing {
  subject: string;
  body: string;
  bodyFormat: string;
  priority: string;
  requestType: string;
  channel: string;
  reproduction?:
    | {
        steps?: string | null | undefined;
        expected?: string | null | undefined;
        actual?: string | null | undefined;
        environment?: string | null | undefined;
      }
    | undefined;
}

/** Who files: the requester's id (the API) or address (mail). */
type Who = { id: string } | { email: string };

interface Person {
  id: string;
  role: string;
  organization_id: string;
  tier: string;
}

interface Filed {
  id: string;
  number: number;
}

const TICKET_COLUMNS = [
  'id',
  'number',
  'subject',
  'organization_id',
  'requester_id',
  'created_by_id',
  'priority',
  'status',
  'channel',
  'request_type',
  'tier',
  'repro_steps',
  'repro_expected',
  'repro_actual',
  'repro_environment',
  'created_at',
  'updated_at',
] as const;
const MESSAGE_COLUMNS = ['id', 'ticket_id', 'author_id', 'visibility', 'body_format', 'body', 'created_at'];
const EVENT_COLUMNS = ['id', 'ticket_id', 'type', 'visibility', 'actor_id', 'at', 'data'];

/** The values of the ticket, its message and its two events, in the column orders above. */
function filingRows(filing: Filing, person: Person, number: number, now: number) {
  const id = uuidv7();
  const messageId = uuidv7();
  const ticket = [
    id,
    number,
    filing.subject,
    person.organization_id,
    person.id,
    person.id,
    filing.priority,
    'new',
    filing.channel,
    filing.requestType,
    person.tier,
    filing.reproduction?.steps ?? null,
    filing.reproduction?.expected ?? null,
    filing.reproduction?.actual ?? null,
    filing.reproduction?.environment ?? null,
    now,
    now,
  ];
  const message = [messageId, id, person.id, 'public', filing.bodyFormat, filing.body, now];
  const created = JSON.stringify({
    number,
    subject: filing.subject,
    priority: filing.priority,
    status: 'new',
    channel: filing.channel,
    requestType: filing.requestType,
    tier: person.tier,
    requesterId: person.id,
    organizationId: person.organization_id,
  });
  const added = JSON.stringify({ messageId, visibility: 'public', authorRole: person.role, initial: true });
  const events = [
    ...[uuidv7(), id, 'created', 'public', person.id, now, created],
    ...[uuidv7(), id, 'message_added', 'public', person.id, now, added],
  ];
  return { id, ticket, message, events };
}

// ---------------------------------------------------------------------------------------------
// The queue page

interface QueueRow {
  id: string;
  number: number;
  subject: string;
  priority: string;
  tier: string;
  status: string;
  organization_id: string;
  organization_name: string;
  assignee_id: string | null;
  assignee_name: string | null;
  sla_next_due_at: number | null;
  sla_first_response_due_at: number | null;
  sla_first_response_at: number | null;
  sla_next_response_due_at: number | null;
  sla_next_response_at: number | null;
  sla_update_due_at: number | null;
  sla_resolution_due_at: number | null;
  sla_resolved_at: number | null;
  sla_escalation_due_at: number | null;
}

/**
 * One band of the urgency order, soonest due first: the band expression is written exactly as
 * migration 20261207T1300-urgency indexes it, so the walk follows tickets_urgency_due_idx and stops
 * after the page; names come from primary-key lookups of the page's rows.
 */
export const bandQuery = (band: 0 | 1, limit: string) => `
  select t.id, t.number, t.subject, t.priority, t.tier, t.status,
    t.organization_id, o.name as organization_name, t.assignee_id, a.name as assignee_name,
    t.sla_next_due_at, t.sla_first_response_due_at, t.sla_first_response_at,
    t.sla_next_response_due_at, t.sla_next_response_at, t.sla_update_due_at,
    t.sla_resolution_due_at, t.sla_resolved_at, t.sla_escalation_due_at
  from tickets as t
  join organizations as o on o.id = t.organization_id
  left join users as a on a.id = t.assignee_id
  where (case when t.priority in ('P0', 'P1') then 0 else 1 end) = ${band}
    and t.sla_next_due_at is not null
  order by t.sla_next_due_at, t.id
  limit ${limit}`;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function presentRow(r: QueueRow) {
  return {
    id: r.id,
    number: r.number,
    subject: r.subject,
    priority: r.priority,
    tier: r.tier,
    status: r.status,
    organization: { id: r.organization_id, name: r.organization_name },
    assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null,
    sla: {
      nextDueAt: iso(r.sla_next_due_at),
      firstResponseDueAt: iso(r.sla_first_response_due_at),
      firstResponseAt: iso(r.sla_first_response_at),
      nextResponseDueAt: iso(r.sla_next_response_due_at),
      nextResponseAt: iso(r.sla_next_response_at),
      updateDueAt: iso(r.sla_update_due_at),
      resolutionDueAt: iso(r.sla_resolution_due_at),
      resolvedAt: iso(r.sla_resolved_at),
      escalationDueAt: iso(r.sla_escalation_due_at),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Storage: the same statements on either database

interface FloorStore {
  /** Files a ticket for the person, or undefined when no such customer exists. */
  file(who: Who, filing: Filing, now: number): Promise<Filed | undefined>;
  /** Up to `limit` tickets of the queue in urgency order. */
  queue(limit: number): Promise<QueueRow[]>;
  close(): Promise<void>;
}

// The subscription in force decides the tier; an organization without one is basic.
const PERSON = (where: string, at: string) => `
  select u.id, u.role, u.organization_id,
    coalesce((select s.tier from subscriptions as s
      where s.organization_id = u.organization_id and s.term_start <= ${at} and s.term_end > ${at}
      order by s.term_start desc limit 1), 'basic') as tier
  from users as u
  where ${where} and u.organization_id is not null and u.deactivated_at is null`;

const insertSql = (table: string, columns: readonly string[], rows: number, mark: (i: number) => string) => {
  let n = 0;
  const tuples = Array.from({ length: rows }, () => `(${columns.map(() => mark(++n)).join(', ')})`).join(
    ', ',
  );
  return `insert into ${table} (${columns.join(', ')}) values ${tuples}`;
};

function sqliteStore(file: string): FloorStore {
  const db = new SQLite(file);
  // As Accord opens its database (src/db/database.ts).
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  const mark = () => '?';
  const personById = db.prepare<[number, number, string], Person>(PERSON('u.id = ?', '?'));
  const personByEmail = db.prepare<[number, number, string], Person>(PERSON('u.email = ?', '?'));
  // The counter Accord numbers tickets with on SQLite (src/tickets/ledger-repository.ts).
  const nextNumber = db.prepare<[], { value: number }>(
    `insert into counters (name, value) values ('ticket_number', 1001)
     on conflict (name) do update set value = counters.value + 1 returning value`,
  );
  const insertTicket = db.prepare(insertSql('tickets', TICKET_COLUMNS, 1, mark));
  const insertMessage = db.prepare(insertSql('ticket_messages', MESSAGE_COLUMNS, 1, mark));
  const insertEvents = db.prepare(insertSql('ticket_events', EVENT_COLUMNS, 2, mark));
  const bands = [0, 1].map((band) => db.prepare<[number], QueueRow>(bandQuery(band as 0 | 1, '?')));
  const fileTicket = db.transaction((filing: Filing, person: Person, now: number): Filed => {
    const number = nextNumber.get()!.value;
    const rows = filingRows(filing, person, number, now);
    insertTicket.run(rows.ticket);
    insertMessage.run(rows.message);
    insertEvents.run(rows.events);
    return { id: rows.id, number };
  });
  return {
    async file(who, filing, now) {
      const person = 'id' in who ? personById.get(now, now, who.id) : personByEmail.get(now, now, who.email);
      return person ? fileTicket(filing, person, now) : undefined;
    },
    async queue(limit) {
      const rows = bands[0]!.all(limit);
      if (rows.length < limit) rows.push(...bands[1]!.all(limit - rows.length));
      return rows;
    },
    async close() {
      db.close();
    },
  };
}

// int8 holds epoch milliseconds: read as numbers, as Accord's pool does.
const INT8_OID = 20;
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === INT8_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  },
};

function postgresStore(url: string, schema: string | undefined): FloorStore {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: pgTypes,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const mark = (i: number) => `$${i}`;
  // The number comes from Accord's sequence in the same round trip as the person; as in Accord, a
  // filing that fails afterwards skips a number.
  const numbered = (where: string) =>
    `select p.*, nextval('ticket_number_seq') as number from (${PERSON(where, '$1')}) as p`;
  const personById = numbered('u.id = $2');
  const personByEmail = numbered('u.email = $2');
  const insertTicket = insertSql('tickets', TICKET_COLUMNS, 1, mark);
  const insertMessage = insertSql('ticket_messages', MESSAGE_COLUMNS, 1, mark);
  const insertEvents = insertSql('ticket_events', EVENT_COLUMNS, 2, mark);
  const bands = [0, 1].map((band) => bandQuery(band as 0 | 1, '$1'));
  return {
    async file(who, filing, now) {
      const found = await pool.query<Person & { number: number }>({
        name: 'id' in who ? 'floor-person-by-id' : 'floor-person-by-email',
        text: 'id' in who ? personById : personByEmail,
        values: [now, 'id' in who ? who.id : who.email],
      });
      const person = found.rows[0];
      if (!person) return undefined;
      const rows = filingRows(filing, person, person.number, now);
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query({ name: 'floor-insert-ticket', text: insertTicket, values: rows.ticket });
        await client.query({ name: 'floor-insert-message', text: insertMessage, values: rows.message });
        await client.query({ name: 'floor-insert-events', text: insertEvents, values: rows.events });
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      return { id: rows.id, number: person.number };
    },
    async queue(limit) {
      const band = (b: 0 | 1, take: number) =>
        pool.query<QueueRow>({ name: `floor-queue-band-${b}`, text: bands[b]!, values: [take] });
      const rows = (await band(0, limit)).rows;
      if (rows.length < limit) rows.push(...(await band(1, limit - rows.length)).rows);
      return rows;
    },
    close: () => pool.end(),
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP and SMTP

type CreateBody = z.infer<typeof ticketCreate>;

// Accord's body schema as JSON Schema, for fastify's compiled validator (draft-07, its default).
const createBodySchema = z.toJSONSchema(ticketCreate, { io: 'input', target: 'draft-7' });
const nullableText = { type: ['string', 'null'] };
const queuePageSchema = {
  type: 'object',
  properties: {
    data: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          number: { type: 'integer' },
          subject: { type: 'string' },
          priority: { type: 'string' },
          tier: { type: 'string' },
          status: { type: 'string' },
          organization: {
            type: 'object',
            properties: { id: { type: 'string' }, name: { type: 'string' } },
          },
          assignee: {
            type: ['object', 'null'],
            properties: { id: { type: 'string' }, name: { type: 'string' } },
          },
          sla: {
            type: 'object',
            properties: Object.fromEntries(
              [
                'nextDueAt',
                'firstResponseDueAt',
                'firstResponseAt',
                'nextResponseDueAt',
                'nextResponseAt',
                'updateDueAt',
                'resolutionDueAt',
                'resolvedAt',
                'escalationDueAt',
              ].map((name) => [name, nullableText]),
            ),
          },
        },
      },
    },
    nextCursor: nullableText,
  },
} as const;

/** Starts the floor's HTTP server and SMTP listener on a migrated, seeded database. */
export async function startFloor(options: FloorOptions): Promise<Floor> {
  const store =
    options.database.dialect === 'sqlite'
      ? sqliteStore(options.database.file)
      : postgresStore(options.database.url, options.database.schema);

  const app = Fastify({ logger: false });
  app.get('/api/v1/health', async () => ({ ok: true }));
  app.post<{ Body: CreateBody }>('/api/v1/tickets', {
    schema: {
      body: createBodySchema,
      response: {
        201: {
          type: 'object',
          properties: { id: { type: 'string' }, number: { type: 'integer' } },
        },
      },
    },
    handler: async (request, reply) => {
      const body = request.body;
      const subject = body.subject.trim();
      const text = body.body.trim();
      if (!body.requesterId || !subject || !text)
        return reply.code(422).send({ title: 'a requester, a subject and a body are needed' });
      const filed = await store.file(
        { id: body.requesterId },
        {
          subject,
          body: text,
          bodyFormat: body.bodyFormat ?? 'text',
          priority: body.priority,
          requestType: body.requestType ?? 'question',
          channel: body.channel ?? 'api',
          reproduction: body.reproduction,
        },
        Date.now(),
      );
      if (!filed) return reply.code(422).send({ title: 'no such customer' });
      return reply.code(201).send(filed);
    },
  });
  app.get<{ Querystring: { sort: string; limit: number } }>('/api/v1/tickets', {
    schema: {
      querystring: {
        type: 'object',
        properties: {
          sort: { type: 'string', enum: ['urgency'], default: 'urgency' },
          limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
        },
      },
      response: { 200: queuePageSchema },
    },
    handler: async (request) => {
      const limit = request.query.limit;
      // One more than the page tells whether there is a next one.
      const rows = await store.queue(limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        data: page.map(presentRow),
        nextCursor:
          rows.length > limit && last
            ? `${last.priority === 'P0' || last.priority === 'P1' ? 0 : 1}:${last.sla_next_due_at}:${last.id}`
            : null,
      };
    },
  });
  await app.listen({ host: options.host, port: options.httpPort });

  const domain = options.supportEmail.slice(options.supportEmail.lastIndexOf('@') + 1).toLowerCase();
  const fileMail = async (raw: Buffer): Promise<Filed> => {
    const mail = await parseMail(raw);
    if (!mail.from) throw new Error('no sender');
    const filed = await store.file(
      { email: mail.from.address },
      {
        subject: mail.subject || '(no subject)',
        body: mail.text || '(no text)',
        bodyFormat: 'text',
        priority: 'P3',
        requestType: 'question',
        channel: 'email',
      },
      Date.now(),
    );
    if (!filed) throw new Error(`unknown sender ${mail.from.address}`);
    return filed;
  };
  // The same listener settings as Accord's (src/channels/email/smtp-listener.ts), without TLS.
  const smtp = new SMTPServer({
    name: domain,
    banner: 'Accord floor',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: options.maxMailBytes,
    maxClients: 100,
    socketTimeout: 60_000,
    logger: false,
    onRcptTo(address, _session, callback) {
      const recipient = address.address.toLowerCase();
      if (recipient.slice(recipient.lastIndexOf('@') + 1) !== domain)
        return callback(Object.assign(new Error('5.7.1 Not a relay'), { responseCode: 550 }));
      callback();
    },
    onData(stream: SMTPServerDataStream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        if (!stream.sizeExceeded) chunks.push(chunk);
      });
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error('5.3.4 Message too big'), { responseCode: 552 }));
          return;
        }
        fileMail(Buffer.concat(chunks))
          .then((filed) => callback(null, `2.0.0 Accepted: ticket ${filed.number}`))
          .catch(() => callback(Object.assign(new Error('4.3.0 Temporary failure'), { responseCode: 451 })));
      });
    },
  });
  smtp.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(options.smtpPort, options.host, () => {
      smtp.off('error', reject);
      resolve();
    });
  });

  return {
    httpPort: (app.server.address() as AddressInfo).port,
    smtpPort: (smtp.server.address() as AddressInfo).port,
    async close() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await app.close();
      await store.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// As a process of its own

async function main() {
  const env = process.env;
  const database: FloorDatabase = env.FLOOR_DATABASE_URL
    ? { dialect: 'postgres', url: env.FLOOR_DATABASE_URL, schema: env.FLOOR_PG_SCHEMA || undefined }
    : { dialect: 'sqlite', file: env.FLOOR_SQLITE_FILE || './data/accord.sqlite' };
  const floor = await startFloor({
    database,
    host: env.FLOOR_HOST || '127.0.0.1',
    httpPort: Number(env.FLOOR_PORT || 0),
    smtpPort: Number(env.FLOOR_SMTP_PORT || 0),
    supportEmail: env.FLOOR_SUPPORT_EMAIL || 'support@accord.localhost',
    maxMailBytes: 25 * 1024 * 1024,
  });
  const stop = () => {
    floor.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
  if (process.send) process.send({ type: 'ready', http: floor.httpPort, smtp: floor.smtpPort });
  else process.stdout.write(`floor: HTTP on ${floor.httpPort}, SMTP on ${floor.smtpPort}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
