/**
 * `npm run bench:chat`: live chat with many visitors connected at once. The desk runs as its own
 * process (`accord serve`, as in production) so that the clients' work does not count as the
 * server's; this process plays every client over loopback WebSockets:
 *
 * - CHAT_CONNECTIONS visitors (default 5,000), each with its own conversation (started through the
 *   chat service before the server starts, each from its own address), joined over a WebSocket and
 *   held open for the whole run;
 * - CHAT_AGENTS agents (default 20) online with capacity CHAT_CAPACITY (default 20, the most the
 *   presence API allows) who accept that many chats each through the API, their consoles on one
 *   WebSocket each, joined to their chats;
 * - a steady phase: CHAT_MESSAGES visitor messages (default 2,000) at CHAT_RATE per second (default
 *   200), spread over the accepted chats; the latency is from the visitor's send frame to the
 *   agent's socket receiving the message (stored, then announced), and to the visitor's ack;
 * - a burst: CHAT_BURST messages (default 5,000) with CHAT_WINDOW in flight (default 200), for the
 *   most messages per second the desk carries while all connections stay open.
 *
 * Reported: connections held (each visitor answers a ping at the end), the server's resident memory
 * before and after the connections and after the messages, its CPU use, latency p50/p99/max and
 * throughput. Each process needs an open-file limit above the connection count (`ulimit -n`).
 *
 * Environment: those above, BENCH_DATABASES (default sqlite; postgres when BENCH_DATABASE_URL is
 * set), BENCH_DATABASE_URL, BENCH_KEEP=1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import type { ChatMessageOut, ServerFrame } from '../src/channels/chat/model.js';
import type { DialectName } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createServices } from '../src/services.js';
import {
  LABEL,
  PG_URL,
  createLog,
  eachDatabase,
  dialectsEnv,
  int,
  intEnv,
  machine,
  openTarget,
  registerCleanup,
  runBenchmark,
  secs,
} from './support/common.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CONNECTIONS = Math.max(1, intEnv('CHAT_CONNECTIONS', 5000));
const AGENTS = Math.max(1, intEnv('CHAT_AGENTS', 20));
const CAPACITY = Math.min(20, Math.max(1, intEnv('CHAT_CAPACITY', 20)));
const MESSAGES = Math.max(1, intEnv('CHAT_MESSAGES', 2000));
const RATE = Math.max(1, intEnv('CHAT_RATE', 200));
const BURST = intEnv('CHAT_BURST', 5000);
const WINDOW = Math.max(1, intEnv('CHAT_WINDOW', 200));
const OPEN_CONCURRENCY = 100;
/** Sockets, database connections, log files: what a process holds besides the chat connections. */
const FD_MARGIN = 200;
const DATABASES: DialectName[] = process.env.BENCH_DATABASES
  ? dialectsEnv('BENCH_DATABASES')
  : process.env.BENCH_DATABASE_URL
    ? ['postgres']
    : ['sqlite'];

const log = createLog(8);

// ---------------------------------------------------------------------------------------------
// Measures

const percentile = (sorted: number[], q: number) =>
  sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

interface Latency {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? NaN,
  };
}

const latencyText = (l: Latency) =>
  `p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, max ${l.max.toFixed(1)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** A process's resident memory, from /proc (Linux). */
function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status);
  return kb ? Number(kb[1]) * 1024 : NaN;
}

/** CPU seconds a process has used (user + system), from /proc (Linux). */
function cpuOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** This process's open-file limits (inherited by the server it starts). */
function fileLimits(): { soft: number; hard: number } {
  const limits = fs.readFileSync('/proc/self/limits', 'utf8');
  const line = /Max open files\s+(\S+)\s+(\S+)/.exec(limits);
  const value = (s: string | undefined) => (s === undefined || s === 'unlimited' ? Infinity : Number(s));
  return { soft: value(line?.[1]), hard: value(line?.[2]) };
}

// ---------------------------------------------------------------------------------------------
// The server process

interface Server {
  url: string;
  pid: number;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts `accord serve` on a free loopback port and waits until it says where it listens. */
function startServer(env: Record<string, string>): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'src/cli.ts'), 'serve'],
      {
        cwd: ROOT,
        env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const stop = () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      });
    const onData = (d: Buffer) => {
      output += d.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        child.stdout!.off('data', onData);
        child.stderr!.off('data', onData);
        child.stdout!.on('data', (more: Buffer) => (output += more.toString()));
        child.stderr!.on('data', (more: Buffer) => (output += more.toString()));
        resolve({ url: match[1]!, pid: child.pid!, output: () => output, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}:\n${output}`)));
  });
}

