import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './accessibility.js';
import { BrowserDesk, chromiumPath, FRENCH_LABELS, principal, type Account } from './support.js';

const SUBJECT = 'Impossible d’exporter les ordres de travail';

/**
 * Records every English word of the frame that shows on the page, from its first paint: a page
 * that flashes English before switching to French is caught too.
 */
const WATCH_ENGLISH = `(() => {
  window.__english = [];
  const words = ['Sign out', 'All requests', 'Your requests', 'Loading'];
  const look = () => {
    const text = document.body ? document.body.textContent : '';
    for (const w of words) if (text.includes(w) && !window.__english.includes(w)) window.__english.push(w);
  };
  new MutationObserver(look).observe(document, { childList: true, subtree: true, characterData: true });
})()`;

const englishSeen = (page: Page) => page.evaluate<string[]>('window.__english');

/** The portal's own words in French: the frame, the page's language, and no English shown. */
async function expectFrench(page: Page) {
  await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
  expect(await page.evaluate('document.documentElement.lang')).toBe('fr');
  expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
}

/**
 * The language follows the person: a French customer's profile says French, so every page they
 * open is French whatever their browser says (a reload, a new tab, a link from a mail, another
 * device), and the language switcher changes the profile. Anonymous visitors get their browser's.
 */
describe.skipIf(!chromiumPath())('the language in Chromium', () => {
  let desk: BrowserDesk;
  let hugo: Account;
  let ticket: { id: string; number: number };
  const contexts: BrowserContext[] = [];
  const context = async (locale: 'en-US' | 'fr-FR') => {
    const created = await desk.context(locale, 'UTC');
    await created.addInitScript(WATCH_ENGLISH);
    contexts.push(created);
    return created;
  };

  beforeAll(async () => {
    desk = await BrowserDesk.start({ dialect: 'sqlite' });
    const org = await desk.organization('Tailspin Essai', null, { locale: 'fr' });
    hugo = await desk.user('contact', 'Hugo Blanc', { organizationId: org.id, locale: 'fr' });
    ticket = await desk.services.tickets.create(principal(hugo), {
      subject: SUBJECT,
      body: 'Le bouton Exporter ne fait rien depuis ce matin.',
      bodyFormat: 'text',
      priority: 'P2',
      requestType: 'problem',
    });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await desk?.close();
  });

  it('shows a French customer French after a reload, in a new tab, on a deep link and on another device', async () => {
    // An English browser: the sign-in page is in English, the portal in the profile's French.
    const browser = await context('en-US');
    const page = await desk.signIn(browser, hugo);
    await page.getByRole('heading', { level: 1, name: 'Vos demandes' }).waitFor();
    await expectFrench(page);

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Vos demandes' }).waitFor();
    await expectFrench(page);
    expect(await englishSeen(page)).toEqual([]);

    // A link opened in a new tab of the same browser.
    const tab = await browser.newPage();
    await tab.goto(`/portal/tickets/${ticket.id}`);
    await tab.getByRole('heading', { level: 1, name: new RegExp(SUBJECT) }).waitFor();
    await tab.getByRole('link', { name: 'Toutes les demandes' }).waitFor();
    await expectFrench(tab);
    expect(await englishSeen(tab)).toEqual([]);
    expect(await accessibilityViolations(tab)).toEqual([]);

    // A link from a mail on another device: signed out, so the browser's English until signing in.
    const other = await context('en-US');
    const deep = await other.newPage();
    await deep.goto(`/portal/tickets/${ticket.id}`);
    await deep.waitForURL(/\/login\?next=/);
    await deep.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await deep.evaluate('document.documentElement.lang')).toBe('en');
    await deep.getByLabel('Email').fill(hugo.email);
    await deep.getByLabel('Password').fill('browser-test-password');
    await deep.getByRole('button', { name: 'Sign in' }).click();
    await deep.waitForURL(`**/portal/tickets/${ticket.id}`);
    await deep.getByRole('link', { name: 'Toutes les demandes' }).waitFor();
    await expectFrench(deep);
    await deep.reload();
    await deep.getByRole('link', { name: 'Toutes les demandes' }).waitFor();
    await expectFrench(deep);
  });

  it('keeps the language chosen in the app in the profile, so that it follows the person', async () => {
    const first = await context('en-US');
    const page = await desk.signIn(first, hugo);
    await expectFrench(page);
    await page.getByLabel('Langue').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Your requests' }).waitFor();
    await expect
      .poll(async () => (await desk.services.users.get(principal(hugo), hugo.id)).locale)
      .toBe('en');

    // A French browser: its sign-in page is French, and once signed in the profile's English wins.
    const french = await context('fr-FR');
    const there = await desk.signIn(french, hugo, FRENCH_LABELS);
    await there.getByRole('heading', { level: 1, name: 'Your requests' }).waitFor();
    expect(await there.evaluate('document.documentElement.lang')).toBe('en');
    await there.getByLabel('Language').selectOption('fr');
    await there.getByRole('heading', { level: 1, name: 'Vos demandes' }).waitFor();
    await expect
      .poll(async () => (await desk.services.users.get(principal(hugo), hugo.id)).locale)
      .toBe('fr');

    // Back on the first browser, a reload picks the profile up.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Vos demandes' }).waitFor();
    await expectFrench(page);
  });

  it('shows an anonymous visitor the sign-in page in their browser’s language', async () => {
    const french = await (await context('fr-FR')).newPage();
    await french.goto('/login');
    await french.getByRole('button', { name: 'Se connecter' }).waitFor();
    expect(await french.evaluate('document.documentElement.lang')).toBe('fr');
    const english = await (await context('en-US')).newPage();
    await english.goto('/login');
    await english.getByRole('button', { name: 'Sign in' }).waitFor();
  });
});

