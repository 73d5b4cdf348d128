import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { MailDrop } from '../../src/notifications/mail-drop.js';
import { createServices, type Services } from '../../src/services.js';
import { accessibilityViolations } from './accessibility.js';
import {
  BrowserDesk,
  chromiumPath,
  EMBED_SECRET,
  FRENCH_LABELS,
  principal,
  type Account,
} from './support.js';

const SEPTEMBER = { from: '2026-09-01', to: '2026-09-30', month: '2026-09' };
/** Set REPORTS_SCREENSHOTS to a folder to keep pictures of the measured table, to look at. */
const SCREENSHOTS = process.env.REPORTS_SCREENSHOTS;
async function screenshot(page: Page, name: string) {
  if (!SCREENSHOTS) return;
  await page.getByTestId('measured-table').screenshot({ path: path.join(SCREENSHOTS, `${name}-table.png`) });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);

/**
 * Premium P1 tickets of September 2026 and the minutes each waited for its first answer. Eleven,
 * so the median is the sixth: 30 minutes, against the policy's 1 hour; the 90th percentile is the
 * tenth, 70 minutes; 9 of 11 answered within the hour.
 */
const PREMIUM_P1_MINUTES = [5, 10, 15, 20, 25, 30, 35, 40, 45, 70, 90];

/**
 * The reports where people read them: Admin → Reports with the policy's table measured on known
 * tickets, its chart and CSV, an organization's printable month, and a designated contact's own
 * report in the portal (in French), refused anyone else's.
 */
