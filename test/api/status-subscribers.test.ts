import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../../src/http/errors.js';
import { registerJsonParser } from '../../src/http/json.js';
import type { StatusIncidentRow } from '../../src/status/model.js';
import {
  StatusDeliveryWorker,
  type StatusDeliveryWorkerDeps,
} from '../../src/status/subscribers/delivery.js';
import { SubscriberNotifier } from '../../src/status/subscribers/notifier.js';
import { SubscribersRepository } from '../../src/status/subscribers/repository.js';
import { statusSubscriptionRoutes } from '../../src/status/subscribers/routes.js';
import { StatusSubscriptions } from '../../src/status/subscribers/service.js';
import { newId } from '../../src/shared/ids.js';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';
import { FakeDns } from '../support/dns.js';

const PUBLIC_URL = 'https://support.acme.test';
const SUPPORT = 'support@acme.test';
const MINUTE = 60_000;
const DAY = 86400_000;
/** The operator's list: an internal receiver by name, one by address. */
const ALLOWED = 'hooks.internal,10.0.0.5';
/** A public address the fake resolver gives; nothing ever connects to it (deliveries go to loopback). */
const PUBLIC_ADDRESS = '93.184.215.14';

describe.each(databaseTargets())('status subscribers on $dialect', (target) => {
  let desk: TestDesk;
  let lead: Person;
  let worker: StatusDeliveryWorker;
  let ipSequence = 0;

  const db = () => desk.database.db.kysely;
  /** Each test subscribes from its own address, so the per-IP limit is one test's business. */
  const freshIp = () => `203.0.113.${++ipSequence}`;

  beforeAll(async () => {
    desk = await TestDesk.start(target, {
      PUBLIC_URL,
      SUPPORT_EMAIL: SUPPORT,
      WEBHOOK_ALLOW_PRIVATE_HOSTS: ALLOWED,
    });
    lead = await desk.person('lead');
    // The delivery worker runs beside the app (src/cli.ts), not in its services: built here as there.
    // Its resolver knows no name, so a webhook it meets fails without reaching the network.
    worker = deliveryWorker({ webhookReach: { allowPrivateHosts: [], lookup: new FakeDns().lookup } });
  });
  afterAll(() => desk?.close());

  const deliveryWorker = (deps: Partial<StatusDeliveryWorkerDeps> = {}) =>
    new StatusDeliveryWorker({
      db: db(),
      dialect: desk.database.db.dialect,
      outbox: desk.services.outbox,
      clock: () => desk.now,
      publicUrl: PUBLIC_URL,
      supportEmail: SUPPORT,
      ...deps,
    });

  /**
   * The subscription endpoint as the desk serves it (same routes, validation and problem answers),
   * on the desk's database, resolving host names through `dns` instead of the network.
   */
  const resolvingEndpoint = async (dns: FakeDns): Promise<FastifyInstance> => {
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandling(app);
    registerJsonParser(app);
    const subscriptions = new StatusSubscriptions({
      db: db(),
      repo: new SubscribersRepository(db(), desk.database.db.dialect),
      outbox: desk.services.outbox,
      clock: () => desk.now,
      publicUrl: PUBLIC_URL,
      supportEmail: SUPPORT,
      webhookReach: { allowPrivateHosts: desk.config.webhookAllowPrivateHosts, lookup: dns.lookup },
    });
    await app.register(statusSubscriptionRoutes(subscriptions));
    return app;
  };

  const subscribe = (body: Record<string, unknown>, ip = freshIp(), app = desk.app) =>
    app.inject({ method: 'POST', url: '/api/v1/status/subscribers', payload: body, remoteAddress: ip });

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

  it('refuses a webhook written with an address that is not public, in any of its spellings', async () => {
    // Each URL with a word its refusal gives; none needs resolving (the desk resolves with real DNS).
    const refused: [string, string][] = [
      ['https://[::ffff:127.0.0.1]:3299/a', 'IPv4-mapped address of 127.0.0.1 (a loopback address)'],
      ['https://[::ffff:a9fe:a9fe]/latest/meta-data/', 'of 169.254.169.254 (a link-local address'],
      ['https://169.254.169.254/latest/meta-data/', 'link-local'],
      ['https://[fd00:ec2::254]/latest/meta-data/', 'unique-local'],
      ['https://100.100.100.200/latest/meta-data/', 'carrier-grade NAT'],
      ['https://100.64.0.1/hook', 'carrier-grade NAT'],
      ['https://2130706433/hook', 'loopback'],
      ['https://127.1.2.3/hook', 'loopback'],
      ['https://[::1]/hook', 'loopback'],
      ['https://10.0.0.6/hook', 'private network'],
      ['https://172.16.0.1/hook', 'private network'],
      ['https://192.168.1.10/hook', 'private network'],
      ['https://[fe80::1]/hook', 'link-local'],
      ['https://[fec0::1]/hook', 'site-local'],
      ['https://224.0.0.251/hook', 'multicast'],
      ['https://[ff02::1]/hook', 'multicast'],
      ['https://255.255.255.255/hook', 'broadcast'],
      ['https://0.0.0.0/hook', 'unspecified'],
      ['https://[::]/hook', 'unspecified'],
      ['https://[::127.0.0.1]/hook', 'IPv4-compatible'],
      ['https://[64:ff9b::7f00:1]/hook', 'NAT64'],
      ['https://[2002:7f00:1::]/hook', '6to4'],
      ['https://localhost./hook', 'this machine'],
      ['https://status.localhost/hook', 'this machine'],
      ['https://metadata.google.internal./computeMetadata/v1/', 'private network'],
    ];
    const answers = [];
    for (const [url, reason] of refused) answers.push({ url, reason, res: await subscribe({ url }) });
    // Every one refused, listed together so that a failure names all the URLs that got through.
    expect(answers.filter((a) => a.res.statusCode !== 400).map((a) => a.url)).toEqual([]);
    for (const { url, reason, res } of answers) {
      const problem = res.json();
      expect(problem.errors, url).toEqual([{ field: 'body.url', message: expect.stringContaining(reason) }]);
      expect(problem.detail, url).toContain(reason);
    }
  });

  it('judges a host name by every address it resolves to, a final dot or not', async () => {
    const dns = new FakeDns()
      .answer('hooks.example.test', PUBLIC_ADDRESS, '2606:2800:21f:cb07:6820:80da:af6b:8b2c')
      .answer('loopback.example.test', '127.0.0.1')
      .answer('mapped.example.test', '::ffff:169.254.169.254')
      .answer('office.example.test', '10.1.2.3')
      .answer('split.example.test', PUBLIC_ADDRESS, '192.168.0.20')
      .answer('v6.example.test', 'fd12:3456::1');
    const endpoint = await resolvingEndpoint(dns);
    try {
      const refused: [string, string][] = [
        ['https://loopback.example.test/hook', 'resolves to 127.0.0.1, a loopback address'],
        ['https://loopback.example.test./hook', 'resolves to 127.0.0.1, a loopback address'],
        ['https://LOOPBACK.example.test.:8443/hook', 'resolves to 127.0.0.1'],
        ['https://mapped.example.test/hook', 'IPv4-mapped address of 169.254.169.254'],
        ['https://office.example.test/hook', 'resolves to 10.1.2.3, a private network address'],
        ['https://split.example.test/hook', 'resolves to 192.168.0.20'],
        ['https://v6.example.test/hook', 'unique-local'],
        ['https://nowhere.example.test/hook', 'does not resolve'],
      ];
      for (const [url, reason] of refused) {
        const res = await subscribe({ url }, freshIp(), endpoint);
        expect(res.statusCode, url).toBe(400);
        expect(res.json().errors[0].message, url).toContain(reason);
      }
      for (const url of ['https://hooks.example.test/status', 'https://hooks.example.test./status'])
        expect((await subscribe({ url }, freshIp(), endpoint)).statusCode, url).toBe(201);
      expect(dns.asked).toContain('loopback.example.test.');
    } finally {
      await endpoint.close();
    }
  });

  it('accepts the private hosts the operator lists (WEBHOOK_ALLOW_PRIVATE_HOSTS), and only those', async () => {
    expect(desk.config.webhookAllowPrivateHosts).toEqual(['hooks.internal', '10.0.0.5']);
    for (const url of [
      'https://hooks.internal/status',
      'https://HOOKS.internal./status',
      'https://10.0.0.5:8443/status',
    ])
      expect((await subscribe({ url })).statusCode, url).toBe(201);
    for (const url of ['https://other.internal/status', 'https://10.0.0.6/status'])
      expect((await subscribe({ url })).statusCode, url).toBe(400);
  });

  /** The status page's subscription form, posted as a browser without JavaScript posts it. */
  const postForm = (
    path: string,
    fields: Record<string, string>,
    ip = freshIp(),
    headers: Record<string, string> = {},
  ) =>
    desk.app.inject({
      method: 'POST',
      url: path,
      payload: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      remoteAddress: ip,
    });

  const subscriberRows = (address: string) =>
    db().selectFrom('status_subscribers').selectAll().where('email', '=', address).execute();

  it('subscribes from the status page’s form without JavaScript: the same double opt-in, a neutral page', async () => {
    const address = uniqueEmail('form');
    const res = await postForm('/status/subscribe', { email: address });
    expect(res.statusCode).toBe(202);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toContain("form-action 'self'");
    expect(res.body).toContain('<h1>Check your inbox</h1>');
    expect(res.body).toContain(
      `If ${address} can receive mail, a link to confirm the subscription is on its way.`,
    );
    expect(res.body).not.toMatch(/<script/i);

    // The API's flow: a pending row in English, a confirmation mail, confirmed by the page's button.
    const [row] = await subscriberRows(address);
    expect(row).toMatchObject({ kind: 'email', locale: 'en', confirmed_at: null });
    const [mail] = await mailTo(address, 'status_confirmation');
    const token = await tokenOf(address);
    expect(mail!.body_text).toContain(`${PUBLIC_URL}/status/subscriptions/confirm?token=${token}`);
    const confirmed = await desk.app.inject({
      method: 'POST',
      url: `/status/subscriptions/confirm?token=${token}`,
    });
    expect(confirmed.statusCode).toBe(200);
    expect((await subscriberRows(address))[0]!.confirmed_at).toBe(desk.now);

    // Subscribed or not, the page says the same: only the address differs.
    const again = await postForm('/status/subscribe', { email: address });
    const other = uniqueEmail('form');
    const fresh = await postForm('/status/subscribe', { email: other });
    expect(again.statusCode).toBe(202);
    expect(again.body.replaceAll(address, 'X')).toBe(fresh.body.replaceAll(other, 'X'));

    // The French page subscribes in French.
    const french = uniqueEmail('formulaire');
    const fr = await postForm('/status/fr/subscribe', { email: french });
    expect(fr.statusCode).toBe(202);
    expect(fr.body).toContain('<html lang="fr">');
    expect(fr.body).toContain('Consultez votre boîte de réception');
    expect((await subscriberRows(french))[0]!.locale).toBe('fr');
    expect((await mailTo(french, 'status_confirmation'))[0]!.subject).toBe(
      'Confirmez votre abonnement aux mises à jour de l’état du service',
    );
  });

  it('shows the form again with the reason when the input is wrong, and refuses posts from other sites', async () => {
    const bad = await postForm('/status/subscribe', { email: 'not-an-address"><b>' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a valid email address.');
    expect(bad.body).toMatch(/<input\s+id="subscribe-email"[^>]*value="not-an-address&quot;&gt;&lt;b&gt;"/);
    expect(bad.body).toMatch(/<input\s+id="subscribe-email"[^>]*aria-invalid="true"/);
    const french = await postForm('/status/fr/subscribe', { url: 'http://hooks.example.test/status' });
    expect(french.statusCode).toBe(400);
    expect(french.body).toContain('Saisissez une adresse web commençant par https://.');
    const both = await postForm('/status/subscribe', {
      email: uniqueEmail(),
      url: 'https://10.0.0.5/status',
    });
    expect(both.statusCode).toBe(400);
    const json = await desk.app.inject({
      method: 'POST',
      url: '/status/subscribe',
      payload: { email: uniqueEmail() },
      remoteAddress: freshIp(),
    });
    expect(json.statusCode).toBe(400);

    // Another site's page may not post it from its visitors' browsers.
    const forged = uniqueEmail('forged');
    const foreign: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'https://elsewhere.test' },
    ];
    for (const headers of foreign) {
      const res = await postForm('/status/subscribe', { email: forged }, freshIp(), headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
    }
    expect(await subscriberRows(forged)).toEqual([]);
    // The desk's own page may.
    const own = await postForm('/status/subscribe', { email: uniqueEmail() }, freshIp(), {
      origin: PUBLIC_URL,
      'sec-fetch-site': 'same-origin',
    });
    expect(own.statusCode).toBe(202);
  });

  it('limits the form’s posts per IP together with the API’s', async () => {
    const ip = freshIp();
    for (let i = 0; i < 5; i++) {
      expect((await subscribe({ email: uniqueEmail('mixed') }, ip)).statusCode).toBe(202);
      expect((await postForm('/status/subscribe', { email: uniqueEmail('mixed') }, ip)).statusCode).toBe(202);
    }
    const refused = await postForm('/status/fr/subscribe', { email: uniqueEmail('mixed') }, ip);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body).toContain('Trop de demandes');
    expect((await subscribe({ email: uniqueEmail('mixed') }, ip)).statusCode).toBe(429);
  });

  it('subscribes a webhook from the form, showing its secret once on a page nobody caches', async () => {
    const url = `https://10.0.0.5/form-${newId().slice(-8)}`;
    const res = await postForm('/status/subscribe', { url });
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const row = await db()
      .selectFrom('status_subscribers')
      .selectAll()
      .where('url', '=', url)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'webhook', confirmed_at: desk.now });
    expect(res.body).toContain(`<code class="secret">${row.secret}</code>`);
    expect(res.body).toContain(`${PUBLIC_URL}/status/unsubscribe?token=${row.token}`);
    // A private address the operator did not list is refused, with the reason, and nothing is kept.
    const refused = await postForm('/status/subscribe', { url: 'https://127.0.0.1/hook' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('This address cannot receive webhooks');
    expect(
      await db()
        .selectFrom('status_subscribers')
        .select('id')
        .where('url', '=', 'https://127.0.0.1/hook')
        .execute(),
    ).toEqual([]);
  });

  describe('webhooks', () => {
    let server: http.Server;
    let received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    /** TCP connections the receiver accepted: a refused delivery must not even open one. */
    let connections = 0;
    let answer = 200;
    let port = 0;
    let hookUrl = '';
    /** The receiver is an internal host the operator lists; it resolves to loopback. */
    const internalDns = new FakeDns().answer('hooks.internal', '127.0.0.1');
    const sockets = new Set<Socket>();

    beforeAll(async () => {
      server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        req.on('end', () => {
          received.push({ headers: req.headers, body });
          res.writeHead(answer).end();
        });
      });
      server.on('connection', (socket: Socket) => {
        connections += 1;
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
      hookUrl = `http://hooks.internal:${port}/hook`;
    });
    afterAll(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => resolve());
        }),
    );

    /** A worker as src/cli.ts builds it, with the desk's allow list, resolving through `dns`. */
    const webhookWorker = (dns: FakeDns, deps: Partial<StatusDeliveryWorkerDeps> = {}) =>
      deliveryWorker({
        webhookReach: { allowPrivateHosts: desk.config.webhookAllowPrivateHosts, lookup: dns.lookup },
        ...deps,
      });

    /** Ends every webhook subscription, so that only the test's own receive anything. */
    const quietOtherWebhooks = async () => {
      await db()
        .updateTable('status_subscribers')
        .set({ unsubscribed_at: desk.now })
        .where('kind', '=', 'webhook')
        .execute();
      received = [];
      connections = 0;
      answer = 200;
    };

    /**
     * The API takes https URLs only; the plain-HTTP loopback receiver is written straight into the
     * table, as an https endpoint would be, so that the worker posts over real HTTP.
     */
    const loopbackSubscriber = async (secret: string, url = hookUrl) => {
      const id = newId();
      await db()
        .insertInto('status_subscribers')
        .values({
          id,
          kind: 'webhook',
          email: null,
          url,
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
      const endpoint = await resolvingEndpoint(new FakeDns().answer('hooks.example.test', PUBLIC_ADDRESS));
      const res = await subscribe(
        { url: 'https://hooks.example.test/status', locale: 'fr' },
        freshIp(),
        endpoint,
      );
      await endpoint.close();
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

    it('posts a signed body the receiver can verify with the secret, to a listed private host', async () => {
      await quietOtherWebhooks();
      const secret = 'whsec_test-secret';
      const subscriberId = await loopbackSubscriber(secret);
      const inc = await incident();
      const update = await publish(inc, 'identified');
      await webhookWorker(internalDns).runOnce();
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
      await quietOtherWebhooks();
      answer = 500;
      await loopbackSubscriber('whsec_other');
      const update = await publish(await incident());
      const retrying = webhookWorker(internalDns, {
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

    it('does not connect when a name public at subscription resolves to loopback at delivery', async () => {
      await quietOtherWebhooks();
      const dns = new FakeDns()
        .answer('rebind.example.test', PUBLIC_ADDRESS)
        .answer('rebind-mapped.example.test', PUBLIC_ADDRESS);
      const endpoint = await resolvingEndpoint(dns);
      for (const host of ['rebind.example.test', 'rebind-mapped.example.test.'])
        expect(
          (await subscribe({ url: `https://${host}:${port}/hook` }, freshIp(), endpoint)).statusCode,
        ).toBe(201);
      await endpoint.close();
      // DNS rebinding: the same names now answer with this machine, the receiver listening on it.
      dns.answer('rebind.example.test', '127.0.0.1').answer('rebind-mapped.example.test', '::ffff:127.0.0.1');
      const update = await publish(await incident());
      const pass = await webhookWorker(dns).runOnce();

      expect(connections).toBe(0);
      // Mail subscribers from earlier tests are queued in the same pass: only the webhooks failed.
      expect(pass).toMatchObject({ retried: 0, failed: 2 });
      const deliveries = await deliveriesOf(update.id);
      const of = (host: string) => deliveries.find((d) => d.url === `https://${host}:${port}/hook`)!;
      // Failed at once, with the reason: retrying would meet the same answer.
      expect(of('rebind.example.test')).toMatchObject({ status: 'failed', attempts: 1 });
      expect(of('rebind.example.test').last_error).toBe(
        'not connected: rebind.example.test resolves to 127.0.0.1, a loopback address',
      );
      expect(of('rebind-mapped.example.test.')).toMatchObject({ status: 'failed', attempts: 1 });
      expect(of('rebind-mapped.example.test.').last_error).toContain(
        'resolves to ::ffff:127.0.0.1, an IPv4-mapped address of 127.0.0.1 (a loopback address)',
      );
    });

    it('reaches a private address written in a subscription only when the operator lists it', async () => {
      await quietOtherWebhooks();
      // Stored before addresses were checked, or written straight into the table.
      await loopbackSubscriber('whsec_literal', `http://127.0.0.1:${port}/hook`);
      await loopbackSubscriber('whsec_mapped', `http://[::ffff:127.0.0.1]:${port}/hook`);
      const refused = await publish(await incident());
      expect((await webhookWorker(internalDns).runOnce()).failed).toBe(2);
      expect(connections).toBe(0);
      const webhooks = async (updateId: string) =>
        (await deliveriesOf(updateId)).filter((d) => d.url !== null);
      const errors = (await webhooks(refused.id)).map((d) => d.last_error).sort();
      expect(errors).toEqual([
        'not connected: 127.0.0.1 is a loopback address',
        'not connected: [::ffff:7f00:1] is an IPv4-mapped address of 127.0.0.1 (a loopback address)',
      ]);

      // The operator lists the address: both spellings of it are reached.
      const listed = await publish(await incident());
      const pass = await webhookWorker(internalDns, {
        webhookReach: { allowPrivateHosts: ['127.0.0.1'], lookup: internalDns.lookup },
      }).runOnce();
      expect(pass.failed).toBe(0);
      expect(received).toHaveLength(2);
      expect((await webhooks(listed.id)).map((d) => d.status)).toEqual(['sent', 'sent']);
    });
  });
});
