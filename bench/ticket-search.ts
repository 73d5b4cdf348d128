/**
 * `npm run bench:search`: ticket search (GET /api/v1/tickets?q=) over BENCH_SEARCH_TICKETS tickets
 * (default 1,000,000) with three messages each (an opening, a reply, an internal note), on SQLite
 * (FTS5) and PostgreSQL (tsvector + GIN).
 *
 * The desk's history is written directly in bulk: tickets, messages and their search rows, stemmed
 * with the search's own analyzers; a third of the tickets are in French, and each message carries a
 * few asset tags and part names from a vocabulary of 20,000, so that words have the long tail of a
 * real desk. Then, over real HTTP on loopback, with BENCH_SEARCH_CLIENTS (default 10) concurrent
 * clients, the median and p95 of:
 *
 * - a one-word query (a tag or part name), a two-word query (two words of one ticket), a phrase (two
 *   consecutive words of one ticket, in quotes), and a one-word query filtered by organization and
 *   status, all by relevance, as an agent; plus one common word (about one ticket in ten) as the
 *   worst case;
 * - filing a ticket (POST /api/v1/tickets) with the search's indexing and, as the floor in the same
 *   run, with it switched off: the ratio is what indexing costs a filing.
 *
 * Each query kind's plan is printed (SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN ANALYZE).
 * Environment: BENCH_SEARCH_TICKETS, BENCH_SEARCH_QUERIES (per kind, default 400), BENCH_SEARCH_CLIENTS,
 * BENCH_DATABASES (sqlite,postgres), BENCH_DATABASE_URL, BENCH_KEEP=1.
 */
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Db, DialectName } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { TicketMessageRow } from '../src/db/tables.js';
import { headStream, stemStream } from '../src/search/analysis.js';
import { tsvectorLiteral } from '../src/search/expressions.js';
import { buildApp } from '../src/server.js';
import { startServices } from '../src/services.js';
import {
  createLog,
  DAY,
  dialectsEnv,
  eachDatabase,
  int,
  intEnv,
  LABEL,
  machine,
  MAX_PARAMETERS,
  ms,
  openTarget,
  registerCleanup,
  runBenchmark,
  secs,
  settleDatabase,
} from './support/common.js';
import {
  Numbers,
  RawWriter,
  rng,
  seedDesk,
  TicketFactory,
  Timeline,
  type GeneratedTicket,
} from './support/desk.js';
import { Capture, explainCaptured } from './support/explain.js';
import { postMany } from './support/load.js';
import { TicketSearchRepository } from '../src/search/repository.js';
import { TicketSearch } from '../src/search/service.js';
import type { TicketFilter } from '../src/tickets/repository.js';

const TOTAL = intEnv('BENCH_SEARCH_TICKETS', 1_000_000);
const QUERIES = Math.max(20, intEnv('BENCH_SEARCH_QUERIES', 400));
const CLIENTS = Math.max(1, intEnv('BENCH_SEARCH_CLIENTS', 10));
const DATABASES = dialectsEnv('BENCH_DATABASES');
const BATCH = 2000;
const FILINGS = 300;
const ORGANIZATIONS = 100;
const log = createLog(10);

// ---------------------------------------------------------------------------------------------
// The corpus: the bench desk's English tickets, French ones, and a long tail of tags and parts.

const FRENCH_SUBJECTS = [
  'Les ordres de travail ne se synchronisent plus',
  'Impossible d’exporter le registre des équipements',
  'Le plan de maintenance préventive a sauté une semaine',
  'Les imprimantes d’étiquettes ne répondent plus',
  'La connexion SSO revient à la page d’accueil',
  'Les notifications arrivent avec des heures de retard',
];
const FRENCH_PARAGRAPHS = [
  'Depuis ce matin plusieurs techniciens signalent le même comportement sur différents sites, juste après la dernière mise à jour.',
  'Nous avons essayé de nous déconnecter et de réinstaller l’application, sans aucun changement sur les tablettes.',
  'Pouvez-vous nous dire s’il s’agit d’un problème connu et quand une correction est prévue ? Nous avons un audit la semaine prochaine.',
  'Cela bloque une vingtaine de personnes à l’usine, nous apprécierions une réponse rapide de votre équipe.',
];
const REPLIES = [
  'Thanks for the details. Could you send us the logs from one of the affected devices and the time it last happened?',
  'We reproduced the problem on our side and a fix is planned for the next release; we will keep you posted here.',
  'Merci pour ces informations. Pourriez-vous nous envoyer les journaux de l’un des appareils concernés ?',
];
const NOTES = [
  'Internal: same root cause as the sync regression, engineering has the ticket; do not promise a date.',
  'Internal: customer is on an old app version, ask them to upgrade before escalating.',
];
const SYLLABLES = [
  'ka',
  'ro',
  'ven',
  'tal',
  'mi',
  'sor',
  'dex',
  'lu',
  'bra',
  'qui',
  'zen',
  'pol',
  'tor',
  'nix',
  'gal',
];

