/**
 * Takes the README's screenshots of the main screens from a fresh demo desk in Chromium:
 * `npm run screenshots` writes docs/screenshots/*.png.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { loadConfig } from '../src/config.js';
import { openMigratedDatabase } from '../src/runtime.js';
import { DEMO_ADMIN, seedDemo } from '../src/seed/demo.js';
import { buildApp } from '../src/server.js';
import { principalOf, type Principal } from '../src/auth/principal.js';
import type { Config } from '../src/config.js';
import type { Db } from '../src/db/database.js';
import { createServices, startServices } from '../src/services.js';
import { launchChromium } from '../test/support/chromium.js';

const OUT = path.resolve(import.meta.dirname, '../docs/screenshots');

async function signIn(
  context: BrowserContext,
  email: string,
  password: string,
  french = false,
): Promise<Page> {
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel(french ? 'Adresse e-mail' : 'Email').fill(email);
  await page.getByLabel(french ? 'Mot de passe' : 'Password').fill(password);
  await page.getByRole('button', { name: french ? 'Se connecter' : 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return page;
}

async function shot(page: Page, name: string) {
  // The live stream keeps a request open, so "network idle" never comes: let the page settle.
  await page.locator('main h1, h1').first().waitFor();
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: false });
  process.stdout.write(`docs/screenshots/${name}.png\n`);
}

/** Today's tickets beside the demo's older ones, so the queue shows every countdown state. */
async function fileFreshTickets(config: Config, db: Db) {
  const customer = async (email: string): Promise<Principal> => {
    const user = await db.kysely
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    return principalOf(user, 'token');
  };
  const filed = (minutesAgo: number) =>
    createServices(config, db, { clock: () => Date.now() - minutesAgo * 60_000 }).tickets;
  // Premium P0: 15 minutes to answer, 12 gone: inside the warning window.
  await filed(12).create(await customer('camille@fabrikam.test'), {
    subject: 'Les ordres de travail ne se chargent plus',
    body: 'Depuis 9 h, aucun ordre de travail ne s\u2019affiche sur le web ni sur mobile.',
    bodyFormat: 'text',
    priority: 'P0',
    requestType: 'problem',
  });
  await filed(5).create(await customer('nora@northwind.test'), {
    subject: 'Scheduled maintenance reports are empty',
    body: 'The weekly PM report has no rows since this morning.',
    bodyFormat: 'text',
    priority: 'P1',
    requestType: 'problem',
  });
  await filed(1).create(await customer('grace@contoso.test'), {
    subject: 'How do we import our asset list?',
    body: 'We have 2,000 assets in a spreadsheet.',
    bodyFormat: 'text',
    priority: 'P2',
    requestType: 'data_import',
  });
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-screenshots-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SCHEDULER_INTERVAL_MS: '0',
    EMBED_SECRET: randomBytes(32).toString('base64url'),
  });
  const db = await openMigratedDatabase(config);
  await seedDemo(config, db);
  const services = await startServices(config, db);
  await fileFreshTickets(config, db);
  const app = await buildApp({ config, services, logger: false, demo: true });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseURL = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  fs.mkdirSync(OUT, { recursive: true });
  const desktop = { width: 1360, height: 860 };
  try {
    const staff = await browser.newContext({
      baseURL,
      viewport: desktop,
      locale: 'en-US',
      timezoneId: 'America/New_York',
    });
    const agent = await signIn(staff, 'omar@accord.test', 'accord-demo-password');
    await agent.getByTestId('queue-row').first().waitFor();
    await shot(agent, 'console-queue');
    await agent.getByTestId('queue-row').first().click();
    await agent.getByTestId('sla-first-response').waitFor();
    await shot(agent, 'console-ticket');
    await staff.close();

    const customer = await browser.newContext({
      baseURL,
      viewport: desktop,
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
    });
    const camille = await signIn(customer, 'camille@fabrikam.test', 'accord-demo-password', true);
    await camille.goto('/portal/new');
    await camille.locator('input[name="priority"][value="P1"]').check();
    await camille.getByTestId('expected-response').scrollIntoViewIfNeeded();
    await shot(camille, 'portal-new-ticket-fr');
    await camille.goto('/portal');
    await shot(camille, 'portal-tickets-fr');
    await customer.close();

    const reader = await browser.newContext({ baseURL, viewport: desktop, locale: 'fr-FR' });
    const visitor = await reader.newPage();
    await visitor.goto('/hc/fr/articles/reinitialiser-votre-mot-de-passe');
    await shot(visitor, 'helpcenter-article-fr');
    await visitor.goto('/status/fr');
    await shot(visitor, 'status-page-fr');
    await visitor.goto('/hc/en/search?q=pasword+reset');
    await shot(visitor, 'helpcenter-search');
    await reader.close();

    const writer = await browser.newContext({ baseURL, viewport: desktop, locale: 'en-US' });
    const grace = await signIn(writer, 'grace@contoso.test', 'accord-demo-password');
    await grace.goto('/portal/new');
    await grace.locator('input[name="subject"]').fill('Mobile app does not sync work orders offline');
    await grace.getByTestId('suggestions').waitFor();
    await grace.getByTestId('suggestions').scrollIntoViewIfNeeded();
    await shot(grace, 'portal-suggestions');
    await writer.close();

    const phone = await browser.newContext({
      baseURL,
      viewport: { width: 375, height: 760 },
      deviceScaleFactor: 2,
      isMobile: true,
      locale: 'en-US',
    });
    const nora = await signIn(phone, 'nora@northwind.test', 'accord-demo-password');
    await nora.goto('/portal/new');
    await shot(nora, 'portal-phone');
    await phone.close();

    const adminContext = await browser.newContext({ baseURL, viewport: desktop, locale: 'en-US' });
    const admin = await signIn(adminContext, DEMO_ADMIN.email, DEMO_ADMIN.password);
    await admin.goto('/admin/policy');
    await admin.getByTestId('response-time-table').waitFor();
    await shot(admin, 'admin-policy');
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    await admin.goto(`/admin/reports?from=${day(-90)}&to=${day(1)}`);
    await admin.getByTestId('measured-table').waitFor();
    await shot(admin, 'admin-reports');
    await admin.goto('/admin/organizations');
    await admin.getByRole('link', { name: 'Fabrikam Usines' }).click();
    await admin.getByTestId('org-tier').waitFor();
    await shot(admin, 'admin-organization');
    await adminContext.close();

    const vendor = await browser.newContext({ baseURL, viewport: desktop, locale: 'en-US' });
    const demo = await vendor.newPage();
    await demo.goto('/demo/');
    await demo.locator('#accord-support-button').click();
    await demo
      .frameLocator('#accord-support-frame')
      .getByTestId('expected-response')
      .waitFor({ state: 'attached' })
      .catch(() => undefined);
    await demo.waitForTimeout(500);
    await shot(demo, 'widget-demo');
    await vendor.close();
  } finally {
    await browser.close();
    await app.close();
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
