import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WIDGET_USER } from '../../src/webapp/demo-routes.js';
import { BrowserDesk, chromiumPath } from './support.js';

/** The in-app support button, embedded by one script tag in the demo vendor app at /demo/. */
describe.skipIf(!chromiumPath())('the in-app support button in Chromium', () => {
  let desk: BrowserDesk;
  let orgId: string;

  beforeAll(async () => {
    desk = await BrowserDesk.start({ dialect: 'sqlite' }, { demo: true });
    // The demo vendor app signs in a user of the organization owning northwind.test.
    orgId = (await desk.organization('Northwind Logistics', 'enterprise', { domain: 'northwind.test' })).id;
  });
  afterAll(() => desk?.close());

  it('opens the ticket form inside the vendor app, signed in by the vendor-issued token, and files a ticket', async () => {
    const context = await desk.context('en-US');
    const page = await context.newPage();
    await page.goto('/demo/');
    await page.locator('#accord-support-button').click();
    const frame = page.frameLocator('#accord-support-frame');
    await frame.getByLabel('Subject').fill('Meter readings are off by one');
    await frame.getByLabel('Description').fill('Since the last update every reading is shifted.');
    await frame.locator('input[name="priority"][value="P2"]').check();
    await expect.poll(() => frame.getByTestId('expected-response').textContent()).toContain('hour');
    await frame.getByRole('button', { name: 'Send request' }).click();

    await expect
      .poll(
        async () =>
          (
            await desk.database.db.kysely
              .selectFrom('tickets')
              .select(['channel', 'subject', 'requester_id'])
              .execute()
          ).length,
      )
      .toBe(1);
    const [ticket] = await desk.database.db.kysely
      .selectFrom('tickets as t')
      .innerJoin('users as u', 'u.id', 't.requester_id')
      .select(['t.channel', 't.subject', 't.organization_id', 'u.email', 'u.role'])
      .execute();
    expect(ticket).toMatchObject({
      channel: 'in_app',
      subject: 'Meter readings are off by one',
      organization_id: orgId,
      email: DEMO_WIDGET_USER.email,
      role: 'member',
    });
    // The token never stays in the widget's address.
    const frameUrl =
      page
        .frames()
        .find((f) => f.url().includes('/widget'))
        ?.url() ?? '';
    expect(frameUrl).not.toContain('token=');
    await context.close();
  });

  it('shows a clear message when the token is refused', async () => {
    const context = await desk.context('en-US');
    const page = await context.newPage();
    await page.goto('/widget/?token=forged.token.value');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/token/i);
    await context.close();
  });
});