describe.skipIf(!chromiumPath())('the SLA reports in Chromium', () => {
  let desk: BrowserDesk;
  let lead: Account;
  let contact: Account;
  let member: Account;
  let contoso: { id: string };
  let globex: { id: string };
  let agent: Account;
  let reader: Account;
  let umbrella: { id: string };
  let umbrellaContact: Account;
  let past: Services;
  let now = at('2026-08-01T12:00:00Z');

  beforeAll(async () => {
    desk = await BrowserDesk.start({ dialect: 'sqlite' });
    // The history is written by a second set of services on the same database, on a clock the test
    // sets: tickets opened and answered in September 2026, whatever today is.
    const config = loadConfig({ DATA_DIR: desk.database.dataDir, LOG_LEVEL: 'silent', EMBED_SECRET });
    past = createServices(config, desk.database.db, {
      clock: () => now,
      mailer: new MailDrop(path.join(desk.database.dataDir, 'mail-drop-history')),
    });
    const term = { termStart: '2026-01-01T00:00:00.000Z', termEnd: '2027-12-31T00:00:00.000Z' };
    const organization = (name: string, tier: 'premium' | 'essential' | 'basic') =>
      past.organizations.create(null, {
        name,
        domains: [`${name.toLowerCase().replace(/\W+/g, '-')}.test`],
        locale: 'en',
        subscription: { tier, ...term },
      });
    contoso = await organization('Contoso Fleet', 'premium');
    globex = await organization('Globex Works', 'essential');
    const initech = await organization('Initech Plants', 'basic');
    umbrella = await organization('Umbrella Labs', 'essential');
    umbrellaContact = await desk.user('contact', 'Uma Umbrella', { organizationId: umbrella.id });
    contact = await desk.user('contact', 'Casey Contact', { organizationId: contoso.id, locale: 'fr' });
    member = await desk.user('member', 'Morgan Member', { organizationId: contoso.id });
    const globexContact = await desk.user('contact', 'Gale Globex', { organizationId: globex.id });
    const initechContact = await desk.user('contact', 'Ines Initech', { organizationId: initech.id });
    agent = await desk.user('agent', 'Avery Agent');
    lead = await desk.user('lead', 'Lee Lead');
    reader = await desk.user('lead', 'Robin Reader');

    const open = async (
      requester: Account,
      priority: 'P0' | 'P1' | 'P2',
      opened: string,
      subject: string,
    ) => {
      now = at(opened);
      return past.tickets.create(principal(requester), {
        subject,
        body: `${subject}, as seen this morning.`,
        bodyFormat: 'text',
        priority,
        requestType: 'question',
      });
    };
    const answer = async (ticketId: string, when: number) => {
      now = when;
      await past.conversation.addMessage(principal(agent), ticketId, {
        body: 'Looking into it now.',
        bodyFormat: 'text',
        public: true,
      });
    };

    for (const [i, minutes] of PREMIUM_P1_MINUTES.entries()) {
      const opened = `2026-09-${String(i + 2).padStart(2, '0')}T14:00:00Z`;
      const ticket = await open(contact, 'P1', opened, `Work orders fail to save (${i + 1})`);
      await answer(ticket.id, at(opened) + minutes * MINUTE);
    }
    // Two premium P2 tickets: too few to say anything about the cell.
    for (const day of ['2026-09-14', '2026-09-15']) {
      const ticket = await open(contact, 'P2', `${day}T15:00:00Z`, `Report export is slow (${day})`);
      await answer(ticket.id, at(`${day}T15:20:00Z`));
    }
    // A P0: answered in 10 minutes, updated after 30 and then after 55 (one gap over the cadence).
    const outage = await open(contact, 'P0', '2026-09-21T13:00:00Z', 'Nobody can sign in');
    await answer(outage.id, at('2026-09-21T13:10:00Z'));
    await answer(outage.id, at('2026-09-21T13:40:00Z'));
    await answer(outage.id, at('2026-09-21T14:35:00Z'));
    now = at('2026-09-21T15:00:00Z');
    await past.tickets.update(principal(agent), outage.id, { status: 'resolved' });
    // A basic P2, on the business clock: opened Tuesday 10:00 ET, answered at noon ET.
    const basic = await open(initechContact, 'P2', '2026-09-08T14:00:00Z', 'Meter readings missing');
    await answer(basic.id, at('2026-09-08T16:00:00Z'));
    // Another customer's ticket, which Contoso's contact must never see counted.
    const other = await open(globexContact, 'P1', '2026-09-10T14:00:00Z', 'Globex cannot print');
    await answer(other.id, at('2026-09-10T14:30:00Z'));
    // And one answered after 5 hours against Essential P2's 4: the month's only one, so at risk.
    const late = await open(globexContact, 'P2', '2026-09-11T14:00:00Z', 'Globex labels misaligned');
    await answer(late.id, at('2026-09-11T19:00:00Z'));
  });
  afterAll(async () => {
    await desk?.close();
  });

  it('shows the measured policy table, its trend chart and a CSV of the same figures to staff', async () => {
    const context = await desk.context('en-US');
    const page = await desk.signIn(context, lead);
    await page.goto(`/admin/reports?from=${SEPTEMBER.from}&to=${SEPTEMBER.to}`);
    const p1 = page.getByTestId('cell-premium-P1');
    await expect.poll(() => p1.textContent()).toContain('30 minutes / target 1 hour');
    expect(await p1.getAttribute('data-state')).toBe('met');
    const p1Text = await p1.textContent();
    expect(p1Text).toContain('Met');
    expect(p1Text).toContain('11 tickets answered');
    expect(p1Text).toContain('90th percentile: 1 hour 10 minutes');
    expect(p1Text).toContain('82% answered within the target');
    expect(p1Text).toContain('Likely between');

    const p2 = page.getByTestId('cell-premium-P2');
    expect(await p2.getAttribute('data-state')).toBe('lowSample');
    expect(await p2.textContent()).toContain('Too few tickets to say');
    expect(await p2.textContent()).toContain('2 tickets, 10 needed');
    // Business-clock cells say so: 2 business hours against one business day.
    const basic = await page.getByTestId('cell-basic-P2').textContent();
    expect(basic).toContain('Target 1 business day');
    expect(basic).toContain('2 hours of business time');
    expect(await page.getByTestId('cell-enterprise-P3').getAttribute('data-state')).toBe('empty');

    expect(await page.getByTestId('at-risk').textContent()).toContain(
      '100% of the Essential P2 tickets of September 2026 missed their target (1 of 1).',
    );

    // The trend of the busiest tier, Premium, drawn by the chart library on a canvas.
    const trend = page.getByRole('img', { name: /Weekly median first response of each Premium priority/ });
    await trend.waitFor();
    expect(await trend.evaluate((node) => node.tagName)).toBe('CANVAS');
    // One cell's trend: its weekly median against the target line.
    await page.getByLabel('Show').selectOption('premium-P1');
    await page.waitForURL(/trend=premium-P1/);
    await page
      .getByRole('img', { name: /Weekly median first response, Premium P1, against the target/ })
      .waitFor();
    const p0 = page.getByTestId('p0-table').getByRole('row').filter({ hasText: 'Nobody can sign in' });
    await expect.poll(() => p0.textContent()).toContain('55 minutes');
    expect(await accessibilityViolations(page)).toEqual([]);

    const csvLink = page.getByRole('link', { name: 'Download CSV' });
    const href = (await csvLink.getAttribute('href'))!;
    expect(href).toBe('/api/v1/reports/response-times.csv?from=2026-09-01&to=2026-10-01');
    const csv = await page.request.get(href);
    expect(csv.ok()).toBe(true);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const rows = (await csv.text()).trim().split(/\r?\n/);
    expect(rows[0]).toMatch(/^tier,priority,count,pending,median_seconds,/);
    expect(rows.find((r) => r.startsWith('premium,P1,'))).toMatch(
      /^premium,P1,11,0,1800,4200,3600,calendar,true,0\.8182,\d+,\d+,false,11,0,0,met,1800$/,
    );

    // The filters travel in the URL: a tier narrows the table to its column.
    await page.getByLabel('Support level').selectOption('essential');
    await page.waitForURL(/tier=essential/);
    await page.getByTestId('cell-essential-P1').waitFor();
    // The unfiltered table stays until the filtered one has come.
    await expect.poll(() => page.getByTestId('cell-premium-P1').count()).toBe(0);
    await context.close();
  });

  /**
   * Tickets nobody has answered yet, which the desk's real clock ages: opened a set time before the
   * test reads the report (the last 30 days, its default period). Essential P1 (2 hours): four
   * answered in 5 minutes, six waiting for ten days: more than half are past the target, missed.
   * Premium P3 (4 hours, Contoso): answered after 10, 10, 20, 20, 300 and 300 minutes; two waiting
   * 5 minutes, two an hour. Half the tickets are at most 20 minutes with the waiting ones at their
   * ages, but 300 if these are never answered: not yet known. Kaplan–Meier: ten at risk, S = 6/8
   * after the two answers at 10 minutes (the two 5-minute ones no longer at risk), 6/8 · 4/6 = 1/2
   * after 20, flat until 300: about 160 minutes. Its interval: the lower band comes under one half
   * at the second 10-minute answer (0.75 − 1.96 · 0.75 · √(1/56 + 1/42) = 0.45), the upper band
   * only when S reaches 0, at 300 minutes.
   */
  it('says Missed and Not yet known, with the tickets not answered yet, in English and in French after a reload', async () => {
    const started = Date.now();
    const create = async (requester: Account, priority: 'P1' | 'P3', minutesAgo: number, subject: string) => {
      now = started - minutesAgo * MINUTE;
      return past.tickets.create(principal(requester), {
        subject,
        body: `${subject}, since this morning.`,
        bodyFormat: 'text',
        priority,
        requestType: 'question',
      });
    };
    const answerAfter = async (ticketId: string, openedMinutesAgo: number, minutes: number) => {
      now = started - (openedMinutesAgo - minutes) * MINUTE;
      await past.conversation.addMessage(principal(agent), ticketId, {
        body: 'On it.',
        bodyFormat: 'text',
        public: true,
      });
    };
    for (let i = 0; i < 4; i++) {
      const ticket = await create(
        umbrellaContact,
        'P1',
        9 * 24 * 60 - i * 60,
        `Umbrella sensors offline (${i + 1})`,
      );
      await answerAfter(ticket.id, 9 * 24 * 60 - i * 60, 5);
    }
    for (let i = 0; i < 6; i++)
      await create(umbrellaContact, 'P1', 10 * 24 * 60, `Umbrella badge reader (${i + 1})`);
    for (const [i, minutes] of [10, 10, 20, 20, 300, 300].entries()) {
      const ticket = await create(contact, 'P3', 420 - i, `Contoso dashboard colours (${i + 1})`);
      await answerAfter(ticket.id, 420 - i, minutes);
    }
    for (const minutesAgo of [5, 5, 60, 60])
      await create(contact, 'P3', minutesAgo, `Contoso help article (${minutesAgo})`);

    const context = await desk.context('en-US');
    const page = await desk.signIn(context, reader);
    await page.goto('/admin/reports');
    const missed = page.getByTestId('cell-essential-P1');
    await expect.poll(() => missed.getAttribute('data-state')).toBe('missed');
    const missedText = await missed.textContent();
    expect(missedText).toContain('Missed');
    expect(missedText).toMatch(/At least 10 days \/ target 2 hours/);
    expect(missedText).toContain('4 tickets answered');
    expect(missedText).toContain('6 not answered yet, 6 of them past the target');
    expect(missedText).toContain('40% answered within the target');

    const unknown = page.getByTestId('cell-premium-P3');
    expect(await unknown.getAttribute('data-state')).toBe('unknown');
    const unknownText = await unknown.textContent();
    expect(unknownText).toContain('Not yet known');
    expect(unknownText).toContain('About 2 hours 40 minutes / target 4 hours');
    expect(unknownText).toContain('6 tickets answered');
    expect(unknownText).toContain('4 not answered yet');
    expect(unknownText).toContain('Likely between 10 minutes and 5 hours');
    expect(await page.getByText(/“likely between” is the range that/).count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'reports-en');

    // The reader switches to French: kept in their profile, so a reload shows it again.
    await page.getByLabel('Language').selectOption('fr');
    await expect.poll(() => page.evaluate('document.documentElement.lang')).toBe('fr');
    await page.reload();
    const manque = page.getByTestId('cell-essential-P1');
    await expect.poll(() => manque.textContent()).toContain('Manqué');
    const manqueText = await manque.textContent();
    expect(manqueText).toMatch(/Au moins 10\sjours \/ objectif 2\sheures/);
    expect(manqueText).toContain("6 encore sans réponse, dont 6 au-delà de l'objectif");
    const inconnu = await page.getByTestId('cell-premium-P3').textContent();
    expect(inconnu).toContain('Pas encore connu');
    expect(inconnu).toMatch(/Environ 2\sheures 40\sminutes \/ objectif 4\sheures/);
    expect(inconnu).toContain('4 encore sans réponse');
    expect(inconnu).toMatch(/Probablement entre 10\sminutes et 5\sheures/);
    expect(await page.getByText(/« probablement entre » donne la fourchette/).count()).toBe(1);
    await screenshot(page, 'reports-fr');
    await context.close();
  });

  it('prints an organization’s month: the report alone, black on white', async () => {
    const context = await desk.context('en-US');
    const page = await desk.signIn(context, lead);
    await page.goto(`/admin/reports/monthly?organizationId=${contoso.id}&month=${SEPTEMBER.month}`);
    await page.getByRole('heading', { name: 'Service report: Contoso Fleet, September 2026' }).waitFor();
    const report = page.getByTestId('monthly-report');
    await expect.poll(() => report.getByTestId('cell-premium-P1').textContent()).toContain('30 minutes');
    // Its own tier's column only: the organization's tickets are all Premium.
    expect(await report.getByTestId('cell-basic-P2').count()).toBe(0);
    await expect.poll(() => report.getByTestId('p0-table').textContent()).toContain('Nobody can sign in');
    expect(await report.textContent()).toContain('MaintainX strives to handle support cases');
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.topbar').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print / save as PDF' }).isVisible()).toBe(false);
    // The tests' TypeScript has no DOM library; this function runs in the page, which has one.
    const colorOf = (node: unknown) =>
      (globalThis as unknown as { getComputedStyle(n: unknown): { color: string } }).getComputedStyle(node)
        .color;
    expect(await report.evaluate(colorOf)).toBe('rgb(0, 0, 0)');
    await context.close();
  });

  it('gives a designated contact their own organization’s report in the portal, and nobody else’s', async () => {
    const context = await desk.context('fr-FR');
    const page = await desk.signIn(context, contact, FRENCH_LABELS);
    await page.getByRole('link', { name: 'Rapport de service' }).click();
    await page.waitForURL(/\/portal\/report/);
    await page.goto(`/portal/report?month=${SEPTEMBER.month}`);
    await page.getByRole('heading', { name: 'Rapport de service : Contoso Fleet, septembre 2026' }).waitFor();
    const p1 = page.getByTestId('cell-premium-P1');
    // French puts a no-break space between a number and its unit.
    await expect.poll(() => p1.textContent()).toMatch(/30\sminutes \/ objectif 1\sheure/);
    expect(await page.getByTestId('cell-premium-P2').textContent()).toContain(
      'Trop peu de tickets pour conclure',
    );
    expect(await accessibilityViolations(page)).toEqual([]);

    const theirs = await page.request.get(
      `/api/v1/reports/response-times?from=2026-09-01&to=2026-10-01&organizationId=${globex.id}`,
    );
    expect(theirs.status()).toBe(403);
    // The admin's monthly page is not for customers: they are sent back to the portal.
    await page.goto(`/admin/reports/monthly?organizationId=${globex.id}&month=${SEPTEMBER.month}`);
    await page.waitForURL((url) => url.pathname === '/portal');
    await context.close();

    const memberContext = await desk.context('en-US');
    const memberPage = await desk.signIn(memberContext, member);
    await memberPage.getByRole('link', { name: 'New request' }).waitFor();
    expect(await memberPage.getByRole('link', { name: 'Service report' }).count()).toBe(0);
    await memberContext.close();
  });
});
