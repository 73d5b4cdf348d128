import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserDesk, chromiumPath, principal, type Account } from './support.js';

const TICKETS = 500;

/** The agent queue with a realistic backlog: every ticket reachable, only the visible rows in the page. */
describe.skipIf(!chromiumPath())('the agent queue with 500 tickets in Chromium', () => {
  let desk: BrowserDesk;
  let agent: Account;
  let numbers: number[];

  beforeAll(async () => {
    desk = await BrowserDesk.start({ dialect: 'sqlite' });
    const org = await desk.organization('Contoso Foods', 'essential');
    const contact = await desk.user('contact', 'Grace Park', { organizationId: org.id });
    agent = await desk.user('agent', 'Omar Agent');
    numbers = [];
    // Filed one after another at the same priority: the queue's order is the filing order.
    for (let i = 0; i < TICKETS; i++) {
      const t = await desk.services.tickets.create(principal(contact), {
        subject: `Backlog item ${i + 1}`,
        body: 'Details',
        bodyFormat: 'text',
        priority: 'P3',
        requestType: 'question',
      });
      numbers.push(t.number);
    }
  }, 120_000);
  afterAll(() => desk?.close());

  it('keeps a bounded number of rows in the page and reaches the last ticket by scrolling', async () => {
    const context = await desk.context('en-US');
    const page = await desk.signIn(context, agent);
    const rows = page.getByTestId('queue-row');
    await expect.poll(() => rows.first().getAttribute('data-ticket-number')).toBe(String(numbers[0]));
    expect(await rows.count()).toBeLessThan(60);

    const last = String(numbers.at(-1));
    const scrollToEnd = 'document.querySelector(".queue-scroll").scrollTop = 1e9';
    await expect
      .poll(
        async () => {
          await page.evaluate(scrollToEnd);
          return rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-ticket-number')));
        },
        { timeout: 20_000, interval: 250 },
      )
      .toContain(last);
    // Scrolled to the end, the page still holds only the rows around the view.
    expect(await rows.count()).toBeLessThan(60);
    await context.close();
  });
});
