import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

const MINUTE = 60_000;
const JUNE = 'from=2026-06-01&to=2026-07-01';

interface Cell {
  tier: string;
  priority: string;
  count: number;
  pending: number;
  median: number | null;
  p90: number | null;
  target: number | null;
  clock: string | null;
  medianMet: boolean | null;
  shareMet: number | null;
  ci: { low: number; high: number } | null;
  lowSample: boolean;
}

/**
 * Known tickets, their medians worked out by hand. The desk's clock starts on Monday 2026-06-01 at
 * 12:00 UTC; every ticket is answered by a public staff reply a set number of minutes after it opens.
 */
describe.each(databaseTargets())('the response-time report on $dialect', (target) => {
  let desk: TestDesk;
  let agent: Person;
  let lead: Person;
  let premiumContact: Person;
  let premiumMember: Person;
  let basicContact: Person;
  let premiumOrgId: string;
  let p0Id: string;

  const reply = async (ticketId: string) => {
    const res = await desk.api('POST', `/api/v1/tickets/${ticketId}/messages`, {
      token: agent.token,
      body: { body: 'Looking at it now.', public: true },
    });
    if (res.statusCode !== 201) throw new Error(`reply: ${res.statusCode} ${res.body}`);
  };
  const answered = async (who: Person, priority: string, minutes: number) => {
    const ticket = await desk.ticket(who, { priority });
    desk.advance(minutes * MINUTE);
    await reply(ticket.id);
    desk.advance(MINUTE);
    return ticket;
  };
  const cell = (cells: Cell[], tier: string, priority: string) =>
    cells.find((c) => c.tier === tier && c.priority === priority)!;
  const report = async (query: string, token = lead.token) => {
    const res = await desk.api('GET', `/api/v1/reports/response-times?${query}`, { token });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ cells: Cell[]; minimumSample: number }>();
  };

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    agent = await desk.person('agent');
    lead = await desk.person('lead');
    const premium = await desk.organization('premium');
    premiumOrgId = premium.id;
    const basic = await desk.organization('basic');
    premiumContact = await desk.person('contact', premium.id);
    premiumMember = await desk.person('member', premium.id);
    basicContact = await desk.person('contact', basic.id);

    // Premium P1, target 1 hour: 10, 20, 30 and 100 minutes.
    for (const minutes of [10, 20, 30, 100]) await answered(premiumContact, 'P1', minutes);
    // Premium P2, target 2 hours: seven tickets, 5 … 200 minutes.
    for (const minutes of [5, 10, 15, 20, 30, 45, 200]) await answered(premiumContact, 'P2', minutes);
    // A premium P1 nobody has answered, three hours old by the time the report is read.
    await desk.ticket(premiumContact, { priority: 'P1' });

    // A P0 with replies 10, 40 and 110 minutes after it opened, resolved at 130 minutes.
    const p0 = await desk.ticket(premiumContact, { priority: 'P0' });
    p0Id = p0.id;
    desk.advance(10 * MINUTE);
    await reply(p0.id);
    desk.advance(30 * MINUTE);
    await reply(p0.id);
    // The scheduler looks a minute after the escalation falls due, one hour after opening.
    desk.advance(21 * MINUTE);
    await desk.services.sla.runDue(desk.now);
    desk.advance(49 * MINUTE);
    await reply(p0.id);
    desk.advance(20 * MINUTE);
    const resolved = await desk.api('PATCH', `/api/v1/tickets/${p0.id}`, {
      token: agent.token,
      body: { status: 'resolved' },
    });
    expect(resolved.statusCode).toBe(200);

    // Basic P2, one business day (8 business hours): opened Friday 16:30 ET (20:30 UTC), answered
    // Monday 10:30 ET: half an hour on Friday and an hour and a half on Monday, 2 business hours.
    desk.advance(Date.parse('2026-06-05T20:30:00Z') - desk.now);
    const friday = await desk.ticket(basicContact, { priority: 'P2' });
    desk.advance(Date.parse('2026-06-08T14:30:00Z') - desk.now);
    await reply(friday.id);
    // Essential P0, target 1 hour: one answered in 20 minutes, one in 90. Half of this month's
    // essential P0 tickets have missed: the month is at risk.
    const essential = await desk.organization('essential');
    const essentialContact = await desk.person('contact', essential.id);
    await answered(essentialContact, 'P0', 20);
    await answered(essentialContact, 'P0', 90);
    desk.advance(3 * 3600_000);
  });
  afterAll(() => desk?.close());

  it('gives the mean of the two middle values for an even count, and p90 by interpolation', async () => {
    const { cells } = await report(JUNE);
    expect(cell(cells, 'premium', 'P1')).toEqual({
      tier: 'premium',
      priority: 'P1',
      count: 4,
      pending: 1,
      // 10, 20, 30, 100 minutes: (20 + 30) / 2 = 25 minutes.
      median: 1500,
      // Position 0.9 × 3 = 2.7: 30 + 0.7 × (100 − 30) = 79 minutes.
      p90: 4740,
      target: 3600,
      clock: 'calendar',
      medianMet: true,
      // Three within the hour, among four answered and one already past due.
      shareMet: 0.6,
      ci: null,
      lowSample: true,
    });
  });

  it('gives the middle value of an odd count, with the exact interval of the median', async () => {
    const { cells } = await report(JUNE);
    expect(cell(cells, 'premium', 'P2')).toMatchObject({
      count: 7,
      median: 1200,
      // Position 0.9 × 6 = 5.4: 45 + 0.4 × (200 − 45) = 107 minutes.
      p90: 6420,
      target: 7200,
      medianMet: true,
      shareMet: 6 / 7,
      // n = 7: ranks 1 and 7 (P(Binomial(7, ½) < 1) = 1/128 ≤ 2.5%).
      ci: { low: 300, high: 12_000 },
      lowSample: true,
    });
  });

  it('measures a business-day target in business time', async () => {
    const { cells } = await report(JUNE);
    expect(cell(cells, 'basic', 'P2')).toMatchObject({
      count: 1,
      median: 7200,
      target: 28_800,
      clock: 'business',
      medianMet: true,
      shareMet: 1,
    });
  });

  it('leaves an empty cell empty rather than zero', async () => {
    const { cells } = await report(JUNE);
    expect(cells).toHaveLength(16);
    expect(cell(cells, 'enterprise', 'P3')).toMatchObject({
      count: 0,
      pending: 0,
      median: null,
      p90: null,
      medianMet: null,
      shareMet: null,
      ci: null,
      lowSample: true,
      target: 14_400,
    });
  });

  it('filters by tier and organization, and by period', async () => {
    const premiumOnly = await report(`${JUNE}&tier=premium`);
    expect(premiumOnly.cells.map((c) => c.tier)).toEqual(['premium', 'premium', 'premium', 'premium']);
    const org = await report(`${JUNE}&organizationId=${premiumOrgId}`);
    expect(cell(org.cells, 'basic', 'P2').count).toBe(0);
    expect(cell(org.cells, 'premium', 'P1').count).toBe(4);
    const may = await report('from=2026-05-01&to=2026-06-01');
    expect(may.cells.every((c) => c.count === 0)).toBe(true);
  });

  it('flags small samples by the configured minimum', async () => {
    const { minimumSample } = await report(JUNE);
    expect(minimumSample).toBe(10);
  });

  it('lets a designated contact read their own organization only; members and others are refused', async () => {
    const own = await report(`${JUNE}`, premiumContact.token);
    expect(cell(own.cells, 'premium', 'P1').count).toBe(4);
    expect(cell(own.cells, 'basic', 'P2').count).toBe(0);
    const other = await desk.api(
      'GET',
      `/api/v1/reports/response-times?${JUNE}&organizationId=${premiumOrgId}`,
      { token: basicContact.token },
    );
    expect(other.statusCode).toBe(403);
    const member = await desk.api('GET', `/api/v1/reports/response-times?${JUNE}`, {
      token: premiumMember.token,
    });
    expect(member.statusCode).toBe(403);
    expect((await desk.api('GET', `/api/v1/reports/response-times?${JUNE}`)).statusCode).toBe(401);
  });

  it('exports the table as CSV', async () => {
    const res = await desk.api('GET', `/api/v1/reports/response-times.csv?${JUNE}&tier=premium`, {
      token: lead.token,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('response-times-2026-06-01-2026-07-01.csv');
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'tier,priority,count,pending,median_seconds,p90_seconds,target_seconds,clock,median_met,share_met,ci_low_seconds,ci_high_seconds,low_sample',
    );
    expect(lines).toContain('premium,P1,4,1,1500,4740,3600,calendar,true,0.6,,,true');
    expect(lines).toContain('premium,P2,7,0,1200,6420,7200,calendar,true,0.8571,300,12000,true');
  });

  it('checks each P0’s update cadence and escalations', async () => {
    const res = await desk.api('GET', `/api/v1/reports/p0?${JUNE}`, { token: lead.token });
    expect(res.statusCode).toBe(200);
    const row = res.json().data.find((r: { ticketId: string }) => r.ticketId === p0Id);
    // Updates at 10, 40 and 110 minutes, resolved at 130: gaps of 30, 70 and 20 minutes.
    expect(row).toMatchObject({ updates: 2, gapsOver30: 1, longestGapSeconds: 4200 });
    expect(row.escalations[0]).toMatchObject({ level: 1, onTime: true });
  });

  it('reports resolution times per priority in buckets', async () => {
    const res = await desk.api('GET', `/api/v1/reports/resolution?${JUNE}`, { token: lead.token });
    expect(res.statusCode).toBe(200);
    const p0 = res.json().priorities.find((p: { priority: string }) => p.priority === 'P0');
    // Resolved 130 minutes after opening: in the "up to 4 hours" bucket.
    expect(p0).toMatchObject({ count: 1, median: 7800, p90: 7800 });
    expect(p0.buckets.map((b: { count: number }) => b.count)).toEqual([0, 1, 0, 0, 0, 0, 0]);
    expect(res.json().p3).toEqual({ resolved: 0, fixedInRelease: 0, share: null });
  });

  it('gives weekly medians and warns of a month at risk', async () => {
    const res = await desk.api('GET', `/api/v1/reports/response-times/trend?${JUNE}&tier=premium`, {
      token: lead.token,
    });
    expect(res.statusCode).toBe(200);
    const { weeks, atRisk } = res.json();
    // Weeks start on Monday at midnight US Eastern. June 1 00:00 UTC is still Sunday May 31 in New
    // York, so the first week is the one of May 25, cut to the period.
    expect(weeks.map((w: { weekStart: string }) => w.weekStart)).toEqual([
      '2026-05-25T04:00:00.000Z',
      '2026-06-01T04:00:00.000Z',
      '2026-06-08T04:00:00.000Z',
      '2026-06-15T04:00:00.000Z',
      '2026-06-22T04:00:00.000Z',
      '2026-06-29T04:00:00.000Z',
    ]);
    expect(cell(weeks[0].cells, 'premium', 'P1').median).toBeNull();
    expect(cell(weeks[1].cells, 'premium', 'P1').median).toBe(1500);
    expect(cell(weeks[2].cells, 'premium', 'P1').median).toBeNull();
    // Premium P1 this month: one late and one overdue among five: 40%, not more: not at risk.
    expect(atRisk).toEqual([]);
    const essential = await desk.api('GET', `/api/v1/reports/response-times/trend?${JUNE}&tier=essential`, {
      token: lead.token,
    });
    expect(essential.json().atRisk).toEqual([
      { tier: 'essential', priority: 'P0', month: '2026-06', count: 2, missed: 1, missedShare: 0.5 },
    ]);
  });

  it('stores the measure on tickets from before the desk kept it', async () => {
    const before = await report(JUNE);
    await desk.database.db.kysely
      .updateTable('tickets')
      .set({
        sla_first_response_target_ms: null,
        sla_first_response_clock: null,
        sla_first_response_ms: null,
      })
      .execute();
    expect(cell((await report(JUNE)).cells, 'premium', 'P1').count).toBe(0);
    expect(await desk.services.sla.backfillMeasures(desk.now, 5)).toBeGreaterThan(15);
    expect((await report(JUNE)).cells).toEqual(before.cells);
    expect(await desk.services.sla.backfillMeasures(desk.now)).toBe(0);
  });

  it('gives the hand-worked medians of imported history', async () => {
    const admin = await desk.person('admin');
    const enterprise = await desk.organization('enterprise');
    const basic = await desk.organization('basic');
    const line = (
      org: { name: string; domains: string[] },
      id: string,
      priority: string,
      openedAt: string,
      answeredAt: string,
    ) => ({
      externalId: id,
      organization: org.name,
      requester: { email: `buyer@${org.domains[0]}`, name: 'Buyer' },
      subject: `Imported ${id}`,
      priority,
      channel: 'email',
      requestType: 'problem',
      openedAt,
      messages: [
        { at: openedAt, author: { email: `buyer@${org.domains[0]}` }, public: true, body: 'Help.' },
        { at: answeredAt, author: { email: agent.user.email, staff: true }, public: true, body: 'On it.' },
      ],
    });
    const opened = Date.parse('2026-03-10T14:00:00Z');
    // Enterprise P2, target 2 hours: answered after 30, 50, 70, 90, 200 and 240 minutes.
    const lines = [30, 50, 70, 90, 200, 240].map((minutes, i) =>
      line(
        enterprise,
        `hist-e-${i}`,
        'P2',
        new Date(opened + i * 86_400_000).toISOString(),
        new Date(opened + i * 86_400_000 + minutes * MINUTE).toISOString(),
      ),
    );
    // Basic P3, two business days: Monday March 2 10:00 ET to Tuesday 11:00 ET is 7 + 2 business hours.
    lines.push(line(basic, 'hist-b-0', 'P3', '2026-03-02T15:00:00Z', '2026-03-03T16:00:00Z'));
    const res = await desk.api('POST', '/api/v1/import/tickets', {
      token: admin.token,
      payload: lines.map((l) => JSON.stringify(l)).join('\n'),
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ imported: 7, failed: 0 });

    const { cells } = await report('from=2026-03-01&to=2026-04-01');
    expect(cell(cells, 'enterprise', 'P2')).toMatchObject({
      count: 6,
      // Even count: (70 + 90) / 2 = 80 minutes.
      median: 4800,
      // Position 0.9 × 5 = 4.5: 200 + 0.5 × (240 − 200) = 220 minutes.
      p90: 13_200,
      target: 7200,
      medianMet: true,
      shareMet: 4 / 6,
      // n = 6: ranks 1 and 6.
      ci: { low: 1800, high: 14_400 },
    });
    expect(cell(cells, 'basic', 'P3')).toMatchObject({
      count: 1,
      median: 32_400,
      target: 57_600,
      clock: 'business',
    });
    expect(cell(cells, 'premium', 'P1')).toMatchObject({ count: 0, median: null });
  });

  it('refuses bad periods and unknown fields', async () => {
    for (const query of [
      'from=2026-07-01&to=2026-06-01',
      'from=2020-01-01&to=2026-06-01',
      'from=yesterday&to=2026-06-01',
      `${JUNE}&tier=gold`,
      `${JUNE}&organizationId=nope`,
      `${JUNE}&extra=1`,
      'to=2026-06-01',
    ]) {
      const res = await desk.api('GET', `/api/v1/reports/response-times?${query}`, { token: lead.token });
      expect(res.statusCode, query).toBe(400);
    }
  });
});
