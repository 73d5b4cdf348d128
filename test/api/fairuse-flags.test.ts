import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

const API = '/api/v1';
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

interface Evidence {
  ticket?: { id: string; number: number; subject: string; createdAt: string };
  matches?: { id: string; number: number; subject: string; similarity: number }[];
  article?: { id: string; title: string; url: string; opened: boolean };
  note?: string;
  at: string;
}
interface Flag {
  id: string;
  organizationId: string;
  organizationName: string;
  kind: string;
  score: number;
  summary: string;
  window: { from: string; to: string };
  evidence: Evidence[];
}
interface TicketSignal {
  id: string;
  kind: string;
  summary: string;
  score: number;
  at: string;
  evidence: Evidence[];
}

/**
 * The fair-use flags a lead reviews, from seeded scenarios: one customer files the same resolved
 * problem five times in other words; another asks what a help center article answers; staff mark
 * requests off-topic; an organization files far more than its history and its tier's norm.
 */
describe.each(databaseTargets())('fair-use signals and flags on $dialect', (target) => {
  let desk: TestDesk;
  let admin: Person;
  let lead: Person;
  let agent: Person;

  const flags = async (organizationId: string, token = lead.token) => {
    const res = await desk.api('GET', `${API}/fairuse/flags?organizationId=${organizationId}`, { token });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ data: Flag[] }>().data;
  };
  const flagOf = async (organizationId: string, kind: string) =>
    (await flags(organizationId)).find((f) => f.kind === kind);
  const ticketSignals = async (ticketId: string) => {
    const res = await desk.api('GET', `${API}/tickets/${ticketId}/fairuse`, { token: agent.token });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ offTopic: unknown; signals: TicketSignal[] }>();
  };
  const setStatus = async (ticketId: string, status: string) => {
    const res = await desk.api('PATCH', `${API}/tickets/${ticketId}`, {
      token: agent.token,
      body: { status },
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const reply = async (who: Person, ticketId: string, body: string) => {
    const res = await desk.api('POST', `${API}/tickets/${ticketId}/messages`, {
      token: who.token,
      body: { body, public: true },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>();
  };
  const audit = (organizationId: string) =>
    desk.database.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .orderBy('at')
      .orderBy('id')
      .execute();
  const markOffTopic = (ticketId: string, body?: unknown, token = agent.token) =>
    desk.api('POST', `${API}/tickets/${ticketId}/off-topic`, { token, ...(body ? { body } : {}) });

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    admin = await desk.person('admin');
    lead = await desk.person('lead');
    agent = await desk.person('agent');
  });
  afterAll(() => desk?.close());

  describe('a customer filing the same resolved problem again', () => {
    let contact: Person;
    let orgId: string;
    let original: { id: string; number: number };
    const repeats: { id: string; number: number }[] = [];
    let different: { id: string };

    beforeAll(async () => {
      const org = await desk.organization('premium');
      orgId = org.id;
      contact = await desk.person('contact', org.id);
      const member = await desk.person('member', org.id);
      original = await desk.ticket(contact, {
        subject: 'Work order export fails with error 500',
        body: 'When I click Export on the work orders list, the page shows error 500 and no file is downloaded. This started after the update.',
      });
      desk.advance(2 * HOUR);
      await setStatus(original.id, 'resolved');
      desk.advance(3 * DAY);
      const rewordings = [
        [
          'Exporting work orders gives error 500 again',
          'Again the export of work orders fails: error 500 appears when clicking Export, nothing downloads.',
        ],
        [
          'Export broken - error 500',
          'Clicking the export button in work orders returns an error 500. No CSV file.',
        ],
        [
          "Can't export work orders",
          'The work orders export throws error 500 whenever I try to download the list.',
        ],
        [
          'Error 500 when exporting orders',
          'Export of the work order list fails with a 500 error, no file downloaded.',
        ],
        ['Work orders export not working', 'I get error 500 when I export work orders. Please fix.'],
      ];
      for (const [i, [subject, body]] of rewordings.entries()) {
        // Two people of the organization: the repeats are the organization's, whoever files them.
        repeats.push(await desk.ticket(i % 2 ? member : contact, { subject, body }));
        desk.advance(HOUR);
      }
      different = await desk.ticket(contact, {
        subject: 'Work order assignment notifications missing',
        body: 'Technicians are no longer notified when a work order is assigned to them.',
      });
    });

    it('raises a repeat_incident flag listing the five tickets and the resolved original', async () => {
      const flag = await flagOf(orgId, 'repeat_incident');
      expect(flag).toBeDefined();
      expect(flag!.id).toBe(`${orgId}:repeat_incident`);
      expect(flag!.summary).toBe(
        '5 tickets in the last 30 days repeat resolved incidents: 5 new tickets closely matching 1 resolved ticket.',
      );
      // 5 tickets against a threshold of 3: 5 / 6.
      expect(flag!.score).toBe(0.83);
      expect(flag!.evidence.map((e) => e.ticket!.id).sort()).toEqual(repeats.map((r) => r.id).sort());
      for (const e of flag!.evidence) {
        expect(e.matches![0]).toMatchObject({ id: original.id, number: original.number });
        expect(e.matches![0]!.similarity).toBeGreaterThanOrEqual(0.6);
      }
      expect(Date.parse(flag!.window.to) - Date.parse(flag!.window.from)).toBe(30 * DAY);
    });

    it('does not take a different problem of the same organization for a repeat', async () => {
      expect((await ticketSignals(different.id)).signals).toEqual([]);
      const flag = await flagOf(orgId, 'repeat_incident');
      expect(flag!.evidence.some((e) => e.ticket!.id === different.id)).toBe(false);
      const signals = (await ticketSignals(repeats[0]!.id)).signals;
      expect(signals).toHaveLength(1);
      expect(signals[0]).toMatchObject({ kind: 'repeat_incident' });
      expect(signals[0]!.summary).toMatch(
        new RegExp(`^Repeats #${original.number} \\(similarity 0\\.\\d+\\)\\.$`),
      );
    });

    it('notes a reopen that brings nothing new, and not one that does', async () => {
      await setStatus(different.id, 'resolved');
      desk.advance(HOUR);
      await reply(contact, different.id, 'Still not working!');
      const signals = (await ticketSignals(different.id)).signals;
      expect(signals.map((s) => s.kind)).toEqual(['reopened_unchanged']);
      expect(signals[0]!.evidence[0]!.note).toContain('“Still not working!”');

      await setStatus(repeats[4]!.id, 'resolved');
      desk.advance(HOUR);
      await reply(
        contact,
        repeats[4]!.id,
        'It now also fails on Firefox 121 under macOS 14; the console shows TypeError: rows is undefined in exporter.js line 88.',
      );
      expect((await ticketSignals(repeats[4]!.id)).signals.map((s) => s.kind)).toEqual(['repeat_incident']);
      // The flag counts the reopen too: six tickets.
      expect((await flagOf(orgId, 'repeat_incident'))!.summary).toBe(
        '6 tickets in the last 30 days repeat resolved incidents: 5 new tickets closely matching 1 resolved ticket, 1 reopen without new information.',
      );
    });

    it('compares with imported history resolved within 180 days, not older', async () => {
      const org = await desk.organization('premium');
      const customer = await desk.person('contact', org.id);
      const line = (id: string, subject: string, daysAgo: number) => {
        const opened = desk.now - daysAgo * DAY;
        return {
          externalId: id,
          organization: org.name,
          requester: { email: customer.user.email },
          subject,
          priority: 'P2',
          requestType: 'problem',
          openedAt: new Date(opened).toISOString(),
          messages: [
            {
              at: new Date(opened).toISOString(),
              author: { email: customer.user.email },
              public: true,
              body: 'The sensor dashboard shows no readings from the boiler sensors since the gateway restart.',
            },
          ],
          resolvedAt: new Date(opened + DAY).toISOString(),
        };
      };
      const res = await desk.api('POST', `${API}/import/tickets`, {
        token: admin.token,
        payload: [
          line(`old-${orgId}`, 'Boiler sensor readings missing', 200),
          line(`recent-${orgId}`, 'No readings from boiler sensors', 100),
        ]
          .map((l) => JSON.stringify(l))
          .join('\n'),
        headers: { 'content-type': 'application/x-ndjson' },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ imported: 2, failed: 0 });
      const again = await desk.ticket(customer, {
        subject: 'Boiler sensors show no readings',
        body: 'Since the gateway restart the sensor dashboard has no readings from the boiler sensors.',
      });
      const [signal] = (await ticketSignals(again.id)).signals;
      expect(signal!.evidence[0]!.matches!.map((m) => m.subject)).toEqual([
        'No readings from boiler sensors',
      ]);
    });
  });

  describe('a customer asking what the help center answers', () => {
    let contact: Person;
    let orgId: string;
    let article: { id: string; translations: { title: string; url: string }[] };
    let exportArticle: { id: string };
    const asked: { id: string }[] = [];
    let unrelated: { id: string };

    const suggest = async (subject: string, body: string) => {
      const res = await desk.api('POST', `${API}/helpcenter/suggestions`, {
        token: contact.token,
        body: { locale: 'en', channel: 'portal', subject, body },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ sessionId: string; suggestions: { articleId: string }[] }>();
    };

    beforeAll(async () => {
      const org = await desk.organization('basic');
      orgId = org.id;
      contact = await desk.person('contact', org.id);
      const created = await desk.api('POST', `${API}/helpcenter/articles`, {
        token: agent.token,
        body: {
          status: 'published',
          translations: {
            en: {
              title: 'Reset your password',
              summary: 'Resetting a forgotten password takes a minute.',
              body: 'Open the sign-in page, choose **Forgot password**, and follow the link in the mail to reset your password. The link is valid for one hour.',
            },
          },
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      article = created.json();
      const other = await desk.api('POST', `${API}/helpcenter/articles`, {
        token: agent.token,
        body: {
          status: 'published',
          translations: {
            en: {
              title: 'Export work orders to CSV',
              body: 'Choose Export on the work orders list; the CSV file downloads.',
            },
          },
        },
      });
      expect(other.statusCode, other.body).toBe(201);
      exportArticle = other.json();

      const questions = [
        ['How do I reset my password?', 'I forgot my password and need to reset it.'],
        ['Forgot password', 'I cannot sign in because I forgot my password, how do I reset it?'],
        ['Password reset', 'Please reset my password, I forgot it.'],
      ];
      for (const [i, [subject, body]] of questions.entries()) {
        const { sessionId, suggestions } = await suggest(subject!, body!);
        expect(suggestions.map((s) => s.articleId)).toContain(article.id);
        // The first writer opened the suggestion and sent the ticket anyway.
        if (i === 0) {
          const opened = await desk.api('POST', `${API}/helpcenter/suggestions/${sessionId}/opened`, {
            token: contact.token,
            body: { articleId: article.id },
          });
          expect(opened.statusCode).toBe(204);
        }
        asked.push(await desk.ticket(contact, { subject, body, suggestionSessionId: sessionId }));
        desk.advance(HOUR);
      }
      // Suggestions shown for one question, then a ticket about something else entirely.
      const { sessionId } = await suggest('Password', 'I forgot my password');
      unrelated = await desk.ticket(contact, {
        subject: 'Invoice totals wrong',
        body: 'The VAT on the May invoice is computed twice.',
        suggestionSessionId: sessionId,
      });
    });

    it('raises a helpcenter_answered flag with the article and whether the sender opened it', async () => {
      const flag = await flagOf(orgId, 'helpcenter_answered');
      expect(flag).toBeDefined();
      expect(flag!.summary).toBe(
        '3 tickets in the last 30 days asked what 1 help center article already answers (3 sent after the answer was suggested).',
      );
      expect(flag!.score).toBe(0.5);
      expect(flag!.evidence.map((e) => e.ticket!.id).sort()).toEqual(asked.map((t) => t.id).sort());
      for (const e of flag!.evidence)
        expect(e.article).toMatchObject({
          id: article.id,
          title: 'Reset your password',
          url: article.translations[0]!.url,
        });
      const opened = flag!.evidence.filter((e) => e.article!.opened).map((e) => e.ticket!.id);
      expect(opened).toEqual([asked[0]!.id]);
      expect((await ticketSignals(unrelated.id)).signals).toEqual([]);
    });

    it('counts a ticket staff answered with an article link', async () => {
      const ticket = await desk.ticket(contact, {
        subject: 'Exporting work orders',
        body: 'Where do I export the work orders list?',
      });
      desk.advance(MINUTE);
      const res = await desk.api('POST', `${API}/tickets/${ticket.id}/article-answers`, {
        token: agent.token,
        body: { articleId: exportArticle.id },
      });
      expect(res.statusCode, res.body).toBe(201);
      const flag = await flagOf(orgId, 'helpcenter_answered');
      expect(flag!.summary).toBe(
        '4 tickets in the last 30 days asked what 2 help center articles already answer (3 sent after the answer was suggested; 1 answered by staff with an article link).',
      );
      expect(flag!.evidence[0]).toMatchObject({
        ticket: { id: ticket.id },
        article: { id: exportArticle.id, title: 'Export work orders to CSV', opened: false },
        note: 'Staff answered with this help center article.',
      });
      const { signals } = await ticketSignals(ticket.id);
      expect(signals).toMatchObject([{ kind: 'helpcenter_answered', score: 1 }]);
    });
  });

  describe('off-topic marks and dismissals', () => {
    let contact: Person;
    let orgId: string;
    const tickets: { id: string; number: number }[] = [];

    beforeAll(async () => {
      const org = await desk.organization('essential');
      orgId = org.id;
      contact = await desk.person('contact', org.id);
      const offers = [
        ['Partnership proposal', 'We would like to propose a joint marketing partnership.'],
        ['Job application', 'I would like to apply for the technician position, CV attached.'],
        ['Recommend an accountant?', 'Can you recommend a good accountant for our company?'],
        ['Office furniture', 'Do you sell office furniture? We need new desks.'],
        ['Sponsorship of our event', 'Would you sponsor our regional trade event with a marketing stand?'],
      ];
      for (const [subject, body] of offers) {
        tickets.push(await desk.ticket(contact, { subject, body }));
        desk.advance(MINUTE);
      }
    });

    it('lets any staff mark a ticket off-topic with one action, logged, and shows it on the ticket', async () => {
      expect((await markOffTopic(tickets[0]!.id, { note: 'sales enquiry' })).statusCode).toBe(204);
      // Without a body at all, too.
      expect((await markOffTopic(tickets[1]!.id)).statusCode).toBe(204);
      const view = await ticketSignals(tickets[0]!.id);
      expect(view.offTopic).toEqual({
        note: 'sales enquiry',
        markedBy: { id: agent.user.id, name: agent.user.name },
        markedAt: new Date(desk.now).toISOString(),
      });
      expect(view.signals).toMatchObject([{ kind: 'off_topic', summary: 'Marked off-topic: sales enquiry' }]);
      const entries = await audit(orgId);
      expect(entries.map((e) => [e.action, e.ticket_id, e.actor_id, e.reason])).toEqual([
        ['ticket.off_topic', tickets[0]!.id, agent.user.id, 'sales enquiry'],
        ['ticket.off_topic', tickets[1]!.id, agent.user.id, null],
      ]);
      const flag = await flagOf(orgId, 'off_topic');
      expect(flag).toMatchObject({
        summary: '2 tickets in the last 30 days were marked off-topic by staff.',
        score: 0.5,
      });
      expect(flag!.evidence.map((e) => e.ticket!.number).sort()).toEqual(
        [tickets[0]!.number, tickets[1]!.number].sort(),
      );
    });

    it('takes a mark back, logged once', async () => {
      desk.advance(MINUTE);
      expect(
        (await desk.api('DELETE', `${API}/tickets/${tickets[1]!.id}/off-topic`, { token: agent.token }))
          .statusCode,
      ).toBe(204);
      expect(
        (await desk.api('DELETE', `${API}/tickets/${tickets[1]!.id}/off-topic`, { token: agent.token }))
          .statusCode,
      ).toBe(204);
      expect((await ticketSignals(tickets[1]!.id)).offTopic).toBeNull();
      expect((await audit(orgId)).filter((e) => e.action === 'ticket.on_topic')).toHaveLength(1);
      expect(await flagOf(orgId, 'off_topic')).toBeUndefined();
      desk.advance(MINUTE);
      expect((await markOffTopic(tickets[1]!.id, { note: 'job application' })).statusCode).toBe(204);
      expect(await flagOf(orgId, 'off_topic')).toBeDefined();
    });

    it('lets a lead dismiss a flag, which comes back only with newer evidence', async () => {
      const body = {
        organizationId: orgId,
        kind: 'off_topic',
        reason: 'A new customer finding their way; talked to them.',
      };
      expect(
        (await desk.api('POST', `${API}/fairuse/flags/dismiss`, { token: agent.token, body })).statusCode,
      ).toBe(403);
      const dismissed = await desk.api('POST', `${API}/fairuse/flags/dismiss`, { token: lead.token, body });
      expect(dismissed.statusCode, dismissed.body).toBe(204);
      const dismissedAt = desk.now;
      expect(await flagOf(orgId, 'off_topic')).toBeUndefined();
      // Nothing left to dismiss.
      expect(
        (await desk.api('POST', `${API}/fairuse/flags/dismiss`, { token: admin.token, body })).statusCode,
      ).toBe(409);
      const entry = (await audit(orgId)).find((e) => e.action === 'flag.dismissed')!;
      expect(entry).toMatchObject({ actor_id: lead.user.id, reason: body.reason, at: dismissedAt });
      expect(JSON.parse(entry.data)).toMatchObject({ kind: 'off_topic', score: 0.5 });

      // One new mark is not yet a flag; a second is, with only the new evidence.
      desk.advance(MINUTE);
      expect((await markOffTopic(tickets[2]!.id)).statusCode).toBe(204);
      expect(await flagOf(orgId, 'off_topic')).toBeUndefined();
      desk.advance(MINUTE);
      expect((await markOffTopic(tickets[3]!.id)).statusCode).toBe(204);
      const back = await flagOf(orgId, 'off_topic');
      expect(back!.summary).toBe(
        '2 tickets since the flag was dismissed on 2026-06-05 were marked off-topic by staff.'.replace(
          '2026-06-05',
          new Date(dismissedAt).toISOString().slice(0, 10),
        ),
      );
      expect(back!.evidence.map((e) => e.ticket!.id).sort()).toEqual([tickets[2]!.id, tickets[3]!.id].sort());
      expect(back!.window.from).toBe(new Date(dismissedAt).toISOString());
    });

    it('learns from the marks: the classifier says nothing before enough, then reads offers as off-topic', async () => {
      const classify = async (ticketId: string) => {
        const res = await desk.api('GET', `${API}/fairuse/classifier?ticketId=${ticketId}`, {
          token: agent.token,
        });
        expect(res.statusCode, res.body).toBe(200);
        return res.json<{ offTopicProbability: number | null; trainedOn: number }>();
      };
      // Four marks so far (the fifth offer is not marked).
      expect(await classify(tickets[4]!.id)).toEqual({ offTopicProbability: null, trainedOn: 0 });
      const more = await desk.ticket(contact, {
        subject: 'Marketing partnership offer',
        body: 'A sponsorship proposal for your marketing team.',
      });
      expect((await markOffTopic(more.id)).statusCode).toBe(204);
      const offer = await classify(tickets[4]!.id);
      expect(offer.trainedOn).toBeGreaterThan(10);
      expect(offer.offTopicProbability).toBeGreaterThan(0.5);
      const support = await desk.ticket(contact, {
        subject: 'Work order export fails with error 500',
        body: 'The export of work orders shows error 500.',
      });
      expect((await classify(support.id)).offTopicProbability).toBeLessThan(0.5);
    });
  });

  describe('volume against the organization’s history and its tier', () => {
    let orgId: string;
    let orgName: string;
    let contact: Person;

    beforeAll(async () => {
      const org = await desk.organization('enterprise');
      orgId = org.id;
      orgName = org.name;
      contact = await desk.person('contact', org.id);
      // Its history: 6 tickets in the 90 days before the last 30, 2 a month.
      const lines = [40, 50, 60, 75, 90, 110].map((daysAgo, i) => {
        const at = new Date(desk.now - daysAgo * DAY).toISOString();
        return {
          externalId: `vol-${orgId}-${i}`,
          organization: org.name,
          requester: { email: `buyer@${org.domains[0]}` },
          subject: `Question ${i}`,
          priority: 'P3',
          openedAt: at,
          messages: [{ at, author: { email: `buyer@${org.domains[0]}` }, public: true, body: 'A question.' }],
        };
      });
      const res = await desk.api('POST', `${API}/import/tickets`, {
        token: admin.token,
        payload: lines.map((l) => JSON.stringify(l)).join('\n'),
        headers: { 'content-type': 'application/x-ndjson' },
      });
      expect(res.json()).toMatchObject({ imported: 6, failed: 0 });
      // Its tier: three other enterprise organizations filed 1, 2 and 3 tickets: median 2.
      for (const n of [1, 2, 3]) {
        const other = await desk.organization('enterprise');
        const someone = await desk.person('member', other.id);
        for (let i = 0; i < n; i++)
          await desk.ticket(someone, { subject: `Routine ${i}`, body: 'Routine question.' });
      }
      for (let i = 0; i < 9; i++) {
        await desk.ticket(contact, { subject: `Question number ${i}`, body: `Details of question ${i}.` });
        desk.advance(HOUR);
      }
    });

    it('raises no flag at 9 tickets, and one at 12: six times its average and its tier’s median', async () => {
      expect(await flagOf(orgId, 'volume')).toBeUndefined();
      for (const i of [9, 10, 11])
        await desk.ticket(contact, { subject: `Question number ${i}`, body: `Details of question ${i}.` });
      const flag = await flagOf(orgId, 'volume');
      expect(flag).toMatchObject({
        organizationName: orgName,
        score: 1,
        summary:
          '12 tickets in the last 30 days: 6× its own monthly average and 6× the enterprise tier’s median.',
      });
      expect(flag!.evidence.map((e) => e.note)).toEqual([
        '12 tickets in the last 30 days; its own average 2 a month over the 90 days before; the enterprise tier’s median 2.',
        `Its top requester, ${contact.user.name}, filed 12 tickets; their own average 0 a month.`,
      ]);
    });

    it('lists every organization with an open flag, most serious first', async () => {
      const res = await desk.api('GET', `${API}/fairuse/flags`, { token: agent.token });
      expect(res.statusCode).toBe(200);
      const all = res.json<{ data: Flag[] }>().data;
      expect(all.map((f) => f.kind)).toEqual(
        expect.arrayContaining(['repeat_incident', 'helpcenter_answered', 'off_topic', 'volume']),
      );
      expect(all.find((f) => f.organizationId === orgId && f.kind === 'volume')).toBeDefined();
      const scores = all.map((f) => f.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    });

    it('stays dismissed until the organization again files enough after the dismissal', async () => {
      const body = { organizationId: orgId, kind: 'volume', reason: 'Onboarding month, expected.' };
      expect(
        (await desk.api('POST', `${API}/fairuse/flags/dismiss`, { token: admin.token, body })).statusCode,
      ).toBe(204);
      desk.advance(HOUR);
      await desk.ticket(contact, { subject: 'One more', body: 'Another question.' });
      expect(await flagOf(orgId, 'volume')).toBeUndefined();
    });
  });

  describe('who may see and do what, and bad input', () => {
    let contact: Person;
    let orgId: string;
    let ticketId: string;

    beforeAll(async () => {
      const org = await desk.organization('premium');
      orgId = org.id;
      contact = await desk.person('contact', org.id);
      ticketId = (await desk.ticket(contact)).id;
    });

    it('keeps flags, signals and the classifier from customers and anonymous callers', async () => {
      for (const url of [
        `${API}/fairuse/flags`,
        `${API}/fairuse/flags?organizationId=${orgId}`,
        `${API}/tickets/${ticketId}/fairuse`,
        `${API}/fairuse/classifier?ticketId=${ticketId}`,
      ]) {
        expect((await desk.api('GET', url, { token: contact.token })).statusCode, url).toBe(403);
        expect((await desk.api('GET', url)).statusCode, url).toBe(401);
      }
      expect((await markOffTopic(ticketId, undefined, contact.token)).statusCode).toBe(403);
      expect(
        (await desk.api('DELETE', `${API}/tickets/${ticketId}/off-topic`, { token: contact.token }))
          .statusCode,
      ).toBe(403);
      const dismiss = { organizationId: orgId, kind: 'volume', reason: 'x' };
      expect(
        (await desk.api('POST', `${API}/fairuse/flags/dismiss`, { token: contact.token, body: dismiss }))
          .statusCode,
      ).toBe(403);
      expect((await desk.api('POST', `${API}/fairuse/flags/dismiss`, { body: dismiss })).statusCode).toBe(
        401,
      );
    });

    it('answers bad input with 4xx, never 500', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      const get = (url: string) => desk.api('GET', url, { token: lead.token });
      expect((await get(`${API}/fairuse/flags?organizationId=not-a-uuid`)).statusCode).toBe(400);
      expect((await get(`${API}/fairuse/flags?organizationId=${unknown}`)).statusCode).toBe(404);
      expect((await get(`${API}/fairuse/flags?organisation=${orgId}`)).statusCode).toBe(400);
      expect((await get(`${API}/tickets/${unknown}/fairuse`)).statusCode).toBe(404);
      expect((await get(`${API}/tickets/nope/fairuse`)).statusCode).toBe(400);
      expect((await get(`${API}/fairuse/classifier`)).statusCode).toBe(400);
      expect((await get(`${API}/fairuse/classifier?ticketId=${unknown}`)).statusCode).toBe(404);
      expect((await markOffTopic(unknown)).statusCode).toBe(404);
      expect((await markOffTopic('nope')).statusCode).toBe(400);
      expect((await markOffTopic(ticketId, { note: 'x'.repeat(1001) })).statusCode).toBe(400);
      expect((await markOffTopic(ticketId, { reason: 'wrong field' })).statusCode).toBe(400);
      const dismiss = (body: unknown) =>
        desk.api('POST', `${API}/fairuse/flags/dismiss`, { token: lead.token, body });
      for (const body of [
        { organizationId: orgId, kind: 'volume' },
        { organizationId: orgId, kind: 'volume', reason: '   ' },
        { organizationId: orgId, kind: 'volume', reason: 'x'.repeat(1001) },
        { organizationId: orgId, kind: 'spam', reason: 'x' },
        { organizationId: 'nope', kind: 'volume', reason: 'x' },
        { organizationId: orgId, kind: 'volume', reason: 'x', extra: true },
      ])
        expect((await dismiss(body)).statusCode, JSON.stringify(body)).toBe(400);
      expect((await dismiss({ organizationId: unknown, kind: 'volume', reason: 'x' })).statusCode).toBe(404);
      // A flag the organization does not have.
      expect((await dismiss({ organizationId: orgId, kind: 'volume', reason: 'x' })).statusCode).toBe(409);
    });
  });
});
