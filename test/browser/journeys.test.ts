import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { accessibilityViolations } from './accessibility.js';
import { BrowserDesk, chromiumPath, FRENCH_LABELS, principal, type Account } from './support.js';

/**
 * The desk's three areas, end to end in Chromium: a customer files a P1 in French and sees the
 * promised time; an agent finds it at the top of the queue with a countdown, replies, and the first
 * response is marked met; an admin changes a tier.
 */
describe.skipIf(!chromiumPath()).each(databaseTargets())(
  'people at work in Chromium on $dialect',
  (target) => {
    let desk: BrowserDesk;
    let orgId: string;
    let customer: Account;
    let agent: Account;
    let admin: Account;
    let ticketNumber: number;

    beforeAll(async () => {
      desk = await BrowserDesk.start(target);
      // Premium: a P1's first response is due within 1 hour, on the 24/7 clock.
      const org = await desk.organization('Fabrikam Usines', 'premium', { locale: 'fr' });
      orgId = org.id;
      customer = await desk.user('contact', 'Camille Roy', { organizationId: orgId, locale: 'fr' });
      agent = await desk.user('agent', 'Omar Agent');
      admin = await desk.user('admin', 'Ada Admin');
      // Something less urgent already waits in the queue: a P3 (due in 4 hours).
      await desk.services.tickets.create(principal(customer), {
        subject: 'Question sur les exports',
        body: 'Quand ?',
        bodyFormat: 'text',
        priority: 'P3',
        requestType: 'question',
      });
    });
    afterAll(() => desk?.close());

    it('a customer files a P1 in French and is shown the promised first-response time', async () => {
      const context = await desk.context('fr-FR', 'Europe/Paris');
      const page = await desk.signIn(context, customer, FRENCH_LABELS);
      await page.goto('/portal/new');
      await page.getByLabel('Objet').fill('Les bons de travail ne se synchronisent plus');
      await page.getByLabel('Description').fill('Créés sur mobile, absents sur le web depuis ce matin.');
      await page.locator('input[name="priority"][value="P1"]').check();
      const expected = page.getByTestId('expected-response');
      await expect.poll(() => expected.textContent()).toContain('1 heure');
      await page.getByRole('button', { name: 'Envoyer la demande' }).click();
      await page.waitForURL(/\/portal\/tickets\//);
      const promise = page.getByTestId('ticket-promise');
      await expect.poll(() => promise.textContent()).toContain('1 heure');
      const tickets = await desk.services.tickets.list(principal(customer), { sort: 'created', limit: 1 });
      expect(tickets.data[0]).toMatchObject({ priority: 'P1', channel: 'portal', tier: 'premium' });
      ticketNumber = tickets.data[0]!.number;
      await context.close();
    });

    it('an agent sees it at the top of the queue with a countdown, replies, and the first response is met', async () => {
      const context = await desk.context('en-US');
      const page = await desk.signIn(context, agent);
      await page.waitForURL(/\/console/);
      const first = page.getByTestId('queue-row').first();
      await expect.poll(() => first.getAttribute('data-ticket-number')).toBe(String(ticketNumber));
      expect(await accessibilityViolations(page)).toEqual([]);
      const countdown = first.locator('.countdown');
      await expect.poll(() => countdown.getAttribute('data-state')).toBe('ok');
      // The countdown is live: it reads under an hour and moves.
      const before = await countdown.textContent();
      expect(before).toMatch(/minute|second/);
      await expect.poll(() => countdown.textContent(), { timeout: 5000 }).not.toBe(before);

      await first.click();
      await page.waitForURL(/\/console\/tickets\//);
      const sla = page.getByTestId('sla-first-response');
      await expect.poll(() => sla.textContent()).not.toContain('Met');
      await page.getByRole('radio', { name: 'Public reply' }).check();
      await page.getByRole('textbox', { name: 'Reply' }).fill('We are looking into the sync service now.');
      await page.getByRole('button', { name: 'Send' }).click();
      await expect.poll(() => sla.textContent()).toContain('Met');
      expect(await accessibilityViolations(page)).toEqual([]);
      await expect.poll(() => page.getByText('We are looking into the sync service now.').count()).toBe(1);
      await context.close();
    });

    it('a new ticket appears in the agent queue without reloading', async () => {
      const context = await desk.context('en-US');
      const page = await desk.signIn(context, agent);
      await page.getByTestId('queue-row').first().waitFor();
      const rows = await page.getByTestId('queue-row').count();
      const p0 = await desk.services.tickets.create(principal(customer), {
        subject: 'Plateforme indisponible',
        body: 'Plus rien ne charge.',
        bodyFormat: 'text',
        priority: 'P0',
        requestType: 'problem',
      });
      const first = page.getByTestId('queue-row').first();
      await expect
        .poll(() => first.getAttribute('data-ticket-number'), { timeout: 10_000 })
        .toBe(String(p0.number));
      expect(await page.getByTestId('queue-row').count()).toBe(rows + 1);
      await context.close();
    });

    it('an admin raises an organization to another tier', async () => {
      const context = await desk.context('en-US');
      const page = await desk.signIn(context, admin);
      const trial = await desk.organization('Tailspin Trial', null);
      await page.goto('/admin/organizations');
      await page.getByRole('link', { name: 'Tailspin Trial' }).click();
      const tier = page.getByTestId('org-tier');
      await expect.poll(() => tier.textContent()).toContain('Basic');
      const today = new Date().toISOString().slice(0, 10);
      const nextYear = new Date(Date.now() + 365 * 86400_000).toISOString().slice(0, 10);
      await page.getByLabel('Tier').selectOption('enterprise');
      await page.getByLabel('Term start').fill(today);
      await page.getByLabel('Term end').fill(nextYear);
      await page.getByRole('button', { name: 'Add subscription' }).click();
      await expect.poll(() => tier.textContent()).toContain('Enterprise');
      expect(await accessibilityViolations(page)).toEqual([]);
      const org = await desk.services.organizations.get(principal(admin), trial.id);
      expect(org.tier).toBe('enterprise');

      // A running term is raised from now on: the premium customer becomes enterprise.
      await page.goto(`/admin/organizations/${orgId}`);
      await expect.poll(() => tier.textContent()).toContain('Premium');
      const running = page.locator('tr.current-term');
      await running.getByLabel('New tier').selectOption('enterprise');
      await running.getByRole('button', { name: 'Raise from now' }).click();
      await expect.poll(() => tier.textContent()).toContain('Enterprise');
      expect((await desk.services.organizations.get(principal(admin), orgId)).tier).toBe('enterprise');

      // Outgoing mail: the customer's acknowledgements wait in the outbox (no relay runs here).
      await page.goto('/admin/mail');
      await page.getByRole('heading', { name: 'Outgoing mail' }).waitFor();
      await page.getByRole('radio', { name: 'Waiting' }).check();
      await expect.poll(() => page.getByRole('cell', { name: customer.email }).count()).toBeGreaterThan(0);
      expect(await accessibilityViolations(page)).toEqual([]);
      await context.close();
    });

    it('the portal fits a phone: no sideways scrolling, every control reachable', async () => {
      const context = await desk.context('en-US', 'America/New_York', { width: 375, height: 740 });
      const page = await desk.signIn(context, customer);
      for (const path of ['/portal', '/portal/new']) {
        await page.goto(path);
        // The live stream stays open, so the page is never network-idle: wait for its heading.
        await page.locator('main h1').first().waitFor();
        const overflow = await page.evaluate<number>(
          'document.documentElement.scrollWidth - document.documentElement.clientWidth',
        );
        expect(overflow, path).toBeLessThanOrEqual(0);
      }
      expect(await accessibilityViolations(page)).toEqual([]);
      await context.close();
    });
  },
);