const DEFAULT_POLICY = fs.readFileSync(
  path.resolve(import.meta.dirname, '../../policy/default.yaml'),
  'utf8',
);

/** Admin → Versions, for a lead whose profile is French on an English browser. */
describe.skipIf(!chromiumPath())('the policy diff in French in Chromium', () => {
  let desk: BrowserDesk;
  let lead: Account;

  beforeAll(async () => {
    desk = await BrowserDesk.start({ dialect: 'sqlite' });
    lead = await desk.user('lead', 'Léa Responsable', { locale: 'fr' });
    // Basic P2 from one business day to two (worse), P3 from two to one (better), and a wider Friday.
    const source = DEFAULT_POLICY.replace("version: '2024-02-12'", "version: '2030-01-01'")
      .replace(
        '    P2: 1 business day\n    P3: 2 business days',
        '    P2: 2 business days\n    P3: 1 business day',
      )
      .replace("fri: [{ open: '09:00', close: '17:00' }]", "fri: [{ open: '08:00', close: '18:00' }]");
    await desk.services.policy.publish(source, { effective: '2030-01-01', allowRegression: true });
  });
  afterAll(async () => {
    await desk?.close();
  });

  it('names each change, its values and its effect in French, with no English left', async () => {
    const context = await desk.context('en-US', 'UTC');
    const page = await desk.signIn(context, lead);
    await page.goto('/admin/versions');
    const table = page.locator('table.diff-table');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    const cells = async (i: number) =>
      (await rows.nth(i).locator('th, td').allTextContents()).map((t) => t.trim());
    expect(await cells(0)).toEqual([
      'Délai de première réponse, Base, P2',
      'Délai de première réponse',
      '1 jour ouvrable',
      '2 jours ouvrables',
      '▼ Abaissé',
    ]);
    expect(await cells(1)).toEqual([
      'Délai de première réponse, Base, P3',
      'Délai de première réponse',
      '2 jours ouvrables',
      '1 jour ouvrable',
      '▲ Amélioré',
    ]);
    expect(await cells(2)).toEqual([
      'Heures ouvrables du vendredi, calendrier us-eastern',
      'Calendrier ouvrable',
      '09:00–17:00',
      '08:00–18:00',
      '▲ Amélioré',
    ]);
    const text = (await page.locator('main').textContent()) ?? '';
    for (const english of ['->', 'targets.', 'Not lowered', 'Improved', 'business day', 'lowers', 'closed'])
      expect(text, english).not.toContain(english);
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });
});
