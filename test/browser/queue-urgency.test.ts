import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { seedDemo } from '../../src/seed/demo.js';
import { accessibilityViolations } from './accessibility.js';
import { BrowserDesk, chromiumPath, FRENCH_LABELS } from './support.js';

const DEMO_PASSWORD = 'accord-demo-password';
const P0_SUBJECT = 'Platform unreachable for all our sites';
/** Set QUEUE_SCREENSHOTS to a folder to keep the pages this test looks at. */
const SCREENSHOTS = process.env.QUEUE_SCREENSHOTS;

/**
 * The demo desk's queue in Chromium: the unassigned Enterprise P0 heads the urgency view although
 * older P3s are days overdue; the Breached view lists the overdue ones, marked in words; the ticket
 * staff took on the phone reads as the customer's, taken down by them.
 */
describe.skipIf(!chromiumPath())('the demo queue by urgency in Chromium', () => {
  let desk: BrowserDesk;

  beforeAll(async () => {
    desk = await BrowserDesk.start({ dialect: 'sqlite' });
    const config = loadConfig({ DATA_DIR: desk.database.dataDir, LOG_LEVEL: 'silent' });
    await seedDemo(config, desk.database.db);
  }, 120_000);
  afterAll(() => desk?.close());

  const signIn = async (
    context: BrowserContext,
    email: string,
    labels = { email: 'Email', password: 'Password', submit: 'Sign in' },
  ) => {
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel(labels.email).fill(email);
    await page.getByLabel(labels.password).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: labels.submit }).click();
    await page.waitForURL(/\/console/);
    return page;
  };

  const shot = async (page: Page, name: string) => {
    if (!SCREENSHOTS) return;
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  };

  const subjects = (page: Page) => page.getByTestId('queue-row').locator('.col-subject').allTextContents();

  it('puts the P0 first in the urgency view, and lists the overdue tickets in the Breached view, marked Overdue', async () => {
    const context = await desk.context('en-US', 'America/New_York', { width: 1360, height: 900 });
    const page = await signIn(context, 'omar@accord.test');
    const rows = page.getByTestId('queue-row');
    await rows.first().waitFor();
    expect(await page.getByRole('link', { name: 'By urgency' }).getAttribute('aria-current')).toBe('page');
    await expect.poll(() => rows.first().locator('.col-subject').textContent()).toBe(P0_SUBJECT);
    expect(await rows.first().locator('.col-priority').textContent()).toBe('P0');
    // The P3s days overdue come after every P0 and P1.
    const all = await rows.locator('.col-priority').allTextContents();
    expect(all.length).toBeGreaterThan(8);
    expect(all).toEqual([...all].sort((a, b) => Number(a >= 'P2') - Number(b >= 'P2')));
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'queue-urgency-en');

    await page.getByRole('link', { name: 'Breached', exact: true }).click();
    await page.waitForURL(/breached=true/);
    await expect
      .poll(() => page.getByRole('link', { name: 'Breached', exact: true }).getAttribute('aria-current'))
      .toBe('page');
    await expect.poll(() => subjects(page)).toContain('Barcode scanner broken for asset labels');
    const breached = await rows.count();
    expect(breached).toBeGreaterThan(4);
    // Every row says so in words, which the row's accessible name carries.
    expect(await page.getByRole('link', { name: /Overdue/ }).count()).toBe(breached);
    expect(await rows.getByTestId('overdue').count()).toBe(breached);
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'queue-breached-en');

    // Breaching soon: due within the hour and not yet breached, so none of them is overdue.
    await page.getByRole('link', { name: 'Breaching soon' }).click();
    await page.waitForURL(/breached=false/);
    await expect
      .poll(() => subjects(page).then((s) => s.includes('Barcode scanner broken for asset labels')))
      .toBe(false);
    expect(await rows.getByTestId('overdue').count()).toBe(0);
    await context.close();
  });

  it('shows the phone ticket as the customer’s words, taken by the member of staff', async () => {
    const context = await desk.context('en-US', 'America/New_York', { width: 1360, height: 900 });
    const page = await signIn(context, 'omar@accord.test');
    await page.getByTestId('queue-row').filter({ hasText: P0_SUBJECT }).click();
    await page.waitForURL(/\/console\/tickets\//);
    const opening = page.getByTestId('message').first();
    await expect.poll(() => opening.locator('header').textContent()).toContain('Nora Quinn');
    const header = (await opening.locator('header').textContent()) ?? '';
    expect(header).toMatch(/^Nora Quinn.*via phone, taken by Ada Admin/);
    expect(header).not.toContain('Admin·');
    await expect
      .poll(() => page.locator('.event-log').textContent())
      .toContain('Ada Admin took down the first message, from Nora Quinn (Phone).');
    await shot(page, 'phone-ticket-en');
    await context.close();
  });

  it('reads the same in French', async () => {
    const context = await desk.context('fr-FR', 'Europe/Paris', { width: 1360, height: 900 });
    const page = await signIn(context, 'omar@accord.test', FRENCH_LABELS);
    const rows = page.getByTestId('queue-row');
    await expect.poll(() => rows.first().locator('.col-subject').textContent()).toBe(P0_SUBJECT);
    expect(await page.getByRole('link', { name: 'Par urgence' }).getAttribute('aria-current')).toBe('page');
    await shot(page, 'queue-urgency-fr');
    await page.getByRole('link', { name: 'En dépassement', exact: true }).click();
    await page.waitForURL(/breached=true/);
    await expect.poll(() => page.getByRole('link', { name: /En retard/ }).count()).toBeGreaterThan(4);
    expect(await page.getByRole('link', { name: /En retard/ }).count()).toBe(await rows.count());
    await shot(page, 'queue-breached-fr');
    await page.goto('/console');
    await rows.filter({ hasText: P0_SUBJECT }).click();
    const opening = page.getByTestId('message').first();
    await expect
      .poll(() => opening.locator('header').textContent())
      .toContain('par téléphone, noté par Ada Admin');
    await shot(page, 'phone-ticket-fr');
    await context.close();
  });
});
