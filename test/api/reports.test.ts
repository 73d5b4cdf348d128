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
  answered: number;
  unanswered: number;
  unansweredPastTarget: number;
  median: number | null;
  medianAtLeast: number | null;
  p90: number | null;
  target: number | null;
  clock: string | null;
  medianStatus: 'met' | 'missed' | 'unknown' | 'no_tickets';
  medianMet: boolean | null;
  shareMet: number | null;
  ci: { low: number; high: number | null } | null;
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

  it('counts the ticket nobody answered at its age, which its response can only exceed', async () => {
    const { cells } = await report(JUNE);
    expect(cell(cells, 'premium', 'P1')).toEqual({
      tier: 'premium',
      priority: 'P1',
      count: 4,
      pending: 1,
      answered: 4,
      unanswered: 1,
      unansweredPastTarget: 1,
      // 10, 20, 30, 100 minutes and one unanswered for over three hours: Kaplan–Meier with five at
      // risk, S = 4/5, 3/5, then 2/5 at 30 minutes. (The answered alone would say 25 minutes.)
      median: 1800,
      // The five in order, the unanswered one at its age: the third is 30 minutes.
      medianAtLeast: 1800,
      // S is still 1/5 after the last answer: no 90th percentile yet.
      p90: null,
      target: 3600,
      clock: 'calendar',
      // Even if the unanswered ticket is never answered, the third of five took 30 minutes.
      medianStatus: 'met',
      medianMet: true,
      // Three within the hour, among four answered and one already past due.
      shareMet: 0.6,
      // Lower band at 10 minutes: 0.8 − 1.96 · 0.8 · √(1/20) = 0.449. The upper band stays above
      // one half to the last answer (0.2 + 1.96 · 0.2 · √0.8 = 0.55 at 100 minutes): no upper end.
      ci: { low: 600, high: null },
      lowSample: true,
    });
  });

  it('gives the middle value of an odd count, with the Brookmeyer–Crowley interval of the median', async () => {
    const { cells } = await report(JUNE);
    expect(cell(cells, 'premium', 'P2')).toMatchObject({
      count: 7,
      median: 1200,
      // Seven answered: S after rank r is (7 − r)/7; first at most 0.1 at the seventh, 200 minutes.
      p90: 12_000,
      target: 7200,
      medianStatus: 'met',
      medianMet: true,
      shareMet: 6 / 7,
      // Greenwood's sum after rank r, all answered: 1/(7 − r) − 1/7. Lower band at rank 2:
      // 5/7 − 1.96 · 5/7 · √(1/5 − 1/7) = 0.379 (rank 1: 0.598): 10 minutes. Upper band at rank 6:
      // 1/7 + 1.96 · 1/7 · √(1 − 1/7) = 0.402 (rank 5: 0.620): 45 minutes.
      ci: { low: 600, high: 2700 },
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
      answered: 0,
      unanswered: 0,
      median: null,
      medianAtLeast: null,
      p90: null,
      medianStatus: 'no_tickets',
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
      'tier,priority,count,pending,median_seconds,p90_seconds,target_seconds,clock,median_met,share_met,ci_low_seconds,ci_high_seconds,low_sample,' +
        'answered,unanswered,unanswered_past_target,median_status,median_at_least_seconds',
    );
    expect(lines).toContain('premium,P1,4,1,1800,,3600,calendar,true,0.6,600,,true,4,1,1,met,1800');
    expect(lines).toContain(
      'premium,P2,7,0,1200,12000,7200,calendar,true,0.8571,600,2700,true,7,0,0,met,1200',
    );
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
    // The week of June 1: the four answered and the one never answered, as in the month's table.
    expect(cell(weeks[1].cells, 'premium', 'P1')).toMatchObject({
      median: 1800,
      medianStatus: 'met',
      unanswered: 1,
      unansweredPastTarget: 1,
    });
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
      // S comes to 1/6 after 200 minutes, 0 after 240: the time by which 90% were answered.
      p90: 14_400,
      target: 7200,
      medianStatus: 'met',
      medianMet: true,
      shareMet: 4 / 6,
      // S after rank r is (6 − r)/6, Greenwood's sum 1/(6 − r) − 1/6. Lower band at rank 2:
      // 2/3 − 1.96 · 2/3 · √(1/12) = 0.290 (rank 1: 0.535): 50 minutes. Upper band at rank 5:
      // 1/6 + 1.96 · 1/6 · √(5/6) = 0.465 (rank 4: 0.71): 200 minutes.
      ci: { low: 3000, high: 12_000 },
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

/**
 * Imported history with tickets nobody has answered, the figures worked by hand. The report is read
 * on Monday 27 July 2026 at 10:00 New York time (14:00 UTC); business hours are 9:00 to 17:00 on
 * weekdays, and 13 to 27 July has no federal holiday.
 */
describe.each(databaseTargets())('unanswered tickets in the medians on $dialect', (target) => {
  const NOW = Date.parse('2026-07-27T14:00:00Z');
  const JULY = 'from=2026-07-01&to=2026-08-01';
  let desk: TestDesk;
  let lead: Person;
  let agent: Person;
  let cells: Cell[];
  const cell = (tier: string, priority: string) =>
    cells.find((c) => c.tier === tier && c.priority === priority)!;
  const report = async (path = 'response-times') => {
    const res = await desk.api('GET', `/api/v1/reports/${path}?${JULY}`, { token: lead.token });
    expect(res.statusCode, res.body).toBe(200);
    return res;
  };

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    const admin = await desk.person('admin');
    agent = await desk.person('agent');
    lead = await desk.person('lead');
    const essential = await desk.organization('essential');
    const premium = await desk.organization('premium');
    desk.advance(NOW - desk.now);
    let sequence = 0;
    /** A ticket opened at `openedAt`, answered `minutes` later, or never (null). */
    const line = (
      org: { name: string; domains: string[] },
      priority: string,
      openedAt: string,
      minutes: number | null,
    ) => {
      const buyer = { email: `buyer@${org.domains[0]}`, name: 'Buyer' };
      const messages = [{ at: openedAt, author: { email: buyer.email }, public: true, body: 'Help.' }];
      if (minutes !== null)
        messages.push({
          at: new Date(Date.parse(openedAt) + minutes * MINUTE).toISOString(),
          author: { email: agent.user.email, staff: true } as never,
          public: true,
          body: 'On it.',
        });
      return {
        externalId: `censored-${target.dialect}-${(sequence += 1)}`,
        organization: org.name,
        requester: buyer,
        subject: `${priority} opened ${openedAt}`,
        priority,
        channel: 'email',
        requestType: 'problem',
        openedAt,
        messages,
      };
    };
    const lines = [
      // Essential P3, target 1 business day (8 business hours): four answered in 5 minutes, Tuesday
      // to Friday at 10:00; five opened Monday 13 July at 10:00 and never answered: 7 + 4 × 8 + 5 × 8
      // + 1 = 80 business hours old, 10 business days.
      ...['14', '15', '16', '17'].map((day) => line(essential, 'P3', `2026-07-${day}T14:00:00Z`, 5)),
      ...Array.from({ length: 5 }, () => line(essential, 'P3', '2026-07-13T14:00:00Z', null)),
      // Premium P1, target 1 hour: six answered within it, and three opened 30, 20 and 10 minutes ago.
      ...[5, 10, 15, 20, 25, 40].map((minutes, i) =>
        line(premium, 'P1', `2026-07-${20 + i}T14:00:00Z`, minutes),
      ),
      ...['13:30', '13:40', '13:50'].map((time) => line(premium, 'P1', `2026-07-27T${time}:00Z`, null)),
      // Premium P0, target 15 minutes: answered after 5, 10 and 30 minutes; two waiting 4 and 12.
      ...[5, 10, 30].map((minutes, i) => line(premium, 'P0', `2026-07-${20 + i}T15:00:00Z`, minutes)),
      ...['13:56', '13:48'].map((time) => line(premium, 'P0', `2026-07-27T${time}:00Z`, null)),
    ];
    const res = await desk.api('POST', '/api/v1/import/tickets', {
      token: admin.token,
      payload: lines.map((l) => JSON.stringify(l)).join('\n'),
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ imported: lines.length, failed: 0 });
    cells = (await report()).json<{ cells: Cell[] }>().cells;
  });
  afterAll(() => desk?.close());

  it('calls a median missed when more than half of the tickets are past the target, answered or not', () => {
    expect(cell('essential', 'P3')).toEqual({
      tier: 'essential',
      priority: 'P3',
      count: 4,
      pending: 5,
      answered: 4,
      unanswered: 5,
      unansweredPastTarget: 5,
      // Nine at risk; four answered at 5 minutes: S = 5/9, and no answer after. The estimate never
      // comes down to one half: no median, though the answered four alone would say 5 minutes.
      median: null,
      // In order, the unanswered at their age: 5 min × 4, 10 business days × 5. The fifth is 288,000 s.
      medianAtLeast: 288_000,
      p90: null,
      target: 28_800,
      clock: 'business',
      medianStatus: 'missed',
      medianMet: false,
      shareMet: 4 / 9,
      // Lower band after the four: S = 5/9, Greenwood 4/(9 · 5): 0.556 − 1.96 · 0.556 · 0.298 = 0.231.
      ci: { low: 300, high: null },
      lowSample: true,
    });
  });

  it('calls a median met when more than half were answered within the target, whatever the young ones do', () => {
    // Answered after 5, 10, 15, 20, 25 and 40 minutes; 10+, 20+ and 30+ still waiting. Nine at
    // risk, each unanswered one still at risk at its own age:
    //   t =  5: n = 9, S = 8/9                     = 0.889   Greenwood Σ 1/(9·8)  = 0.0139
    //   t = 10: n = 8, S = 8/9 · 7/8 = 7/9         = 0.778                + 1/(8·7) = 0.0317
    //   t = 15: n = 6, S = 7/9 · 5/6 = 35/54       = 0.648                + 1/(6·5) = 0.0651
    //   t = 20: n = 5, S = 35/54 · 4/5 = 14/27     = 0.519                + 1/(5·4) = 0.1151
    //   t = 25: n = 3, S = 14/27 · 2/3 = 28/81     = 0.346                + 1/(3·2) = 0.2817
    //   t = 40: n = 1, S = 0
    // The median is 25 minutes (the answered six alone: 17.5). Lower band S − 1.96 · S · √Σ: 0.506
    // at 10 minutes, 0.324 at 15: from 15 minutes. Upper band S + 1.96 · S · √Σ: 0.705 at 25, 0 at
    // 40: to 40 minutes. S reaches 0.1 at 40 minutes.
    expect(cell('premium', 'P1')).toMatchObject({
      answered: 6,
      unanswered: 3,
      unansweredPastTarget: 0,
      median: 1500,
      // 5, 10, 10+, 15, 20, 20+, 25, 30+, 40: the fifth is 20 minutes.
      medianAtLeast: 1200,
      p90: 2400,
      ci: { low: 900, high: 2400 },
      medianStatus: 'met',
      medianMet: true,
    });
  });

  it('says the median is not known yet while the unanswered tickets can still decide it', () => {
    // 4+, 5, 10, 12+, 30 minutes against 15: the third is 10 minutes with the waiting ones at their
    // ages, 30 if they are never answered. Kaplan–Meier: S = 3/4 at 5 minutes (4 at risk), 1/2 at
    // 10 (3 at risk), flat until the answer at 30: the estimate is halfway, 20 minutes.
    expect(cell('premium', 'P0')).toMatchObject({
      answered: 3,
      unanswered: 2,
      unansweredPastTarget: 0,
      median: 1200,
      medianAtLeast: 600,
      medianStatus: 'unknown',
      medianMet: null,
      // Lower band at 5 minutes: 0.75 − 1.96 · 0.75 · √(1/12) = 0.326; the upper band reaches 0 at 30.
      ci: { low: 300, high: 1800 },
    });
  });

  it('gives the same cells in the CSV, the weekly trend and an organization’s month', async () => {
    const csv = (await report('response-times.csv')).body.trim().split('\r\n');
    expect(csv).toContain('essential,P3,4,5,,,28800,business,false,0.4444,300,,true,4,5,5,missed,288000');
    expect(csv).toContain('premium,P1,6,3,1500,2400,3600,calendar,true,1,900,2400,true,6,3,0,met,1200');
    const { weeks } = (await report('response-times/trend')).json<{
      weeks: { weekStart: string; cells: Cell[] }[];
    }>();
    // The week of Monday 13 July holds the essential P3 tickets, all nine.
    const week = weeks.find((w) => w.weekStart === '2026-07-13T04:00:00.000Z')!;
    expect(week.cells.find((c) => c.tier === 'essential' && c.priority === 'P3')).toMatchObject({
      answered: 4,
      unanswered: 5,
      unansweredPastTarget: 5,
      median: null,
      medianAtLeast: 288_000,
      medianStatus: 'missed',
      medianMet: false,
    });
  });

  it('leaves an excluded ticket out, answered or not', async () => {
    const excluded = await desk.database.db.kysely
      .selectFrom('tickets')
      .select('id')
      .where('tier', '=', 'essential')
      .where('sla_first_response_ms', 'is', null)
      .where('external_id', 'like', `censored-${target.dialect}-%`)
      .limit(1)
      .execute();
    for (const { id } of excluded) {
      const res = await desk.api('POST', `/api/v1/tickets/${id}/exclusion`, {
        token: agent.token,
        body: { reason: 'nonconforming_use', note: 'Not about the platform' },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const after = (await report()).json<{ cells: Cell[] }>().cells;
    // Eight left: 300 s × 4 and 288,000 s × 4. Even if the four were answered now, the middle two
    // would be 300 and 288,000: a median of at least 144,150 s, still missed. Kaplan–Meier sits on
    // exactly one half after the four answers, with nothing answered after: no estimate.
    expect(after.find((c) => c.tier === 'essential' && c.priority === 'P3')).toMatchObject({
      answered: 4,
      unanswered: 4,
      unansweredPastTarget: 4,
      median: null,
      medianAtLeast: 144_150,
      medianStatus: 'missed',
    });
  });
});
