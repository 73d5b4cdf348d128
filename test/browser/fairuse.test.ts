import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './accessibility.js';
import { BrowserDesk, chromiumPath, principal, type Account } from './support.js';

const ORGANIZATION = 'Northwind Fleet';
const REASON = 'Forty tickets this month repeat incidents already resolved; see our message of Monday.';
const OFF_TOPIC = ['Can you recommend a good accountant?', 'Our office coffee machine is broken'];
const EXCLUSION_NOTE = 'The export was run against a database the documentation says not to connect.';

/** Noon UTC two weeks from now: a day-level end date the browser (in UTC here) types as is. */
function twoWeeksAhead(): { typed: string; iso: string } {
  const day = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
  return { typed: `${day}T12:00`, iso: `${day}T12:00:00.000Z` };
}

/**
 * Fair use where the lead and the customer meet it: a lead suspends an organization's support from
 * the admin area with a reason and an end date; a customer of that organization reads the limit on
 * the new-request form, is refused a P2 with the reason, and still gets a P0 through; the lead then
 * finds both in the organization's audit log. Staff mark requests off-topic from the console, which
 * raises a flag with its evidence, and exclude one from the promise, which the customer reads.
 */
describe.skipIf(!chromiumPath())('fair use in Chromium', () => {
  let desk: BrowserDesk;
  let customer: Account;
  let lead: Account;
  let offTopic: { id: string; number: number }[];
  const ends = twoWeeksAhead();

  beforeAll(async () => {
    desk = await BrowserDesk.start({ dialect: 'sqlite' });
    const org = await desk.organization(ORGANIZATION, 'premium');
    await desk.organization('Contoso Plant', 'essential');
    customer = await desk.user('contact', 'Casey Customer', { organizationId: org.id, locale: 'en' });
    lead = await desk.user('lead', 'Lee Lead');
    // Filed before the suspension the first test applies.
    offTopic = [];
    for (const subject of OFF_TOPIC)
      offTopic.push(
        await desk.services.tickets.create(principal(customer), {
          subject,
          body: `${subject} Thanks in advance.`,
          bodyFormat: 'text',
          priority: 'P3',
          requestType: 'question',
        }),
      );
  });
  afterAll(async () => {
    await desk?.close();
  });

  it('a lead suspends an organization’s support until a date, with the reason', async () => {
    const context = await desk.context('en-US', 'UTC');
    const page = await desk.signIn(context, lead);
    await page.goto('/admin');
    await page
      .getByRole('navigation', { name: 'Admin sections' })
      .getByRole('link', { name: 'Fair use' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Fair use' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    const choose = page.getByRole('form', { name: 'Review an organization' });
    await choose.getByLabel('Organization').selectOption({ label: ORGANIZATION });
    await choose.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('heading', { level: 1, name: `Fair use: ${ORGANIZATION}` }).waitFor();
    const limits = page.getByRole('region', { name: 'Limits in force' });
    await expect.poll(() => limits.textContent()).toContain('No limit in force.');

    const form = page.getByRole('region', { name: 'Apply a limit' });
    await form.getByLabel('Kind of limit').selectOption('suspension');
    await form.getByLabel('Reason', { exact: true }).fill(REASON);
    await form.getByLabel('Ends', { exact: true }).fill(ends.typed);
    expect(await accessibilityViolations(page)).toEqual([]);
    await form.getByRole('button', { name: 'Apply limit' }).click();
    await expect
      .poll(() => form.getByRole('status').textContent())
      .toBe("Limit applied: Support suspended. The organization's contacts were told by mail.");

    const active = limits.getByTestId('active-limits').getByRole('listitem');
    await expect.poll(() => active.count()).toBe(1);
    expect(await active.getByRole('heading').textContent()).toBe('Support suspended');
    expect(await active.textContent()).toContain(REASON);
    expect(await active.locator('time').nth(1).getAttribute('datetime')).toBe(ends.iso);
    expect(await active.getByLabel('Reason for lifting').count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });

  it('the customer reads the limit before writing, is refused a P2, and files a P0', async () => {
    const context = await desk.context('en-US', 'UTC');
    const page = await desk.signIn(context, customer);
    await page.goto('/portal/new');
    const notice = page.getByTestId('support-limit-notice');
    await notice.getByRole('heading', { name: 'Support for your organization is limited' }).waitFor();
    expect(await notice.textContent()).toContain('Support suspended');
    expect(await notice.textContent()).toContain(REASON);
    expect(await notice.locator('time').getAttribute('datetime')).toBe(ends.iso);
    expect(await notice.textContent()).toContain('A P0 (critical) request is always accepted');
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByLabel('Subject').fill('Work orders export is slow');
    await page.getByLabel('Description').fill('Exporting a month of work orders takes several minutes.');
    await page.locator('input[name="priority"][value="P2"]').check();
    await page.getByRole('button', { name: 'Send request' }).click();
    const refusal = page.getByTestId('support-limit-refusal');
    await refusal.waitFor();
    expect(await refusal.getAttribute('role')).toBe('alert');
    expect(await refusal.textContent()).toContain('This request could not be filed');
    expect(await refusal.textContent()).toContain('suspended');
    expect(await refusal.textContent()).toContain(REASON);
    expect(new URL(page.url()).pathname).toBe('/portal/new');
    expect(await accessibilityViolations(page)).toEqual([]);

    // Production down: never refused, whatever the limit.
    await page.getByLabel('Subject').fill('Nothing loads: the whole crew is idle');
    await page.locator('input[name="priority"][value="P0"]').check();
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.waitForURL(/\/portal\/tickets\/[^/]+$/);
    await page.getByRole('heading', { level: 1, name: /Nothing loads/ }).waitFor();
    await context.close();
  });

  it('the lead finds the limit and the P0 that went over it in the audit log', async () => {
    const context = await desk.context('en-US', 'UTC');
    const page = await desk.signIn(context, lead);
    await page.goto('/admin/fairuse');
    const choose = page.getByRole('form', { name: 'Review an organization' });
    await choose.getByLabel('Organization').selectOption({ label: ORGANIZATION });
    await choose.getByRole('button', { name: 'Review' }).click();
    const audit = page.getByTestId('fairuse-audit');
    await expect.poll(() => audit.getByRole('rowheader').count()).toBeGreaterThanOrEqual(2);
    const actions = await audit.getByRole('rowheader').allTextContents();
    expect(actions.some((a) => a.startsWith('Limit applied'))).toBe(true);
    expect(actions.some((a) => a.startsWith('P0 filed over a limit'))).toBe(true);
    const applied = audit.getByRole('row').filter({ hasText: 'Limit applied' });
    expect(await applied.textContent()).toContain(REASON);
    expect(await applied.textContent()).toContain(lead.name);
    expect(await accessibilityViolations(page)).toEqual([]);

    await page
      .getByRole('navigation', { name: 'Fair use sections' })
      .getByRole('link', { name: 'Spam folder' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Spam folder' }).waitFor();
    await expect.poll(() => page.getByText('Nothing to review.').count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });

  it('staff mark requests off-topic and exclude one; the flag shows its evidence, the customer the exclusion', async () => {
    const context = await desk.context('en-US', 'UTC');
    const page = await desk.signIn(context, lead);
    await page.goto(`/console/tickets/${offTopic[0]!.id}`);
    const panel = page.getByTestId('fairuse-panel');
    const mark = panel.getByTestId('fairuse-off-topic');
    await mark.getByLabel('Note (optional)').fill('Not about the product.');
    await mark.getByRole('button', { name: 'Mark off-topic' }).click();
    await expect.poll(() => mark.textContent()).toContain('Marked off-topic');
    expect(await mark.textContent()).toContain(`by ${lead.name}`);
    expect(await mark.getByRole('button', { name: 'Mark support-related' }).count()).toBe(1);

    const exclusion = panel.getByTestId('fairuse-exclusion');
    await exclusion.getByLabel('Reason', { exact: true }).selectOption('nonconforming_use');
    await exclusion.getByLabel('Note for the customer').fill(EXCLUSION_NOTE);
    expect(await accessibilityViolations(page)).toEqual([]);
    await exclusion.getByRole('button', { name: 'Exclude from the promise' }).click();
    // The form's own options name the reasons too: wait for the excluded state (its removal form).
    await expect.poll(() => exclusion.getByLabel('Reason for removing the exclusion').count()).toBe(1);
    expect(await exclusion.textContent()).toContain(
      'Use not conforming to the agreement or the documentation',
    );
    expect(await exclusion.textContent()).toContain(EXCLUSION_NOTE);
    expect(await accessibilityViolations(page)).toEqual([]);

    // A second mark reaches the off-topic flag's threshold.
    await desk.services.fairUseFlags.markOffTopic(principal(lead), offTopic[1]!.id, undefined);
    await page.goto('/admin/fairuse');
    const flagged = page.getByTestId('fairuse-flagged');
    const row = flagged.getByRole('row').filter({ hasText: ORGANIZATION });
    await expect.poll(() => row.textContent()).toContain('Not support-related');
    await row.getByRole('link', { name: ORGANIZATION }).click();
    const flag = page.getByTestId('flag-off_topic');
    await flag.getByRole('heading', { name: 'Not support-related' }).waitFor();
    for (const [i, ticket] of offTopic.entries())
      expect(
        await flag.getByRole('link', { name: `#${ticket.number} ${OFF_TOPIC[i]}` }).getAttribute('href'),
      ).toBe(`/console/tickets/${ticket.id}`);
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();

    const customerContext = await desk.context('en-US', 'UTC');
    const portal = await desk.signIn(customerContext, customer);
    await portal.goto(`/portal/tickets/${offTopic[0]!.id}`);
    const excluded = portal.getByTestId('ticket-exclusion');
    await excluded.getByRole('heading', { name: 'Outside the support promise' }).waitFor();
    expect(await excluded.textContent()).toContain(
      'Use not conforming to the agreement or the documentation',
    );
    expect(await excluded.textContent()).toContain(EXCLUSION_NOTE);
    expect(await accessibilityViolations(portal)).toEqual([]);
    await customerContext.close();
  });
});

/** Words of the English fair-use pages that must not show on the French ones. */
const ENGLISH = [
  'tickets in the',
  'Strength',
  'median',
  'Marked off-topic',
  'Raised',
  'Evidence',
  'Repeats',
  'similarity',
  'alike',
  'its own',
  '×',
];

/** Text as read: French puts narrow no-break spaces before "%" and ":". */
const plain = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ');

/**
 * A lead whose profile is French, on an English browser, reads the flags, their evidence, the rule
 * that raised each and a ticket's signs in French: the API gives facts, the web app the words.
 */
describe.skipIf(!chromiumPath())('fair use in French in Chromium', () => {
  let desk: BrowserDesk;
  let lead: Account;
  let customer: Account;
  const marked: { id: string; number: number }[] = [];

  beforeAll(async () => {
    desk = await BrowserDesk.start({ dialect: 'sqlite' });
    const org = await desk.organization('Usine Beaulieu', 'enterprise', { locale: 'fr' });
    customer = await desk.user('contact', 'Bruno Client', { organizationId: org.id, locale: 'fr' });
    lead = await desk.user('lead', 'Léa Responsable', { locale: 'fr' });
    // Two other enterprise organizations file one request each: the tier's median is 1.
    for (const name of ['Laiterie Morel', 'Scierie Vallet']) {
      const other = await desk.organization(name, 'enterprise', { locale: 'fr' });
      const someone = await desk.user('member', `Contact ${name}`, {
        organizationId: other.id,
        locale: 'fr',
      });
      await desk.services.tickets.create(principal(someone), {
        subject: 'Question sur les bons de travail',
        body: 'Où trouver les bons de travail clôturés ?',
        bodyFormat: 'text',
        priority: 'P3',
        requestType: 'question',
      });
    }
    // Twelve requests in the month and none before; two are not about support at all.
    const subjects = [
      'Un fournisseur de pneus pour chariots ?',
      'Le menu de notre cantine',
      ...Array.from({ length: 10 }, (_, i) => `Capteur de température numéro ${i + 1} hors ligne`),
    ];
    for (const subject of subjects) {
      const created = await desk.services.tickets.create(principal(customer), {
        subject,
        body: `${subject} Merci d'avance.`,
        bodyFormat: 'text',
        priority: 'P3',
        requestType: 'question',
      });
      if (marked.length < 2) marked.push(created);
    }
    await desk.services.fairUseFlags.markOffTopic(
      principal(lead),
      marked[0]!.id,
      'Demande commerciale, pas du support.',
    );
    await desk.services.fairUseFlags.markOffTopic(principal(lead), marked[1]!.id, undefined);
  });
  afterAll(async () => {
    await desk?.close();
  });

  it('shows the flags, their evidence and rule, and a ticket’s signs in French', async () => {
    const context = await desk.context('en-US', 'UTC');
    const page = await desk.signIn(context, lead);
    await page.goto('/admin/fairuse');
    const row = page.getByTestId('fairuse-flagged').getByRole('row').filter({ hasText: 'Usine Beaulieu' });
    await expect.poll(() => row.textContent()).toContain('Volume inhabituel');
    expect(await row.textContent()).toContain(
      "2 tickets au cours des 30 derniers jours ont été marqués hors sujet par l'équipe.",
    );
    await row.getByRole('link', { name: 'Usine Beaulieu' }).click();

    const volume = page.getByTestId('flag-volume');
    await volume.getByRole('heading', { name: 'Volume inhabituel' }).waitFor();
    const volumeText = plain(await volume.textContent());
    expect(volumeText).toContain('Force : 100 %');
    // No tickets before: no multiple of an average it does not have.
    expect(volumeText).toContain(
      '12 tickets au cours des 30 derniers jours : aucun ticket antérieur de sa part pour comparer ; 12 fois la médiane du niveau Entreprise.',
    );
    expect(volumeText).toContain(
      '12 tickets au cours des 30 derniers jours ; aucun ticket dans les 90 jours précédents ; médiane du niveau Entreprise : 1.',
    );
    expect(volumeText).toContain(
      'Son principal demandeur, Bruno Client, a déposé 12 tickets ; sa propre moyenne : 0 par mois.',
    );
    expect(await volume.getByTestId('flag-rule').textContent()).toContain(
      "Levé à partir de 10 tickets en 30 jours quand c'est plus de 2 fois chaque point de comparaison disponible",
    );

    const offTopic = page.getByTestId('flag-off_topic');
    const offTopicText = plain(await offTopic.textContent());
    expect(offTopicText).toContain('Force : 50 %');
    expect(offTopicText).toContain('Marqué hors sujet : Demande commerciale, pas du support.');
    expect(offTopicText).toContain("Marqué hors sujet par l'équipe.");
    expect(await offTopic.getByTestId('flag-rule').textContent()).toBe(
      "Levé quand l'équipe marque 2 tickets ou plus hors sujet en 30 jours. Force : 50 % juste au seuil, 100 % au double.",
    );
    const main = plain(await page.locator('main').textContent());
    for (const english of ENGLISH) expect(main, english).not.toContain(english);
    expect(await accessibilityViolations(page)).toEqual([]);

    // On the ticket, the sign is named with the flag it counts towards.
    await page.goto(`/console/tickets/${marked[0]!.id}`);
    const signs = page.getByTestId('fairuse-signals');
    await signs.getByText("Signes d'utilisation inappropriée").waitFor();
    const signsText = plain(await signs.textContent());
    expect(signsText).toContain('Compte pour le signalement « Sans rapport avec le support » (force 50 %)');
    expect(signsText).toContain('Marqué hors sujet : Demande commerciale, pas du support.');
    for (const english of ENGLISH) expect(signsText, english).not.toContain(english);
    await context.close();
  });
});
