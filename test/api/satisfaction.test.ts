import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tier } from '../../src/policy/tiers.js';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

const DAY = 86_400_000;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe.each(databaseTargets())('satisfaction surveys on $dialect', (target) => {
  let desk: TestDesk;
  let agent: Person;
  let otherAgent: Person;
  let lead: Person;

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    agent = await desk.person('agent');
    otherAgent = await desk.person('agent');
    lead = await desk.person('lead');
  });
  afterAll(() => desk?.close());

  const db = () => desk.database.db.kysely;

  async function customer(tier: Tier = 'premium', locale: 'en' | 'fr' = 'en') {
    const org = await desk.organization(tier);
    await db().updateTable('organizations').set({ locale }).where('id', '=', org.id).execute();
    return { org, contact: await desk.person('contact', org.id) };
  }

  const setStatus = (ticketId: string, status: string, token = agent.token) =>
    desk.api('PATCH', `/api/v1/tickets/${ticketId}`, { token, body: { status } });

  async function resolved(requester: Person, overrides: Record<string, unknown> = {}, by = agent) {
    const t = await desk.ticket(requester, overrides);
    await desk.api('PATCH', `/api/v1/tickets/${t.id}`, { token: by.token, body: { assigneeId: by.user.id } });
    expect((await setStatus(t.id, 'resolved', by.token)).statusCode).toBe(200);
    return t;
  }

  const surveyMails = (ticketId: string) =>
    db()
      .selectFrom('mail_outbox')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .where('kind', '=', 'satisfaction_survey')
      .execute();

  async function linkOf(ticketId: string) {
    const [mail] = await surveyMails(ticketId);
    const match = /\/satisfaction\/answer\?token=([A-Za-z0-9_-]+)&rating=good/.exec(mail!.body_text);
    return match![1]!;
  }

  const page = (method: 'GET' | 'POST', token: string, form?: Record<string, string>) =>
    desk.api(method, `/satisfaction/answer?token=${token}`, {
      ...(form ? { payload: new URLSearchParams(form).toString(), headers: FORM } : {}),
    });

  const surveyOf = async (ticketId: string, token: string) =>
    (await desk.api('GET', `/api/v1/tickets/${ticketId}/satisfaction`, { token })).json().survey;

  it('asks once when a ticket is resolved: one survey, one mail in the requester’s language', async () => {
    const { contact } = await customer('premium', 'fr');
    const t = await resolved(contact);
    const mails = await surveyMails(t.id);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to_address).toBe(contact.user.email);
    expect(mails[0]!.subject).toContain('Êtes-vous satisfait');
    expect(mails[0]!.body_text).toContain('Oui, je suis satisfait');
    // The token is in the mail only: the database keeps its hash.
    const token = await linkOf(t.id);
    const row = await db()
      .selectFrom('satisfaction_surveys')
      .selectAll()
      .where('ticket_id', '=', t.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).not.toContain(token);
    expect(row).toMatchObject({ tier: 'premium', priority: 'P2', agent_id: agent.user.id, locale: 'fr' });
    expect(Number(row.expires_at) - Number(row.created_at)).toBe(14 * DAY);

    // Reopened by the customer, then resolved again: not asked a second time.
    await desk.api('POST', `/api/v1/tickets/${t.id}/messages`, {
      token: contact.token,
      body: { body: 'It came back.' },
    });
    expect((await setStatus(t.id, 'resolved')).statusCode).toBe(200);
    expect(await surveyMails(t.id)).toHaveLength(1);
    const count = await db()
      .selectFrom('satisfaction_surveys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ticket_id', '=', t.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);

    const survey = await surveyOf(t.id, contact.token);
    expect(survey).toMatchObject({ status: 'pending', canAnswer: true, mailed: true, rating: null });
  });

  it('answers from the link without signing in, keeps the first answer when used twice', async () => {
    const { contact } = await customer('essential', 'en');
    const t = await resolved(contact);
    const token = await linkOf(t.id);

    // The GET a mail scanner makes shows the question and records nothing.
    const shown = await page('GET', `${token}&rating=good`);
    expect(shown.statusCode).toBe(200);
    expect(shown.headers['content-type']).toContain('text/html');
    expect(shown.body).toContain('<form method="post"');
    expect(shown.body).toMatch(/value="good"\s+required\s+checked/);
    expect((await surveyOf(t.id, contact.token)).status).toBe('pending');

    const hostile = '<script>alert(1)</script> thanks & bye';
    const first = await page('POST', token, { rating: 'good', comment: hostile });
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('Thank you for your answer');
    expect(first.body).not.toContain('<script>alert(1)');
    expect(first.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; thanks &amp; bye');

    const second = await page('POST', token, { rating: 'bad', comment: 'changed my mind' });
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('you already answered');
    const again = await page('GET', token);
    expect(again.body).toContain('you already answered');

    const survey = await surveyOf(t.id, agent.token);
    expect(survey).toMatchObject({
      status: 'answered',
      rating: 'good',
      comment: hostile,
      answeredVia: 'link',
    });
    const events = (await desk.api('GET', `/api/v1/tickets/${t.id}/events`, { token: contact.token })).json()
      .data as { type: string; actorId: string; data: Record<string, unknown> }[];
    const answered = events.filter((e) => e.type === 'satisfaction_answered');
    expect(answered).toHaveLength(1);
    expect(answered[0]).toMatchObject({ actorId: contact.user.id, data: { rating: 'good', via: 'link' } });
  });

  it('refuses bad, forged and wrong answers with a page, never a 500', async () => {
    const { contact } = await customer();
    const t = await resolved(contact);
    const token = await linkOf(t.id);
    expect((await page('GET', 'short')).statusCode).toBe(400);
    expect((await page('GET', `${token}x`)).statusCode).toBe(400);
    const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    const unknown = await page('POST', forged, { rating: 'good' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('not valid');
    expect((await desk.api('GET', '/satisfaction/answer')).statusCode).toBe(400);
    expect((await page('POST', token, { rating: 'meh' })).statusCode).toBe(400);
    expect((await page('POST', token, { rating: 'good', comment: 'x'.repeat(2001) })).statusCode).toBe(400);
    const json = await desk.api('POST', `/satisfaction/answer?token=${token}`, {
      body: { rating: 'good' },
    });
    expect(json.statusCode).toBe(400);
    const broken = await desk.api('POST', `/satisfaction/answer?token=${token}`, {
      payload: '%%%rating=%E0%A4%A',
      headers: FORM,
    });
    expect(broken.statusCode).toBe(400);
    expect((await surveyOf(t.id, contact.token)).status).toBe('pending');
  });

  it('answers in the portal with the session’s user, once; others may not', async () => {
    const { org, contact } = await customer();
    const member = await desk.person('member', org.id);
    const t = await resolved(member);
    const answer = (token: string, body: unknown) =>
      desk.api('POST', `/api/v1/tickets/${t.id}/satisfaction`, { token, body });
    expect((await answer(member.token, { rating: 'great' })).statusCode).toBe(400);
    expect((await answer(member.token, { rating: 'good', comment: 'x'.repeat(2001) })).statusCode).toBe(400);
    expect((await answer(member.token, { rating: 'good', extra: 1 })).statusCode).toBe(400);
    expect((await answer(contact.token, { rating: 'good' })).statusCode).toBe(403);
    expect((await answer(agent.token, { rating: 'good' })).statusCode).toBe(403);
    const stranger = (await customer()).contact;
    expect((await answer(stranger.token, { rating: 'good' })).statusCode).toBe(404);
    expect(
      (await desk.api('GET', `/api/v1/tickets/${t.id}/satisfaction`, { token: stranger.token })).statusCode,
    ).toBe(404);

    const first = await answer(member.token, { rating: 'bad', comment: 'Took a week.' });
    expect(first.statusCode).toBe(200);
    expect(first.json().survey).toMatchObject({
      status: 'answered',
      rating: 'bad',
      comment: 'Took a week.',
      canAnswer: false,
      answeredVia: null,
    });
    expect((await answer(member.token, { rating: 'good' })).statusCode).toBe(409);
    // The mailed link now says so too.
    const byLink = await page('POST', await linkOf(t.id), { rating: 'good' });
    expect(byLink.body).toContain('you already answered');
    expect((await surveyOf(t.id, contact.token)).rating).toBe('bad');
  });

  it('asks in the portal only when the requester cannot be mailed', async () => {
    const { org } = await customer();
    const gone = await desk.person('member', org.id);
    const t = await desk.ticket(gone);
    await db()
      .updateTable('users')
      .set({ deactivated_at: desk.now })
      .where('id', '=', gone.user.id)
      .execute();
    expect((await setStatus(t.id, 'resolved')).statusCode).toBe(200);
    expect(await surveyMails(t.id)).toHaveLength(0);
    expect(await surveyOf(t.id, agent.token)).toMatchObject({ status: 'pending', mailed: false });

    // A requester who resolves their own ticket is in the portal: asked there, not mailed.
    const self = await desk.person('member', org.id);
    const own = await desk.ticket(self);
    expect((await setStatus(own.id, 'resolved', self.token)).statusCode).toBe(200);
    expect(await surveyMails(own.id)).toHaveLength(0);
    expect(await surveyOf(own.id, self.token)).toMatchObject({
      status: 'pending',
      mailed: false,
      canAnswer: true,
    });
  });

  it('turns the question off per tier; only leads and admins change it', async () => {
    const { contact } = await customer('basic');
    const put = (token: string, body: unknown) =>
      desk.api('PUT', '/api/v1/satisfaction/settings', { token, body });
    expect((await put(agent.token, { enabledTiers: ['premium'] })).statusCode).toBe(403);
    expect((await put(contact.token, { enabledTiers: ['premium'] })).statusCode).toBe(403);
    expect((await desk.api('GET', '/api/v1/satisfaction/settings', { token: agent.token })).statusCode).toBe(
      403,
    );
    expect((await put(lead.token, { enabledTiers: ['gold'] })).statusCode).toBe(400);
    expect((await put(lead.token, { enabledTiers: ['basic', 'basic'] })).statusCode).toBe(400);
    expect((await put(lead.token, {})).statusCode).toBe(400);
    expect(
      (
        await desk.api('PUT', '/api/v1/satisfaction/settings', {
          token: lead.token,
          payload: '{"enabledTiers":',
          headers: { 'content-type': 'application/json' },
        })
      ).statusCode,
    ).toBe(400);

    const defaults = await desk.api('GET', '/api/v1/satisfaction/settings', { token: lead.token });
    expect(defaults.json().enabledTiers).toEqual(['basic', 'essential', 'premium', 'enterprise']);
    const off = await put(lead.token, { enabledTiers: ['essential', 'premium', 'enterprise'] });
    expect(off.statusCode).toBe(200);
    expect(off.json().tiers).toContainEqual({ tier: 'basic', enabled: false });

    const t = await resolved(contact);
    expect(await surveyMails(t.id)).toHaveLength(0);
    expect(await surveyOf(t.id, contact.token)).toBeNull();

    expect(
      (await put(lead.token, { enabledTiers: ['basic', 'essential', 'premium', 'enterprise'] })).statusCode,
    ).toBe(200);
    const later = await resolved(contact);
    expect(await surveyMails(later.id)).toHaveLength(1);
  });

  it('reports per tier, priority, agent and month, scoped for contacts', async () => {
    const a = await customer('premium');
    const b = await customer('enterprise');
    // Organization a: four surveys (P1 good by agent, P2 bad by agent, P2 good by otherAgent, P3 unanswered).
    const a1 = await resolved(a.contact, { priority: 'P1' });
    const a2 = await resolved(a.contact, { priority: 'P2' });
    const a3 = await resolved(a.contact, { priority: 'P2' }, otherAgent);
    await resolved(a.contact, { priority: 'P3' });
    // Organization b: one survey answered good.
    const b1 = await resolved(b.contact, { priority: 'P2' });
    const answer = (ticketId: string, who: Person, rating: string) =>
      desk.api('POST', `/api/v1/tickets/${ticketId}/satisfaction`, { token: who.token, body: { rating } });
    expect((await answer(a1.id, a.contact, 'good')).statusCode).toBe(200);
    expect((await answer(a2.id, a.contact, 'bad')).statusCode).toBe(200);
    expect((await answer(a3.id, a.contact, 'good')).statusCode).toBe(200);
    expect((await answer(b1.id, b.contact, 'good')).statusCode).toBe(200);

    const report = (token: string, query: string) =>
      desk.api('GET', `/api/v1/reports/satisfaction?from=2026-05-01&to=2026-08-01&${query}`, { token });
    const res = await report(lead.token, `organizationId=${a.org.id}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    // Hand-counted: 4 sent, 3 answered (2 good, 1 bad): score 2/3, share of responses 3/4.
    expect(body.totals).toEqual({ sent: 4, answered: 3, good: 2, bad: 1, score: 0.6667, responseRate: 0.75 });
    expect(body.byTier).toEqual([
      { tier: 'premium', sent: 4, answered: 3, good: 2, bad: 1, score: 0.6667, responseRate: 0.75 },
    ]);
    expect(body.byPriority).toEqual([
      { priority: 'P1', sent: 1, answered: 1, good: 1, bad: 0, score: 1, responseRate: 1 },
      { priority: 'P2', sent: 2, answered: 2, good: 1, bad: 1, score: 0.5, responseRate: 1 },
      { priority: 'P3', sent: 1, answered: 0, good: 0, bad: 0, score: null, responseRate: 0 },
    ]);
    const byAgent = Object.fromEntries(
      (body.byAgent as { agentId: string; sent: number; good: number; bad: number }[]).map((r) => [
        r.agentId,
        r,
      ]),
    );
    expect(byAgent[agent.user.id]).toMatchObject({ sent: 3, good: 1, bad: 1 });
    expect(byAgent[otherAgent.user.id]).toMatchObject({ sent: 1, good: 1, bad: 0 });
    expect(body.byPeriod.map((p: { start: string; sent: number }) => [p.start.slice(0, 7), p.sent])).toEqual([
      ['2026-05', 0],
      ['2026-06', 4],
      ['2026-07', 0],
    ]);
    expect(body.latest).toHaveLength(3);

    const p2 = (
      await report(lead.token, `organizationId=${a.org.id}&priority=P2&agentId=${agent.user.id}`)
    ).json();
    expect(p2.totals).toMatchObject({ sent: 1, good: 0, bad: 1, score: 0 });
    const weeks = (await report(lead.token, `organizationId=${a.org.id}&period=week`)).json();
    // 2026-06-01 is a Monday: the week holding the surveys starts on it.
    expect(weeks.byPeriod.find((p: { sent: number }) => p.sent > 0).start).toBe('2026-06-01T00:00:00.000Z');

    // A contact sees their own organization, without the agents; a member sees nothing.
    const own = await report(b.contact.token, '');
    expect(own.statusCode).toBe(200);
    expect(own.json().totals).toMatchObject({ sent: 1, good: 1 });
    expect(own.json().byAgent).toEqual([]);
    expect(own.json().latest.every((l: { organizationId: string }) => l.organizationId === b.org.id)).toBe(
      true,
    );
    expect((await report(b.contact.token, `organizationId=${a.org.id}`)).statusCode).toBe(403);
    const member = await desk.person('member', b.org.id);
    expect((await report(member.token, '')).statusCode).toBe(403);

    expect((await report(lead.token, 'period=year')).statusCode).toBe(400);
    expect((await report(lead.token, 'priority=P9')).statusCode).toBe(400);
    expect(
      (
        await desk.api('GET', '/api/v1/reports/satisfaction?from=2026-08-01&to=2026-05-01', {
          token: lead.token,
        })
      ).statusCode,
    ).toBe(400);
  });

  it('refuses an expired link and an expired portal answer', async () => {
    const { contact } = await customer();
    const t = await resolved(contact);
    const token = await linkOf(t.id);
    desk.advance(14 * DAY + 1000);
    const shown = await page('GET', token);
    expect(shown.statusCode).toBe(410);
    expect(shown.body).toContain('expired');
    expect((await page('POST', token, { rating: 'good' })).statusCode).toBe(410);
    const portal = await desk.api('POST', `/api/v1/tickets/${t.id}/satisfaction`, {
      token: contact.token,
      body: { rating: 'good' },
    });
    expect(portal.statusCode).toBe(410);
    expect((await surveyOf(t.id, contact.token)).status).toBe('expired');
  });
});
