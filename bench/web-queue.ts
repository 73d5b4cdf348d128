/**
 * The agent queue in Chromium with a backlog: how long until the first rows show, and how smooth
 * scrolling through every ticket is (the browser's long tasks, 50 ms or more, are what users feel
 * as jank), in the console's urgency order and in plain due order, taking turns. SQLite on
 * loopback; BENCH_WEB_TICKETS sets the backlog (default 500), BENCH_WEB_ROUNDS the runs of each
 * order (default 3, medians reported).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { principalOf } from '../src/auth/principal.js';
import { loadConfig } from '../src/config.js';
import { openMigratedDatabase } from '../src/runtime.js';
import { buildApp } from '../src/server.js';
import { startServices } from '../src/services.js';
import { launchChromium } from '../test/support/chromium.js';
import { int, intEnv, machine, ms, registerCleanup, runBenchmark } from './support/common.js';

const TICKETS = intEnv('BENCH_WEB_TICKETS', 500);
const ROUNDS = Math.max(1, intEnv('BENCH_WEB_ROUNDS', 3));

interface Figures {
  firstRows: number;
  loadTasks: number;
  scrollMs: number;
  frames: number;
  maxRows: number;
  scrollTasks: number;
  scrollTasksMs: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const PASSWORD = 'bench-web-password';

// Runs in the page: every long task the main thread runs, from the first script on.
const OBSERVE_LONG_TASKS = `window.__longTasks = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
  .observe({ type: 'longtask', buffered: true });`;

// Runs in the page: scrolls the queue a screen per frame until the last row is in view.
const SCROLL_TO_END = `(async () => {
  const scroller = document.querySelector('.queue-scroll');
  let maxRows = 0;
  const started = performance.now();
  for (let frames = 0; frames < 5000; frames++) {
    scroller.scrollTop += scroller.clientHeight;
    await new Promise((r) => requestAnimationFrame(() => r()));
    maxRows = Math.max(maxRows, document.querySelectorAll('[data-testid="queue-row"]').length);
    const numbers = [...document.querySelectorAll('[data-testid="queue-row"]')].map((e) => e.getAttribute('data-ticket-number'));
    if (numbers.includes(window.__lastNumber)) return { ms: performance.now() - started, frames, maxRows };
  }
  return { ms: performance.now() - started, frames: -1, maxRows };
})()`;

async function main() {
  process.stdout.write(`web queue benchmark: ${int(TICKETS)} tickets, ${machine()}\n`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-bench-web-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', SCHEDULER_INTERVAL_MS: '0' });
  const db = await openMigratedDatabase(config);
  const services = await startServices(config, db);
  const app = await buildApp({ config, services, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await launchChromium();
  const cleanup = registerCleanup(async () => {
    await browser.close();
    await app.close();
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  try {
    const org = await services.organizations.create(null, { name: 'Backlog Inc', domains: [], locale: 'en' });
    const contact = await services.users.create(null, {
      email: 'contact@backlog.test',
      name: 'Casey Contact',
      role: 'contact',
      organizationId: org.id,
    });
    await services.users.create(null, {
      email: 'agent@bench.test',
      name: 'Agent',
      role: 'agent',
      password: PASSWORD,
    });
    const customer = principalOf(
      await db.kysely.selectFrom('users').selectAll().where('id', '=', contact.id).executeTakeFirstOrThrow(),
      'token',
    );
    for (let i = 0; i < TICKETS; i++) {
      await services.tickets.create(customer, {
        subject: `Backlog item ${i + 1}`,
        body: 'Details',
        bodyFormat: 'text',
        priority: (['P1', 'P2', 'P3'] as const)[i % 3]!,
        requestType: 'question',
      });
    }
    // Each order's last row: for due, the latest due time; for urgency, the latest due time of the
    // band that comes last (P2 and P3 after every P0 and P1).
    const lastOf = async (priorities: string[]) =>
      (
        await db.kysely
          .selectFrom('tickets')
          .select('number')
          .where('priority', 'in', priorities)
          .where('sla_next_due_at', 'is not', null)
          .orderBy('sla_next_due_at', 'desc')
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirstOrThrow()
      ).number;
    const lastOther = await db.kysely
      .selectFrom('tickets')
      .select('id')
      .where('priority', 'in', ['P2', 'P3'])
      .where('sla_next_due_at', 'is not', null)
      .executeTakeFirst();
    const orders = [
      {
        name: 'sort=urgency (the console default)',
        url: '/console',
        last: await lastOf(lastOther ? ['P2', 'P3'] : ['P0', 'P1']),
      },
      { name: 'sort=due', url: '/console?sort=due', last: await lastOf(['P0', 'P1', 'P2', 'P3']) },
    ];

    const baseURL = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const figures = new Map(orders.map((o) => [o.name, [] as Figures[]]));
    const signIns: number[] = [];
    // The orders take turns, so that neither always runs on a colder or a busier machine.
    for (let round = 0; round < ROUNDS; round++) {
      for (const order of round % 2 === 0 ? orders : [...orders].reverse()) {
        const context = await browser.newContext({ baseURL, viewport: { width: 1360, height: 900 } });
        await context.addInitScript(OBSERVE_LONG_TASKS);
        const page = await context.newPage();
        await page.goto('/login');
        await page.getByLabel('Email').fill('agent@bench.test');
        await page.getByLabel('Password').fill(PASSWORD);
        const signedIn = performance.now();
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByTestId('queue-row').first().waitFor();
        signIns.push(performance.now() - signedIn);
        // The queue opened afresh in this order, as a link to it would.
        await page.evaluate('window.__longTasks = []');
        const opened = performance.now();
        await page.goto(order.url);
        await page.getByTestId('queue-row').first().waitFor();
        const firstRows = performance.now() - opened;
        const loadTasks = await page.evaluate<number[]>('window.__longTasks');
        await page.evaluate(`window.__longTasks = []; window.__lastNumber = '${order.last}'`);
        const scroll = await page.evaluate<{ ms: number; frames: number; maxRows: number }>(SCROLL_TO_END);
        const longTasks = await page.evaluate<number[]>('window.__longTasks');
        await context.close();
        if (scroll.frames < 0) throw new Error(`${order.name}: scrolling never reached the last row`);
        figures.get(order.name)!.push({
          firstRows,
          loadTasks: loadTasks.length,
          scrollMs: scroll.ms,
          frames: scroll.frames,
          maxRows: scroll.maxRows,
          scrollTasks: longTasks.length,
          scrollTasksMs: longTasks.reduce((a, b) => a + b, 0),
        });
      }
    }
    process.stdout.write(
      `sign-in to the first queue rows (/console, by urgency): median ${ms(median(signIns))} over ${signIns.length}\n`,
    );
    for (const order of orders) {
      const runs = figures.get(order.name)!;
      const m = (pick: (f: Figures) => number) => median(runs.map(pick));
      process.stdout.write(
        [
          `${order.name} (${order.url}), medians of ${runs.length} runs:`,
          `  opening the queue to its first rows:     ${ms(m((f) => f.firstRows))}, long tasks (>= 50 ms) ${m((f) => f.loadTasks)}`,
          `  scrolling through all ${int(TICKETS)} tickets:     ${ms(m((f) => f.scrollMs))} over ${int(m((f) => f.frames))} frames (pages of 200 load on the way)`,
          `  rows in the page at most:                ${int(Math.max(...runs.map((f) => f.maxRows)))}`,
          `  long tasks while scrolling (>= 50 ms):   ${m((f) => f.scrollTasks)}, total ${ms(m((f) => f.scrollTasksMs))}`,
          '',
        ].join('\n'),
      );
    }
  } finally {
    await cleanup();
  }
}

runBenchmark(main);
