import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusDeliveryWorker } from '../../src/status/subscribers/delivery.js';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

const MINUTE = 60_000;

/**
 * The status issue end to end, through the wired desk: an incident opened from a P0 ticket reaches
 * the public page, the JSON API, the Atom feed, the linked ticket (as its 30-minute update) and a
 * confirmed subscriber, and its outage shows in the uptime bars.
 */
describe.each(databaseTargets())('an incident from a P0 ticket, end to end, on $dialect', (target) => {
  let desk: TestDesk;
  let agent: Person;
  let customer: Person;
  let componentId: string;
  let ticketId: string;
  let incidentId: string;

  beforeAll(async () => {
    desk = await TestDesk.start(target, { PUBLIC_URL: 'https://desk.example.test' });
    agent = await desk.person('agent');
    const org = await desk.organization('enterprise');
    customer = await desk.person('contact', org.id);
    const component = await desk.api('POST', '/api/v1/status/components', {
      token: agent.token,
      body: { name: 'Work orders API', group: 'Platform' },
    });
    expect(component.statusCode, component.body).toBe(201);
    componentId = component.json().id;

    // A subscriber confirms through the page's form, as a person would.
    const subscribe = await desk.api('POST', '/api/v1/status/subscribers', {
      body: { email: 'watcher@example.test', locale: 'en' },
    });
    expect(subscribe.statusCode).toBe(202);
    const { token } = await desk.database.db.kysely
      .selectFrom('status_subscribers')
      .select('token')
      .where('email', '=', 'watcher@example.test')
      .executeTakeFirstOrThrow();
    const confirm = await desk.api('POST', `/status/subscriptions/confirm?token=${token}`, {
      payload: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(confirm.statusCode).toBeLessThan(400);

    const ticket = await desk.ticket(customer, { priority: 'P0', subject: 'Nothing loads' });
    ticketId = ticket.id;
    desk.advance(5 * MINUTE);
    const opened = await desk.api('POST', `/api/v1/tickets/${ticketId}/incident`, {
      token: agent.token,
      body: {
        name: 'Work orders API unavailable',
        impact: 'critical',
        components: [{ id: componentId, state: 'major_outage' }],
        body: 'We are investigating errors on the work orders API.',
      },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    incidentId = opened.json().id;
  });
  afterAll(() => desk?.close());

  it('shows on /status and in summary.json', async () => {
    const page = await desk.api('GET', '/status');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Work orders API unavailable');
    const summary = (await desk.api('GET', '/api/v2/summary.json')).json();
    expect(summary.status.indicator).toBe('critical');
    expect(summary.incidents.map((i: { id: string }) => i.id)).toContain(incidentId);
    expect(summary.components.find((c: { id: string }) => c.id === componentId).status).toBe('major_outage');
  });

  it('gives each update to the linked P0 as its 30-minute update, the feed and the subscriber', async () => {
    desk.advance(25 * MINUTE);
    const update = await desk.api('POST', `/api/v1/status/incidents/${incidentId}/updates`, {
      token: agent.token,
      body: { status: 'identified', body: 'A fix has been developed and tested.' },
    });
    expect(update.statusCode, update.body).toBe(201);
    const updatedAt = desk.now;

    const messages = await desk.api('GET', `/api/v1/tickets/${ticketId}/messages`, { token: customer.token });
    const bodies = (messages.json().data as { body: string; public: boolean }[]).map((m) => m.body);
    expect(bodies.some((b) => b.includes('A fix has been developed and tested.'))).toBe(true);
    const row = await desk.database.db.kysely
      .selectFrom('tickets')
      .select('sla_update_due_at')
      .where('id', '=', ticketId)
      .executeTakeFirstOrThrow();
    // The policy's P0 cadence restarts at the incident update: the next is due 30 minutes later.
    expect(row.sla_update_due_at).toBe(updatedAt + 30 * MINUTE);

    const feed = await desk.api('GET', '/status/feed.atom');
    expect(feed.headers['content-type']).toContain('application/atom+xml');
    expect(feed.body).toContain('A fix has been developed and tested.');

    const worker = new StatusDeliveryWorker({
      db: desk.database.db.kysely,
      dialect: desk.database.db.dialect,
      outbox: desk.services.outbox,
      clock: () => desk.now,
      publicUrl: 'https://desk.example.test',
      supportEmail: desk.config.mail.supportEmail,
    });
    await worker.runOnce();
    const mails = await desk.database.db.kysely
      .selectFrom('mail_outbox')
      .select(['subject', 'body_text'])
      .where('to_address', '=', 'watcher@example.test')
      .execute();
    expect(mails.some((m) => m.body_text.includes('A fix has been developed and tested.'))).toBe(true);
    // Running the worker again sends nothing twice.
    await worker.runOnce();
    const again = await desk.database.db.kysely
      .selectFrom('mail_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('to_address', '=', 'watcher@example.test')
      .executeTakeFirstOrThrow();
    expect(Number(again.n)).toBe(mails.length);
  });

  it('shows the outage in the uptime bars once resolved', async () => {
    desk.advance(90 * MINUTE);
    const resolved = await desk.api('POST', `/api/v1/status/incidents/${incidentId}/updates`, {
      token: agent.token,
      body: { status: 'resolved', body: 'Normal operations have been restored.' },
    });
    expect(resolved.statusCode).toBe(201);
    const summary = (await desk.api('GET', '/api/v2/summary.json')).json();
    expect(summary.status.indicator).toBe('none');
    const page = (await desk.api('GET', '/status')).body;
    // The component exists from 12:00; the incident held it down from 12:05 to 14:00, now: 5 minutes
    // up out of 120 on June 1.
    expect(page).toContain('Jun 1: 1 h 55 min of major outage — 4.17% uptime');
    expect(page).not.toContain('Work orders API unavailable</a></h3>');
  });
});
