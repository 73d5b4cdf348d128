import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusIncidentRow } from '../../src/status/model.js';
import { StatusDeliveryWorker, fetchWebhookSender } from '../../src/status/subscribers/delivery.js';
import { SubscriberNotifier } from '../../src/status/subscribers/notifier.js';
import { newId } from '../../src/shared/ids.js';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

const PUBLIC_URL = 'https://support.acme.test';
const SUPPORT = 'support@acme.test';
const MINUTE = 60_000;
const DAY = 86400_000;

describe.each(databaseTargets())('status subscribers on $dialect', (target) => {
  let desk: TestDesk;
  let lead: Person;
  let worker: StatusDeliveryWorker;
  let ipSequence = 0;

  const db = () => desk.database.db.kysely;
  /** Each test subscribes from its own address, so the per-IP limit is one test's business. */
  const freshIp = () => `203.0.113.${++ipSequence}`;

  beforeAll(async () => {
    desk = await TestDesk.start(target, { PUBLIC_URL, SUPPORT_EMAIL: SUPPORT });
    lead = await desk.person('lead');
    // The delivery worker runs beside the app (src/cli.ts), not in its services: built here as there.
    worker = new StatusDeliveryWorker({
      db: db(),
      dialect: desk.database.db.dialect,
      outbox: desk.services.outbox,
      clock: () => desk.now,
      publicUrl: PUBLIC_URL,
      supportEmail: SUPPORT,
    });
  });
  afterAll(() => desk?.close());

  const subscribe = (body: Record<string, unknown>, ip = freshIp()) =>
    desk.app.inject({ method: 'POST', url: '/api/v1/status/subscribers', payload: body, remoteAddress: ip });

  const uniqueEmail = (prefix = 'sub') => `${prefix}-${newId().slice(-12)}@example.test`;

  const component = async (name: string) => {
    const id = newId();
    await db()
      .insertInto('status_components')
      .values({
        id,
        group_name: null,
        name,
        description: '',
        position: 0,
        state: 'operational',
        created_at: desk.now,
        updated_at: desk.now,
      })
      .execute();
    return id;
  };

  const incident = async (components: string[] = [], impact: StatusIncidentRow['impact'] = 'major') => {
    const row: StatusIncidentRow = {
      id: newId(),
      kind: 'incident',
      name: 'Work orders fail to save',
      name_fr: 'Les ordres de travail ne s’enregistrent pas',
      impact,
      status: 'investigating',
      scheduled_for: null,
      scheduled_until: null,
      auto_transition: 1,
      postmortem_md: null,
      postmortem_html: null,
      origin_ticket_id: null,
      created_by: null,
      created_at: desk.now,
      updated_at: desk.now,
      started_at: desk.now,
      resolved_at: null,
    };
    await db().insertInto('status_incidents').values(row).execute();
    for (const id of components)
      await db()
        .insertInto('status_incident_components')
        .values({ incident_id: row.id, component_id: id, state: 'partial_outage' })
        .execute();
    return row;
  };

  /** Publishes an update through the API: the real StatusService calls its listeners, the notifier among them. */
  const publish = async (inc: StatusIncidentRow, status = 'identified') => {
    const res = await desk.api('POST', `/api/v1/status/incidents/${inc.id}/updates`, {
      token: lead.token,
      body: {
        status,
        body: 'We found the cause: a full disk on the database server.',
        bodyFr: 'Nous avons trouvé la cause : un disque plein sur le serveur de base de données.',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return db()
      .selectFrom('status_incident_updates')
      .selectAll()
      .where('incident_id', '=', inc.id)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
  };

  const deliveriesOf = (updateId: string) =>
    db()
      .selectFrom('status_deliveries as d')
      .innerJoin('status_subscribers as s', 's.id', 'd.subscriber_id')
      .select(['d.id', 'd.status', 'd.attempts', 'd.last_error', 's.email', 's.url'])
      .where('d.update_id', '=', updateId)
      .orderBy('s.email')
      .execute();

  const mailTo = (address: string, kind: string) =>
    db()
      .selectFrom('mail_outbox')
      .selectAll()
      .where('to_address', '=', address)
      .where('kind', '=', kind)
      .orderBy('created_at')
      .execute();

  const tokenOf = async (address: string) =>
    (
      await db()
        .selectFrom('status_subscribers')
        .select('token')
        .where('email', '=', address)
        .orderBy('created_at', 'desc')
        .executeTakeFirstOrThrow()
    ).token;

  /** Subscribes and confirms through the pages, as a person does. */
  const confirmedSubscriber = async (body: Record<string, unknown>) => {
    expect((await subscribe(body)).statusCode).toBe(202);
    const token = await tokenOf(body.email as string);
    const res = await desk.app.inject({
      method: 'POST',
      url: `/status/subscriptions/confirm?token=${token}`,
    });
    expect(res.statusCode).toBe(200);
    return token;
  };

  it('double opt-in: the confirmation mail, a GET that changes nothing, a POST that confirms', async () => {
    const address = uniqueEmail('optin');
    const res = await subscribe({ email: address.toUpperCase(), locale: 'en' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ status: 'pending', detail: expect.any(String) });

    const [mail] = await mailTo(address, 'status_confirmation');
    expect(mail).toBeDefined();
    const token = await tokenOf(address);
    expect(mail!.body_text).toContain(`${PUBLIC_URL}/status/subscriptions/confirm?token=${token}`);
    const headers = JSON.parse(mail!.headers);
    expect(headers['List-Unsubscribe']).toBe(`<${PUBLIC_URL}/status/unsubscribe?token=${token}>`);
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');

    // Not confirmed: an update reaches nobody at this address.
    const before = await publish(await incident());
    expect((await deliveriesOf(before.id)).filter((d) => d.email === address)).toEqual([]);

    // A mail scanner following the link changes nothing.
    const page = await desk.app.inject({
      method: 'GET',
      url: `/status/subscriptions/confirm?token=${token}`,
    });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<form method="post"');
    const row = () =>
      db()
        .selectFrom('status_subscribers')
        .selectAll()
        .where('email', '=', address)
        .executeTakeFirstOrThrow();
    expect((await row()).confirmed_at).toBeNull();

    const confirmed = await desk.app.inject({
      method: 'POST',
      url: `/status/subscriptions/confirm?token=${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain(address);
    expect((await row()).confirmed_at).toBe(desk.now);

    const after = await publish(await incident());
    expect((await deliveriesOf(after.id)).filter((d) => d.email === address)).toHaveLength(1);
  });

  it('never tells whether an address is subscribed, and limits mail per address and requests per IP', async () => {
    const address = uniqueEmail('limit');
    await confirmedSubscriber({ email: address });
    const again = await subscribe({ email: address });
    expect(again.statusCode).toBe(202);
    const fresh = await subscribe({ email: uniqueEmail('other') });
    expect(again.body).toBe(fresh.body);

    // Three confirmation mails an hour per address; the fourth request is accepted and dropped.
    await subscribe({ email: address });
    const dropped = await subscribe({ email: address });
    expect(dropped.statusCode).toBe(202);
    expect(await mailTo(address, 'status_confirmation')).toHaveLength(3);

    const ip = freshIp();
    for (let i = 0; i < 10; i++)
      expect((await subscribe({ email: uniqueEmail('burst') }, ip)).statusCode).toBe(202);
    const refused = await subscribe({ email: uniqueEmail('burst') }, ip);
    expect(refused.statusCode).toBe(429);
    expect((await subscribe({ email: uniqueEmail('burst') })).statusCode).toBe(202);
  });

  it('confirming again replaces the earlier subscription of the address, so each update arrives once', async () => {
    const address = uniqueEmail('again');
    await confirmedSubscriber({ email: address, locale: 'en' });
    await confirmedSubscriber({ email: address, locale: 'fr' });
    const update = await publish(await incident());
    expect((await deliveriesOf(update.id)).filter((d) => d.email === address)).toHaveLength(1);
  });

  it('reaches each subscriber once per update, even when the listener runs twice', async () => {
    const address = uniqueEmail('once');
    await confirmedSubscriber({ email: address });
    const inc = await incident();
    const update = await publish(inc);
    // The StatusService called the notifier once; a second call (a retried transaction) adds nothing.
    const notifier = new SubscriberNotifier({ dialect: desk.database.db.dialect, clock: () => desk.now });
    await db()
      .transaction()
      .execute((trx) => notifier.updatePublished(trx, inc, update));
    expect((await deliveriesOf(update.id)).filter((d) => d.email === address)).toHaveLength(1);
  });

  it('mails each update through the outbox in the subscriber’s language, with a stable Message-ID', async () => {
    const english = uniqueEmail('en');
    const french = uniqueEmail('fr');
    const englishToken = await confirmedSubscriber({ email: english, locale: 'en' });
    await confirmedSubscriber({ email: french, locale: 'fr' });
    const inc = await incident();
    const update = await publish(inc, 'identified');
    const pass = await worker.runOnce();
    expect(pass.sent).toBeGreaterThanOrEqual(2);

    const deliveries = await deliveriesOf(update.id);
    const englishDelivery = deliveries.find((d) => d.email === english)!;
    expect(englishDelivery.status).toBe('sent');
    const [mail] = await mailTo(english, 'status_update');
    expect(mail!.message_id).toBe(`status.${englishDelivery.id}@acme.test`);
    expect(mail!.subject).toBe('[Identified] Work orders fail to save');
    expect(mail!.body_text).toContain('We found the cause: a full disk on the database server.');
    expect(mail!.body_text).toContain(`${PUBLIC_URL}/status/incidents/${inc.id}`);
    expect(mail!.body_text).toContain(`${PUBLIC_URL}/status/unsubscribe?token=${englishToken}`);
    const headers = JSON.parse(mail!.headers);
    expect(headers['List-Unsubscribe']).toBe(`<${PUBLIC_URL}/status/unsubscribe?token=${englishToken}>`);
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');

    const [frenchMail] = await mailTo(french, 'status_update');
    expect(frenchMail!.subject).toBe('[Cause identifiée] Les ordres de travail ne s’enregistrent pas');
    expect(frenchMail!.body_text).toContain('un disque plein');

    // Sent once: another pass queues nothing more.
    await worker.runOnce();
    expect(await mailTo(english, 'status_update')).toHaveLength(1);
  });

  it('one-click unsubscribe stops deliveries, including those already queued', async () => {
    const address = uniqueEmail('unsub');
    const token = await confirmedSubscriber({ email: address });
    const queued = await publish(await incident());
    expect((await deliveriesOf(queued.id)).filter((d) => d.email === address)).toHaveLength(1);

    const page = await desk.app.inject({ method: 'GET', url: `/status/unsubscribe?token=${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="post"');
    const row = () =>
      db()
        .selectFrom('status_subscribers')
        .selectAll()
        .where('email', '=', address)
        .executeTakeFirstOrThrow();
    expect((await row()).unsubscribed_at).toBeNull();

    // RFC 8058: the mail client posts List-Unsubscribe=One-Click to the header's URL.
    const res = await desk.app.inject({
      method: 'POST',
      url: `/status/unsubscribe?token=${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode).toBe(200);
    expect((await row()).unsubscribed_at).toBe(desk.now);

    await worker.runOnce();
    expect(await mailTo(address, 'status_update')).toEqual([]);
    expect((await deliveriesOf(queued.id)).find((d) => d.email === address)!.status).toBe('failed');
    const later = await publish(await incident());
    expect((await deliveriesOf(later.id)).filter((d) => d.email === address)).toEqual([]);

    expect(
      (await desk.app.inject({ method: 'GET', url: '/status/unsubscribe?token=nope-not-a-token' }))
        .statusCode,
    ).toBe(404);
  });

  it('expired and unknown confirmation links lead to a page, not a subscription', async () => {
    const address = uniqueEmail('late');
    await subscribe({ email: address });
    const token = await tokenOf(address);
    desk.advance(8 * DAY);
    const res = await desk.app.inject({
      method: 'POST',
      url: `/status/subscriptions/confirm?token=${token}`,
    });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('<html');
    expect((await desk.app.inject({ method: 'GET', url: '/status/subscriptions/confirm' })).statusCode).toBe(
      404,
    );
  });

  it('filters by component: a subscriber to some components gets only incidents touching them', async () => {
    const api = await component('API');
    const web = await component('Web app');
    const apiOnly = uniqueEmail('api');
    const webOnly = uniqueEmail('web');
    const everything = uniqueEmail('all');
    await confirmedSubscriber({ email: apiOnly, componentIds: [api] });
    await confirmedSubscriber({ email: webOnly, componentIds: [web] });
    await confirmedSubscriber({ email: everything });
    const reached = async (components: string[]) => {
      const update = await publish(await incident(components));
      const emails = new Set((await deliveriesOf(update.id)).map((d) => d.email));
      return [apiOnly, webOnly, everything].filter((e) => emails.has(e));
    };
    expect(await reached([api])).toEqual([apiOnly, everything]);
    expect(await reached([web, api])).toEqual([apiOnly, webOnly, everything]);
    // An incident naming no component concerns the whole service.
    expect(await reached([])).toEqual([apiOnly, webOnly, everything]);

    const unknown = await subscribe({ email: uniqueEmail(), componentIds: [newId()] });
    expect(unknown.statusCode).toBe(400);
  });

  it('refuses bad input', async () => {
    const bad = [
      { email: 'not-an-address' },
      { url: 'http://hooks.example.test/status' },
      { url: 'https://127.0.0.1/hook' },
      { url: 'https://localhost/hook' },
      { url: 'https://[::1]/hook' },
      { url: 'https://10.1.2.3/hook' },
      { email: uniqueEmail(), url: 'https://hooks.example.test/status' },
      {},
      { email: uniqueEmail(), locale: 'de' },
      { email: uniqueEmail(), extra: true },
    ];
    for (const body of bad) expect((await subscribe(body)).statusCode, JSON.stringify(body)).toBe(400);
  });

  describe('webhooks', () => {
    let server: http.Server;
    let received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    let answer = 200;
    let hookUrl = '';

    beforeAll(async () => {
      server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        req.on('end', () => {
          received.push({ headers: req.headers, body });
          res.writeHead(answer).end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    /**
     * The API takes public https URLs only; the loopback receiver is written straight into the table,
     * as an https endpoint would be, so that the worker posts over real HTTP.
     */
    const loopbackSubscriber = async (secret: string) => {
      const id = newId();
      await db()
        .insertInto('status_subscribers')
        .values({
          id,
          kind: 'webhook',
          email: null,
          url: hookUrl,
          secret,
          locale: 'en',
          component_ids: null,
          token: `tok_${newId().replaceAll('-', '')}`,
          confirmed_at: desk.now,
          unsubscribed_at: null,
          created_at: desk.now,
        })
        .execute();
      return id;
    };

    it('creates a webhook subscription at once, with its secret shown once', async () => {
      const res = await subscribe({ url: 'https://hooks.example.test/status', locale: 'fr' });
      expect(res.statusCode).toBe(201);
      const created = res.json();
      expect(created.secret).toMatch(/^whsec_/);
      expect(created.unsubscribeUrl).toMatch(`${PUBLIC_URL}/status/unsubscribe?token=`);
      const row = await db()
        .selectFrom('status_subscribers')
        .selectAll()
        .where('id', '=', created.id)
        .executeTakeFirstOrThrow();
      expect(row.confirmed_at).toBe(desk.now);
      expect(row.kind).toBe('webhook');
    });

    it('posts a signed body the receiver can verify with the secret', async () => {
      // Only this receiver answers: other tests' webhooks point at hosts that do not exist.
      await db()
        .updateTable('status_subscribers')
        .set({ unsubscribed_at: desk.now })
        .where('kind', '=', 'webhook')
        .execute();
      received = [];
      answer = 200;
      const secret = 'whsec_test-secret';
      const subscriberId = await loopbackSubscriber(secret);
      const inc = await incident();
      const update = await publish(inc, 'identified');
      const webhookWorker = new StatusDeliveryWorker({
        db: db(),
        dialect: desk.database.db.dialect,
        outbox: desk.services.outbox,
        clock: () => desk.now,
        publicUrl: PUBLIC_URL,
        supportEmail: SUPPORT,
        webhooks: fetchWebhookSender,
      });
      await webhookWorker.runOnce();
      expect(received).toHaveLength(1);
      const [{ headers, body }] = received as [(typeof received)[number]];
      const signature = String(headers['x-accord-signature']);
      const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature);
      expect(match).not.toBeNull();
      expect(Number(match![1])).toBe(Math.floor(desk.now / 1000));
      const expected = createHmac('sha256', secret).update(`${match![1]}.${body}`).digest('hex');
      expect(match![2]).toBe(expected);
      expect(headers['content-type']).toBe('application/json');
      expect(headers['x-accord-delivery']).toBe(`${update.id}.${subscriberId}`);

      const payload = JSON.parse(body);
      expect(payload.meta.unsubscribe).toMatch(`${PUBLIC_URL}/status/unsubscribe?token=tok_`);
      expect(payload.page).toMatchObject({ id: 'support.acme.test', status_indicator: expect.any(String) });
      expect(payload.incident).toMatchObject({
        id: inc.id,
        name: 'Work orders fail to save',
        impact: 'major',
        shortlink: `${PUBLIC_URL}/status/incidents/${inc.id}`,
        incident_updates: [{ id: update.id, status: 'identified', body: update.body }],
      });
      const [delivery] = (await deliveriesOf(update.id)).filter((d) => d.url === hookUrl);
      expect(delivery!.status).toBe('sent');
    });

    it('retries a failing endpoint with backoff, then gives up', async () => {
      await db()
        .updateTable('status_subscribers')
        .set({ unsubscribed_at: desk.now })
        .where('kind', '=', 'webhook')
        .execute();
      received = [];
      answer = 500;
      await loopbackSubscriber('whsec_other');
      const update = await publish(await incident());
      const retrying = new StatusDeliveryWorker({
        db: db(),
        dialect: desk.database.db.dialect,
        outbox: desk.services.outbox,
        clock: () => desk.now,
        publicUrl: PUBLIC_URL,
        supportEmail: SUPPORT,
        policy: { backoffMs: [MINUTE, 5 * MINUTE], maxAttempts: 3 },
      });
      const delivery = async () => (await deliveriesOf(update.id)).find((d) => d.url === hookUrl)!;

      expect((await retrying.runOnce()).retried).toBe(1);
      expect(await delivery()).toMatchObject({ status: 'pending', attempts: 1 });
      expect((await delivery()).last_error).toContain('500');
      // Not due again before its backoff.
      expect((await retrying.runOnce()).retried).toBe(0);
      desk.advance(MINUTE);
      expect((await retrying.runOnce()).retried).toBe(1);
      desk.advance(5 * MINUTE);
      expect((await retrying.runOnce()).failed).toBe(1);
      expect(await delivery()).toMatchObject({ status: 'failed', attempts: 3 });
      expect(received).toHaveLength(3);
    });
  });
});
