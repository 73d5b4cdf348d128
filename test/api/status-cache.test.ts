import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

const ADMIN = '/api/v1/status';

interface Summary {
  incidents: { id: string; name: string; status: string; incident_updates: { body: string }[] }[];
}

/*
 * The public status JSON and pages are kept rendered per process and served from memory until the
 * status data changes: these cases pin that a change is on the next read, whoever wrote it, and that
 * a reader holding the current rendering is answered 304.
 */
describe.each(databaseTargets())('status page renderings kept between changes on $dialect', (target) => {
  let desk: TestDesk;
  let agent: Person;
  /** A connection of its own: what another server process or the command line would write through. */
  let other: Db;

  const get = (url: string, etag?: string) =>
    desk.api('GET', url, etag ? { headers: { 'if-none-match': etag } } : {});
  const summary = async () => {
    const res = await get('/api/v2/summary.json');
    expect(res.statusCode).toBe(200);
    return { body: res.json<Summary>(), etag: String(res.headers.etag) };
  };
  const admin = async (method: 'POST' | 'PATCH', path: string, body: Record<string, unknown>) => {
    const res = await desk.api(method, `${ADMIN}/${path}`, { token: agent.token, body });
    if (res.statusCode >= 300) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
    return res.json<{ id: string }>();
  };

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    agent = await desk.person('agent');
    other =
      target.dialect === 'sqlite'
        ? openDatabase({ sqliteFile: desk.database.sqliteFile! })
        : openDatabase({ databaseUrl: desk.database.databaseUrl!, poolSize: 1 });
  });
  afterAll(async () => {
    await other?.close();
    await desk?.close();
  });

  it('answers 304 to the ETag of the current summary.json, and 200 with the body to any other', async () => {
    const first = await summary();
    expect(first.etag).toMatch(/^"[\w-]+"$/);
    const again = await get('/api/v2/summary.json', first.etag);
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(first.etag);
    expect(again.headers['access-control-allow-origin']).toBe('*');
    const weak = await get('/api/v2/summary.json', `"other", W/${first.etag}`);
    expect(weak.statusCode).toBe(304);
    const stale = await get('/api/v2/summary.json', '"not-this-one"');
    expect(stale.statusCode).toBe(200);
    expect(stale.json()).toEqual(first.body);
  });

  it('shows an incident opened, updated and renamed on the very next read, with a new ETag each time', async () => {
    const before = await summary();
    const incident = await admin('POST', 'incidents', {
      name: 'Exports stall',
      impact: 'minor',
      body: 'Exports wait in the queue.',
    });
    const opened = await summary();
    expect(opened.body.incidents.map((i) => i.name)).toContain('Exports stall');
    expect(opened.etag).not.toBe(before.etag);
    expect((await get('/api/v2/summary.json', before.etag)).statusCode).toBe(200);

    await admin('POST', `incidents/${incident.id}/updates`, {
      status: 'identified',
      body: 'A stuck worker; restarting it.',
    });
    const updated = await summary();
    const shown = updated.body.incidents.find((i) => i.id === incident.id)!;
    expect(shown.status).toBe('identified');
    expect(shown.incident_updates[0]!.body).toBe('A stuck worker; restarting it.');
    expect(updated.etag).not.toBe(opened.etag);

    await admin('PATCH', `incidents/${incident.id}`, { name: 'Exports stall for some customers' });
    expect((await summary()).body.incidents.find((i) => i.id === incident.id)!.name).toBe(
      'Exports stall for some customers',
    );

    await admin('POST', `incidents/${incident.id}/updates`, { status: 'resolved', body: 'All caught up.' });
    expect((await summary()).body.incidents.map((i) => i.id)).not.toContain(incident.id);
  });

  it('shows a change written through another connection on the next read of the JSON and the page', async () => {
    const incident = await admin('POST', 'incidents', {
      name: 'Logins are slow',
      impact: 'major',
      body: 'Sign-in takes a minute.',
    });
    const json = await summary();
    const page = await get('/status');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Logins are slow');
    const pageEtag = String(page.headers.etag);
    expect((await get('/status', pageEtag)).statusCode).toBe(304);

    await other.kysely
      .updateTable('status_incidents')
      .set({ name: 'Logins fail for SSO users' })
      .where('id', '=', incident.id)
      .execute();

    const renamed = await summary();
    expect(renamed.body.incidents.find((i) => i.id === incident.id)!.name).toBe('Logins fail for SSO users');
    expect(renamed.etag).not.toBe(json.etag);
    const after = await get('/status', pageEtag);
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('Logins fail for SSO users');
    expect(after.body).not.toContain('Logins are slow');
  });

  it('keeps an incident page and the feed current, and answers an unknown incident 404', async () => {
    const incident = await admin('POST', 'incidents', {
      name: 'Webhooks delayed',
      impact: 'minor',
      body: 'Deliveries run ten minutes late.',
    });
    const path = `/status/incidents/${incident.id}`;
    const first = await get(path);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('Deliveries run ten minutes late.');
    expect((await get(path, String(first.headers.etag))).statusCode).toBe(304);
    const feed = await get('/status/feed.atom');
    expect(feed.statusCode).toBe(200);

    await admin('POST', `incidents/${incident.id}/updates`, {
      status: 'monitoring',
      body: 'Caught up; watching the queue.',
    });
    const next = await get(path, String(first.headers.etag));
    expect(next.statusCode).toBe(200);
    expect(next.body).toContain('Caught up; watching the queue.');
    expect((await get('/status/feed.atom')).body).toContain('Caught up; watching the queue.');

    expect((await get('/status/incidents/no-such-incident')).statusCode).toBe(404);
  });
});
