import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  principal as asPrincipal,
  BrowserDesk,
  chromiumPath,
  FRENCH_LABELS,
  type Account,
} from './support.js';

/** Set SEARCH_SCREENSHOTS to a folder to keep the pages this test looks at. */
const SCREENSHOTS = process.env.SEARCH_SCREENSHOTS;

/**
 * Ticket search in Chromium: an agent presses / anywhere in the console, types, reads highlighted
 * snippets (an internal note's among them) and opens a ticket; a customer's portal search finds
 * their organization's tickets only. In English and in French.
 */
describe.skipIf(!chromiumPath())('ticket search in Chromium', () => {
  let desk: BrowserDesk;
  let agent: Account;
  let customer: Account;
  let frenchCustomer: Account;
  let own: { id: string; number: number };
  let french: { id: string; number: number };
  let foreign: { id: string; number: number };

  beforeAll(async () => {
    desk = await BrowserDesk.start({ dialect: 'sqlite' });
    const acme = await desk.organization('Acme Robotics', 'premium');
    const globex = await desk.organization('Globex', 'premium', { locale: 'fr' });
    agent = await desk.user('agent', 'Ada Agent');
    customer = await desk.user('contact', 'Carl Customer', { organizationId: acme.id });
    frenchCustomer = await desk.user('contact', 'Françoise Client', {
      organizationId: globex.id,
      locale: 'fr',
    });
    const file = async (who: Account, subject: string, body: string) =>
      desk.services.tickets.create(asPrincipal(who), {
        subject,
        body,
        bodyFormat: 'text',
        priority: 'P2',
        requestType: 'problem',
      });
    own = await file(
      customer,
      'Conveyor belt controller reboots',
      'Since Tuesday the conveyor controller reboots every hour and the line stops for ten minutes.',
    );
    foreign = await file(
      frenchCustomer,
      'Le contrôleur du convoyeur redémarre',
      'Les imprimantes d’étiquettes et le convoyeur (conveyor) redémarrent toutes les heures.',
    );
    french = foreign;
    await desk.services.conversation.addMessage(asPrincipal(agent), own.id, {
      body: 'Internal: firmware 4.2 has a watchdog bug on the conveyor boards, escalate to engineering.',
      bodyFormat: 'text',
      public: false,
    });
    if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);
  afterAll(() => desk?.close());

  const shot = async (page: Page, name: string) => {
    if (!SCREENSHOTS) return;
    await page.waitForTimeout(200);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };

  it('searches from the console header with /, shows highlighted snippets and opens the ticket', async () => {
    const context = await desk.context('en-US');
    const page = await desk.signIn(context, agent);
    await page.waitForURL(/\/console/);
    const box = page.getByRole('searchbox', { name: 'Search tickets' });
    await box.waitFor();
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('/');
    await expect.poll(() => box.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.type('watchdog conveyor');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/search\?q=watchdog/);
    const results = page.getByRole('list', { name: 'Results' }).getByRole('listitem');
    await expect.poll(() => results.count()).toBe(1);
    const marks = await results.first().locator('mark').allTextContents();
    expect(marks.map((m) => m.toLowerCase())).toEqual(expect.arrayContaining(['conveyor', 'watchdog']));
    expect(await results.first().textContent()).toContain('Internal note');
    await shot(page, 'search-console-en');

    // Both organizations' conveyor tickets for staff, the subject marked.
    await page.keyboard.press('/');
    await box.fill('conveyor');
    await page.keyboard.press('Enter');
    await expect.poll(() => results.count()).toBe(2);
    await results
      .filter({ hasText: `#${own.number}` })
      .getByRole('link')
      .click();
    await page.waitForURL(new RegExp(`/console/tickets/${own.id}`));
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toContain('Conveyor belt controller reboots');
    await context.close();
  });

  it("finds only the customer's own tickets in the portal, never an internal note", async () => {
    const context = await desk.context('en-US');
    const page = await desk.signIn(context, customer);
    // The header's search box is there once the session is known; / is heard from then on.
    await page.getByRole('searchbox', { name: 'Search tickets' }).waitFor();
    await page.keyboard.press('/');
    await page.keyboard.type('conveyor');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/portal\/search\?q=conveyor/);
    const results = page.getByRole('list', { name: 'Results' }).getByRole('listitem');
    await expect.poll(() => results.count()).toBe(1);
    expect(await results.first().textContent()).toContain(`#${own.number}`);
    await shot(page, 'search-portal-en');

    await page.getByRole('searchbox', { name: 'Search tickets' }).fill('watchdog');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByText('No ticket matches this search.').count()).toBe(1);
    await results.first().waitFor({ state: 'detached' });
    await context.close();
  });

  it('searches in French: stems, accents, and the French screens', async () => {
    const context = await desk.context('fr-FR');
    const page = await desk.signIn(context, frenchCustomer, FRENCH_LABELS);
    await page.getByRole('searchbox', { name: 'Rechercher des tickets' }).waitFor();
    await page.keyboard.press('/');
    await page.keyboard.type('imprimante redemarre');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/portal\/search/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Recherche');
    const results = page.getByRole('list', { name: 'Résultats' }).getByRole('listitem');
    await expect.poll(() => results.count()).toBe(1);
    expect(await results.first().textContent()).toContain(`#${french.number}`);
    const marks = (await results.first().locator('mark').allTextContents()).map((m) => m.toLowerCase());
    expect(marks).toEqual(expect.arrayContaining(['redémarre', 'imprimantes']));
    await shot(page, 'search-portal-fr');
    await results.first().getByRole('link').click();
    await page.waitForURL(new RegExp(`/portal/tickets/${french.id}`));
    await context.close();

    const staff = await desk.context('fr-FR');
    const console = await desk.signIn(staff, agent, FRENCH_LABELS);
    await console.goto('/console/search?q=%22conveyor%20controller%22');
    const hits = console.getByRole('list', { name: 'Résultats' }).getByRole('listitem');
    await expect.poll(() => hits.count()).toBe(1);
    expect(await console.getByText('Note interne').count()).toBe(0);
    await shot(console, 'search-console-fr');
    await staff.close();
  });
});
