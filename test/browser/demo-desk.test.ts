import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { seedDemo } from '../../src/seed/demo.js';
import { accessibilityViolations } from './accessibility.js';
import { BrowserDesk, chromiumPath } from './support.js';

/**
 * The demo desk as a visitor finds it: its sign-in page names the people to try, one per role, and
 * the pretend vendor's website promises what the support policy promises.
 */
describe.skipIf(!chromiumPath())('the demo desk in Chromium', () => {
  let desk: BrowserDesk;

  beforeAll(async () => {
    desk = await BrowserDesk.start({ dialect: 'sqlite' }, { demo: true });
    await seedDemo(loadConfig({ DATA_DIR: desk.database.dataDir, LOG_LEVEL: 'silent' }), desk.database.db);
  }, 120_000);
  afterAll(() => desk?.close());

  it('the sign-in page names a login per role and a French customer, and one click signs in', async () => {
    const context = await desk.context('en-US');
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByRole('heading', { name: 'Try the demo' }).waitFor();
    const rows = page.getByTestId('demo-login');
    expect(await rows.locator('th').allInnerTexts()).toEqual([
      'Admin',
      'Lead',
      'Agent',
      'Designated contact',
      'Authorized user',
      'Designated contact · Français',
    ]);
    const admin = rows.first();
    expect(await admin.innerText()).toContain('admin@accord.test');
    expect(await admin.innerText()).toContain('accord-demo-admin');
    expect(await rows.nth(5).innerText()).toContain('Camille Roy');
    expect(await accessibilityViolations(page)).toEqual([]);

    // The French customer lands in the portal, in French, without typing anything.
    await page.getByRole('button', { name: 'Try as Camille Roy' }).click();
    await page.waitForURL(/\/portal/);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('fr');
    await context.close();
  });

  it('the demo in French: the same people, in French', async () => {
    const context = await desk.context('fr-FR', 'Europe/Paris');
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByRole('heading', { name: 'Essayer la démo' }).waitFor();
    expect(await page.getByTestId('demo-login').locator('th').allInnerTexts()).toEqual([
      'Administrateur',
      'Responsable',
      'Agent',
      'Contact désigné',
      'Utilisateur autorisé',
      'Contact désigné · Français',
    ]);
    await page.getByRole('button', { name: 'Essayer en tant que Lena Lead' }).click();
    await page.waitForURL(/\/console/);
    await context.close();
  });

  it('the vendor website lists each plan with the policy\u2019s 24/7 support and first-response targets', async () => {
    const context = await desk.context('en-US');
    const page = await context.newPage();
    await page.goto('/demo/website.html');
    const row = (tier: string) => page.locator(`#plans tr[data-tier="${tier}"] > *`);
    await row('basic').first().waitFor();
    expect(await page.locator('#plans thead th').allInnerTexts()).toEqual([
      'Plan',
      'Support',
      'P0 Critical',
      'P1 Major',
      'P2 Minor',
      'P3 Cosmetic',
    ]);
    expect(await row('basic').allInnerTexts()).toEqual([
      'Basic',
      '24/7',
      '2 hours',
      '4 hours',
      '1 business day',
      '2 business days',
    ]);
    expect(await row('enterprise').allInnerTexts()).toEqual([
      'Enterprise',
      '24/7',
      '15 minutes',
      '1 hour',
      '2 hours',
      '4 hours',
    ]);
    expect(await page.locator('#support-hours').innerText()).toContain('24 hours a day, 7 days a week');
    expect(await page.locator('#plans').innerText()).not.toContain('business hours');
    await context.close();
  });
});
