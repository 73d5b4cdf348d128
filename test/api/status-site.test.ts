import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComponentState } from '../../src/db/tables.js';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, TEST_EPOCH } from '../support/desk.js';

const PUBLIC_URL = 'https://status.example.test';
const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' https: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const HOSTILE = '<script>alert(1)</script> & "quotes"';
const HOSTILE_ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;';
const at = (iso: string) => Date.parse(iso);

/**
 * The page's HTML with insignificant whitespace removed (the templates are formatted source), and
 * the no-break spaces Intl and French typography use turned into plain spaces.
 */
const squash = (markup: string) =>
  markup
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\s*\/?>/g, '>')
    .replace(/>\s+/g, '>')
    .replace(/\s+</g, '<');

const title = (body: string) => /<title>([^<]*)<\/title>/.exec(body)?.[1];
const hreflang = (body: string, locale: string) =>
  new RegExp(`<link rel="alternate" hreflang="${locale}" href="([^"]+)">`).exec(body)?.[1];
const canonical = (body: string) => /<link rel="canonical" href="([^"]+)">/.exec(body)?.[1];
/** A part of the home page by its heading, up to the next heading of its level. */
const section = (body: string, heading: string) => {
  const start = body.indexOf(`<h2>${heading}</h2>`);
  if (start < 0) return '';
  const end = body.slice(start + 1).search(/<h2>|<p class="more">/);
  return body.slice(start, end < 0 ? undefined : start + 1 + end);
};

function expectSafePage(res: { headers: Record<string, unknown>; body: string }) {
  expect(res.headers['content-security-policy']).toBe(CSP);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(res.body).not.toMatch(/<script/i);
}

/**
 * A small well-formedness check of an XML document: every tag closes in order, every `&` starts
 * an entity, no `<` outside markup; returns the names of the elements in document order.
 */
function xmlElements(xml: string): string[] {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const names: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/g;
  let consumed = 0;
  for (let m = token.exec(body); m; m = token.exec(body)) {
    if (m.index !== consumed)
      throw new Error(`stray markup at ${consumed}: ${body.slice(consumed, consumed + 40)}`);
    consumed = token.lastIndex;
    const text = m[5] ?? m[3] ?? '';
    if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(text)) throw new Error(`bare & in ${text}`);
    if (m[5] !== undefined) continue;
    const [, closing, name] = m as unknown as [string, string, string];
    if (closing) {
      if (stack.pop() !== name) throw new Error(`</${name}> closes nothing open`);
    } else {
      names.push(name);
      if (!m[4]) stack.push(name);
    }
  }
  if (consumed !== body.length) throw new Error(`stray markup at ${consumed}`);
  if (stack.length > 0) throw new Error(`unclosed ${stack.join(', ')}`);
  return names;
}

