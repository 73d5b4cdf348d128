import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './accessibility.js';
import { BrowserDesk, chromiumPath, FRENCH_LABELS, principal, type Account } from './support.js';

/** Set SATISFACTION_SCREENSHOTS to a folder to keep pictures of each screen, to look at. */
const SHOTS = process.env.SATISFACTION_SCREENSHOTS;
async function shot(page: Page | Locator, name: string) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `csat-${name}.png`);
  await ('goto' in page ? page.screenshot({ path: file, fullPage: true }) : page.screenshot({ path: file }));
}

/**
 * Satisfaction where people answer and read it: a French customer answers in the portal, an English
 * one from the mailed link in a browser that never signed in (twice: the first answer stays), and
 * staff read the answers on the ticket and in Reports, in English and in French.
 */
describe.skipIf(!chromiumPath())('satisfaction surveys in Chromium', () => {
  let desk: BrowserDesk;
  let camille: Account;
  let alex: Account;
  let agent: Account;
  let lead: Account;
  let lucie: Account;
  let frenchTicket: { id: string; number: number };
  let englishTicket: { id: string; number: number };
  let contosoId: string;
  const contexts: BrowserContext[] = [];
  const context = async (locale: 'en-US' | 'fr-FR') => {
    const created = await desk.context(locale, 'UTC');
    contexts.push(created);
    return created;
  };

  const fileAndResolve = async (requester: Account, subject: string) => {
    const ticket = await desk.services.tickets.create(principal(requester), {
      subject,
      body: 'The export button does nothing.',
      bodyFormat: 'text',
      priority: 'P2',
      requestType: 'problem',
    });
    await desk.services.tickets.update(principal(agent), ticket.id, { assigneeId: agent.id });
    await desk.services.tickets.update(principal(agent), ticket.id, { status: 'resolved' });
    return ticket;
  };

  beforeAll(async () => {
    desk = await BrowserDesk.start({ dialect: 'sqlite' });
    const tailspin = await desk.organization('Tailspin Essai', 'premium', { locale: 'fr' });
    const contoso = await desk.organization('Contoso', 'essential');
    contosoId = contoso.id;
    camille = await desk.user('contact', 'Camille Roy', { organizationId: tailspin.id, locale: 'fr' });
    alex = await desk.user('contact', 'Alex Kim', { organizationId: contoso.id, locale: 'en' });
    agent = await desk.user('agent', 'Dana Agent', { locale: 'en' });
    lead = await desk.user('lead', 'Lee Lead', { locale: 'en' });
    lucie = await desk.user('lead', 'Lucie Martin', { locale: 'fr' });
    frenchTicket = await fileAndResolve(camille, 'Impossible d’exporter les ordres de travail');
    englishTicket = await fileAndResolve(alex, 'Export stuck at 99%');
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await desk?.close();
  });

  it('lets a French customer answer in the portal, once', async () => {
    const page = await desk.signIn(await context('fr-FR'), camille, FRENCH_LABELS);
    await page.goto(`/portal/tickets/${frenchTicket.id}`);
    const question = page.getByTestId('satisfaction');
    await question.getByRole('heading', { name: 'Êtes-vous satisfait ?' }).waitFor();
    await shot(page, 'portal-question-fr');
    expect(await accessibilityViolations(page)).toEqual([]);
    await question.getByLabel('Satisfait', { exact: true }).check();
    await question
      .getByLabel('Souhaitez-vous ajouter quelque chose ? (facultatif)')
      .fill('Rapide et clair, merci.');
    await question.getByRole('button', { name: 'Envoyer ma réponse' }).click();
    await question.getByText('Merci pour votre réponse.').waitFor();
    expect(await question.textContent()).toContain('Votre réponse : Satisfait');
    expect(await question.getByRole('button', { name: 'Envoyer ma réponse' }).count()).toBe(0);
    await shot(page, 'portal-answered-fr');

    // After a reload the answer is there and cannot be given again.
    await page.reload();
    await question.getByText('Rapide et clair, merci.').waitFor();
    expect(await question.getByRole('radio').count()).toBe(0);
  });

  it('answers from the mailed link in a browser that never signed in; the second use keeps the first', async () => {
    const mail = await desk.database.db.kysely
      .selectFrom('mail_outbox')
      .select(['body_text', 'to_address'])
      .where('ticket_id', '=', englishTicket.id)
      .where('kind', '=', 'satisfaction_survey')
      .executeTakeFirstOrThrow();
    expect(mail.to_address).toBe(alex.email);
    const link = /https?:\/\/\S+\/satisfaction\/answer\?token=[\w-]+&rating=bad/.exec(mail.body_text)![0];
    const { pathname, search } = new URL(link);

    const page = await (await context('en-US')).newPage();
    await page.goto(`${pathname}${search}`);
    await page.getByRole('heading', { name: 'How did we do?' }).waitFor();
    // The link named "bad": it is chosen, and nothing is recorded until the button is pressed.
    expect(await page.getByLabel("Bad, I'm not satisfied").isChecked()).toBe(true);
    expect(await page.getByRole('radio', { checked: true }).getAttribute('value')).toBe('bad');
    const before = await desk.services.satisfactionSurveys.byTicket(englishTicket.id);
    expect(before?.rating).toBeNull();
    await page.getByLabel('Anything you would like to add? (optional)').fill('It took <b>three</b> days.');
    await shot(page, 'link-question-en');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Send my answer' }).click();
    await page.getByRole('heading', { name: 'Thank you' }).waitFor();
    expect(await page.textContent('blockquote')).toBe('It took <b>three</b> days.');
    await shot(page, 'link-thanks-en');

    // The same link again, choosing the other answer: the first is kept.
    const again = await (await context('en-US')).newPage();
    await again.goto(`${pathname}${search.replace('rating=bad', 'rating=good')}`);
    await again.getByRole('heading', { name: 'You already answered' }).waitFor();
    expect(await again.textContent('main')).toContain('Your answer: bad');
    await shot(again, 'link-already-en');
    expect((await desk.services.satisfactionSurveys.byTicket(englishTicket.id))?.rating).toBe('bad');

    // Camille's mailed link, answered in the portal already: French, and the portal's answer stands.
    const french = await desk.database.db.kysely
      .selectFrom('mail_outbox')
      .select('body_text')
      .where('ticket_id', '=', frenchTicket.id)
      .where('kind', '=', 'satisfaction_survey')
      .executeTakeFirstOrThrow();
    expect(french.body_text).toContain('Êtes-vous satisfait de l’aide reçue ?');
    const frenchLink = new URL(/https?:\/\/\S+rating=bad/.exec(french.body_text)![0]);
    const frenchPage = await (await context('fr-FR')).newPage();
    await frenchPage.goto(`${frenchLink.pathname}${frenchLink.search}`);
    await frenchPage.getByRole('heading', { name: 'Vous avez déjà répondu' }).waitFor();
    expect(await frenchPage.textContent('main')).toContain('Votre réponse : satisfait');
    await shot(frenchPage, 'link-already-fr');
  });

  it('shows staff the answer on the ticket and in Reports, in English and in French', async () => {
    const page = await desk.signIn(await context('en-US'), lead);
    await page.goto(`/console/tickets/${englishTicket.id}`);
    const card = page.getByTestId('satisfaction-card');
    await card.getByText('Bad', { exact: true }).waitFor();
    expect(await card.textContent()).toContain('It took <b>three</b> days.');
    expect(await card.textContent()).toContain('from the mailed link');
    await page.getByText('Alex Kim rated the help: Bad').waitFor();
    await shot(page, 'console-card-en');

    await page.goto('/admin/reports');
    const section = page.getByTestId('satisfaction-report');
    await section.getByTestId('satisfaction-totals').waitFor();
    // Two tickets asked, both answered: one good, one bad.
    const totals = await section.getByTestId('satisfaction-totals').textContent();
    expect(totals).toContain('Score50%');
    expect(totals).toContain('Asked2');
    expect(totals).toContain('Share answered100%');
    const latest = section.getByTestId('satisfaction-latest');
    expect(await latest.textContent()).toContain('Rapide et clair, merci.');
    await section
      .getByRole('table', { name: /Satisfaction per agent/ })
      .getByText('Dana Agent')
      .waitFor();
    await section.scrollIntoViewIfNeeded();
    await shot(page, 'reports-en');
    await shot(section, 'reports-section-en');

    const french = await desk.signIn(await context('fr-FR'), lucie, FRENCH_LABELS);
    await french.goto('/admin/reports');
    const frSection = french.getByTestId('satisfaction-report');
    await frSection.getByRole('heading', { name: 'Satisfaction', level: 2 }).waitFor();
    await frSection.getByTestId('satisfaction-totals').waitFor();
    expect(await frSection.getByTestId('satisfaction-totals').textContent()).toContain('Part de réponses');
    await frSection.getByRole('heading', { name: 'Qui est interrogé' }).waitFor();
    await shot(frSection, 'reports-section-fr');
    await french.goto(`/console/tickets/${frenchTicket.id}`);
    const frCard = french.getByTestId('satisfaction-card');
    await frCard.getByText('Satisfait', { exact: true }).waitFor();
    expect(await frCard.textContent()).toContain('dans le portail');
    await shot(french, 'console-card-fr');

    // The organization's page: its score and its answers.
    await page.goto(`/admin/organizations/${contosoId}`);
    const org = page.getByTestId('organization-satisfaction');
    await org.getByTestId('satisfaction-totals').waitFor();
    expect(await org.getByTestId('satisfaction-totals').textContent()).toContain('Score0%');
    expect(await org.textContent()).toContain('It took <b>three</b> days.');
    expect(await org.textContent()).not.toContain('Rapide et clair');
    await shot(org, 'organization-en');
  });
});
