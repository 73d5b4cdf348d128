import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './accessibility.js';
import { BrowserDesk, chromiumPath, FRENCH_LABELS, principal, type Account } from './support.js';

/** Set COLLAB_SCREENSHOTS to a folder to keep pictures of each screen, to look at. */
const SHOTS = process.env.COLLAB_SCREENSHOTS;
async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(SHOTS, `merge-${name}.png`), fullPage: true });
}

/**
 * Two agents on one ticket, each in their own browser: each sees the other viewing, then replying
 * as they type; a reply sent after the other's asks for confirmation and says what changed. Then a
 * duplicate is merged, in English and in French.
 */
describe.skipIf(!chromiumPath())('collision warning and merge in Chromium', () => {
  let desk: BrowserDesk;
  let mei: Account;
  let sam: Account;
  let lea: Account;
  let customer: Account;
  const contexts: BrowserContext[] = [];
  const context = async (locale: 'en-US' | 'fr-FR') => {
    const created = await desk.context(locale, 'UTC');
    contexts.push(created);
    return created;
  };
  const file = (subject: string, body: string) =>
    desk.services.tickets.create(principal(customer), {
      subject,
      body,
      bodyFormat: 'text',
      priority: 'P2',
      requestType: 'problem',
    });

  beforeAll(async () => {
    desk = await BrowserDesk.start({ dialect: 'sqlite' });
    const org = await desk.organization('Northwind', 'premium');
    customer = await desk.user('contact', 'Nora Client', { organizationId: org.id, locale: 'en' });
    mei = await desk.user('agent', 'Mei Chen', { locale: 'en' });
    sam = await desk.user('agent', 'Sam Ortiz', { locale: 'en' });
    lea = await desk.user('lead', 'Léa Martin', { locale: 'fr' });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await desk?.close();
  });

  it('shows each agent the other viewing and replying, and asks before a reply that crossed another', async () => {
    const ticket = await file('Invoices export empty', 'The invoices export is an empty file.');
    const meiPage = await desk.signIn(await context('en-US'), mei);
    const samPage = await desk.signIn(await context('en-US'), sam);
    await meiPage.goto(`/console/tickets/${ticket.id}`);
    await samPage.goto(`/console/tickets/${ticket.id}`);

    const meiSees = meiPage.getByTestId('presence');
    const samSees = samPage.getByTestId('presence');
    await meiSees.getByText('Sam Ortiz is viewing').waitFor();
    await samSees.getByText('Mei Chen is viewing').waitFor();
    // Never oneself.
    expect(await meiSees.textContent()).not.toContain('Mei Chen');

    await samPage.getByRole('textbox', { name: 'Reply' }).fill('We are checking the export for you.');
    await meiSees.getByText('Sam Ortiz is replying').waitFor();
    await shot(meiPage, 'presence-replying-en');

    await meiPage.getByRole('textbox', { name: 'Reply' }).fill('The export is fixed; please try again.');
    await meiPage.getByRole('button', { name: 'Send', exact: true }).click();
    await meiPage.getByText('Reply sent').waitFor();

    await samPage.getByRole('button', { name: 'Send', exact: true }).click();
    const stale = samPage.getByTestId('stale-reply');
    await stale.getByText('This ticket changed since you started your reply').waitFor();
    expect(await stale.textContent()).toContain('Mei Chen replied to the customer');
    // Nothing was sent yet.
    expect(await samPage.getByTestId('message').count()).toBeLessThanOrEqual(2);
    await shot(samPage, 'stale-reply-en');
    expect(await accessibilityViolations(samPage)).toEqual([]);

    await stale.getByRole('button', { name: 'Send anyway' }).click();
    await samPage.getByText('Reply sent').waitFor();
    await expect
      .poll(() => samPage.getByTestId('message').allTextContents())
      .toEqual([
        expect.stringContaining('The invoices export is an empty file.'),
        expect.stringContaining('The export is fixed; please try again.'),
        expect.stringContaining('We are checking the export for you.'),
      ]);

    // Leaving the ticket for the queue: the other stops seeing them (a closed tab lapses in 30 s).
    await samPage.getByRole('link', { name: '← Back to the queue' }).click();
    await expect.poll(() => meiSees.textContent(), { timeout: 10_000 }).not.toContain('Sam Ortiz');
  }, 90_000);

  it('merges a duplicate into another ticket of the organization, and says so in French', async () => {
    const source = await file('Export broken again', 'Same problem as before with the export.');
    const target = await file('Export broken', 'The export gives an empty file.');
    const page = await desk.signIn(await context('en-US'), mei);
    await page.goto(`/console/tickets/${source.id}`);
    await page.getByRole('button', { name: 'Merge into another ticket…' }).click();
    await page.getByLabel('Ticket to continue in').selectOption(target.id);
    expect(await page.getByTestId('merge-explain').textContent()).toContain(
      `#${source.number} move into #${target.number}`,
    );
    await shot(page, 'dialog-en');
    await page.getByRole('button', { name: `Merge #${source.number} into #${target.number}` }).click();
    await page.waitForURL(`**/console/tickets/${target.id}`);
    await page.getByTestId('merged-from').first().waitFor();
    expect(await page.getByTestId('merged-from').allTextContents()).toEqual([`from #${source.number}`]);
    await shot(page, 'target-en');

    const french = await desk.signIn(await context('fr-FR'), lea, FRENCH_LABELS);
    await french.goto(`/console/tickets/${source.id}`);
    const notice = french.getByTestId('merged-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain(`Ce ticket a été fusionné dans le n° ${target.number}`);
    await shot(french, 'source-fr');
    await french.getByRole('link', { name: `n° ${target.number}` }).click();
    await french.getByTestId('merged-from').first().waitFor();
    expect(await french.getByTestId('merged-from').allTextContents()).toEqual([`du n° ${source.number}`]);
    // Mei is still on the target: Léa sees her in French.
    await page.reload();
    await french.getByTestId('presence').getByText('Mei Chen consulte ce ticket').waitFor();
    await shot(french, 'target-fr');
    expect(await accessibilityViolations(french)).toEqual([]);

    // The collision warning in French.
    await french.getByRole('textbox', { name: 'Réponse' }).fill('Nous regardons cela.');
    await page.getByTestId('presence').getByText('Léa Martin is replying').waitFor();
    await page.getByRole('textbox', { name: 'Reply' }).fill('Fixed now, please try again.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByText('Reply sent').waitFor();
    await french.getByRole('button', { name: 'Envoyer', exact: true }).click();
    const stale = french.getByTestId('stale-reply');
    await stale.getByText('Ce ticket a changé depuis le début de votre réponse').waitFor();
    expect(await stale.textContent()).toContain('Mei Chen a répondu au client');
    await shot(french, 'stale-reply-fr');

    // The customer reads where the request continues.
    const portal = await desk.signIn(await context('en-US'), customer);
    await portal.goto(`/portal/tickets/${source.id}`);
    const continues = portal.getByTestId('merged-request');
    await continues.waitFor();
    expect(await continues.textContent()).toBe(
      `This request was merged with another one: it continues in #${target.number}.`,
    );
    await shot(portal, 'portal-en');
    await continues.getByRole('link', { name: `#${target.number}` }).click();
    await portal.getByText('Same problem as before with the export.').waitFor();
  }, 90_000);
});
