import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './accessibility.js';
import { BrowserDesk, chromiumPath, FRENCH_LABELS, principal, type Account } from './support.js';

/** Set MACRO_SCREENSHOTS to a folder to keep the pages this test looks at. */
const SCREENSHOTS = process.env.MACRO_SCREENSHOTS;

/**
 * Macros in the ticket view, in Chromium: `m` opens the picker, a fuzzy search finds the macro, the
 * preview shows the reply with its placeholders filled in the requester's language, and applying it
 * posts the reply and moves the status and the tags. Once in English, once in French.
 */
describe.skipIf(!chromiumPath())('macros and tags in the ticket view in Chromium', () => {
  let desk: BrowserDesk;
  let agent: Account;
  let frenchAgent: Account;
  let lead: Account;
  let amelie: Account;
  let nora: Account;

  beforeAll(async () => {
    desk = await BrowserDesk.start({ dialect: 'sqlite' });
    const org = await desk.organization('Globex Maintenance', 'premium', { locale: 'fr' });
    amelie = await desk.user('contact', 'Amélie Durand', { organizationId: org.id, locale: 'fr' });
    nora = await desk.user('member', 'Nora Quinn', { organizationId: org.id, locale: 'en' });
    agent = await desk.user('agent', 'Sam Agent', { locale: 'en' });
    frenchAgent = await desk.user('agent', 'Léa Agent', { locale: 'fr' });
    lead = await desk.user('lead', 'Lee Lead', { locale: 'en' });
    await desk.services.macros.create(principal(lead), {
      title: 'Waiting for logs',
      shared: true,
      text: {
        en: 'Hello {{requester.firstName}}, could you send the sync logs for ticket #{{ticket.number}}? We answer within {{sla.firstResponse}}.',
        fr: 'Bonjour {{requester.firstName}}, pouvez-vous envoyer les journaux de synchronisation du ticket #{{ticket.number}} ? Nous répondons sous {{sla.firstResponse}}.',
      },
      public: true,
      status: 'waiting_on_customer',
      tags: ['sync', 'needs-logs'],
    });
    await desk.services.macros.create(principal(lead), {
      title: 'Password reset steps',
      shared: true,
      text: { en: 'Use the Forgot password link.' },
      public: true,
      tags: [],
    });
  }, 120_000);
  afterAll(() => desk?.close());

  const fileTicket = (requester: Account, subject: string) =>
    desk.services.tickets.create(principal(requester), {
      subject,
      body: 'No work order syncs to the tablets since this morning.',
      bodyFormat: 'text',
      priority: 'P2',
      requestType: 'problem',
    });

  const shot = async (page: Page, name: string) => {
    const folder = SCREENSHOTS ?? '/tmp/shots';
    await page.waitForTimeout(250);
    await page.screenshot({ path: `${folder}/${name}.png` });
  };

  const applyWithKeyboard = async (page: Page, search: string, expectedBody: string, shotName: string) => {
    await page.getByTestId('message').first().waitFor();
    // The shortcut works from the page, not while typing in a field.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('m');
    const picker = page.getByTestId('macro-picker');
    await picker.waitFor();
    await page.keyboard.type(search);
    const preview = page.getByTestId('macro-preview');
    await expect.poll(() => preview.locator('blockquote').textContent()).toBe(expectedBody);
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, `${shotName}-picker`);
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('message').last().textContent()).toContain(expectedBody);
  };

  it('applies a macro found by a fuzzy search, in the requester\u2019s French, from an English console', async () => {
    const ticket = await fileTicket(amelie, 'Sync stuck on tablets');
    const context = await desk.context('en-US');
    const page = await desk.signIn(context, agent);
    await page.goto(`/console/tickets/${ticket.id}`);
    const body = `Bonjour Amélie, pouvez-vous envoyer les journaux de synchronisation du ticket #${ticket.number} ? Nous répondons sous 2 heures (24 h/24, 7 j/7).`;
    // A typo and words out of order still find it.
    await applyWithKeyboard(page, 'wating logs', body, 'macros-en');
    const tags = page.getByRole('region', { name: 'Tags' }).locator('.tag-chip span');
    await expect.poll(() => tags.allTextContents()).toEqual(['needs-logs', 'sync']);
    await expect.poll(() => page.getByText('Waiting on customer').count()).toBeGreaterThan(0);
    expect(
      await page.getByRole('status').filter({ hasText: 'Macro “Waiting for logs” applied.' }).count(),
    ).toBe(1);

    // Tags are edited by hand too, normalized as they are saved.
    await page.getByLabel('Add a tag').fill('  Billing Issue ');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => tags.allTextContents()).toEqual(['billing-issue', 'needs-logs', 'sync']);
    await page.getByRole('button', { name: 'Remove tag sync' }).click();
    await expect.poll(() => tags.allTextContents()).toEqual(['billing-issue', 'needs-logs']);
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'macros-en-ticket');

    // The queue filters by tag.
    await page.goto('/console?tag=Billing%20Issue&sort=created');
    await expect.poll(() => page.getByTestId('queue-row').count()).toBe(1);
    await shot(page, 'macros-en-queue-tag');
    await context.close();
  }, 60_000);

  it('shows the picker in French and writes to an English-speaking requester in English', async () => {
    const ticket = await fileTicket(nora, 'Tablets do not sync');
    const context = await desk.context('fr-FR', 'Europe/Paris');
    const page = await desk.signIn(context, frenchAgent, FRENCH_LABELS);
    await page.goto(`/console/tickets/${ticket.id}`);
    const body = `Hello Nora, could you send the sync logs for ticket #${ticket.number}? We answer within 2 hours (around the clock).`;
    await page.getByTestId('message').first().waitFor();
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('m');
    await page.getByRole('heading', { name: 'Appliquer une macro' }).waitFor();
    await page.getByRole('combobox', { name: 'Rechercher une macro' }).fill('journaux');
    await expect.poll(() => page.getByTestId('macro-preview').locator('blockquote').textContent()).toBe(body);
    expect(await page.getByTestId('macro-preview').textContent()).toContain('Statut : En attente du client');
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'macros-fr-picker');
    await page.getByRole('button', { name: 'Appliquer', exact: true }).click();
    await expect.poll(() => page.getByTestId('message').last().textContent()).toContain(body);
    const tags = page.getByRole('region', { name: 'Étiquettes' }).locator('.tag-chip span');
    await expect.poll(() => tags.allTextContents()).toEqual(['needs-logs', 'sync']);
    await expect.poll(() => page.getByText('En attente du client').count()).toBeGreaterThan(0);
    await shot(page, 'macros-fr-ticket');

    await page.goto('/console/macros');
    await page.getByRole('heading', { name: 'Macros', level: 1 }).waitFor();
    await expect.poll(() => page.getByRole('cell', { name: 'Waiting for logs' }).count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'macros-fr-page');

    // An agent writes a personal macro; an unknown placeholder is refused with the reason.
    await page.getByRole('button', { name: 'Nouvelle macro' }).click();
    const form = page.getByRole('form', { name: 'Nouvelle macro' });
    await form.getByLabel('Titre').fill('Merci');
    await form.getByLabel('Réponse en français').fill('Merci {{requester.prenom}} !');
    await form.getByLabel('Ajouter des étiquettes (séparées par des virgules)').fill('Suivi Client');
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => form.textContent()).toContain('requester.prenom');
    await form.getByLabel('Réponse en français').fill('Merci {{requester.firstName}} !');
    await shot(page, 'macros-fr-form');
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'Merci' }).count()).toBe(1);
    expect(await page.getByRole('row', { name: /Merci/ }).textContent()).toContain('Personnelle');
    expect(await page.getByRole('row', { name: /Merci/ }).textContent()).toContain('#suivi-client');
    await context.close();
  }, 60_000);
});
