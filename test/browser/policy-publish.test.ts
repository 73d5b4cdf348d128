import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './accessibility.js';
import { BrowserDesk, chromiumPath, FRENCH_LABELS, type Account } from './support.js';

const SHOTS = '/tmp/shots';
const DEFAULT_POLICY = fs.readFileSync(
  path.resolve(import.meta.dirname, '../../policy/default.yaml'),
  'utf8',
);

/** The default policy with a new version name and some edits. */
function variant(base: string, from: string, version: string, edits: [string, string][]): string {
  let text = base.replace(`version: '${from}'`, `version: '${version}'`);
  for (const [before, after] of edits) {
    if (!text.includes(before)) throw new Error(`policy text not found: ${before}`);
    text = text.replace(before, after);
  }
  return text;
}

// The desk runs on the real clock, and a version takes effect now or later: dates far ahead.
// Premium and enterprise P0 from 15 to 10 minutes: better for the customer.
const TIGHTER = variant(DEFAULT_POLICY, '2024-02-12', '2090-01-01', [
  ['    P0: 15 minutes', '    P0: 10 minutes'],
]);
// From TIGHTER, basic P2 from one business day to two: a lowered service level, and nothing else.
const LOWERED = variant(TIGHTER, '2090-01-01', '2090-06-01', [
  ['    P2: 1 business day\n    P3: 2 business days', '    P2: 2 business days\n    P3: 2 business days'],
]);

const yamlFile = (name: string, text: string) => ({
  name,
  mimeType: 'application/yaml',
  buffer: Buffer.from(text, 'utf8'),
});

async function shoot(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `policy-${name}.png`), fullPage: true });
}

/** The viewport from sections 4 to 6 down, legible where the whole page is not. */
async function shootSections(page: Page, name: string) {
  await page.locator('#responsibilities-title').evaluate((h) => h.scrollIntoView());
  await page.screenshot({ path: path.join(SHOTS, `policy-${name}.png`) });
}

const cells = async (page: Page, selector: string, row: number) =>
  (await page.locator(`${selector} tbody tr`).nth(row).locator('th, td').allTextContents()).map((t) =>
    t.trim(),
  );

/**
 * The policy page with sections 4 to 6, and Admin → Versions → Publish: a file chosen, previewed,
 * published, and a lowering version that needs the admin's consent. The API suite covers both
 * databases; what the browser adds does not depend on one, so this runs on SQLite.
 */