/** Invented part names and asset tags: rare words, as a desk's product names and identifiers are. */
function vocabulary(size: number, random: () => number): string[] {
  const words = new Set<string>();
  while (words.size < size) {
    const n = 2 + Math.floor(random() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)]!;
    words.add(random() < 0.3 ? `${w}${Math.floor(random() * 90) + 10}` : w);
  }
  return [...words];
}

interface Fixture {
  rows: GeneratedTicket;
  messages: TicketMessageRow[];
  tags: string[];
  organizationId: string;
}

class Corpus {
  private readonly random = rng(99);
  readonly words = vocabulary(20_000, this.random);

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }

  /** A ticket of the factory's, a third of them in French, with a reply, an internal note and tags. */
  extend(rows: GeneratedTicket): Fixture {
    const tags = [this.pick(this.words), this.pick(this.words), this.pick(this.words)];
    if (this.random() < 0.33) {
      rows.ticket.subject = this.pick(FRENCH_SUBJECTS);
      rows.message.body = `Bonjour,\n\n${this.pick(FRENCH_PARAGRAPHS)} ${this.pick(FRENCH_PARAGRAPHS)}\n\nMerci,`;
    }
    rows.message.body += `\n\nAsset ${tags[0]} ${tags[1]}.`;
    const at = rows.message.created_at;
    const reply: TicketMessageRow = {
      ...rows.message,
      id: uuidv7({ msecs: at + 1 }),
      body: `${this.pick(REPLIES)} Part ${tags[2]}.`,
      created_at: at + 60_000,
    };
    const note: TicketMessageRow = {
      ...rows.message,
      id: uuidv7({ msecs: at + 2 }),
      visibility: 'internal',
      body: `${this.pick(NOTES)} See ${tags[1]} ${tags[2]}.`,
      created_at: at + 120_000,
    };
    return { rows, messages: [rows.message, reply, note], tags, organizationId: rows.ticket.organization_id };
  }
}

// ---------------------------------------------------------------------------------------------
// Bulk writing: tickets, messages, events and search rows in one transaction per batch.

