import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface Listed {
  id: string;
  priority: string;
  status: string;
  assigneeId: string | null;
  sla: { nextDueAt: string | null } | null;
}

interface Page {
  data: Listed[];
  nextCursor: string | null;
}

/** The reference order: every P0 and P1 before any P2 and P3, then soonest due, then id. */
const band = (t: Listed) => (t.priority === 'P0' || t.priority === 'P1' ? 0 : 1);
const due = (t: Listed) => Date.parse(t.sla!.nextDueAt!);
const byUrgency = (a: Listed, b: Listed) =>
  band(a) - band(b) || due(a) - due(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

describe.each(databaseTargets())('the queue by urgency on $dialect', (target) => {
  let desk: TestDesk;
  let agent: Person;

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    agent = await desk.person('agent');
  });
  afterAll(() => desk?.close());

  const list = async (query: string): Promise<Page> => {
    const res = await desk.api('GET', `/api/v1/tickets?${query}`, { token: agent.token });
    expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
    return res.json<Page>();
  };

  /** Every page of a list, following the cursor. */
  const walk = async (query: string) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await list(`${query}${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.data.map((t) => t.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    return { seen, pages };
  };

  it('puts a P0 due in 15 minutes above P3s and a P2 that are days overdue, most overdue first within each band', async () => {
    const org = await desk.organization('enterprise');
    const contact = await desk.person('contact', org.id);
    // Enterprise first responses (calendar clock): P0 15 minutes, P1 1 hour, P2 2 hours, P3 4 hours.
    const p3Oldest = await desk.ticket(contact, { priority: 'P3' }); // 12:00, due 16:00
    desk.advance(HOUR);
    const p3Middle = await desk.ticket(contact, { priority: 'P3' }); // 13:00, due 17:00
    desk.advance(90 * MINUTE);
    const p2 = await desk.ticket(contact, { priority: 'P2' }); // 14:30, due 16:30
    const p3Newest = await desk.ticket(contact, { priority: 'P3' }); // 14:30, due 18:30
    desk.advance(10 * DAY);
    const p0 = await desk.ticket(contact, { priority: 'P0' });
    desk.advance(5 * MINUTE);
    const p1 = await desk.ticket(contact, { priority: 'P1' });

    const queue = (await list(`sort=urgency&organizationId=${org.id}&limit=50`)).data;
    expect(queue.map((t) => t.id)).toEqual([
      p0.id, // due in 10 minutes
      p1.id, // due in an hour
      p3Oldest.id, // the most overdue
      p2.id,
      p3Middle.id,
      p3Newest.id,
    ]);
    // The P0 is due later than every P3, which sort=due puts first.
    expect(due(queue[0]!)).toBeGreaterThan(due(queue[2]!));
    expect(queue.slice(2).every((t) => due(t) < desk.now)).toBe(true);
    const bySoonestDue = (await list(`sort=due&organizationId=${org.id}`)).data.map((t) => t.id);
    expect(bySoonestDue.slice(0, 4)).toEqual([p3Oldest.id, p2.id, p3Middle.id, p3Newest.id]);
  });

  it('pages across the band boundary without duplicates or gaps, alone and with filters combined', async () => {
    const org = await desk.organization('premium');
    const contact = await desk.person('contact', org.id);
    const other = await desk.person('agent');
    const priorities = ['P3', 'P1', 'P2', 'P0', 'P3', 'P1', 'P2', 'P3', 'P0', 'P2', 'P1'] as const;
    for (const [i, priority] of priorities.entries()) {
      desk.advance(7 * MINUTE);
      const t = await desk.ticket(contact, { priority });
      if (i % 3 === 1)
        await desk.api('PATCH', `/api/v1/tickets/${t.id}`, {
          token: agent.token,
          body: { status: 'open', assigneeId: other.user.id },
        });
      if (i % 4 === 2)
        await desk.api('PATCH', `/api/v1/tickets/${t.id}`, {
          token: agent.token,
          body: { status: 'waiting_on_customer' },
        });
    }
    // Two of the same priority due at the same instant: the id breaks the tie, across pages too.
    const twinA = await desk.ticket(contact, { priority: 'P1' });
    const twinB = await desk.ticket(contact, { priority: 'P1' });
    desk.advance(20 * MINUTE);

    const all = (await list(`sort=created&organizationId=${org.id}&limit=200`)).data;
    expect(all).toHaveLength(priorities.length + 2);
    const owing = all.filter((t) => t.sla?.nextDueAt);
    expect(owing.length).toBeGreaterThan(8);

    const cases: { query: string; keep: (t: Listed) => boolean }[] = [
      { query: '', keep: () => true },
      { query: '&status=new,open', keep: (t) => t.status === 'new' || t.status === 'open' },
      { query: '&priority=P1,P3', keep: (t) => t.priority === 'P1' || t.priority === 'P3' },
      {
        query: '&status=new,open,waiting_on_customer&priority=P0,P2,P3&assigneeId=none',
        keep: (t) => t.priority !== 'P1' && t.assigneeId === null,
      },
      { query: `&assigneeId=${other.user.id}`, keep: (t) => t.assigneeId === other.user.id },
      { query: '&priority=P2', keep: (t) => t.priority === 'P2' },
    ];
    for (const { query, keep } of cases) {
      const wanted = owing.filter(keep).sort(byUrgency);
      const full = (await list(`sort=urgency&organizationId=${org.id}&limit=200${query}`)).data;
      expect(
        full.map((t) => t.id),
        query,
      ).toEqual(wanted.map((t) => t.id));
      for (const limit of [1, 2, 3]) {
        const { seen, pages } = await walk(`sort=urgency&organizationId=${org.id}&limit=${limit}${query}`);
        expect(seen, `${query} limit=${limit}`).toEqual(wanted.map((t) => t.id));
        expect(new Set(seen).size).toBe(seen.length);
        expect(pages).toBe(Math.max(1, Math.ceil(wanted.length / limit)));
      }
    }
    // Some page of two or three holds both the last urgent ticket and the first other one.
    const urgentCount = owing.filter((t) => band(t) === 0).length;
    expect(urgentCount).toBeGreaterThan(0);
    expect(urgentCount).toBeLessThan(owing.length);
    expect(urgentCount % 2 !== 0 || urgentCount % 3 !== 0).toBe(true);
    const twins = owing.filter((t) => t.id === twinA.id || t.id === twinB.id);
    expect(twins.map(due)[0]).toBe(twins.map(due)[1]);
  });

  it('refuses a cursor of another order', async () => {
    const org = await desk.organization('premium');
    const contact = await desk.person('contact', org.id);
    for (let i = 0; i < 3; i++) await desk.ticket(contact, { priority: 'P2' });
    expect((await list(`sort=urgency&organizationId=${org.id}&limit=1`)).nextCursor).not.toBeNull();
    const byDue = await list(`sort=due&organizationId=${org.id}&limit=1`);
    const res = await desk.api(
      'GET',
      `/api/v1/tickets?sort=urgency&organizationId=${org.id}&cursor=${byDue.nextCursor}`,
      { token: agent.token },
    );
    expect(res.statusCode).toBe(400);
  });

  it('tells breached tickets from those breaching soon (due within the hour, not yet breached)', async () => {
    const org = await desk.organization('premium');
    const contact = await desk.person('contact', org.id);
    // Premium first responses: P0 15 minutes, P1 1 hour, P2 2 hours, P3 4 hours.
    const p3 = await desk.ticket(contact, { priority: 'P3' });
    const p0 = await desk.ticket(contact, { priority: 'P0' });
    const p2 = await desk.ticket(contact, { priority: 'P2' });
    const p1 = await desk.ticket(contact, { priority: 'P1' });
    desk.advance(16 * MINUTE);
    const p2Late = await desk.ticket(contact, { priority: 'P2' });
    desk.advance(50 * MINUTE);
    // Now: the P0 is 51 minutes over, the P1 6 minutes over; the first P2 is due in 54 minutes, the
    // second in 1 hour 10 minutes, the P3 in 2 hours 54 minutes.
    const inAnHour = encodeURIComponent(new Date(desk.now + HOUR).toISOString());
    const ids = async (query: string) =>
      (await list(`organizationId=${org.id}&${query}`)).data.map((t) => t.id);
    for (const sort of ['due', 'urgency']) {
      expect(await ids(`sort=${sort}&breached=true`)).toEqual([p0.id, p1.id]);
      expect(await ids(`sort=${sort}&breached=false&dueBefore=${inAnHour}`)).toEqual([p2.id]);
      expect(await ids(`sort=${sort}&dueBefore=${inAnHour}`)).toEqual([p0.id, p1.id, p2.id]);
    }
    expect(await ids('sort=urgency&breached=false')).toEqual([p2.id, p2Late.id, p3.id]);
    // Filters combine with the views.
    expect(await ids('sort=urgency&breached=true&priority=P1')).toEqual([p1.id]);
    expect(await ids('sort=urgency&breached=false&dueBefore=' + inAnHour + '&priority=P0,P1')).toEqual([]);

    const denied = await desk.api('GET', '/api/v1/tickets?breached=false', { token: contact.token });
    expect(denied.statusCode).toBe(403);
  });
});