describe.each(databaseTargets())('the status page on $dialect', (target) => {
  let desk: TestDesk;
  const db = () => desk.services.db.kysely;

  const page = async (url: string, method: 'GET' | 'HEAD' = 'GET') => {
    const res = await desk.api(method, url);
    return { statusCode: res.statusCode, headers: res.headers, body: squash(res.body), raw: res.body };
  };

  /** A component, in `state` since `since` (its first state row). */
  const component = async (
    name: string,
    options: { group?: string; state?: ComponentState; position?: number; since?: string } = {},
  ) => {
    const id = randomUUID();
    const state = options.state ?? 'operational';
    const since = at(options.since ?? '2026-01-01T00:00:00Z');
    await db()
      .insertInto('status_components')
      .values({
        id,
        group_name: options.group ?? null,
        name,
        description: '',
        position: options.position ?? 0,
        state,
        created_at: since,
        updated_at: since,
      })
      .execute();
    await stateChange(id, state, since);
    return id;
  };

  const stateChange = (componentId: string, state: ComponentState, fromAt: number) =>
    db()
      .insertInto('status_component_states')
      .values({ id: randomUUID(), component_id: componentId, state, from_at: fromAt, incident_id: null })
      .execute();

  const incident = async (
    input: { name: string; createdAt: string } & Partial<{
      kind: 'incident' | 'maintenance';
      nameFr: string;
      impact: 'none' | 'minor' | 'major' | 'critical' | 'maintenance';
      status: string;
      resolvedAt: string;
      scheduledFor: string;
      scheduledUntil: string;
      postmortemHtml: string;
    }>,
  ) => {
    const id = randomUUID();
    await db()
      .insertInto('status_incidents')
      .values({
        id,
        kind: input.kind ?? 'incident',
        name: input.name,
        name_fr: input.nameFr ?? null,
        impact: input.impact ?? 'minor',
        status: input.status ?? 'investigating',
        scheduled_for: input.scheduledFor ? at(input.scheduledFor) : null,
        scheduled_until: input.scheduledUntil ? at(input.scheduledUntil) : null,
        auto_transition: 1,
        postmortem_html: input.postmortemHtml ?? null,
        created_at: at(input.createdAt),
        updated_at: at(input.createdAt),
        started_at: input.kind === 'maintenance' ? null : at(input.createdAt),
        resolved_at: input.resolvedAt ? at(input.resolvedAt) : null,
      })
      .execute();
    return id;
  };

  const update = async (
    incidentId: string,
    status: string,
    body: string,
    createdAt: string,
    bodyFr?: string,
  ) => {
    await db()
      .insertInto('status_incident_updates')
      .values({
        id: randomUUID(),
        incident_id: incidentId,
        status,
        body,
        body_fr: bodyFr ?? null,
        created_at: at(createdAt),
      })
      .execute();
  };

  const affect = (incidentId: string, componentId: string, state: ComponentState) =>
    db()
      .insertInto('status_incident_components')
      .values({ incident_id: incidentId, component_id: componentId, state })
      .execute();

  beforeAll(async () => {
    desk = await TestDesk.start(target, { PUBLIC_URL });
    await desk.app.ready();
    expect(desk.now).toBe(at('2026-06-01T12:00:00Z')); // 08:00 EDT, the day the bars end on
  });
  afterAll(() => desk?.close());

  // The tests share one desk; this one runs first, before any outage is recorded.
  it('says all systems are operational when every component is', async () => {
    await component('Web app', { group: 'Platform', position: 1 });
    const res = await page('/status');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(
      '<section class="overall overall-operational"><h1>All systems operational</h1>',
    );
    const fr = await page('/status/fr');
    expect(fr.body).toContain('<h1>Tous les systèmes sont opérationnels</h1>');
  });

  it('renders English at /status and French at /status/fr, each with its language, title and links', async () => {
    const en = await page('/status');
    expect(en.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(en.headers['cache-control']).toBe('public, max-age=30');
    expectSafePage(en);
    expect(en.body).toMatch(/^<!doctype html><html lang="en">/);
    expect(title(en.body)).toBe('System status');
    expect(canonical(en.body)).toBe(`${PUBLIC_URL}/status`);
    expect(hreflang(en.body, 'en')).toBe(`${PUBLIC_URL}/status`);
    expect(hreflang(en.body, 'fr')).toBe(`${PUBLIC_URL}/status/fr`);
    expect(hreflang(en.body, 'x-default')).toBe(`${PUBLIC_URL}/status`);
    expect(en.body).toContain(
      `<link rel="alternate" type="application/atom+xml" title="System status: incidents and maintenance" href="${PUBLIC_URL}/status/feed.atom">`,
    );
    expect(en.body).toContain('<a href="/status/history">Incident history</a>');
    expect(en.body).toContain('Times are shown in UTC and in America/New_York time.');

    const fr = await page('/status/fr');
    expectSafePage(fr);
    expect(fr.body).toMatch(/^<!doctype html><html lang="fr">/);
    expect(title(fr.body)).toBe('État des services');
    expect(canonical(fr.body)).toBe(`${PUBLIC_URL}/status/fr`);
    expect(hreflang(fr.body, 'x-default')).toBe(`${PUBLIC_URL}/status`);
    expect(fr.body).toContain(`href="${PUBLIC_URL}/status/fr/feed.atom"`);
    expect(fr.body).toContain('<a href="/status/fr/history">Historique des incidents</a>');
  });

  it('shows components under their groups with their state', async () => {
    await component('Mail delivery', { group: 'Messaging', state: 'degraded_performance', position: 2 });
    await component('Search', { position: 3 });
    const res = await page('/status');
    const components = section(res.body, 'Components');
    expect(components).toMatch(
      /<section class="group"><h3>Platform<\/h3><ul class="components"><li class="component" id="component-[^"]+"><div class="component-head"><span class="component-name">Web app<\/span><span class="state state-operational">Operational<\/span>/,
    );
    expect(components).toMatch(
      /<h3>Messaging<\/h3><ul class="components"><li[^>]*><div class="component-head"><span class="component-name">Mail delivery<\/span><span class="state state-degraded_performance">Degraded performance<\/span>/,
    );
    // Groups in the order of their first component's position; ungrouped components stand alone.
    expect(components.indexOf('Platform')).toBeLessThan(components.indexOf('Messaging'));
    expect(components).toMatch(
      /<\/section><ul class="components"><li[^>]*><div class="component-head"><span class="component-name">Search</,
    );
    expect(res.body).toContain('<h1>Degraded performance</h1>');
    const fr = await page('/status/fr');
    expect(fr.body).toContain('<span class="state state-degraded_performance">Performances dégradées</span>');
  });

  it('draws an outage on its day’s bar, in words and as a percentage', async () => {
    const api = await component('Public API', { group: 'Platform', position: 1 });
    // Thursday 2026-05-28, 10:00–12:00 EDT.
    await stateChange(api, 'major_outage', at('2026-05-28T14:00:00Z'));
    await stateChange(api, 'operational', at('2026-05-28T16:00:00Z'));
    const res = await page('/status');
    const item = new RegExp('<li class="component" id="component-' + api + '">(.*?)</p></li>').exec(
      res.body,
    )?.[1];
    expect(item).toBeDefined();
    const bars = [
      ...item!.matchAll(
        /<li class="bar bar-([a-z_]+)" title="([^"]*)"><span class="visually-hidden">([^<]*)<\/span>/g,
      ),
    ];
    expect(bars).toHaveLength(90);
    const may28 = bars.find((b) => b[2]!.startsWith('May 28:'))!;
    expect(may28[1]).toBe('major_outage');
    expect(may28[2]).toBe('May 28: 2 h of major outage — 91.67% uptime');
    expect(may28[3]).toBe(may28[2]);
    expect(bars.find((b) => b[2]!.startsWith('May 27:'))![2]).toBe('May 27: no downtime');
    expect(bars.at(-1)![2]).toBe('Jun 1: no downtime'); // today, up to 08:00 EDT
    expect(bars[0]![2]).toBe('Mar 4: no downtime');
    // 2 h down of 89 days and 8 hours.
    const percent = (100 * (1 - 2 / (89 * 24 + 8))).toFixed(2);
    expect(item).toContain(`<span>${percent}% uptime</span>`);

    const fr = await page('/status/fr');
    expect(fr.body).toContain('title="28 mai : 2 h de panne majeure — 91,67 % de disponibilité"');
  });

  it('shows days before a component existed as having no data', async () => {
    const id = await component('Reports', { since: '2026-05-30T16:00:00Z' });
    const res = await page('/status');
    const item = new RegExp('<li class="component" id="component-' + id + '">(.*?)</li></ol>').exec(
      res.body,
    )?.[1];
    expect(item).toContain('<li class="bar bar-none" title="May 29: no data">');
    expect(item).toContain('<li class="bar bar-operational" title="May 30: no downtime">');
  });

  it('shows an active incident with its components and updates newest first, in UTC and Eastern time', async () => {
    const mail = await component('Inbound email', { group: 'Messaging', state: 'major_outage', position: 2 });
    const id = await incident({
      name: 'Email is delayed',
      nameFr: 'Les courriels sont retardés',
      impact: 'critical',
      createdAt: '2026-06-01T10:00:00Z',
      status: 'identified',
    });
    await affect(id, mail, 'major_outage');
    await update(
      id,
      'investigating',
      'We are looking into delays.',
      '2026-06-01T10:00:00Z',
      'Nous analysons les retards.',
    );
    await update(id, 'identified', 'A queue is stuck.\nWe are draining it.', '2026-06-01T11:00:00Z');
    const res = await page('/status');
    expect(res.body).toContain('<section class="overall overall-major_outage"><h1>Major system outage</h1>');
    const active = section(res.body, 'Active incidents');
    expect(active).toContain(
      `<a href="/status/incidents/${id}">Email is delayed</a><span class="badge status-identified">Identified</span>`,
    );
    expect(active).toContain(
      'Inbound email<span class="state-text state-major_outage">(Major outage)</span>',
    );
    const newer = active.indexOf('A queue is stuck.');
    const older = active.indexOf('We are looking into delays.');
    expect(newer).toBeGreaterThan(0);
    expect(older).toBeGreaterThan(newer);
    expect(active).toContain(
      '<time datetime="2026-06-01T11:00:00.000Z">Jun 1, 2026, 11:00 AM UTC (7:00 AM EDT)</time>',
    );

    const fr = await page('/status/fr');
    const actifs = section(fr.body, 'Incidents en cours');
    expect(actifs).toContain('>Les courriels sont retardés</a>');
    expect(actifs).toContain('Nous analysons les retards.');
    // No French text: the English one, marked as English for screen readers and, discreetly, for the eye.
    expect(actifs).toContain(
      '<p class="update-body"><span lang="en">A queue is stuck. We are draining it.</span><span class="lang-note">(en anglais)</span></p>',
    );
    expect(actifs).toContain('<p class="update-body">Nous analysons les retards.</p>');
    // The English page needs no such note.
    expect(active).not.toContain('lang-note');
    expect(actifs).toContain(
      '<time datetime="2026-06-01T11:00:00.000Z">1 juin 2026, 11:00 UTC (07:00 UTC−4)</time>',
    );
  });

  it('lists maintenance in progress and upcoming maintenance with its window', async () => {
    const active = await incident({
      kind: 'maintenance',
      name: 'Database upgrade',
      impact: 'maintenance',
      status: 'in_progress',
      createdAt: '2026-05-20T12:00:00Z',
      scheduledFor: '2026-06-01T11:00:00Z',
      scheduledUntil: '2026-06-01T13:00:00Z',
    });
    await update(active, 'in_progress', 'The upgrade has started.', '2026-06-01T11:00:00Z');
    await incident({
      kind: 'maintenance',
      name: 'Network maintenance',
      impact: 'maintenance',
      status: 'scheduled',
      createdAt: '2026-05-25T12:00:00Z',
      scheduledFor: '2026-06-10T02:00:00Z',
      scheduledUntil: '2026-06-10T04:00:00Z',
    });
    await incident({
      kind: 'maintenance',
      name: 'Old completed work',
      impact: 'maintenance',
      status: 'completed',
      createdAt: '2026-05-01T12:00:00Z',
      resolvedAt: '2026-05-02T12:00:00Z',
    });
    const res = await page('/status');
    const inProgress = section(res.body, 'Maintenance in progress');
    expect(inProgress).toContain(
      '>Database upgrade</a><span class="badge status-in_progress">In progress</span>',
    );
    expect(inProgress).toContain('The upgrade has started.');
    const upcoming = section(res.body, 'Scheduled maintenance');
    expect(upcoming).toContain(
      '>Network maintenance</a><span class="badge status-scheduled">Scheduled</span>',
    );
    expect(upcoming).toContain(
      '<p class="window">Scheduled from<time datetime="2026-06-10T02:00:00.000Z">Jun 10, 2026, 2:00 AM UTC (Jun 9, 10:00 PM EDT)</time>to<time datetime="2026-06-10T04:00:00.000Z">',
    );
    expect(res.body).not.toContain('Old completed work');
    const fr = await page('/status/fr');
    expect(section(fr.body, 'Maintenances planifiées')).toContain('<p class="window">Prévue du<time');
  });

  it('pages through the history newest first, grouped by month', async () => {
    // 25 incidents, one a day from 2025-02-10 to 2025-03-06 (older than every other test's).
    const names: string[] = [];
    for (let day = 0; day < 25; day++) {
      const created = new Date(at('2025-02-10T15:00:00Z') + day * 86_400_000).toISOString();
      const name = `Past incident ${String(day).padStart(2, '0')}`;
      names.unshift(name);
      const id = await incident({ name, createdAt: created, status: 'resolved', resolvedAt: created });
      await update(id, 'resolved', 'Fixed.', created);
    }
    const seen: string[] = [];
    const months: string[] = [];
    let url: string | undefined = '/status/history';
    let pages = 0;
    while (url) {
      const res = await page(url);
      expect(res.statusCode).toBe(200);
      expectSafePage(res);
      pages++;
      if (pages === 1) {
        expect(res.body).not.toContain('<meta name="robots" content="noindex">');
        // Maintenance is listed with its window rather than when it was announced.
        expect(res.body).toContain(
          '>Network maintenance</a><span class="badge status-scheduled">Scheduled</span><p class="window">Scheduled from<time datetime="2026-06-10T02:00:00.000Z">',
        );
      } else expect(res.body).toContain('<a href="/status/history">Newest incidents</a>');
      seen.push(...[...res.body.matchAll(/>(Past incident \d\d)<\/a>/g)].map((m) => m[1]!));
      months.push(...[...res.body.matchAll(/<section class="month"><h2>([^<]+)<\/h2>/g)].map((m) => m[1]!));
      url = /<a rel="next" href="([^"]+)">Older incidents<\/a>/.exec(res.body)?.[1]?.replace(/&amp;/g, '&');
      expect(pages).toBeLessThan(10);
    }
    expect(pages).toBeGreaterThan(1);
    expect(seen).toEqual(names);
    expect(months).toContain('February 2025');
    expect(months).toContain('March 2025');
    expect(months.indexOf('March 2025')).toBeLessThan(months.indexOf('February 2025'));

    const fr = await page('/status/fr/history');
    expect(fr.body).toContain('<h1>Historique des incidents</h1>');
    expect(fr.body).toMatch(
      /<a rel="next" href="\/status\/fr\/history\?cursor=[A-Za-z0-9_-]+">Incidents plus anciens<\/a>/,
    );
  });

  it('shows an incident’s page with every update and its postmortem, in both languages', async () => {
    const id = await incident({
      name: 'Login failures',
      nameFr: 'Échecs de connexion',
      impact: 'major',
      status: 'resolved',
      createdAt: '2026-05-15T14:00:00Z',
      resolvedAt: '2026-05-15T16:30:00Z',
      postmortemHtml: '<p>The <strong>session store</strong> ran out of memory.</p>',
    });
    await update(id, 'investigating', 'Some users cannot sign in.', '2026-05-15T14:00:00Z');
    await update(id, 'monitoring', 'A fix is deployed.', '2026-05-15T15:00:00Z');
    await update(id, 'resolved', 'Sign-in works again.', '2026-05-15T16:30:00Z');
    const res = await page(`/status/incidents/${id}`);
    expect(res.statusCode).toBe(200);
    expectSafePage(res);
    expect(title(res.body)).toBe('Login failures · System status');
    expect(canonical(res.body)).toBe(`${PUBLIC_URL}/status/incidents/${id}`);
    expect(hreflang(res.body, 'fr')).toBe(`${PUBLIC_URL}/status/fr/incidents/${id}`);
    expect(res.body).toContain('<span class="impact">Major impact</span>');
    const bodies = [...res.body.matchAll(/<p class="update-body">([^<]*)<\/p>/g)].map((m) => m[1]);
    expect(bodies).toEqual(['Sign-in works again.', 'A fix is deployed.', 'Some users cannot sign in.']);
    expect(res.body).toContain(
      '<h2>Postmortem</h2><div class="prose"><p>The<strong>session store</strong>ran out of memory.</p></div>',
    );
    expect(res.body).toContain('Resolved<time datetime="2026-05-15T16:30:00.000Z">');

    const fr = await page(`/status/fr/incidents/${id}`);
    expect(fr.body).toMatch(/^<!doctype html><html lang="fr">/);
    expect(title(fr.body)).toBe('Échecs de connexion · État des services');
    expect(fr.body).toContain('<h2>Analyse post-incident</h2>');
    expect(fr.body).toContain('<span class="badge status-resolved">Résolu</span>');
    // Updates written in English only are marked so on the French page.
    const frBodies = [...fr.body.matchAll(/<p class="update-body">(.*?)<\/p>/g)].map((m) => m[1]);
    expect(frBodies).toEqual(
      ['Sign-in works again.', 'A fix is deployed.', 'Some users cannot sign in.'].map(
        (text) => `<span lang="en">${text}</span><span class="lang-note">(en anglais)</span>`,
      ),
    );
  });

  it('offers the subscription form on the English and French pages, posting without JavaScript', async () => {
    const en = await page('/status');
    const form = (body: string) =>
      /<section class="subscribe" id="subscribe".*?<\/section>/.exec(body)?.[0] ?? '';
    const english = form(en.body);
    expect(english).toContain('<h2 id="subscribe-title">Get status updates</h2>');
    expect(english).toMatch(
      /<form class="subscribe-form" method="post" action="\/status\/subscribe"><label for="subscribe-email">Email address<\/label>.*?<input id="subscribe-email" name="email" type="email" required maxlength="254"/,
    );
    expect(english).toMatch(
      /<form class="subscribe-form" method="post" action="\/status\/subscribe"><label for="subscribe-url">Webhook URL \(https\)<\/label>.*?<input id="subscribe-url" name="url" type="url" required/,
    );
    expect(english).toContain('<button type="submit">Subscribe by email</button>');
    expect(en.body).toContain('<a href="/status/subscribe">Subscribe</a>');
    // The page's CSP lets its forms post to the desk only.
    expectSafePage(en);

    const fr = await page('/status/fr');
    const french = form(fr.body);
    expect(french).toContain('<h2 id="subscribe-title">Recevoir les mises à jour</h2>');
    expect(french).toContain('action="/status/fr/subscribe"');
    expect(french).toContain('<label for="subscribe-email">Adresse e-mail</label>');
    expect(french).toContain('<button type="submit">Abonner un webhook</button>');
    expect(fr.body).toContain('<a href="/status/fr/subscribe">S’abonner</a>');

    // The form also has a page of its own, in each language, which search engines leave out.
    for (const [path, heading] of [
      ['/status/subscribe', 'Get status updates'],
      ['/status/fr/subscribe', 'Recevoir les mises à jour'],
    ] as const) {
      const res = await page(path);
      expect(res.statusCode, path).toBe(200);
      expectSafePage(res);
      expect(res.body).toContain(`<h1 id="subscribe-title">${heading}</h1>`);
      expect(res.body).toContain('<meta name="robots" content="noindex">');
    }
  });

  it('answers an unknown or malformed incident id, a bad cursor and an unknown address with an HTML error page', async () => {
    const cases: [string, number, string][] = [
      [`/status/incidents/${randomUUID()}`, 404, 'Page not found'],
      ['/status/fr/incidents/inconnu', 404, 'Page introuvable'],
      ['/status/incidents/%3Cscript%3E', 404, 'Page not found'],
      ['/status/incidents/' + 'a'.repeat(150), 404, 'Page not found'],
      ['/status/incidents/..%2F..%2Fetc', 404, 'Page not found'],
      ['/status/history?cursor=not-a-cursor', 400, 'This request could not be handled'],
      ['/status/history?cursor=' + 'x'.repeat(600), 200, 'Incident history'],
      ['/status/nothing-here', 404, 'Page not found'],
      ['/status/fr/rien', 404, 'Page introuvable'],
    ];
    for (const [url, status, heading] of cases) {
      const res = await page(url);
      expect(res.statusCode, url).toBe(status);
      expect(res.headers['content-type'], url).toBe('text/html; charset=utf-8');
      expectSafePage(res);
      expect(res.body, url).toContain(`<h1>${heading}</h1>`);
    }
    const slash = await page('/status/history/');
    expect(slash.statusCode).toBe(301);
    expect(slash.headers.location).toBe('/status/history');
  });

  it('answers HEAD like GET, without a body', async () => {
    for (const url of ['/status', '/status/fr/history', '/status/feed.atom']) {
      const res = await page(url, 'HEAD');
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toBe('');
      expect(res.headers['cache-control'], url).toBe('public, max-age=30');
    }
  });

  it('publishes the newest updates as a valid Atom feed, newest first', async () => {
    const id = await incident({
      name: 'Slow dashboards',
      createdAt: '2026-06-01T11:30:00Z',
      status: 'monitoring',
    });
    await update(id, 'investigating', 'Dashboards load slowly.', '2026-06-01T11:30:00Z');
    await update(
      id,
      'monitoring',
      'A fix is rolling out & <b>working</b>.',
      '2026-06-01T11:45:00Z',
      'Un correctif est déployé.',
    );
    const res = await desk.api('GET', '/status/feed.atom');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=30');
    const names = xmlElements(res.body);
    expect(names.slice(0, 7)).toEqual(['feed', 'id', 'title', 'updated', 'author', 'name', 'link']);
    expect(res.body).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">');
    expect(res.body).toContain('<updated>2026-06-01T11:45:00.000Z</updated>');
    const entries = [...res.body.matchAll(/<entry>(.*?)<\/entry>/gs)].map((m) => m[1]!);
    expect(entries.length).toBeGreaterThan(2);
    expect(entries.length).toBeLessThanOrEqual(50);
    expect(entries[0]).toContain('<title type="text">Slow dashboards — Monitoring</title>');
    expect(entries[0]).toContain(
      '<content type="text">A fix is rolling out &amp; &lt;b&gt;working&lt;/b&gt;.</content>',
    );
    expect(entries[0]).toContain(
      `<link rel="alternate" type="text/html" href="${PUBLIC_URL}/status/incidents/${id}"/>`,
    );
    expect(entries[0]).toMatch(/<id>urn:accord:status:update:[0-9a-f-]{36}:en<\/id>/);
    expect(entries[1]).toContain('<title type="text">Slow dashboards — Investigating</title>');
    const updated = entries.map((e) => /<updated>([^<]+)<\/updated>/.exec(e)![1]!);
    expect([...updated].sort().reverse()).toEqual(updated);

    const fr = await desk.api('GET', '/status/fr/feed.atom');
    xmlElements(fr.body);
    expect(fr.body).toContain('<content type="text">Un correctif est déployé.</content>');
    expect(fr.body).toContain('<title type="text">Slow dashboards — Sous surveillance</title>');
  });

  it('escapes hostile names and texts everywhere, and runs no script on any page', async () => {
    const comp = await component(HOSTILE, { group: HOSTILE, position: 9 });
    const id = await incident({
      name: HOSTILE,
      nameFr: HOSTILE,
      createdAt: '2026-06-01T11:50:00Z',
      postmortemHtml: '<p>Sanitized when saved.</p>',
    });
    await affect(id, comp, 'partial_outage');
    await update(id, 'investigating', HOSTILE, '2026-06-01T11:50:00Z', HOSTILE);
    for (const url of [
      '/status',
      '/status/fr',
      '/status/history',
      `/status/incidents/${id}`,
      `/status/fr/incidents/${id}`,
    ]) {
      const res = await page(url);
      expect(res.statusCode, url).toBe(200);
      expectSafePage(res);
      expect(res.body, url).toContain(HOSTILE_ESCAPED);
      expect(res.raw, url).not.toContain('<script>alert(1)');
    }
    const feed = await desk.api('GET', '/status/feed.atom');
    xmlElements(feed.body);
    expect(feed.body).not.toContain('<script>');
    expect(feed.body).toContain(
      `<title type="text">&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; — Investigating</title>`,
    );
  });

  it('serves its stylesheet, versioned and cacheable', async () => {
    const home = await page('/status');
    const href = /<link rel="stylesheet" href="([^"]+)">/.exec(home.body)![1]!;
    expect(href).toMatch(/^\/status\/assets\/status\.css\?v=[0-9a-f]{12}$/);
    const css = await desk.api('GET', href);
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(css.body).toContain('.bar-major_outage');
  });

  it('times a day by the policy’s zone: the reader sees the test instant as June 1', () => {
    expect(TEST_EPOCH).toBe(at('2026-06-01T12:00:00Z'));
  });
});