// ---------------------------------------------------------------------------------------------
// The clients

/** A chat socket of this process: frames go to one handler; `joined` resolves on the join's answer. */
class Client {
  onFrame: (frame: ServerFrame) => void = () => undefined;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.onFrame(JSON.parse((data as Buffer).toString('utf8')) as ServerFrame));
    ws.on('error', () => undefined);
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers, perMessageDeflate: false });
      const client = new Client(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  send(frame: object) {
    this.ws.send(JSON.stringify(frame));
  }

  /** Resolves on the first frame that matches. */
  when(match: (frame: ServerFrame) => boolean, timeoutMs = 60_000): Promise<ServerFrame> {
    return new Promise((resolve, reject) => {
      const previous = this.onFrame;
      const timer = setTimeout(() => {
        this.onFrame = previous;
        reject(new Error('no answer from the desk'));
      }, timeoutMs);
      this.onFrame = (frame) => {
        if (match(frame)) {
          clearTimeout(timer);
          this.onFrame = previous;
          resolve(frame);
        } else previous(frame);
      };
    });
  }
}

/** Runs `work` over the items with at most `concurrency` at once. */
async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

async function http<T>(url: string, method: string, token: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

// ---------------------------------------------------------------------------------------------
// One run

interface Visitor {
  conversationId: string;
  token: string;
  client?: Client;
}

interface Result {
  dialect: DialectName;
  skipped?: boolean;
  seedSeconds?: number;
  connectSeconds?: number;
  held?: number;
  rssIdle?: number;
  rssConnected?: number;
  rssAfter?: number;
  clientRss?: number;
  steady?: { delivery: Latency; ack: Latency; seconds: number; lost: number; cpu: number };
  burst?: { delivery: Latency; perSecond: number; lost: number; cpu: number };
  stored?: number;
}

async function runDatabase(dialect: DialectName): Promise<Result> {
  log.stage = dialect;
  const target = await openTarget(dialect, {
    log,
    tmpPrefix: 'accord-bench-chat-',
    schemaPrefix: 'bench_chat',
    env: { HOST: '127.0.0.1', PORT: '0' },
  });
  if (!target) return { dialect, skipped: true };
  let server: Server | undefined;
  const clients: Client[] = [];
  const closeClients = registerCleanup(async () => {
    for (const c of clients) c.ws.terminate();
  });
  try {
    const { db, config } = target;
    log(target.engine);
    await migrateToLatest(db);

    // The desk's people and chats, written through its services before the server starts.
    const seedStarted = performance.now();
    const services = createServices(config, db);
    await services.policy.ensureDefault();
    const agents: { id: string; token: string; name: string }[] = [];
    for (let i = 0; i < AGENTS; i++) {
      const user = await services.users.create(null, {
        email: `agent${i}@bench.test`,
        name: `Agent ${i}`,
        role: 'agent',
      });
      agents.push({
        id: user.id,
        name: user.name,
        token: (await services.auth.createToken(user.id, 'bench')).token,
      });
    }
    const visitors: Visitor[] = new Array(CONNECTIONS);
    await pool([...visitors.keys()], dialect === 'postgres' ? 8 : 1, async (i) => {
      const started = await services.chat.service.start(
        {
          name: `Visitor ${i}`,
          email: `visitor${i}@customer${i % 50}.example`,
          message: 'Hello, is anyone there?',
        },
        `bench-address-${i}`,
      );
      visitors[i] = { conversationId: started.conversation.id, token: started.visitorToken };
    });
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    log(`${int(CONNECTIONS)} conversations and ${AGENTS} agents written in ${secs(seedSeconds)}`);

    server = await startServer({
      DATA_DIR: target.dataDir,
      ...(dialect === 'postgres'
        ? {
            DATABASE_URL: `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${target.schema}`)}`,
          }
        : { DATABASE_URL: '' }),
      ACCORD_DEMO: '0',
      SCHEDULER_INTERVAL_MS: '0',
      CHAT_STARTS_PER_HOUR: '100000',
      CHAT_MESSAGES_PER_10S: '10000',
    });
    const running = server;
    const stopServer = registerCleanup(() => running.stop());
    const api = `${server.url}/api/v1`;
    const socketUrl = `${server.url.replace(/^http/, 'ws')}/api/v1/chat/socket`;
    log(
      `server: accord serve, pid ${server.pid}, at ${server.url}; clients: this process (pid ${process.pid})`,
    );
    const rssIdle = rssOf(server.pid);

    // Each agent takes CAPACITY chats: the first AGENTS × CAPACITY conversations.
    const accepted = Math.min(CONNECTIONS, AGENTS * CAPACITY);
    const agentOf = new Map<string, number>();
    await pool(agents, AGENTS, async (agent, a) => {
      await http(`${api}/chat/presence`, 'PUT', agent.token, { status: 'online', capacity: CAPACITY });
      for (let i = a; i < accepted; i += AGENTS) {
        await http(`${api}/chat/conversations/${visitors[i]!.conversationId}/accept`, 'POST', agent.token);
        agentOf.set(visitors[i]!.conversationId, a);
      }
    });
    log(`${int(accepted)} chats accepted by ${AGENTS} agents (capacity ${CAPACITY})`);

    // The agents' consoles, joined to their chats; what they receive settles the measures below.
    const delivered = new Map<string, (at: number) => void>();
    for (const [a, agent] of agents.entries()) {
      const consoleSocket = await Client.open(socketUrl, { authorization: `Bearer ${agent.token}` });
      clients.push(consoleSocket);
      const mine = visitors.slice(0, accepted).filter((v) => agentOf.get(v.conversationId) === a);
      for (const v of mine) {
        const joined = consoleSocket.when(
          (f) => f.type === 'joined' && f.conversation.id === v.conversationId,
        );
        consoleSocket.send({ type: 'join', conversationId: v.conversationId, after: 0 });
        await joined;
      }
      consoleSocket.onFrame = (f) => {
        if (f.type === 'message' && f.message.author.kind === 'visitor' && f.message.clientId)
          delivered.get(f.message.clientId)?.(performance.now());
      };
    }

    // Every visitor connects and joins its conversation, OPEN_CONCURRENCY at a time.
    const acked = new Map<string, (at: number, message: ChatMessageOut) => void>();
    const connectStarted = performance.now();
    await pool(visitors, OPEN_CONCURRENCY, async (v) => {
      const client = await Client.open(socketUrl);
      clients.push(client);
      v.client = client;
      const joined = client.when((f) => f.type === 'joined');
      client.send({ type: 'join', conversationId: v.conversationId, token: v.token, after: 0 });
      await joined;
      client.onFrame = (f) => {
        if (f.type === 'ack') acked.get(f.clientId)?.(performance.now(), f.message);
      };
    });
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const rssConnected = rssOf(server.pid);
    log(
      `${int(CONNECTIONS)} visitors connected and joined in ${secs(connectSeconds)} (${int(CONNECTIONS / connectSeconds)}/s); server RSS ${mb(rssIdle)} → ${mb(rssConnected)}`,
    );

    const senders = visitors.slice(0, accepted);
    /** Sends one message from a visitor of an accepted chat; resolves with its two latencies. */
    const sendOne = (n: number) =>
      new Promise<{ delivery: number; ack: number } | undefined>((resolve) => {
        const v = senders[n % senders.length]!;
        const clientId = randomUUID();
        const sentAt = performance.now();
        let delivery: number | undefined;
        let ack: number | undefined;
        const timer = setTimeout(() => finish(), 30_000);
        const finish = () => {
          clearTimeout(timer);
          delivered.delete(clientId);
          acked.delete(clientId);
          resolve(delivery !== undefined && ack !== undefined ? { delivery, ack } : undefined);
        };
        delivered.set(clientId, (at) => {
          delivery = at - sentAt;
          if (ack !== undefined) finish();
        });
        acked.set(clientId, (at) => {
          ack = at - sentAt;
          if (delivery !== undefined) finish();
        });
        v.client!.send({
          type: 'send',
          conversationId: v.conversationId,
          clientId,
          body: `Message ${n}: the export stops at 80% on the March file.`,
        });
      });

    // Steady: MESSAGES at RATE per second.
    log(`steady: ${int(MESSAGES)} messages at ${RATE}/s over ${int(accepted)} chats`);
    let cpuBefore = cpuOf(server.pid);
    const steadyStarted = performance.now();
    const steadyRuns: Promise<{ delivery: number; ack: number } | undefined>[] = [];
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const due = Math.min(MESSAGES, Math.floor(((performance.now() - steadyStarted) / 1000) * RATE) + 1);
        while (steadyRuns.length < due) steadyRuns.push(sendOne(steadyRuns.length));
        if (steadyRuns.length >= MESSAGES) {
          clearInterval(tick);
          resolve();
        }
      }, 5);
    });
    const steadyResults = await Promise.all(steadyRuns);
    const steadySeconds = (performance.now() - steadyStarted) / 1000;
    const steadyCpu = (cpuOf(server.pid) - cpuBefore) / steadySeconds;
    const steadyOk = steadyResults.filter((r) => r !== undefined);
    const steady = {
      delivery: latency(steadyOk.map((r) => r.delivery)),
      ack: latency(steadyOk.map((r) => r.ack)),
      seconds: steadySeconds,
      lost: MESSAGES - steadyOk.length,
      cpu: steadyCpu,
    };
    log(`steady: visitor → agent ${latencyText(steady.delivery)}; ack ${latencyText(steady.ack)}`);

    // Burst: BURST messages, WINDOW in flight.
    let burst: Result['burst'];
    if (BURST > 0) {
      log(`burst: ${int(BURST)} messages, ${WINDOW} in flight`);
      cpuBefore = cpuOf(server.pid);
      const burstStarted = performance.now();
      const samples: number[] = [];
      let lost = 0;
      await pool([...Array(BURST).keys()], WINDOW, async (n) => {
        const r = await sendOne(MESSAGES + n);
        if (r) samples.push(r.delivery);
        else lost += 1;
      });
      const seconds = (performance.now() - burstStarted) / 1000;
      burst = {
        delivery: latency(samples),
        perSecond: samples.length / seconds,
        lost,
        cpu: (cpuOf(server.pid) - cpuBefore) / seconds,
      };
      log(`burst: ${int(burst.perSecond)} messages/s; visitor → agent ${latencyText(burst.delivery)}`);
    }
    const rssAfter = rssOf(server.pid);

    // Held: every visitor's socket still answers.
    let held = 0;
    await pool(visitors, 500, async (v) => {
      if (v.client?.ws.readyState !== WebSocket.OPEN) return;
      const pong = v.client
        .when((f) => f.type === 'pong', 30_000)
        .then(
          () => true,
          () => false,
        );
      v.client.send({ type: 'ping' });
      if (await pong) held += 1;
    });
    const stored = await db.kysely
      .selectFrom('chat_messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('author_kind', '=', 'visitor')
      .executeTakeFirstOrThrow();
    await closeClients();
    await stopServer();
    return {
      dialect,
      seedSeconds,
      connectSeconds,
      held,
      rssIdle,
      rssConnected,
      rssAfter,
      clientRss: process.memoryUsage().rss,
      steady,
      ...(burst ? { burst } : {}),
      stored: Number(stored.n),
    };
  } catch (error) {
    if (server) process.stderr.write(`server output:\n${server.output()}\n`);
    throw error;
  } finally {
    await closeClients();
    await server?.stop();
    await target.cleanup();
  }
}

async function main() {
  log(`machine: ${machine()}`);
  const limits = fileLimits();
  const needed = CONNECTIONS + AGENTS + FD_MARGIN;
  // Node raises its soft limit to the hard one when it starts: what it reads here is all it can have.
  if (limits.soft < needed) {
    log(
      `TOO FEW FILE DESCRIPTORS: this process may open ${limits.soft} files (hard limit ${limits.hard}), and each ` +
        `process of this run (the server and these clients) needs about ${needed}: one per connection, plus the ` +
        `database and logs. Raise the hard limit as root (ulimit -Hn ${Math.max(needed, 65_536)} in a root shell, ` +
        `/etc/security/limits.conf, LimitNOFILE= for a systemd service, docker run --ulimit nofile=65536:65536), ` +
        `or run fewer connections (CHAT_CONNECTIONS=${Math.max(1, limits.soft - AGENTS - FD_MARGIN)}).`,
    );
    process.exitCode = 1;
    return;
  }
  log(
    `${int(CONNECTIONS)} visitor connections, ${AGENTS} agents × ${CAPACITY} chats; ${int(MESSAGES)} messages at ${RATE}/s, then a burst of ${int(BURST)} (${WINDOW} in flight); open files limit ${limits.soft}`,
  );
  const results = await eachDatabase(DATABASES, runDatabase);
  if (!results) return;
  log.stage = 'summary';
  log('server: `accord serve` in its own process; clients: the bench process, over loopback');
  for (const r of results) {
    if (r.skipped) {
      log(`${LABEL[r.dialect]}: skipped (unreachable)`);
      continue;
    }
    const perConnection = (r.rssConnected! - r.rssIdle!) / CONNECTIONS;
    log(`${LABEL[r.dialect]}:`);
    log(
      `  connections held: ${int(r.held!)} / ${int(CONNECTIONS)} visitors answered a ping at the end, + ${AGENTS} agent consoles`,
    );
    log(
      `  server RSS: ${mb(r.rssIdle!)} before the connections, ${mb(r.rssConnected!)} with them (${(perConnection / 1024).toFixed(1)} KB each), ${mb(r.rssAfter!)} after the messages; client RSS ${mb(r.clientRss!)}`,
    );
    log(
      `  joins: ${int(CONNECTIONS)} in ${secs(r.connectSeconds!)} (${int(CONNECTIONS / r.connectSeconds!)}/s)`,
    );
    const s = r.steady!;
    log(
      `  steady ${RATE}/s: ${int(s.delivery.n)} delivered${s.lost ? `, ${int(s.lost)} LOST` : ''}; visitor → agent ${latencyText(s.delivery)}; ack ${latencyText(s.ack)}; server CPU ${(s.cpu * 100).toFixed(0)}%`,
    );
    if (r.burst)
      log(
        `  burst: ${int(r.burst.perSecond)} messages/s delivered${r.burst.lost ? `, ${int(r.burst.lost)} LOST` : ''}; visitor → agent ${latencyText(r.burst.delivery)}; server CPU ${(r.burst.cpu * 100).toFixed(0)}%`,
      );
    log(
      `  stored visitor messages: ${int(r.stored!)} (${int(CONNECTIONS)} first messages + ${int(MESSAGES + BURST)} sent)`,
    );
  }
}

runBenchmark(main);
