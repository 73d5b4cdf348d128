import type { Priority, Tier } from '../policy/tiers.js';

/**
 * Three months of answered and resolved tickets for the demo desk, so that its reports have
 * something to measure. Deterministic (a seeded generator): every demo desk shows the same history.
 */

interface HistoryOrg {
  name: string;
  domain: string;
  tier: Tier;
  requesters: string[];
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Minutes to the first response the desk aims for, per tier and priority (calendar time). */
const AIM: Record<Tier, Record<Priority, number>> = {
  basic: { P0: 90, P1: 180, P2: 600, P3: 1400 },
  essential: { P0: 40, P1: 80, P2: 180, P3: 500 },
  premium: { P0: 10, P1: 40, P2: 80, P3: 160 },
  enterprise: { P0: 10, P1: 40, P2: 80, P3: 160 },
};

const SUBJECTS: Record<Priority, string[]> = {
  P0: ['Platform unreachable', 'Nobody can sign in', 'API returns 500 on every call'],
  P1: ['Work orders do not sync', 'Mobile app crashes on start', 'PM schedule generated no work orders'],
  P2: ['Export to PDF is empty', 'Meter chart shows the wrong unit', 'CSV import rejects valid rows'],
  P3: ['How do I add a technician?', 'Typo in the French template', 'Question about reorder points'],
};

function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** JSON lines in the import format (docs/import.md), one per ticket, oldest first. */
export function demoHistory(orgs: HistoryOrg[], agents: string[], now: number, days = 90): string[] {
  const random = mulberry32(20261126);
  const lines: string[] = [];
  const start = now - days * DAY;
  let sequence = 0;
  for (let day = 0; day < days - 2; day++) {
    for (const org of orgs) {
      const count = Math.floor(random() * 3);
      for (let i = 0; i < count; i++) {
        const roll = random();
        const priority: Priority = roll < 0.03 ? 'P0' : roll < 0.2 ? 'P1' : roll < 0.6 ? 'P2' : 'P3';
        const opened = start + day * DAY + Math.floor(random() * 20 * HOUR) + 6 * HOUR;
        // Log-normal around the aim: most on time, a tail of late answers.
        const factor = Math.exp((random() + random() + random() - 1.5) * 1.1);
        const firstResponse = opened + Math.max(2, AIM[org.tier][priority] * factor) * 60_000;
        const resolved = firstResponse + (1 + random() * (priority === 'P3' ? 96 : 30)) * HOUR;
        const requester = org.requesters[Math.floor(random() * org.requesters.length)]!;
        const agent = agents[Math.floor(random() * agents.length)]!;
        const subjects = SUBJECTS[priority];
        const messages = [
          { at: iso(opened), author: { email: requester }, public: true, body: 'Details in the subject.' },
          {
            at: iso(firstResponse),
            author: { email: agent, staff: true },
            public: true,
            body: 'We are on it.',
          },
        ];
        if (priority === 'P0')
          for (let update = firstResponse + 30 * 60_000; update < resolved; update += 30 * 60_000)
            messages.push({
              at: iso(update + Math.floor(random() * 6 * 60_000)),
              author: { email: agent, staff: true },
              public: true,
              body: 'Update: the team is still working on it.',
            });
        if (resolved >= now - HOUR) continue;
        sequence += 1;
        lines.push(
          JSON.stringify({
            externalId: `demo-history-${sequence}`,
            organization: org.name,
            requester: { email: requester },
            subject: subjects[Math.floor(random() * subjects.length)]!,
            priority,
            channel: random() < 0.5 ? 'email' : 'portal',
            requestType: 'problem',
            openedAt: iso(opened),
            messages,
            resolvedAt: iso(resolved),
          }),
        );
      }
    }
  }
  return lines;
}

// Seconds precision, as the import format asks.
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();
