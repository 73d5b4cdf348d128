import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryWorker, transportFor } from '../../src/notifications/delivery.js';
import { accessibilityViolations } from './accessibility.js';
import { BrowserDesk, chromiumPath } from './support.js';

const HOUR = 3_600_000;

/**
 * The public status page in Chromium: readable with JavaScript turned off, its subscription form
 * usable without it, and free of serious accessibility problems (axe, WCAG 2.1 AA) in both
 * languages, with an outage, an open incident and maintenance on it.
 */
describe.skipIf(!chromiumPath())('the status page in Chromium', () => {
  let desk: BrowserDesk;
  let baseUrl: string;
  let incidentId: string;

  beforeAll(async () => {
    desk = await BrowserDesk.start({ dialect: 'sqlite' });
    baseUrl = desk.baseUrl;

    // The real clock: the scene is placed relative to now.
    const now = Date.now();
    const db = desk.services.db.kysely;
    const since = now - 120 * 24 * HOUR;
    const components = [
      { name: 'Web app', group: 'Platform', state: 'operational' as const },
      { name: 'Public API', group: 'Platform', state: 'partial_outage' as const },
      { name: 'Inbound email', group: 'Messaging', state: 'operational' as const },
    ].map((c, position) => ({ id: randomUUID(), position, ...c }));
    for (const c of components) {
      await db
        .insertInto('status_components')
        .values({
          id: c.id,
          group_name: c.group,
          name: c.name,
          description: c.name === 'Public API' ? 'REST and webhooks' : '',
          position: c.position,
          state: c.state,
          created_at: since,
          updated_at: since,
        })
        .execute();
      await db
        .insertInto('status_component_states')
        .values({
          id: randomUUID(),
          component_id: c.id,
          state: 'operational',
          from_at: since,
          incident_id: null,
        })
        .execute();
    }
    const [, api, mail] = components;
    const states = [
      { component: mail!, state: 'major_outage' as const, at: now - 10 * 24 * HOUR },
      { component: mail!, state: 'operational' as const, at: now - 10 * 24 * HOUR + 2 * HOUR },
      { component: api!, state: 'degraded_performance' as const, at: now - 30 * 24 * HOUR },
      { component: api!, state: 'operational' as const, at: now - 30 * 24 * HOUR + 5 * HOUR },
      { component: api!, state: 'partial_outage' as const, at: now - HOUR },
    ];
    for (const s of states)
      await db
        .insertInto('status_component_states')
        .values({
          id: randomUUID(),
          component_id: s.component.id,
          state: s.state,
          from_at: s.at,
          incident_id: null,
        })
        .execute();

    incidentId = randomUUID();
    await db
      .insertInto('status_incidents')
      .values({
        id: incidentId,
        kind: 'incident',
        name: 'API requests are failing for some customers',
        name_fr: 'Des requêtes à l’API échouent pour certains clients',
        impact: 'major',
        status: 'identified',
        auto_transition: 1,
        postmortem_html: '<p>A <strong>postmortem</strong> will follow.</p>',
        created_at: now - HOUR,
        updated_at: now - HOUR,
        started_at: now - HOUR,
      })
      .execute();
    await db
      .insertInto('status_incident_components')
      .values({ incident_id: incidentId, component_id: api!.id, state: 'partial_outage' })
      .execute();
    await db
      .insertInto('status_incident_updates')
      .values([
        {
          id: randomUUID(),
          incident_id: incidentId,
          status: 'investigating',
          body: 'We are investigating errors on the API.',
          body_fr: 'Nous analysons des erreurs sur l’API.',
          created_at: now - HOUR,
        },
        {
          id: randomUUID(),
          incident_id: incidentId,
          status: 'identified',
          body: 'A faulty deployment has been identified and is being rolled back.',
          created_at: now - HOUR / 2,
        },
      ])
      .execute();
    await db
      .insertInto('status_incidents')
      .values({
        id: randomUUID(),
        kind: 'maintenance',
        name: 'Database upgrade',
        impact: 'maintenance',
        status: 'scheduled',
        auto_transition: 1,
        scheduled_for: now + 48 * HOUR,
        scheduled_until: now + 50 * HOUR,
        created_at: now - 24 * HOUR,
        updated_at: now - 24 * HOUR,
      })
      .execute();
  });

  afterAll(async () => {
    await desk?.close();
  });

  it('reads without JavaScript', async () => {
    const context = await desk.browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/status`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Partial system outage');
    expect(
      await page
        .getByRole('list', { name: /^Public API: uptime per day/ })
        .getByRole('listitem')
        .count(),
    ).toBe(90);
    await context.close();
  });

  /** Sends what the outbox holds into DATA_DIR/mail-drop, as the desk's delivery worker does, and reads it. */
  async function mailTo(address: string) {
    await new DeliveryWorker({
      outbox: desk.services.outbox,
      transport: transportFor({ smtpUrl: undefined, supportEmail: 'support@accord.localhost' }, dir()),
      clock: () => Date.now(),
    }).runOnce();
    const drop = path.join(dir(), 'mail-drop');
    const mails = await Promise.all(
      fs.readdirSync(drop).map((file) => simpleParser(fs.readFileSync(path.join(drop, file)))),
    );
    return mails.filter((mail) => mail.to && !Array.isArray(mail.to) && mail.to.text === address);
  }
  const dir = () => desk.database.dataDir;

  it('subscribes by email from the French page without JavaScript, confirmed by the mailed link', async () => {
    const context = await desk.browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
    const page = await context.newPage();
    const address = `lecteur-${randomUUID().slice(0, 8)}@example.test`;
    await page.goto(`${baseUrl}/status/fr`);
    await page.getByLabel('Adresse e-mail').fill(address);
    await page.getByRole('button', { name: 'S’abonner par e-mail' }).click();
    await page.getByRole('heading', { level: 1, name: 'Consultez votre boîte de réception' }).waitFor();
    expect(await page.getByRole('main').textContent()).toContain(address);

    // The mail holds the link; it opens a page whose button confirms (a scanner's GET does nothing).
    const [mail] = await mailTo(address);
    expect(mail?.subject).toBe('Confirmez votre abonnement aux mises à jour de l’état du service');
    const link = /https?:\/\/\S+(\/status\/subscriptions\/confirm\?token=[A-Za-z0-9_-]+)/.exec(
      mail!.text ?? '',
    );
    expect(link).not.toBeNull();
    await page.goto(`${baseUrl}${link![1]}`);
    await page.getByRole('heading', { level: 1, name: 'Confirmez votre abonnement' }).waitFor();
    const subscriber = () =>
      desk.services.db.kysely
        .selectFrom('status_subscribers')
        .select(['confirmed_at', 'locale'])
        .where('email', '=', address)
        .executeTakeFirstOrThrow();
    expect((await subscriber()).confirmed_at).toBeNull();
    await page.getByRole('button', { name: 'Confirmer mon abonnement' }).click();
    await page.getByRole('heading', { level: 1, name: 'Abonnement confirmé' }).waitFor();
    expect(await subscriber()).toMatchObject({ confirmed_at: expect.any(Number), locale: 'fr' });
    await page.getByRole('link', { name: 'Aller à la page d’état' }).click();
    await page.getByRole('heading', { level: 1, name: 'Panne partielle' }).waitFor();
    await context.close();
  });

  it('says what is wrong in the English form, and keeps what was typed', async () => {
    // With scripts on, for the accessibility check; the page itself runs none.
    const context = await desk.browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/status/subscribe`);
    // A well-formed URL to the browser, refused by the desk: webhooks are https only.
    await page.getByLabel('Webhook URL (https)').fill('http://hooks.example.test/status');
    await page.getByRole('button', { name: 'Subscribe a webhook' }).click();
    const field = page.getByRole('textbox', { name: 'Webhook URL (https)' });
    await field.waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.inputValue()).toBe('http://hooks.example.test/status');
    expect(await page.getByText('Enter a web address that starts with https://.').count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });

  for (const path of [
    '/status',
    '/status/fr',
    '/status/history',
    '/status/fr/history',
    '/status/subscribe',
  ]) {
    it(`has no serious accessibility problem at ${path}`, async () => {
      const context = await desk.browser.newContext({
        locale: 'en-US',
        viewport: { width: 1280, height: 900 },
      });
      const page = await context.newPage();
      await page.goto(`${baseUrl}${path}`);
      expect(await accessibilityViolations(page)).toEqual([]);
      await context.close();
    });
  }

  it('has no serious accessibility problem on an incident’s page, nor on a phone', async () => {
    const context = await desk.browser.newContext({ locale: 'fr-FR', viewport: { width: 375, height: 800 } });
    const page = await context.newPage();
    for (const path of [
      `/status/incidents/${incidentId}`,
      `/status/fr/incidents/${incidentId}`,
      '/status/fr',
    ]) {
      await page.goto(`${baseUrl}${path}`);
      expect(await accessibilityViolations(page), path).toEqual([]);
    }
    await context.close();
  });
});