describe.skipIf(!chromiumPath())('the policy and its publishing in Chromium', { timeout: 60_000 }, () => {
  let desk: BrowserDesk;
  let admin: Account;
  let frenchAdmin: Account;
  let lead: Account;

  beforeAll(async () => {
    desk = await BrowserDesk.start({ dialect: 'sqlite' });
    admin = await desk.user('admin', 'Ada Admin', { locale: 'en' });
    frenchAdmin = await desk.user('admin', 'Adèle Admin', { locale: 'fr' });
    lead = await desk.user('lead', 'Lee Lead', { locale: 'en' });
    // A premium customer whose term runs past the new versions' dates: it keeps its version.
    await desk.services.organizations.create(null, {
      name: 'Keeps Its Terms',
      domains: ['keeps-its-terms.test'],
      locale: 'en',
      subscription: { tier: 'premium', termStart: '2026-01-01', termEnd: '2095-01-01' },
    });
  });
  afterAll(async () => {
    await desk?.close();
  });

  it('shows sections 4, 5 and 6 of the policy, in English and in French', async () => {
    const context = await desk.context('en-US', 'UTC');
    const page = await desk.signIn(context, admin);
    await page.goto('/admin/policy');
    const heading = (name: string, level: number) => page.getByRole('heading', { name, level, exact: true });
    await heading('Customer Responsibilities', 3).waitFor();
    for (const [name, level] of [
      ['Customer Contact', 4],
      ['Cooperation', 4],
      ['Exclusions', 3],
      ['Changes to the MaintainX Support Policy', 3],
    ] as const)
      expect(await heading(name, level).count(), name).toBe(1);
    const exclusions = page.getByRole('region', { name: 'Exclusions', exact: true });
    expect(await exclusions.getByRole('listitem').allTextContents()).toContain(
      'a high number of calls about previously resolved incidents',
    );
    await shoot(page, 'page-en');
    await shootSections(page, 'sections-en');

    await page.getByRole('radio', { name: 'Français' }).check();
    await heading('Responsabilités du client', 3).waitFor();
    for (const [name, level] of [
      ['Contact avec le client', 4],
      ['Coopération', 4],
      ['Exclusions', 3],
      ['Modifications apportées à la politique de support de MaintainX', 3],
    ] as const)
      expect(await heading(name, level).count(), name).toBe(1);
    expect(await page.locator('article.policy-document').getAttribute('lang')).toBe('fr');
    await shoot(page, 'page-fr');
    await shootSections(page, 'sections-fr');
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });

  it('previews a chosen file, shows who keeps their version, publishes it and lists it', async () => {
    const context = await desk.context('en-US', 'UTC');
    const page = await desk.signIn(context, admin);
    await page.goto('/admin/versions');
    await page.getByRole('heading', { name: 'Publish a new version' }).waitFor();
    await page.getByLabel('Policy file (YAML)').setInputFiles(yamlFile('policy-2090.yaml', TIGHTER));
    await expect.poll(() => page.getByLabel('Policy text').inputValue()).toBe(TIGHTER);
    await page.getByLabel('Takes effect on').fill('2090-01-01T00:00');
    await page.getByRole('button', { name: 'Preview' }).click();

    await page.getByRole('heading', { name: 'What version 2090-01-01 changes' }).waitFor();
    const preview = page.getByRole('region', { name: 'What version 2090-01-01 changes' });
    expect(await preview.textContent()).toContain('compared with version 2024-02-12');
    expect(await cells(page, 'table.diff-table', 0)).toEqual([
      'First response target, Premium, P0',
      'First response target',
      '15 minutes',
      '10 minutes',
      '▲ Improved',
    ]);
    expect(await cells(page, '[data-testid="keeps-version"]', 0)).toEqual([
      'Keeps Its Terms',
      'Premium',
      '2024-02-12',
      'Jan 1, 2095',
    ]);
    // Nothing lowers the service level: no consent to give.
    expect(await page.getByRole('checkbox').count()).toBe(0);
    await shoot(page, 'versions-preview-en');
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Publish version 2090-01-01' }).click();
    await page.getByRole('status').filter({ hasText: 'Version 2090-01-01 is published' }).waitFor();
    expect((await desk.services.policy.list()).map((v) => v.version)).toEqual(['2024-02-12', '2090-01-01']);

    await page.reload();
    const row = page.getByRole('row', { name: /2090-01-01/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Scheduled');
    await context.close();
  });

  it('explains a refusal and needs consent to publish a lowering version, in French', async () => {
    const context = await desk.context('fr-FR', 'UTC');
    const page = await desk.signIn(context, frenchAdmin, FRENCH_LABELS);
    await page.goto('/admin/versions');
    await page.getByRole('heading', { name: 'Publier une nouvelle version' }).waitFor();
    const file = page.getByLabel('Fichier de la politique (YAML)');
    const effective = page.getByLabel('Entre en vigueur le');
    const previewButton = page.getByRole('button', { name: 'Prévisualiser' });

    // The version already published: refused in plain words, before anything is written.
    await file.setInputFiles(yamlFile('encore.yaml', TIGHTER));
    await effective.fill('2090-03-01T00:00');
    await previewButton.click();
    const alert = page.locator('[role="alert"].admin-problem');
    await expect.poll(() => alert.textContent()).toContain('La version 2090-01-01 est déjà publiée.');

    // A misspelt duration: each problem named with its line.
    await file.setInputFiles(
      yamlFile('faute.yaml', LOWERED.replace('    P3: 2 business days', '    P3: 2 buisness days')),
    );
    await previewButton.click();
    await expect
      .poll(() => alert.textContent())
      .toContain("Le fichier n'est pas une politique de support valide");
    expect(await alert.textContent()).toMatch(/Ligne \d+ — targets\.basic\.P3/);
    await shoot(page, 'versions-invalid-fr');

    await file.setInputFiles(yamlFile('abaisse.yaml', LOWERED));
    await effective.fill('2090-06-01T00:00');
    await previewButton.click();
    await page.getByRole('heading', { name: 'Ce que change la version 2090-06-01' }).waitFor();
    const preview = page.getByRole('region', { name: 'Ce que change la version 2090-06-01' });
    expect(await preview.textContent()).toContain('1 abaisse le niveau de service.');
    expect(await page.getByRole('note').textContent()).toContain('La section 6 de la politique interdit');
    expect(await cells(page, 'table.diff-table', 0)).toEqual([
      'Délai de première réponse, Base, P2',
      'Délai de première réponse',
      '1 jour ouvrable',
      '2 jours ouvrables',
      '▼ Abaissé',
    ]);
    const publish = page.getByRole('button', { name: 'Publier la version 2090-06-01' });
    expect(await publish.isDisabled()).toBe(true);
    await page.getByLabel("Publier bien qu'elle abaisse", { exact: false }).check();
    expect(await publish.isDisabled()).toBe(false);
    await shoot(page, 'versions-lowering-fr');
    expect(await accessibilityViolations(page)).toEqual([]);

    await publish.click();
    await page.getByRole('status').filter({ hasText: 'La version 2090-06-01 est publiée' }).waitFor();
    expect((await desk.services.policy.list()).map((v) => v.version)).toContain('2090-06-01');
    await context.close();
  });

  it('shows leads the versions but not the publishing form', async () => {
    const context = await desk.context('en-US', 'UTC');
    const page = await desk.signIn(context, lead);
    await page.goto('/admin/versions');
    await page.getByRole('row', { name: /2024-02-12/ }).waitFor();
    expect(await page.getByRole('heading', { name: 'Publish a new version' }).count()).toBe(0);
    expect(await page.locator('input[type="file"]').count()).toBe(0);
    await context.close();
  });
});
