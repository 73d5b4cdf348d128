import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

const API = '/api/v1';
const HOUR = 3_600_000;
const DAY = 86_400_000;

const DEFAULT_POLICY = fs.readFileSync(
  path.resolve(import.meta.dirname, '../../policy/default.yaml'),
  'utf8',
);

interface Flag {
  kind: string;
  score: number;
  summary: string;
  facts: Record<string, unknown>;
  dismissedAt: string | null;
  evidence: { note?: string; fact: Record<string, unknown> }[];
}
interface TicketSignal {
  kind: string;
  flag: { kind: string; score: number } | null;
  evidence: { fact: Record<string, unknown> }[];
}

/**
 * What the web app needs to speak the reader's language: the profile's language, which users set
 * themselves and the session gives; fair-use flags and evidence as facts (kinds and numbers); policy
 * changes as a topic, durations and an effect. Also the fair-use rules the facts made visible: no
 * multiple of a baseline that does not exist, and no sign on a ticket before there is a pattern.
 */
describe.each(databaseTargets())('the reader’s language on $dialect', (target) => {
  let desk: TestDesk;
  let admin: Person;
  let lead: Person;
  let agent: Person;

  const flagOf = async (organizationId: string, kind: string) => {
    const res = await desk.api('GET', `${API}/fairuse/flags?organizationId=${organizationId}`, {
      token: lead.token,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ data: Flag[] }>().data.find((f) => f.kind === kind);
  };
  const ticketSignals = async (ticketId: string) => {
    const res = await desk.api('GET', `${API}/tickets/${ticketId}/fairuse`, { token: agent.token });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ signals: TicketSignal[] }>().signals;
  };

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    admin = await desk.person('admin');
    lead = await desk.person('lead');
    agent = await desk.person('agent');
  });
  afterAll(() => desk?.close());

  describe('the profile’s language', () => {
    it('is set by the user themselves, customer or staff, and given by the session', async () => {
      const org = await desk.organization('premium');
      const member = await desk.person('member', org.id);
      for (const person of [member, agent]) {
        const res = await desk.api('PATCH', `${API}/users/${person.user.id}`, {
          token: person.token,
          body: { locale: 'fr' },
        });
        expect(res.statusCode, res.body).toBe(200);
        const session = await desk.api('GET', `${API}/auth/session`, { token: person.token });
        expect(session.json()).toMatchObject({ user: { id: person.user.id, locale: 'fr' } });
      }
      // Only their own: a member does not change a colleague's.
      const colleague = await desk.person('member', org.id);
      const other = await desk.api('PATCH', `${API}/users/${colleague.user.id}`, {
        token: member.token,
        body: { locale: 'fr' },
      });
      expect([403, 404]).toContain(other.statusCode);
    });
  });

  describe('a suggested article the customer did not open', () => {
    let contact: Person;
    let orgId: string;
    let articleId: string;

    /** A ticket sent after the help center suggested the article, unopened. */
    const sendAfterSuggestion = async (subject: string, body: string) => {
      const res = await desk.api('POST', `${API}/helpcenter/suggestions`, {
        token: contact.token,
        body: { locale: 'en', channel: 'portal', subject, body },
      });
      expect(res.statusCode, res.body).toBe(200);
      const { sessionId, suggestions } = res.json<{
        sessionId: string;
        suggestions: { articleId: string }[];
      }>();
      expect(suggestions.map((s) => s.articleId)).toContain(articleId);
      const ticket = await desk.ticket(contact, {
        subject,
        body,
        priority: 'P1',
        suggestionSessionId: sessionId,
      });
      desk.advance(HOUR);
      return ticket;
    };

    beforeAll(async () => {
      const org = await desk.organization('enterprise');
      orgId = org.id;
      contact = await desk.person('contact', org.id);
      const created = await desk.api('POST', `${API}/helpcenter/articles`, {
        token: agent.token,
        body: {
          status: 'published',
          translations: {
            en: {
              title: 'Sync work orders from the mobile app',
              body: 'Work orders created on mobile sync to the web when the phone is online. Pull down the work order list on mobile to sync work orders now.',
            },
          },
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      articleId = created.json<{ id: string }>().id;
    });

    it('raises no flag and shows no sign on a first ticket: one unopened suggestion is not misuse', async () => {
      const first = await sendAfterSuggestion(
        'Work orders do not sync from mobile',
        'Work orders created on mobile do not sync to the web.',
      );
      expect(await flagOf(orgId, 'helpcenter_answered')).toBeUndefined();
      const signals = await ticketSignals(first.id);
      // The desk keeps the sighting, as evidence should a pattern come, but it counts towards no flag.
      expect(signals).toMatchObject([
        {
          kind: 'helpcenter_answered',
          flag: null,
          evidence: [{ fact: { kind: 'suggested_article', opened: false } }],
        },
      ]);
    });

    it('raises the flag at three such tickets in 30 days, and then names it on each ticket', async () => {
      await sendAfterSuggestion(
        'Mobile work orders not syncing',
        'Work orders from mobile do not sync to web.',
      );
      expect(await flagOf(orgId, 'helpcenter_answered')).toBeUndefined();
      const third = await sendAfterSuggestion(
        'Sync of work orders from mobile',
        'Work orders on mobile still do not sync to the web.',
      );
      const flag = await flagOf(orgId, 'helpcenter_answered');
      expect(flag).toMatchObject({
        score: 0.5,
        dismissedAt: null,
        facts: {
          windowDays: 30,
          kind: 'helpcenter_answered',
          threshold: 3,
          tickets: 3,
          articles: 1,
          suggested: 3,
          opened: 0,
          answered: 0,
        },
      });
      // The English summary stays for API clients.
      expect(flag!.summary).toBe(
        '3 tickets in the last 30 days asked what 1 help center article already answers (3 sent after the answer was suggested).',
      );
      expect((await ticketSignals(third.id))[0]!.flag).toEqual({ kind: 'helpcenter_answered', score: 0.5 });
    });
  });

  describe('facts behind the flags', () => {
    it('gives off-topic marks as facts with the staff note', async () => {
      const org = await desk.organization('premium');
      const contact = await desk.person('contact', org.id);
      const tickets = [
        await desk.ticket(contact, { subject: 'Un fournisseur de pneus ?', body: 'Pour nos chariots.' }),
        await desk.ticket(contact, { subject: 'Le menu de la cantine', body: 'Pouvez-vous nous aider ?' }),
      ];
      for (const [i, ticket] of tickets.entries()) {
        const res = await desk.api('POST', `${API}/tickets/${ticket.id}/off-topic`, {
          token: agent.token,
          ...(i === 0 ? { body: { note: 'Sans rapport avec la plateforme.' } } : {}),
        });
        expect(res.statusCode, res.body).toBe(204);
        desk.advance(HOUR);
      }
      const flag = await flagOf(org.id, 'off_topic');
      expect(flag!.facts).toEqual({ windowDays: 30, kind: 'off_topic', threshold: 2, tickets: 2 });
      expect(flag!.evidence.map((e) => e.fact)).toEqual([
        { kind: 'off_topic', note: null },
        { kind: 'off_topic', note: 'Sans rapport avec la plateforme.' },
      ]);
    });

    it('shows no multiple of a tier median when no other organization of the tier filed', async () => {
      // The only essential organization on this desk: 15 tickets in the 90 days before the last 30
      // (5 a month), then 12 now.
      const org = await desk.organization('essential');
      const contact = await desk.person('contact', org.id);
      const lines = Array.from({ length: 15 }, (_, i) => {
        const at = new Date(desk.now - (35 + i * 5) * DAY).toISOString();
        return {
          externalId: `history-${org.id}-${i}`,
          organization: org.name,
          requester: { email: `buyer@${org.domains[0]}` },
          subject: `Earlier question ${i}`,
          priority: 'P3',
          openedAt: at,
          messages: [{ at, author: { email: `buyer@${org.domains[0]}` }, public: true, body: 'A question.' }],
        };
      });
      const imported = await desk.api('POST', `${API}/import/tickets`, {
        token: admin.token,
        payload: lines.map((l) => JSON.stringify(l)).join('\n'),
        headers: { 'content-type': 'application/x-ndjson' },
      });
      expect(imported.json()).toMatchObject({ imported: 15, failed: 0 });
      for (let i = 0; i < 12; i++) {
        await desk.ticket(contact, { subject: `Question number ${i}`, body: `Details of question ${i}.` });
        desk.advance(HOUR);
      }
      const flag = await flagOf(org.id, 'volume');
      expect(flag!.summary).toBe(
        '12 tickets in the last 30 days: 2.4× its own monthly average; no other organization of the essential tier to compare with.',
      );
      expect(flag!.facts).toMatchObject({
        kind: 'volume',
        tickets: 12,
        ownAverage: 5,
        ownRatio: 2.4,
        tier: 'essential',
        tierMedian: null,
        tierRatio: null,
      });
      // 2.4 / 4, the only comparison there is.
      expect(flag!.score).toBe(0.6);
      expect(flag!.evidence[0]!.fact).toEqual({
        kind: 'volume',
        tickets: 12,
        ownAverage: 5,
        baselineDays: 90,
        tier: 'essential',
        tierMedian: null,
      });
    });
  });

  describe('a policy change', () => {
    it('is given by topic, tier, priority, durations and its effect for the customer', async () => {
      const source = DEFAULT_POLICY.replace("version: '2024-02-12'", "version: '2026-09-01'")
        .replace(
          '    P2: 1 business day\n    P3: 2 business days',
          '    P2: 2 business days\n    P3: 1 business day',
        )
        .replace('      en: Cosmetic', '      en: Aesthetic');
      await desk.services.policy.publish(source, { effective: '2026-09-01', allowRegression: true });
      const res = await desk.api('GET', `${API}/policy/diff?from=2024-02-12&to=2026-09-01`, {
        token: agent.token,
      });
      expect(res.statusCode, res.body).toBe(200);
      const changes = res.json<{ changes: Record<string, unknown>[] }>().changes;
      expect(changes).toEqual([
        {
          path: 'targets.basic.P2',
          topic: 'first_response_target',
          tier: 'basic',
          priority: 'P2',
          kind: 'target',
          before: '1 business day',
          after: '2 business days',
          effect: 'lowers',
          lowersService: true,
          description: 'basic P2 first-response target: 1 business day -> 2 business days (longer)',
          durations: {
            before: { amount: 1, unit: 'business_day', clock: 'business', minutes: 480 },
            after: { amount: 2, unit: 'business_day', clock: 'business', minutes: 960 },
          },
        },
        expect.objectContaining({
          path: 'targets.basic.P3',
          topic: 'first_response_target',
          effect: 'improves',
          lowersService: false,
          durations: {
            before: { amount: 2, unit: 'business_day', clock: 'business', minutes: 960 },
            after: { amount: 1, unit: 'business_day', clock: 'business', minutes: 480 },
          },
        }),
        expect.objectContaining({
          path: 'priorities.P3.name.en',
          topic: 'text',
          priority: 'P3',
          effect: 'neutral',
          lowersService: false,
        }),
      ]);
    });
  });
});