function* chunks<T>(rows: T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

async function writeBatch(
  db: Db,
  batch: Fixture[],
  names: Map<string, { name: string; email: string; organization: string }>,
  nextId: { value: number },
) {
  const perStatement = (sample: object) =>
    Math.floor(MAX_PARAMETERS[db.dialect] / Object.keys(sample).length);
  const tickets = batch.map((f) => f.rows.ticket);
  const messages = batch.flatMap((f) => f.messages);
  const events = batch.flatMap((f) => f.rows.events);
  const documents = batch.map((f) => {
    const person = names.get(f.rows.ticket.requester_id)!;
    const head = headStream({
      number: f.rows.ticket.number,
      subject: f.rows.ticket.subject,
      requesterName: person.name,
      requesterEmail: person.email,
      organizationName: person.organization,
      opening: f.messages[0]!.body,
    });
    const streams = {
      head,
      public: f.messages
        .filter((m) => m.visibility === 'public')
        .map((m) => stemStream(m.body))
        .join(' '),
      internal: f.messages
        .filter((m) => m.visibility !== 'public')
        .map((m) => stemStream(m.body))
        .join(' '),
    };
    return {
      id: nextId.value++,
      ticket_id: f.rows.ticket.id,
      ...streams,
      ...(db.dialect === 'postgres' ? { search_vector: tsvectorLiteral(streams) } : {}),
    };
  });
  await db.kysely.transaction().execute(async (trx) => {
    for (const rows of chunks(tickets, perStatement(tickets[0]!)))
      await trx.insertInto('tickets').values(rows).execute();
    for (const rows of chunks(messages, perStatement(messages[0]!)))
      await trx.insertInto('ticket_messages').values(rows).execute();
    for (const rows of chunks(events, perStatement(events[0]!)))
      await trx.insertInto('ticket_events').values(rows).execute();
    const search = trx.withTables<{
      ticket_search_documents: {
        id: number;
        ticket_id: string;
        head: string;
        public: string;
        internal: string;
        search_vector?: string;
      };
    }>();
    for (const rows of chunks(documents, perStatement(documents[0]!)))
      await search.insertInto('ticket_search_documents').values(rows).execute();
  });
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface Timing {
  median: number;
  p95: number;
  ok: number;
  failed: number;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** Runs the paths from `clients` concurrent clients, each request timed alone. */
async function timeQueries(base: string, token: string, paths: string[], clients: number): Promise<Timing> {
  const times: number[] = [];
  let next = 0;
  let failed = 0;
  const client = async () => {
    while (next < paths.length) {
      const path = paths[next++]!;
      const started = performance.now();
      const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      await response.arrayBuffer();
      const elapsed = performance.now() - started;
      if (response.ok) times.push(elapsed);
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  times.sort((a, b) => a - b);
  return { median: quantile(times, 0.5), p95: quantile(times, 0.95), ok: times.length, failed };
}

/** The database's plan for the page query of one search, as the search repository builds it. */
async function plan(db: Db, q: string, filter: TicketFilter): Promise<string[]> {
  const capture = new Capture();
  const search = new TicketSearch(new TicketSearchRepository(db.kysely.withPlugin(capture), db.dialect));
  await search.search({ q, reader: 'staff', filter, order: undefined, limit: 25, cursor: undefined });
  const lines = (await explainCaptured(db, capture, db.kysely, 'the search')).plan.map((line) =>
    line.trimEnd(),
  );
  // PostgreSQL's plan without its buffer and cost details: which index finds the rows, and the timing.
  return db.dialect === 'sqlite'
    ? lines
    : lines
        .filter((line) => !/^\s*(Buffers|Planning:|Heap Blocks|Buckets|Sort Method)/.test(line))
        .map((line) => line.replace(/\s*\(cost=[^)]*\)/, ''));
}

// ---------------------------------------------------------------------------------------------
// One database

interface Result {
  dialect: DialectName;
  version: string;
  fillPerSecond: number;
  queries: { kind: string; timing: Timing; alone: Timing; plan: string[] }[];
  floor: Timing;
  filing: { withIndex: number; without: number };
}

async function measure(dialect: DialectName): Promise<Result | undefined> {
  const target = await openTarget(dialect, {
    log,
    tmpPrefix: 'accord-bench-search-',
    schemaPrefix: 'bench_search',
  });
  if (!target) return undefined;
  const { db, config } = target;
  const version = dialect === 'sqlite' ? target.engine : `${target.engine}, schema ${target.schema}`;
  log(`${LABEL[dialect]}: ${version}`);
  try {
    await migrateToLatest(db);
    const now = Date.now();
    const services = await startServices(config, db);
    const policy = await db.kysely
      .selectFrom('policy_versions')
      .select('id')
      .orderBy('effective_from', 'desc')
      .executeTakeFirst();
    const desk = await seedDesk(services, { organizations: ORGANIZATIONS, agents: 8 }, now);
    const names = new Map<string, { name: string; email: string; organization: string }>();
    for (const user of await db.kysely
      .selectFrom('users as u')
      .leftJoin('organizations as o', 'o.id', 'u.organization_id')
      .select(['u.id', 'u.name', 'u.email', 'o.name as organization'])
      .execute())
      names.set(user.id, { name: user.name, email: user.email, organization: user.organization ?? '' });

    // The history, written in bulk with its search rows.
    const factory = new TicketFactory(desk, now, policy?.id ?? null);
    const corpus = new Corpus();
    const writer = new RawWriter(db);
    const numbers = new Numbers(await writer.lastTicketNumber());
    const timeline = new Timeline(TOTAL, now - 2 * 365 * DAY, now - 60_000);
    const sample: Fixture[] = [];
    const nextId = { value: 1 };
    const started = performance.now();
    for (let written = 0; written < TOTAL;) {
      const size = Math.min(BATCH, TOTAL - written);
      const batch = Array.from({ length: size }, () =>
        corpus.extend(factory.rows(numbers.take(), timeline.take())),
      );
      for (const f of batch) if (sample.length < 5000 && Math.random() < 0.05) sample.push(f);
      await writeBatch(db, batch, names, nextId);
      written += size;
      if (written % Math.max(BATCH, Math.floor(TOTAL / 10)) < BATCH || written === TOTAL)
        log(
          `filling: ${int(written)} / ${int(TOTAL)} tickets, ${int(written / ((performance.now() - started) / 1000))} tickets/s`,
        );
    }
    await writer.setLastTicketNumber(numbers.current);
    if (dialect === 'sqlite') {
      const rebuild = performance.now();
      await sql`insert into ticket_search_fts(ticket_search_fts) values ('rebuild')`.execute(db.kysely);
      log(`FTS5 index built in ${secs((performance.now() - rebuild) / 1000)}`);
    } else {
      await sql`select setval(pg_get_serial_sequence('ticket_search_documents', 'id'), ${nextId.value})`.execute(
        db.kysely,
      );
    }
    const fillSeconds = (performance.now() - started) / 1000;
    log(`filled ${int(TOTAL)} tickets (${int(TOTAL * 3)} messages) in ${secs(fillSeconds)}`);
    await settleDatabase(db, ['tickets', 'ticket_messages', 'ticket_events', 'ticket_search_documents']);

    const app = await buildApp({ config, services, logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const closeApp = registerCleanup(() => app.close());
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    try {
      const random = rng(5);
      const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
      // Two words that stand side by side in the ticket's opening message.
      const phraseOf = (f: Fixture) => {
        const words = f.messages[0]!.body.split(/\s+/);
        const pairs: string[] = [];
        for (let i = 0; i + 1 < words.length; i++)
          if (/^[a-z]{4,}$/i.test(words[i]!) && /^[a-z]{4,}$/i.test(words[i + 1]!))
            pairs.push(`"${words[i]} ${words[i + 1]}"`);
        return pairs.length > 0 ? pick(pairs) : `"${f.tags[0]} ${f.tags[1]}"`;
      };
      const largest = desk.organizations[0]!.id;
      const path = (q: string, extra = '') => `/api/v1/tickets?q=${encodeURIComponent(q)}&limit=25${extra}`;
      const kinds: { kind: string; paths: string[]; planQuery: string; planFilter: TicketFilter }[] = [
        { kind: 'one word', paths: [], planQuery: '', planFilter: {} },
        { kind: 'two words', paths: [], planQuery: '', planFilter: {} },
        { kind: 'phrase', paths: [], planQuery: '', planFilter: {} },
        { kind: 'org + status', paths: [], planQuery: '', planFilter: {} },
        { kind: 'common word', paths: [], planQuery: '', planFilter: {} },
      ];
      // The floor: the same page of the ticket list without q, as the console asks for it.
      const floor = await timeQueries(
        base,
        desk.agentToken,
        Array.from({ length: QUERIES }, () => '/api/v1/tickets?status=new,open&limit=25'),
        CLIENTS,
      );
      log(
        `list, no q    median ${ms(floor.median)}, p95 ${ms(floor.p95)} (the floor: same page size, no search)`,
      );
      for (let i = 0; i < QUERIES; i++) {
        const f = pick(sample);
        kinds[0]!.paths.push(path(pick(f.tags)));
        kinds[1]!.paths.push(path(`${f.tags[0]} ${f.tags[2]}`));
        kinds[2]!.paths.push(path(phraseOf(f)));
        kinds[3]!.paths.push(path(pick(corpus.words), `&organizationId=${largest}&status=new,open`));
        kinds[4]!.paths.push(path(pick(['scanner', 'dashboard', 'notifications', 'imprimantes'])));
      }
      const f = sample[0]!;
      kinds[0]!.planQuery = f.tags[0]!;
      kinds[1]!.planQuery = `${f.tags[0]} ${f.tags[2]}`;
      kinds[2]!.planQuery = phraseOf(f);
      kinds[3]!.planQuery = corpus.words[0]!;
      kinds[3]!.planFilter = { organizationId: largest, status: ['new', 'open'] };
      kinds[4]!.planQuery = 'scanner';

      const queries: Result['queries'] = [];
      for (const k of kinds) {
        await timeQueries(base, desk.agentToken, k.paths.slice(0, 20), CLIENTS);
        const alone = await timeQueries(
          base,
          desk.agentToken,
          k.paths.slice(0, Math.ceil(k.paths.length / 4)),
          1,
        );
        const timing = await timeQueries(base, desk.agentToken, k.paths, CLIENTS);
        log(
          `${k.kind.padEnd(13)} median ${ms(timing.median)}, p95 ${ms(timing.p95)} (${int(timing.ok)} queries, ${CLIENTS} clients)` +
            `; one client alone: median ${ms(alone.median)}, p95 ${ms(alone.p95)}` +
            (timing.failed ? `  !! ${timing.failed} failed` : ''),
        );
        queries.push({ kind: k.kind, timing, alone, plan: await plan(db, k.planQuery, k.planFilter) });
      }

      // Filing with the index, then without it (the floor), twice, alternating.
      const bodies = Array.from({ length: 64 }, () => factory.apiBody());
      const index = services.ticketSearch.reindex.bind(services.ticketSearch);
      const rates = { withIndex: 0, without: 0 };
      await postMany(base, '/api/v1/tickets', desk.agentToken, bodies, 50, 8);
      for (let round = 0; round < 2; round++) {
        for (const indexing of [true, false]) {
          services.ticketSearch.reindex = indexing ? index : async () => undefined;
          const outcome = await postMany(base, '/api/v1/tickets', desk.agentToken, bodies, FILINGS, 32);
          rates[indexing ? 'withIndex' : 'without'] += outcome.perSecond / 2;
        }
      }
      services.ticketSearch.reindex = index;
      log(
        `filing: ${int(rates.withIndex)} tickets/s with indexing, ${int(rates.without)} without (floor): ` +
          `${((rates.withIndex / rates.without) * 100).toFixed(1)}% of the floor`,
      );
      return { dialect, version, fillPerSecond: TOTAL / fillSeconds, queries, floor, filing: rates };
    } finally {
      await closeApp();
    }
  } finally {
    await target.cleanup();
  }
}

runBenchmark(async () => {
  log(
    `ticket search: ${int(TOTAL)} tickets, ${int(QUERIES)} queries per kind, ${CLIENTS} clients; ${machine()}`,
  );
  const results = await eachDatabase(DATABASES, measure);
  if (!results) return;
  for (const result of results) {
    if (!result) continue;
    process.stdout.write(`\n## ${LABEL[result.dialect]} (${result.version})\n\n`);
    process.stdout.write(
      `| query | median | p95 (${CLIENTS} clients) | target p95 < 50 ms | one client: median, p95 |\n|---|---|---|---|---|\n`,
    );
    for (const q of result.queries)
      process.stdout.write(
        `| ${q.kind} | ${ms(q.timing.median)} | ${ms(q.timing.p95)} | ${q.timing.p95 < 50 ? 'met' : 'MISSED'} | ${ms(q.alone.median)}, ${ms(q.alone.p95)} |\n`,
      );
    process.stdout.write(
      `| list without q (floor) | ${ms(result.floor.median)} | ${ms(result.floor.p95)} | | |\n`,
    );
    process.stdout.write(
      `\nfiling with indexing: ${int(result.filing.withIndex)}/s; without: ${int(result.filing.without)}/s; ratio ${(result.filing.withIndex / result.filing.without).toFixed(3)} (target >= 0.90)\n`,
    );
    for (const q of result.queries) {
      process.stdout.write(`\nplan, ${q.kind}:\n`);
      for (const line of q.plan) process.stdout.write(`  ${line}\n`);
    }
  }
});
