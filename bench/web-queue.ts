/**
 * The agent queue in Chromium with a backlog: how long until the first rows show, and how smooth
 * scrolling through every ticket is (the browser's long tasks, 50 ms or more, are what users feel
 * as jank). SQLite on loopback; BENCH_WEB_TICKETS sets the backlog (default 500).
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
    // The queue's last row: the latest due time.
    const lastDue = await db.kysely
      .selectFrom('tickets')
      .select('number')
      .orderBy('sla_next_due_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();

    const baseURL = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const context = await browser.newContext({ baseURL, viewport: { width: 1360, height: 900 } });
    await context.addInitScript(OBSERVE_LONG_TASKS);
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill('agent@bench.test');
    await page.getByLabel('Password').fill(PASSWORD);
    const signedIn = performance.now();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('queue-row').first().waitFor();
    const firstRows = performance.now() - signedIn;
    const loadTasks = await page.evaluate<number[]>('window.__longTasks');
    await page.evaluate(`window.__longTasks = []; window.__lastNumber = '${lastDue.number}'`);
    const scroll = await page.evaluate<{ ms: number; frames: number; maxRows: number }>(SCROLL_TO_END);
    const longTasks = await page.evaluate<number[]>('window.__longTasks');
    process.stdout.write(
      [
        `sign-in to the first queue rows:          ${ms(firstRows)}`,
        `long tasks until then (>= 50 ms):         ${loadTasks.length}, longest ${ms(Math.max(0, ...loadTasks))}`,
        `scrolling through all ${int(TICKETS)} tickets:      ${ms(scroll.ms)} over ${int(scroll.frames)} frames (pages of 200 load on the way)`,
        `rows in the page at most:                 ${int(scroll.maxRows)}`,
        `long tasks while scrolling (>= 50 ms):    ${longTasks.length}, longest ${ms(Math.max(0, ...longTasks))}, total ${ms(longTasks.reduce((a, b) => a + b, 0))}`,
        '',
      ].join('\n'),
    );
  } finally {
    await cleanup();
  }
}

runBenchmark(main);
