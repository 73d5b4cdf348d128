import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './accessibility.js';
import { BrowserDesk, chromiumPath, principal, type Account } from './support.js';

const COMPONENT = 'Work orders API';
const OUTAGE = 'Work orders fail to load';
const FIRST_WORDS = 'Work orders fail to load for every customer; we are investigating.';
const FIX_DEPLOYED = 'The fix has been deployed to production.';
const RESTORED = 'Normal operations have been restored.';

/**
 * The status page where staff and customers meet it: staff add a component, open an incident from a
 * P0 ticket in the console, link a second report from the queue, and post the policy's P0 stages; the
 * customer sees the incident on their request, its update as a reply, and before sending a new one;
 * the public page shows it; resolving the incident resolves the tickets it holds.
 */
describe.skipIf(!chromiumPath())('the status page in Chromium', () => {
  let desk: BrowserDesk;
  let customer: Account;
  let agent: Account;
  let lead: Account;
  let p0: { id: string; number: number };
  let p1: { id: string; number: number };
  let incidentPath: string;
  let orgId: string;

  beforeAll(async () => {
    desk = await BrowserDesk.start({ dialect: 'sqlite' });
    const org = await desk.organization('Contoso Fleet', 'premium');
    orgId = org.id;
    customer = await desk.user('contact', 'Casey Customer', { organizationId: org.id, locale: 'en' });
    agent = await desk.user('agent', 'Avery Agent');
    lead = await desk.user('lead', 'Lee Lead');
    p0 = await desk.services.tickets.create(principal(customer), {
      subject: OUTAGE,
      body: 'Nothing loads since 9:00; the whole crew is idle.',
      bodyFormat: 'text',
      priority: 'P0',
      requestType: 'problem',
    });
    p1 = await desk.services.tickets.create(principal(customer), {
      subject: 'Work order list is empty on the web',
      body: 'The list of work orders shows nothing.',
      bodyFormat: 'text',
      priority: 'P1',
      requestType: 'problem',
    });
  });
  afterAll(async () => {
    await desk?.close();
  });

  it('staff add a component, grouped, with its state', async () => {
    const context = await desk.context('en-US');
    const page = await desk.signIn(context, lead);
    await page.goto('/admin/status');
    await page
      .getByRole('navigation', { name: 'Status sections' })
      .getByRole('link', { name: 'Components' })
      .click();
    const form = page.getByRole('region', { name: 'Add component' });
    await form.getByLabel('Name').fill(COMPONENT);
    await form.getByLabel('Group').fill('Platform');
    await form.getByRole('button', { name: 'Add component' }).click();
    const table = page.getByRole('table', { name: 'Platform' });
    await expect.poll(() => table.getByRole('rowheader').allTextContents()).toEqual([COMPONENT]);
    expect(await table.getByLabel(`State of ${COMPONENT}`).inputValue()).toBe('operational');
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });

  it('an agent opens an incident from the P0 ticket and links a second report from the queue', async () => {
    const context = await desk.context('en-US');
    const page = await desk.signIn(context, agent);
    await page.goto(`/console/tickets/${p0.id}`);
    const panel = page.getByTestId('incident-panel');
    await panel.getByRole('button', { name: 'Open an incident from this ticket' }).click();
    expect(await panel.getByLabel('Name').inputValue()).toBe(OUTAGE);
    await panel.getByLabel('Impact').selectOption('critical');
    await panel.getByLabel(`Platform › ${COMPONENT}`).selectOption('major_outage');
    await panel.getByLabel('What customers read first').fill(FIRST_WORDS);
    expect(await accessibilityViolations(page)).toEqual([]);
    await panel.getByRole('button', { name: 'Open incident' }).click();
    const link = panel.getByTestId('ticket-incidents').getByRole('link', { name: OUTAGE });
    await link.waitFor();
    incidentPath = (await link.getAttribute('href'))!;
    expect(incidentPath).toMatch(/^\/admin\/status\/incidents\/[^/]+$/);
    expect(await panel.getByTestId('ticket-incidents').textContent()).toContain('Investigating');
    // The panel lists the linked incident; it does not then say that none is open.
    await expect.poll(() => panel.textContent()).toContain('No other incident is open.');
    expect(await panel.textContent()).not.toContain('No incident is open.');

    // The second report of the same outage, ticked in the queue and linked in one action.
    await page.goto('/console');
    await page.getByRole('button', { name: 'Select tickets' }).click();
    await page.getByLabel(`Select ticket #${p1.number}`).check();
    const bar = page.getByTestId('queue-selection');
    await expect.poll(() => bar.textContent()).toContain('1 ticket selected');
    expect(await bar.getByLabel('Link to incident').locator('option:checked').textContent()).toBe(OUTAGE);
    expect(await accessibilityViolations(page)).toEqual([]);
    await bar.getByRole('button', { name: 'Link selected tickets' }).click();
    await expect.poll(() => bar.getByRole('status').textContent()).toBe('1 ticket linked.');
    await context.close();
  });

  it('staff post the policy’s P0 stage; the customer reads it on the request and before sending another', async () => {
    const context = await desk.context('en-US');
    const page = await desk.signIn(context, lead);
    await page.goto(incidentPath);
    await page.getByRole('heading', { level: 1, name: OUTAGE }).waitFor();
    const linked = page.getByTestId('incident-tickets');
    await expect.poll(() => linked.getByRole('link').count()).toBe(2);
    await page.getByRole('button', { name: 'Fix deployed' }).click();
    expect(await page.getByLabel('Update (English)').inputValue()).toBe(FIX_DEPLOYED);
    expect(await page.getByLabel('Update (French, optional)').inputValue()).toBe(
      'Le correctif a été déployé en production.',
    );
    await page.getByRole('button', { name: 'Post update' }).click();
    const updates = page.getByTestId('incident-updates');
    await expect.poll(() => updates.getByRole('listitem').first().textContent()).toContain(FIX_DEPLOYED);
    expect(await updates.getByRole('listitem').first().textContent()).toContain('Monitoring');
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();

    const customerContext = await desk.context('en-US');
    const portal = await desk.signIn(customerContext, customer);
    await portal.goto(`/portal/tickets/${p0.id}`);
    const box = portal.getByTestId('ticket-incidents');
    await expect.poll(() => box.textContent()).toContain(OUTAGE);
    expect(await box.textContent()).toContain('Monitoring');
    await expect.poll(() => portal.locator('li.message').filter({ hasText: FIX_DEPLOYED }).count()).toBe(1);
    expect(await accessibilityViolations(portal)).toEqual([]);

    await portal.goto('/portal/new');
    const aware = portal.getByTestId('open-incidents');
    await aware.getByRole('heading', { name: 'We are aware of' }).waitFor();
    const known = aware.getByRole('listitem').filter({ hasText: OUTAGE });
    expect(await known.textContent()).toContain(`— ${FIX_DEPLOYED}`);
    expect(await known.getByRole('link').getAttribute('href')).toMatch(/^(https?:\/\/[^/]+)?\/status\b/);
    expect(await aware.getByRole('link', { name: /status page/ }).getAttribute('href')).toBe('/status');
    expect(await accessibilityViolations(portal)).toEqual([]);

    // A critical incident asks; only a yes links the request, which then shows the incident.
    const question = known.getByRole('group', { name: 'Is your request about this incident?' });
    const yes = question.getByRole('checkbox', { name: /Yes, my request is about this incident/ });
    expect(await yes.isChecked()).toBe(false);
    await portal.getByLabel('Subject').fill('Our technicians cannot load work orders');
    await portal.getByLabel('Description').fill('Blank list since this morning.');
    await yes.check();
    await portal.getByRole('button', { name: 'Send request' }).click();
    await portal.waitForURL(/\/portal\/tickets\//);
    await portal.reload();
    const confirmed = portal.getByTestId('ticket-incidents');
    await expect.poll(() => confirmed.textContent()).toContain(OUTAGE);
    // Another request sent without the yes stays on its own; its page still offers the incident.
    await portal.goto('/portal/new');
    await portal.getByLabel('Subject').fill('How do I export my checklists?');
    await portal.getByLabel('Description').fill('Looking for a CSV export.');
    await portal.getByRole('button', { name: 'Send request' }).click();
    await portal.waitForURL(/\/portal\/tickets\//);
    const offered = portal.getByTestId('suggested-incidents');
    await expect.poll(() => offered.textContent()).toContain(OUTAGE);
    expect(await portal.getByTestId('ticket-incidents').count()).toBe(0);
    expect(await accessibilityViolations(portal)).toEqual([]);

    const status = await portal.goto('/status');
    expect(status?.status()).toBe(200);
    expect(await portal.locator('body').textContent()).toContain(OUTAGE);
    await customerContext.close();
  });

  it('resolving the incident resolves the tickets it holds with the final update', async () => {
    const context = await desk.context('en-US');
    const page = await desk.signIn(context, lead);
    await page.goto(incidentPath);
    await page.getByRole('button', { name: 'Normal operations restored' }).click();
    expect(await page.getByLabel('Status', { exact: true }).inputValue()).toBe('resolved');
    await page.getByRole('button', { name: 'Post update' }).click();
    const resolve = page.getByRole('button', { name: /Resolve linked tickets with the final update/ });
    await resolve.waitFor();
    expect(await page.getByLabel('Reply sent with the resolution').inputValue()).toBe(RESTORED);
    await page.getByRole('region', { name: 'Postmortem' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await resolve.click();
    await expect
      .poll(async () =>
        Promise.all(
          [p0, p1].map(async (t) => (await desk.services.tickets.get(principal(lead), t.id)).status),
        ),
      )
      .toEqual(['resolved', 'resolved']);
    await context.close();
  });

  it('keeps a proactive notice on the organization’s page', async () => {
    const incidentId = incidentPath.split('/').at(-1)!;
    await desk.services.incidentNotices.send(principal(lead), incidentId, {
      subject: 'Work orders are back',
      body: 'Everything works again; thank you for your patience.',
    });
    const context = await desk.context('en-US');
    const page = await desk.signIn(context, lead);
    await page.goto(`/admin/organizations/${orgId}`);
    const notices = page.getByRole('region', { name: 'Notices sent' });
    await notices.getByText('Work orders are back').waitFor();
    expect(await notices.textContent()).toContain('To 1 contact, by Lee Lead');
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });
});
