import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

interface Segment {
  text: string;
  highlight: boolean;
}
interface Hit {
  id: string;
  number: number;
  priority: string;
  status: string;
  organizationId: string;
  sla: { nextDueAt: string | null } | null;
  match?: { subject: Segment[]; snippet: Segment[]; messageId: string | null; internal: boolean };
}
interface Page {
  data: Hit[];
  nextCursor: string | null;
}

/** The highlighted words of segments, lowercased. */
const marked = (segments: Segment[]) => segments.filter((s) => s.highlight).map((s) => s.text.toLowerCase());

describe.each(databaseTargets())('ticket search on $dialect', (target) => {
  let desk: TestDesk;
  let agent: Person;
  let sequence = 0;
  /** A word no other test uses: staff search every organization. */
  const word = (stem: string) => `${stem}${'qxzv'[sequence % 4]}${(sequence++).toString(36)}zz`;

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    agent = await desk.person('agent');
  });
  afterAll(() => desk?.close());

  const search = async (who: Person, query: Record<string, string>) => {
    const res = await desk.api('GET', `/api/v1/tickets?${new URLSearchParams(query).toString()}`, {
      token: who.token,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Page>();
  };
  const ids = async (who: Person, query: Record<string, string>) =>
    (await search(who, query)).data.map((t) => t.id).sort();
  const note = async (ticketId: string, body: string, isPublic = false) => {
    const res = await desk.api('POST', `/api/v1/tickets/${ticketId}/messages`, {
      token: agent.token,
      body: { body, public: isPublic },
    });
    expect(res.statusCode, res.body).toBe(201);
  };

  it("never shows a customer another organization's ticket or an internal note, and staff find the note", async () => {
    const secret = word('vault');
    const shared = word('printer');
    const mine = await desk.organization('premium');
    const theirs = await desk.organization('premium');
    const me = await desk.person('contact', mine.id);
    const them = await desk.person('contact', theirs.id);
    const own = await desk.ticket(me, { subject: `The ${shared} jams`, body: 'Every morning.' });
    const other = await desk.ticket(them, { subject: `Our ${shared} is down`, body: 'Since Monday.' });
    await note(own.id, `Internal: the ${secret} password rotated`);

    expect(await ids(me, { q: shared })).toEqual([own.id]);
    expect(await ids(them, { q: shared })).toEqual([other.id]);
    // Asking for another organization explicitly changes nothing.
    expect(await ids(me, { q: shared, organizationId: theirs.id })).toEqual([]);
    expect(await ids(me, { q: secret })).toEqual([]);
    // An exclusion must not tell a customer what an internal note says either.
    expect(await ids(me, { q: `${shared} -${secret}` })).toEqual([own.id]);

    const staff = await search(agent, { q: secret });
    expect(staff.data.map((t) => t.id)).toEqual([own.id]);
    expect(staff.data[0]!.match!.internal).toBe(true);
    expect(marked(staff.data[0]!.match!.snippet)).toEqual([secret]);
    expect((await ids(agent, { q: shared })).length).toBe(2);
  });

  it('finds a ticket by #number and by the requester and organization names', async () => {
    const orgName = word('Globex');
    const org = await desk.organization('premium', `${orgName} Industries`);
    const me = await desk.person('contact', org.id);
    const ticket = await desk.ticket(me, { subject: 'Something unrelated' });
    const byNumber = await search(agent, { q: `#${ticket.number}` });
    expect(byNumber.data.map((t) => t.id)).toEqual([ticket.id]);
    expect(await ids(me, { q: String(ticket.number) })).toEqual([ticket.id]);
    expect(await ids(agent, { q: orgName })).toEqual([ticket.id]);
    expect(await ids(agent, { q: me.user.email })).toEqual([ticket.id]);
  });

  it('tells a phrase from the same words apart and excludes -words', async () => {
    const a = word('alpha');
    const b = word('beta');
    const org = await desk.organization('premium');
    const me = await desk.person('contact', org.id);
    const together = await desk.ticket(me, { subject: `${a} ${b} fails`, body: 'Together.' });
    const apart = await desk.ticket(me, { subject: `${b} then ${a}`, body: 'Apart.' });
    expect(await ids(me, { q: `${a} ${b}` })).toEqual([together.id, apart.id].sort());
    expect(await ids(me, { q: `"${a} ${b}"` })).toEqual([together.id]);
    expect(await ids(me, { q: `${a} -apart` })).toEqual([together.id]);
    expect(await ids(me, { q: `${a} -"${a} ${b}"` })).toEqual([apart.id]);
  });

  it('stems French and English and folds accents', async () => {
    const org = await desk.organization('premium');
    const me = await desk.person('contact', org.id);
    const fr = await desk.ticket(me, {
      subject: 'Les imprimantes ne répondent plus',
      body: 'Depuis la mise à jour, les imprimantes du bureau sont hors ligne et nous ne pouvons pas imprimer.',
    });
    const en = await desk.ticket(me, {
      subject: 'Exports are failing',
      body: 'The nightly exports failed again and the reports were empty.',
    });
    expect(await ids(me, { q: 'imprimante' })).toEqual([fr.id]);
    expect(await ids(me, { q: 'repondent' })).toEqual([fr.id]);
    expect(await ids(me, { q: 'export fail' })).toEqual([en.id]);
    const hit = (await search(me, { q: 'imprimante' })).data[0]!;
    expect(marked(hit.match!.subject)).toEqual(['imprimantes']);
    expect(marked(hit.match!.snippet)).toContain('imprimantes');
  });

  it('combines with status and priority filters and sort=urgency', async () => {
    const topic = word('gateway');
    const org = await desk.organization('enterprise');
    const me = await desk.person('contact', org.id);
    const p3 = await desk.ticket(me, { subject: `${topic} slow`, priority: 'P3' });
    const p1 = await desk.ticket(me, { subject: `${topic} down`, priority: 'P1' });
    const p2 = await desk.ticket(me, { subject: `${topic} flaky`, priority: 'P2' });
    await desk.ticket(me, { subject: 'Unrelated', priority: 'P1' });
    const res = await desk.api('PATCH', `/api/v1/tickets/${p2.id}`, {
      token: agent.token,
      body: { status: 'waiting_on_customer' },
    });
    expect([200, 400, 422]).toContain(res.statusCode);
    const byUrgency = await search(agent, { q: topic, sort: 'urgency' });
    expect(byUrgency.data[0]!.id).toBe(p1.id);
    expect(byUrgency.data.map((t) => t.id).sort()).toEqual([p1.id, p2.id, p3.id].sort());
    expect(await ids(agent, { q: topic, priority: 'P1,P3' })).toEqual([p1.id, p3.id].sort());
    expect(await ids(agent, { q: topic, status: 'new', priority: 'P3' })).toEqual([p3.id]);
    // Pages of one follow each other without repeats, by relevance and by creation.
    for (const sort of [undefined, 'created', 'urgency']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Page = await search(agent, {
          q: topic,
          limit: '1',
          ...(sort ? { sort } : {}),
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...page.data.map((t) => t.id));
        cursor = page.nextCursor;
      } while (cursor && seen.length < 10);
      expect(seen.sort(), `sort ${sort}`).toEqual([p1.id, p2.id, p3.id].sort());
    }
  });

  it('ranks the subject above a passing mention without a sort, and keeps the list without q intact', async () => {
    const topic = word('kernel');
    const org = await desk.organization('premium');
    const me = await desk.person('contact', org.id);
    const mention = await desk.ticket(me, { subject: 'Slow dashboard', body: `Maybe the ${topic} again.` });
    const about = await desk.ticket(me, { subject: `${topic} ${topic} panic`, body: `The ${topic} panics.` });
    expect((await search(me, { q: topic })).data.map((t) => t.id)).toEqual([about.id, mention.id]);
    const list = await search(me, {});
    expect(list.data.map((t) => t.id)).toEqual([about.id, mention.id]);
    expect(list.data[0]!.match).toBeUndefined();
    // An emptied search box is the list itself.
    const blank = await search(me, { q: '   ' });
    expect(blank.data.map((t) => t.id)).toEqual([about.id, mention.id]);
    expect(blank.data[0]!.match).toBeUndefined();
  });

  it('indexes replies and notes added later, and subject changes', async () => {
    const later = word('firmware');
    const renamed = word('router');
    const org = await desk.organization('premium');
    const me = await desk.person('contact', org.id);
    const ticket = await desk.ticket(me);
    expect(await ids(me, { q: later })).toEqual([]);
    await note(ticket.id, `Please update the ${later}.`, true);
    expect(await ids(me, { q: later })).toEqual([ticket.id]);
    const res = await desk.api('PATCH', `/api/v1/tickets/${ticket.id}`, {
      token: agent.token,
      body: { subject: `The ${renamed} resets` },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await ids(me, { q: renamed })).toEqual([ticket.id]);
    expect(await ids(me, { q: `${later} ${renamed}` })).toEqual([ticket.id]);
  });

  it('follows a renamed organization and requester, and indexes tickets that predate the search', async () => {
    const admin = await desk.person('admin');
    const before = word('initech');
    const after = word('umbrella');
    const person = word('gibbons');
    const org = await desk.organization('premium', `${before} Corp`);
    const me = await desk.person('contact', org.id);
    const ticket = await desk.ticket(me);
    expect(await ids(agent, { q: before })).toEqual([ticket.id]);
    const renamed = await desk.api('PATCH', `/api/v1/organizations/${org.id}`, {
      token: admin.token,
      body: { name: `${after} Corp` },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(await ids(agent, { q: before })).toEqual([]);
    expect(await ids(agent, { q: after })).toEqual([ticket.id]);
    const user = await desk.api('PATCH', `/api/v1/users/${me.user.id}`, {
      token: admin.token,
      body: { name: `Peter ${person}` },
    });
    expect(user.statusCode, user.body).toBe(200);
    expect(await ids(agent, { q: person })).toEqual([ticket.id]);

    // A desk upgraded to search: the ticket has no index row until the desk starts.
    await desk.services.db.kysely
      .withTables<{ ticket_search_documents: { ticket_id: string } }>()
      .deleteFrom('ticket_search_documents')
      .where('ticket_id', '=', ticket.id)
      .execute();
    expect(await ids(agent, { q: after })).toEqual([]);
    expect(await desk.services.ticketSearch.backfill()).toBeGreaterThanOrEqual(1);
    expect(await ids(agent, { q: after })).toEqual([ticket.id]);
  });

  it.each([
    ['"'],
    ['*'],
    ['NEAR('],
    ['-'],
    ['""'],
    ['"unbalanced phrase'],
    ['a AND OR NOT b'],
    ['{head}: x'],
    ["'; drop table tickets; --"],
    ['\\\\ :* & | ! <->'],
    ['x'.repeat(499)],
    ['-only -exclusions'],
    ['#'],
    ['#99999999999999999999'],
  ])('answers %j with results or a clear 400, never a 500', async (q) => {
    const res = await desk.api('GET', `/api/v1/tickets?q=${encodeURIComponent(q)}`, { token: agent.token });
    expect([200, 400], res.body).toContain(res.statusCode);
    if (res.statusCode === 400) expect(res.json<{ detail: string }>().detail).toMatch(/\w/);
  });

  it('finds an imported ticket at once, by every message of its history', async () => {
    const admin = await desk.person('admin');
    const org = await desk.organization('premium');
    const said = word('gasket');
    const noted = word('valve');
    const line = {
      externalId: `search-${target.dialect}-${sequence}`,
      organization: org.name,
      requester: { email: `nora@${org.domains[0]}`, name: 'Nora Quinn' },
      subject: 'Pump alarms',
      priority: 'P2',
      channel: 'email',
      openedAt: '2026-03-02T10:00:00Z',
      messages: [
        {
          at: '2026-03-02T10:00:00Z',
          author: { email: `nora@${org.domains[0]}` },
          public: true,
          body: `The ${said} alarm rings every hour.`,
        },
        {
          at: '2026-03-02T10:10:00Z',
          author: { email: agent.user.email, staff: true },
          public: false,
          body: `Probably the ${noted} sensor.`,
        },
      ],
    };
    const res = await desk.api('POST', '/api/v1/import/tickets', {
      token: admin.token,
      headers: { 'content-type': 'application/x-ndjson' },
      payload: `${JSON.stringify(line)}\n`,
    });
    expect(res.statusCode, res.body).toBe(200);
    const [found] = (await search(agent, { q: said })).data;
    expect(found).toBeDefined();
    expect((await search(agent, { q: noted })).data.map((t) => t.id)).toEqual([found!.id]);
  });

  it('finds the messages a merge moved under the ticket they moved to, and no longer under the other', async () => {
    const org = await desk.organization('premium');
    const me = await desk.person('contact', org.id);
    const moved = word('turbine');
    const target = await desk.ticket(me, { subject: 'Dashboard slow', body: 'It takes a minute to load.' });
    const source = await desk.ticket(me, { subject: 'Same again', body: `And the ${moved} page too.` });
    expect(await ids(agent, { q: moved })).toEqual([source.id]);
    const res = await desk.api('POST', `/api/v1/tickets/${source.id}/merge`, {
      token: agent.token,
      body: { into: target.id },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await ids(agent, { q: moved })).toEqual([target.id]);
    expect(await ids(me, { q: moved })).toEqual([target.id]);
  });

  it('refuses a query that is too long with a 400', async () => {
    const res = await desk.api('GET', `/api/v1/tickets?q=${'word '.repeat(200)}`, { token: agent.token });
    expect(res.statusCode).toBe(400);
    const empty = await desk.api('GET', `/api/v1/tickets?q=${encodeURIComponent('" * -')}`, {
      token: agent.token,
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json<{ detail: string }>().detail).toContain('at least one word');
  });
});
