import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCalendar } from '../calendar/calendar.js';
import { US_EASTERN_BUSINESS_HOURS } from '../calendar/default.js';
import { loadDefaultPolicy } from '../policy/load.js';
import type { PolicyOverrides } from '../policy/overrides.js';
import { PRIORITIES, TIERS, type Priority, type Tier } from '../policy/tiers.js';
import type { PolicyVersion } from '../policy/versions.js';
import {
  addOnClock,
  computeSla,
  dueEffects,
  elapsedOnClock,
  type SlaEffect,
  type SlaTerms,
  type SlaTimeline,
  type TicketStatus,
} from './engine.js';
import { termsOf } from './terms.js';
import { timelineFromEvents, type TimelineEvent } from './timeline.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Instants are written out in UTC; the comments say what they are on the desk's clock (New York). */
const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (!iso.endsWith('Z') || Number.isNaN(ms)) throw new Error(`not a UTC instant: ${iso}`);
  return ms;
};
const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString().replace('.000Z', 'Z');

const version: PolicyVersion = {
  id: 'v1',
  version: '2024-02-12',
  effectiveFrom: 0,
  policy: loadDefaultPolicy(),
  calendars: new Map([['us-eastern', compileCalendar(US_EASTERN_BUSINESS_HOURS)]]),
};

const termsFor = (tier: Tier, priority: Priority, overrides?: PolicyOverrides): SlaTerms =>
  termsOf(version, tier, priority, overrides);

/** A timeline from instants written as ISO strings: the opening, staff public replies, status changes. */
function timeline(
  openedAt: string,
  replies: string[] = [],
  statuses: [string, TicketStatus][] = [],
  openingStatus: TicketStatus = 'new',
): SlaTimeline {
  return {
    openedAt: at(openedAt),
    staffPublicReplies: replies.map(at),
    statuses: [
      { at: at(openedAt), status: openingStatus },
      ...statuses.map(([when, status]) => ({ at: at(when), status })),
    ],
  };
}

/** Effects with their instants as ISO strings, for readable expectations. */
const effectsAt = (terms: SlaTerms, tl: SlaTimeline, now: string) =>
  dueEffects(computeSla(terms, tl, at(now)), at(now)).map((e) => ({ ...e, dueAt: iso(e.dueAt) }));

// Tuesday 2026-06-02 10:00 in New York (EDT, UTC-4).
const TUESDAY_10_ET = '2026-06-02T14:00:00Z';

describe('first-response targets of the default policy', () => {
  // Opened Tuesday 2026-06-02 10:00 EDT: minutes and hours run around the clock; business days
  // count 8 business hours each (Tuesday 10:00–17:00 is 7 of them).
  const table: [Tier, Priority, string, string][] = [
    ['basic', 'P0', '2 hours', '2026-06-02T16:00:00Z'],
    ['basic', 'P1', '4 hours', '2026-06-02T18:00:00Z'],
    ['basic', 'P2', '1 business day', '2026-06-03T14:00:00Z'], // Wednesday 10:00 EDT
    ['basic', 'P3', '2 business days', '2026-06-04T14:00:00Z'], // Thursday 10:00 EDT
    ['essential', 'P0', '1 hour', '2026-06-02T15:00:00Z'],
    ['essential', 'P1', '2 hours', '2026-06-02T16:00:00Z'],
    ['essential', 'P2', '4 hours', '2026-06-02T18:00:00Z'],
    ['essential', 'P3', '1 business day', '2026-06-03T14:00:00Z'],
    ['premium', 'P0', '15 minutes', '2026-06-02T14:15:00Z'],
    ['premium', 'P1', '1 hour', '2026-06-02T15:00:00Z'],
    ['premium', 'P2', '2 hours', '2026-06-02T16:00:00Z'],
    ['premium', 'P3', '4 hours', '2026-06-02T18:00:00Z'],
    ['enterprise', 'P0', '15 minutes', '2026-06-02T14:15:00Z'],
    ['enterprise', 'P1', '1 hour', '2026-06-02T15:00:00Z'],
    ['enterprise', 'P2', '2 hours', '2026-06-02T16:00:00Z'],
    ['enterprise', 'P3', '4 hours', '2026-06-02T18:00:00Z'],
  ];

  it('covers every tier and priority', () => {
    expect(table.map(([tier, priority]) => `${tier} ${priority}`).sort()).toEqual(
      TIERS.flatMap((tier) => PRIORITIES.map((priority) => `${tier} ${priority}`)).sort(),
    );
  });

  it.each(table)('%s %s (%s) opened Tuesday 10:00 EDT is due %s', (tier, priority, label, due) => {
    const terms = termsFor(tier, priority);
    expect(terms.firstResponse.label).toBe(label);
    expect(terms.firstResponse.overridden).toBe(false);
    expect(terms.firstResponse.clock).toBe(label.includes('business') ? 'business' : 'calendar');
    const state = computeSla(terms, timeline(TUESDAY_10_ET), at(TUESDAY_10_ET));
    expect(iso(state.firstResponse.dueAt)).toBe(due);
    expect(state.firstResponse.startedAt).toBe(at(TUESDAY_10_ET));
    expect(state.firstResponse.metAt).toBeNull();
    expect(state.firstResponse.breached).toBe(false);
    expect(state.nextDueAt).toBe(at(due));
  });

  // Out of hours, business-day targets start counting at the next opening; minutes and hours do not wait.
  it.each([
    // Saturday 2026-06-06 12:00 EDT: counting starts Monday 09:00, so 8 business hours run out Monday 17:00.
    ['basic', 'P2', '2026-06-06T16:00:00Z', '2026-06-08T21:00:00Z'],
    ['basic', 'P3', '2026-06-06T16:00:00Z', '2026-06-09T21:00:00Z'],
    ['essential', 'P3', '2026-06-06T16:00:00Z', '2026-06-08T21:00:00Z'],
    // Tuesday 2026-06-02 07:00 EDT, before opening: due the same day at 17:00 EDT.
    ['basic', 'P2', '2026-06-02T11:00:00Z', '2026-06-02T21:00:00Z'],
    // Tuesday 2026-06-02 18:30 EDT, after closing: due Wednesday 17:00 EDT.
    ['basic', 'P2', '2026-06-02T22:30:00Z', '2026-06-03T21:00:00Z'],
    // Thursday 2026-06-18 20:00 EDT: Friday 2026-06-19 is Juneteenth, so Monday 2026-06-22 17:00 EDT.
    ['essential', 'P3', '2026-06-19T00:00:00Z', '2026-06-22T21:00:00Z'],
    // Thursday 2026-07-02 16:00 EDT: Friday 2026-07-03 is Independence Day observed (July 4 is a
    // Saturday), so 1 business hour Thursday and 7 on Monday 2026-07-06 → 16:00 EDT.
    ['basic', 'P2', '2026-07-02T20:00:00Z', '2026-07-06T20:00:00Z'],
    // Opened exactly at closing, Friday 2026-06-05 17:00 EDT: the whole of Monday 2026-06-08.
    ['basic', 'P2', '2026-06-05T21:00:00Z', '2026-06-08T21:00:00Z'],
    // Opened exactly at opening, Monday 2026-06-08 09:00 EDT: the same day at 17:00 EDT.
    ['essential', 'P3', '2026-06-08T13:00:00Z', '2026-06-08T21:00:00Z'],
    // A calendar-clock target opened on Saturday runs through the weekend.
    ['premium', 'P3', '2026-06-06T16:00:00Z', '2026-06-06T20:00:00Z'],
    ['basic', 'P1', '2026-06-06T16:00:00Z', '2026-06-06T20:00:00Z'],
  ] as [Tier, Priority, string, string][])(
    '%s %s opened out of hours at %s is due %s',
    (tier, priority, opened, due) => {
      const state = computeSla(termsFor(tier, priority), timeline(opened), at(opened));
      expect(iso(state.firstResponse.dueAt)).toBe(due);
    },
  );

  it('basic P2 opened Friday 2026-11-27 16:30 EST is due Monday 2026-11-30 16:30 EST', () => {
    const state = computeSla(
      termsFor('basic', 'P2'),
      timeline('2026-11-27T21:30:00Z'),
      at('2026-11-27T21:30:00Z'),
    );
    expect(iso(state.firstResponse.dueAt)).toBe('2026-11-30T21:30:00Z');
  });

  it('basic P2 opened Wednesday 2026-11-25 10:00 EST skips Thanksgiving: due Friday 2026-11-27 10:00 EST', () => {
    const state = computeSla(
      termsFor('basic', 'P2'),
      timeline('2026-11-25T15:00:00Z'),
      at('2026-11-25T15:00:00Z'),
    );
    expect(iso(state.firstResponse.dueAt)).toBe('2026-11-27T15:00:00Z');
  });

  it('a business target running out exactly at 17:00 is due at 17:00 that day, not the next opening', () => {
    // Tuesday 2026-06-02 09:00 EDT + 1 business day = Tuesday 17:00 EDT.
    const state = computeSla(
      termsFor('basic', 'P2'),
      timeline('2026-06-02T13:00:00Z'),
      at('2026-06-02T13:00:00Z'),
    );
    expect(iso(state.firstResponse.dueAt)).toBe('2026-06-02T21:00:00Z');
  });
});

describe('daylight saving time', () => {
  it('a calendar-clock target is absolute: 01:50 EDT on 2026-11-01 plus 15 minutes is 06:05Z', () => {
    const state = computeSla(
      termsFor('premium', 'P0'),
      timeline('2026-11-01T05:50:00Z'),
      at('2026-11-01T05:50:00Z'),
    );
    expect(iso(state.firstResponse.dueAt)).toBe('2026-11-01T06:05:00Z');
    // 1 hour across the fall-back: 01:50 EDT → 01:50 EST, one hour of real time later.
    const hour = computeSla(termsFor('essential', 'P0'), timeline('2026-11-01T05:50:00Z'), 0);
    expect(iso(hour.firstResponse.dueAt)).toBe('2026-11-01T06:50:00Z');
  });

  it('a calendar-clock target across the spring-forward is absolute too', () => {
    // 2026-03-08 01:30 EST (06:30Z) + 2 hours = 04:30 EDT (08:30Z).
    const state = computeSla(termsFor('basic', 'P0'), timeline('2026-03-08T06:30:00Z'), 0);
    expect(iso(state.firstResponse.dueAt)).toBe('2026-03-08T08:30:00Z');
  });

  it('a business-day target across the 2026-03-08 weekend keeps local hours (71 hours of wall time)', () => {
    // Friday 2026-03-06 16:00 EST (21:00Z): 1 business hour Friday, 7 on Monday 2026-03-09 → 16:00 EDT.
    const state = computeSla(termsFor('basic', 'P2'), timeline('2026-03-06T21:00:00Z'), 0);
    expect(iso(state.firstResponse.dueAt)).toBe('2026-03-09T20:00:00Z');
    // Friday 10:00 EST + 2 business days: 7h Friday, 8h Monday, 1h Tuesday → Tuesday 10:00 EDT.
    const p3 = computeSla(termsFor('basic', 'P3'), timeline('2026-03-06T15:00:00Z'), 0);
    expect(iso(p3.firstResponse.dueAt)).toBe('2026-03-10T14:00:00Z');
  });

  it('a business-day target across the 2026-11-01 weekend keeps local hours (73 hours of wall time)', () => {
    // Friday 2026-10-30 16:30 EDT (20:30Z) → Monday 2026-11-02 16:30 EST (21:30Z).
    const state = computeSla(termsFor('basic', 'P2'), timeline('2026-10-30T20:30:00Z'), 0);
    expect(iso(state.firstResponse.dueAt)).toBe('2026-11-02T21:30:00Z');
  });
});

describe('meeting a target, remainingMs and breaches', () => {
  it('met 5 minutes early on a calendar target: +300000, not breached, frozen at metAt', () => {
    // premium P1 (1 hour) opened 14:00Z, answered 14:55Z.
    const tl = timeline(TUESDAY_10_ET, ['2026-06-02T14:55:00Z']);
    for (const now of ['2026-06-02T14:55:00Z', '2026-06-02T16:00:00Z', '2026-07-01T00:00:00Z']) {
      const state = computeSla(termsFor('premium', 'P1'), tl, at(now));
      expect(iso(state.firstResponse.metAt)).toBe('2026-06-02T14:55:00Z');
      expect(state.firstResponse.remainingMs).toBe(300_000);
      expect(state.firstResponse.breached).toBe(false);
      expect(state.nextDueAt).toBeNull();
      expect(state.nextCheckAt).toBeNull();
    }
  });

  it('met 10 minutes late on a calendar target: -600000 and breached', () => {
    const tl = timeline(TUESDAY_10_ET, ['2026-06-02T15:10:00Z']);
    const state = computeSla(termsFor('premium', 'P1'), tl, at('2026-06-03T00:00:00Z'));
    expect(state.firstResponse.remainingMs).toBe(-600_000);
    expect(state.firstResponse.breached).toBe(true);
  });

  it('met exactly at the due time is not a breach', () => {
    const tl = timeline(TUESDAY_10_ET, ['2026-06-02T15:00:00Z']);
    const state = computeSla(termsFor('premium', 'P1'), tl, at('2026-06-03T00:00:00Z'));
    expect(state.firstResponse.remainingMs).toBe(0);
    expect(state.firstResponse.breached).toBe(false);
  });

  it('unmet: remainingMs counts down with now and goes negative after the due time', () => {
    const terms = termsFor('premium', 'P1');
    const tl = timeline(TUESDAY_10_ET);
    expect(computeSla(terms, tl, at('2026-06-02T14:20:00Z')).firstResponse.remainingMs).toBe(40 * MINUTE);
    const due = computeSla(terms, tl, at('2026-06-02T15:00:00Z')).firstResponse;
    expect(due.remainingMs).toBe(0);
    expect(due.breached).toBe(false);
    const late = computeSla(terms, tl, at('2026-06-02T15:00:00.001Z')).firstResponse;
    expect(late.remainingMs).toBe(-1);
    expect(late.breached).toBe(true);
  });

  it('a business target is measured in business time over a weekend', () => {
    // basic P2 opened Friday 2026-06-05 10:00 EDT: due Monday 2026-06-08 10:00 EDT.
    const terms = termsFor('basic', 'P2');
    const tl = timeline('2026-06-05T14:00:00Z');
    const state = (now: string) => computeSla(terms, tl, at(now)).firstResponse;
    expect(iso(state('2026-06-05T14:00:00Z').dueAt)).toBe('2026-06-08T14:00:00Z');
    // Saturday noon: ~46 hours of wall time to go, but only Monday 09:00–10:00 of business time.
    expect(state('2026-06-06T16:00:00Z').remainingMs).toBe(1 * HOUR);
    expect(state('2026-06-06T16:00:00Z').breached).toBe(false);
    // Tuesday 10:00 EDT: Monday 10:00–17:00 and Tuesday 09:00–10:00 over, 8 business hours.
    expect(state('2026-06-09T14:00:00Z').remainingMs).toBe(-8 * HOUR);
    expect(state('2026-06-09T14:00:00Z').breached).toBe(true);
  });

  it('breached by business time over a weekend: met Monday 09:30 on a Friday 10:00 EDT due time', () => {
    // basic P2 opened Thursday 2026-06-04 10:00 EDT is due Friday 2026-06-05 10:00 EDT; answered
    // Monday 2026-06-08 09:30 EDT: 71.5 hours of wall time late, 7.5 business hours late.
    const tl = timeline('2026-06-04T14:00:00Z', ['2026-06-08T13:30:00Z']);
    for (const now of ['2026-06-08T13:30:00Z', '2026-06-20T00:00:00Z']) {
      const state = computeSla(termsFor('basic', 'P2'), tl, at(now)).firstResponse;
      expect(iso(state.dueAt)).toBe('2026-06-05T14:00:00Z');
      expect(state.remainingMs).toBe(-7.5 * HOUR);
      expect(state.breached).toBe(true);
    }
  });

  it('a staff reply before the opening (clock skew) does not meet the target', () => {
    const tl = timeline(TUESDAY_10_ET, ['2026-06-02T13:59:00Z', '2026-06-02T14:20:00Z']);
    const state = computeSla(termsFor('premium', 'P1'), tl, at('2026-06-02T15:00:00Z'));
    expect(iso(state.firstResponse.metAt)).toBe('2026-06-02T14:20:00Z');
  });

  it('a reply exactly at the opening instant counts', () => {
    const tl = timeline(TUESDAY_10_ET, [TUESDAY_10_ET]);
    const state = computeSla(termsFor('premium', 'P1'), tl, at(TUESDAY_10_ET));
    expect(iso(state.firstResponse.metAt)).toBe(TUESDAY_10_ET);
    expect(state.firstResponse.remainingMs).toBe(HOUR);
  });
});

describe('what counts as the first response (read from the event log)', () => {
  const opened = at(TUESDAY_10_ET);
  const message = (iso: string, data: Record<string, unknown>): TimelineEvent => ({
    type: 'message_added',
    at: at(iso),
    data,
  });

  it('internal notes, customer messages and automatic acknowledgements do not count; a public staff reply does', () => {
    const events: TimelineEvent[] = [
      { type: 'created', at: opened, data: { status: 'new' } },
      message(TUESDAY_10_ET, { visibility: 'public', authorRole: 'contact', initial: true }),
      message('2026-06-02T14:00:01Z', { visibility: 'public', authorRole: 'agent', automatic: true }),
      message('2026-06-02T14:05:00Z', { visibility: 'internal', authorRole: 'agent' }),
      message('2026-06-02T14:10:00Z', { visibility: 'public', authorRole: 'member' }),
      message('2026-06-02T15:30:00Z', { visibility: 'public', authorRole: 'lead' }),
    ];
    const tl = timelineFromEvents(opened, events);
    const state = computeSla(termsFor('premium', 'P1'), tl, at('2026-06-02T16:00:00Z'));
    expect(iso(state.firstResponse.metAt)).toBe('2026-06-02T15:30:00Z');
    expect(state.firstResponse.breached).toBe(true);
    expect(state.firstResponse.remainingMs).toBe(-30 * MINUTE);
  });

  it('only internal notes so far: still owed and breached at the due time', () => {
    const tl = timelineFromEvents(opened, [
      message('2026-06-02T14:05:00Z', { visibility: 'internal', authorRole: 'agent' }),
      message('2026-06-02T14:50:00Z', { visibility: 'internal', authorRole: 'admin' }),
    ]);
    const state = computeSla(termsFor('premium', 'P1'), tl, at('2026-06-02T15:01:00Z'));
    expect(state.firstResponse.metAt).toBeNull();
    expect(state.firstResponse.breached).toBe(true);
    expect(effectsAt(termsFor('premium', 'P1'), tl, '2026-06-02T15:01:00Z')).toEqual([
      { kind: 'breach', target: 'first_response', dueAt: '2026-06-02T15:00:00Z' },
    ]);
  });

  it('the message that opened a ticket staff filed for a customer is the request, not the response', () => {
    const tl = timelineFromEvents(opened, [
      { type: 'created', at: opened, data: { status: 'open' } },
      message(TUESDAY_10_ET, { visibility: 'public', authorRole: 'agent', initial: true }),
    ]);
    expect(tl.staffPublicReplies).toEqual([]);
    const state = computeSla(termsFor('premium', 'P2'), tl, at('2026-06-02T15:00:00Z'));
    expect(state.firstResponse.metAt).toBeNull();
    expect(iso(state.nextDueAt)).toBe('2026-06-02T16:00:00Z');
  });
});

describe('priority changes', () => {
  it('P3 → P0 recomputes the targets from the original opening', () => {
    // basic P3 (2 business days) opened Tuesday 10:00 EDT; raised to P0 at 15:00Z. The caller passes
    // P0 terms with the same timeline: 2 hours from the opening, not from the change.
    const tl = timeline(TUESDAY_10_ET, [], [['2026-06-02T14:30:00Z', 'open']]);
    const before = computeSla(termsFor('basic', 'P3'), tl, at('2026-06-02T15:00:00Z'));
    expect(iso(before.firstResponse.dueAt)).toBe('2026-06-04T14:00:00Z');
    expect(before.escalation).toBeNull();
    expect(before.updates).toBeNull();

    const after = computeSla(termsFor('basic', 'P0'), tl, at('2026-06-02T15:00:00Z'));
    expect(iso(after.firstResponse.startedAt)).toBe(TUESDAY_10_ET);
    expect(iso(after.firstResponse.dueAt)).toBe('2026-06-02T16:00:00Z');
    expect(iso(after.nextDueAt)).toBe('2026-06-02T16:00:00Z');
    // The escalation schedule also counts from the opening: level 1 at 15:00Z is already reached.
    expect(after.escalation?.level).toBe(1);
    expect(after.escalation?.reachedAt.map(iso)).toEqual(['2026-06-02T15:00:00Z']);
    expect(iso(after.escalation?.nextDueAt)).toBe('2026-06-02T17:00:00Z');
  });

  it('raised to P0 after the P0 due time has passed: breached at once', () => {
    const tl = timeline(TUESDAY_10_ET);
    const state = computeSla(termsFor('premium', 'P0'), tl, at('2026-06-02T14:40:00Z'));
    expect(iso(state.firstResponse.dueAt)).toBe('2026-06-02T14:15:00Z');
    expect(state.firstResponse.breached).toBe(true);
    expect(effectsAt(termsFor('premium', 'P0'), tl, '2026-06-02T14:40:00Z')).toEqual([
      { kind: 'breach', target: 'first_response', dueAt: '2026-06-02T14:15:00Z' },
    ]);
  });
});

describe('reopening', () => {
  // premium P2 (2 hours) opened Tuesday 14:00Z, answered 14:30Z, resolved 15:00Z, reopened Wednesday 13:00Z.
  const reopened = timeline(
    TUESDAY_10_ET,
    ['2026-06-02T14:30:00Z'],
    [
      ['2026-06-02T14:30:00Z', 'open'],
      ['2026-06-02T15:00:00Z', 'resolved'],
      ['2026-06-03T13:00:00Z', 'open'],
    ],
  );

  it('a resolved ticket owes nothing before it is reopened', () => {
    const tl: SlaTimeline = { ...reopened, statuses: reopened.statuses.slice(0, 3) };
    const state = computeSla(termsFor('premium', 'P2'), tl, at('2026-06-03T12:00:00Z'));
    expect(state.nextResponse).toBeNull();
    expect(state.nextDueAt).toBeNull();
    expect(state.nextCheckAt).toBeNull();
  });

  it('starts a next-response cycle from the reopening and keeps the first-response result', () => {
    const state = computeSla(termsFor('premium', 'P2'), reopened, at('2026-06-03T13:30:00Z'));
    expect(iso(state.firstResponse.metAt)).toBe('2026-06-02T14:30:00Z');
    expect(state.firstResponse.breached).toBe(false);
    expect(state.firstResponse.remainingMs).toBe(90 * MINUTE);
    expect(state.nextResponse).not.toBeNull();
    expect(iso(state.nextResponse!.startedAt)).toBe('2026-06-03T13:00:00Z');
    expect(iso(state.nextResponse!.dueAt)).toBe('2026-06-03T15:00:00Z');
    expect(iso(state.nextResponse!.warnAt)).toBe('2026-06-03T14:36:00Z');
    // The reply before the reopening does not answer it.
    expect(state.nextResponse!.metAt).toBeNull();
    expect(iso(state.nextDueAt)).toBe('2026-06-03T15:00:00Z');
    expect(iso(state.nextCheckAt)).toBe('2026-06-03T14:36:00Z');
  });

  it('the next staff reply after the reopening meets it', () => {
    const tl: SlaTimeline = {
      ...reopened,
      staffPublicReplies: [...reopened.staffPublicReplies, at('2026-06-03T14:00:00Z')],
    };
    const state = computeSla(termsFor('premium', 'P2'), tl, at('2026-06-03T18:00:00Z'));
    expect(iso(state.nextResponse!.metAt)).toBe('2026-06-03T14:00:00Z');
    expect(state.nextResponse!.remainingMs).toBe(HOUR);
    expect(state.nextResponse!.breached).toBe(false);
    expect(state.nextDueAt).toBeNull();
  });

  it('an unanswered reopening breaches next_response, not first_response', () => {
    expect(effectsAt(termsFor('premium', 'P2'), reopened, '2026-06-03T14:40:00Z')).toEqual([
      { kind: 'warning', target: 'next_response', dueAt: '2026-06-03T15:00:00Z' },
    ]);
    expect(effectsAt(termsFor('premium', 'P2'), reopened, '2026-06-03T15:00:00Z')).toEqual([
      { kind: 'breach', target: 'next_response', dueAt: '2026-06-03T15:00:00Z' },
    ]);
    const state = computeSla(termsFor('premium', 'P2'), reopened, at('2026-06-03T15:30:00Z'));
    expect(state.nextResponse!.breached).toBe(true);
    expect(state.firstResponse.breached).toBe(false);
  });

  it('a business-day next response reopened Friday 16:30 EDT is due Monday 16:30 EDT', () => {
    const tl = timeline(
      '2026-06-01T14:00:00Z',
      ['2026-06-01T15:00:00Z'],
      [
        ['2026-06-02T15:00:00Z', 'closed'],
        ['2026-06-05T20:30:00Z', 'open'],
      ],
    );
    const state = computeSla(termsFor('basic', 'P2'), tl, at('2026-06-05T20:30:00Z'));
    expect(iso(state.nextResponse!.dueAt)).toBe('2026-06-08T20:30:00Z');
  });
});

describe('P0 customer updates', () => {
  const P0 = termsFor('premium', 'P0');

  it('none is owed before the first response: only the first-response target', () => {
    const state = computeSla(P0, timeline(TUESDAY_10_ET), at('2026-06-02T14:05:00Z'));
    expect(state.updates).toMatchObject({ lastUpdateAt: null, dueAt: null, paused: false, breached: false });
    expect(iso(state.nextDueAt)).toBe('2026-06-02T14:15:00Z');
    // warnAt 14:12 (80% of 15 minutes), then due 14:15, then the first escalation 15:00.
    expect(iso(state.nextCheckAt)).toBe('2026-06-02T14:12:00Z');
  });

  it('after the first response the next update is due 30 minutes after it', () => {
    const tl = timeline(TUESDAY_10_ET, ['2026-06-02T14:10:00Z'], [['2026-06-02T14:10:00Z', 'open']]);
    const state = computeSla(P0, tl, at('2026-06-02T14:11:00Z'));
    expect(iso(state.updates!.lastUpdateAt)).toBe('2026-06-02T14:10:00Z');
    expect(iso(state.updates!.dueAt)).toBe('2026-06-02T14:40:00Z');
    expect(iso(state.updates!.warnAt)).toBe('2026-06-02T14:34:00Z');
    expect(state.updates!.paused).toBe(false);
    expect(iso(state.nextDueAt)).toBe('2026-06-02T14:40:00Z');
    expect(iso(state.nextCheckAt)).toBe('2026-06-02T14:34:00Z');
    expect(effectsAt(P0, tl, '2026-06-02T14:33:59Z')).toEqual([]);
    expect(effectsAt(P0, tl, '2026-06-02T14:34:00Z')).toEqual([
      { kind: 'warning', target: 'update', dueAt: '2026-06-02T14:40:00Z' },
    ]);
    expect(effectsAt(P0, tl, '2026-06-02T14:40:00Z')).toEqual([
      { kind: 'breach', target: 'update', dueAt: '2026-06-02T14:40:00Z' },
    ]);
    expect(computeSla(P0, tl, at('2026-06-02T14:40:00Z')).updates!.breached).toBe(false);
    expect(computeSla(P0, tl, at('2026-06-02T14:41:00Z')).updates!.breached).toBe(true);
  });

  it('each later public reply restarts the count; internal notes do not', () => {
    const events: TimelineEvent[] = [
      { type: 'created', at: at(TUESDAY_10_ET), data: { status: 'new' } },
      {
        type: 'message_added',
        at: at('2026-06-02T14:10:00Z'),
        data: { visibility: 'public', authorRole: 'agent' },
      },
      {
        type: 'message_added',
        at: at('2026-06-02T14:35:00Z'),
        data: { visibility: 'public', authorRole: 'agent' },
      },
      {
        type: 'message_added',
        at: at('2026-06-02T14:55:00Z'),
        data: { visibility: 'internal', authorRole: 'lead' },
      },
    ];
    const tl = timelineFromEvents(at(TUESDAY_10_ET), events);
    const state = computeSla(P0, tl, at('2026-06-02T15:00:00Z'));
    expect(iso(state.firstResponse.metAt)).toBe('2026-06-02T14:10:00Z');
    expect(iso(state.updates!.lastUpdateAt)).toBe('2026-06-02T14:35:00Z');
    expect(iso(state.updates!.dueAt)).toBe('2026-06-02T15:05:00Z');
    expect(state.updates!.breached).toBe(false);
    const late = computeSla(P0, tl, at('2026-06-02T15:06:00Z'));
    expect(late.updates!.breached).toBe(true);
  });

  it('waiting on the customer pauses the cadence and keeps the remaining time (10:00, 10:10–11:00 → 11:20)', () => {
    const tl = timeline(
      '2026-06-02T09:50:00Z',
      ['2026-06-02T10:00:00Z'],
      [
        ['2026-06-02T10:00:00Z', 'open'],
        ['2026-06-02T10:10:00Z', 'waiting_on_customer'],
        ['2026-06-02T11:00:00Z', 'open'],
      ],
    );
    const state = computeSla(P0, tl, at('2026-06-02T11:05:00Z'));
    expect(iso(state.updates!.dueAt)).toBe('2026-06-02T11:20:00Z');
    // 24 minutes of unpaused time: 10 before the pause, 14 after it.
    expect(iso(state.updates!.warnAt)).toBe('2026-06-02T11:14:00Z');
    expect(state.updates!.paused).toBe(false);
    expect(state.updates!.breached).toBe(false);
    expect(iso(state.nextDueAt)).toBe('2026-06-02T11:20:00Z');

    // While still waiting no update is owed; the escalation schedule still wakes the scheduler.
    const waiting: SlaTimeline = { ...tl, statuses: tl.statuses.slice(0, 3) };
    const paused = computeSla(P0, waiting, at('2026-06-02T10:45:00Z'));
    expect(paused.updates).toMatchObject({ paused: true, dueAt: null, breached: false });
    expect(paused.nextDueAt).toBeNull();
    expect(iso(paused.nextCheckAt)).toBe('2026-06-02T10:50:00Z');
    expect(effectsAt(P0, waiting, '2026-06-02T10:45:00Z')).toEqual([]);
  });

  it('several waits each pause the cadence', () => {
    // Reply 10:00; waiting 10:05–10:10 and 10:20–10:30: 30 unpaused minutes run out at 10:45.
    const tl = timeline(
      '2026-06-02T09:50:00Z',
      ['2026-06-02T10:00:00Z'],
      [
        ['2026-06-02T10:05:00Z', 'waiting_on_customer'],
        ['2026-06-02T10:10:00Z', 'open'],
        ['2026-06-02T10:20:00Z', 'waiting_on_customer'],
        ['2026-06-02T10:30:00Z', 'open'],
      ],
    );
    const state = computeSla(P0, tl, at('2026-06-02T10:31:00Z'));
    expect(iso(state.updates!.dueAt)).toBe('2026-06-02T10:45:00Z');
    expect(iso(state.updates!.warnAt)).toBe('2026-06-02T10:39:00Z');
  });

  it('a wait that starts after the update fell due does not excuse it', () => {
    const tl = timeline(
      '2026-06-02T09:50:00Z',
      ['2026-06-02T10:00:00Z'],
      [['2026-06-02T10:40:00Z', 'waiting_on_customer']],
    );
    const state = computeSla(P0, tl, at('2026-06-02T10:45:00Z'));
    expect(iso(state.updates!.dueAt)).toBe('2026-06-02T10:30:00Z');
    expect(state.updates!.paused).toBe(true);
    expect(state.updates!.breached).toBe(true);
  });

  it('waiting on the customer never pauses the first-response target', () => {
    const tl = timeline(TUESDAY_10_ET, [], [['2026-06-02T14:05:00Z', 'waiting_on_customer']]);
    const state = computeSla(P0, tl, at('2026-06-02T14:20:00Z'));
    expect(iso(state.firstResponse.dueAt)).toBe('2026-06-02T14:15:00Z');
    expect(state.firstResponse.breached).toBe(true);
    expect(effectsAt(P0, tl, '2026-06-02T14:20:00Z')).toEqual([
      { kind: 'breach', target: 'first_response', dueAt: '2026-06-02T14:15:00Z' },
    ]);
  });

  it('stops on resolution', () => {
    const tl = timeline(
      TUESDAY_10_ET,
      ['2026-06-02T14:10:00Z'],
      [
        ['2026-06-02T14:10:00Z', 'open'],
        ['2026-06-02T14:30:00Z', 'resolved'],
      ],
    );
    const state = computeSla(P0, tl, at('2026-06-02T16:00:00Z'));
    expect(state.updates).toMatchObject({ dueAt: null, warnAt: null, breached: false });
    expect(state.nextDueAt).toBeNull();
    expect(state.nextCheckAt).toBeNull();
    expect(effectsAt(P0, tl, '2026-06-02T16:00:00Z')).toEqual([]);
  });

  it('non-P0 tickets have no update cadence and no escalations', () => {
    const state = computeSla(termsFor('premium', 'P1'), timeline(TUESDAY_10_ET, ['2026-06-02T14:10:00Z']), 0);
    expect(state.updates).toBeNull();
    expect(state.escalation).toBeNull();
  });
});

describe('P0 internal escalations', () => {
  const P0 = termsFor('essential', 'P0');
  const open = timeline(TUESDAY_10_ET, ['2026-06-02T14:20:00Z'], [['2026-06-02T14:20:00Z', 'open']]);

  it.each([
    ['2026-06-02T14:59:59.999Z', 0, [], '2026-06-02T15:00:00Z'],
    ['2026-06-02T15:00:00Z', 1, ['2026-06-02T15:00:00Z'], '2026-06-02T17:00:00Z'],
    ['2026-06-02T16:59:00Z', 1, ['2026-06-02T15:00:00Z'], '2026-06-02T17:00:00Z'],
    ['2026-06-02T17:00:00Z', 2, ['2026-06-02T15:00:00Z', '2026-06-02T17:00:00Z'], '2026-06-02T19:00:00Z'],
    [
      '2026-06-02T19:30:00Z',
      3,
      ['2026-06-02T15:00:00Z', '2026-06-02T17:00:00Z', '2026-06-02T19:00:00Z'],
      '2026-06-02T21:00:00Z',
    ],
  ] as [string, number, string[], string][])('at %s: level %i', (now, level, reachedAt, next) => {
    const state = computeSla(P0, open, at(now));
    expect(state.escalation!.level).toBe(level);
    expect(state.escalation!.reachedAt.map(iso)).toEqual(reachedAt);
    expect(iso(state.escalation!.nextDueAt)).toBe(next);
  });

  it('dueEffects lists every level reached, once each', () => {
    const effects = dueEffects(computeSla(P0, open, at('2026-06-02T19:30:00Z')), at('2026-06-02T19:30:00Z'));
    const escalations = effects.filter((e) => e.kind === 'escalation');
    expect(escalations.map((e) => ({ ...e, dueAt: iso(e.dueAt) }))).toEqual([
      { kind: 'escalation', target: 'escalation', dueAt: '2026-06-02T15:00:00Z', level: 1 },
      { kind: 'escalation', target: 'escalation', dueAt: '2026-06-02T17:00:00Z', level: 2 },
      { kind: 'escalation', target: 'escalation', dueAt: '2026-06-02T19:00:00Z', level: 3 },
    ]);
  });

  it('the next escalation wakes the scheduler once nothing else is pending', () => {
    // First response at 14:20, last update 14:20: update due 14:50; at 15:30 it is breached.
    const state = computeSla(P0, open, at('2026-06-02T15:30:00Z'));
    expect(iso(state.nextDueAt)).toBe('2026-06-02T14:50:00Z');
    expect(iso(state.nextCheckAt)).toBe('2026-06-02T17:00:00Z');
  });

  it('stop at resolution: levels reached before it stay, none after, and no effects', () => {
    const tl: SlaTimeline = {
      ...open,
      statuses: [...open.statuses, { at: at('2026-06-02T18:00:00Z'), status: 'resolved' }],
    };
    const state = computeSla(P0, tl, at('2026-06-02T23:00:00Z'));
    expect(state.escalation!.level).toBe(2);
    expect(state.escalation!.reachedAt.map(iso)).toEqual(['2026-06-02T15:00:00Z', '2026-06-02T17:00:00Z']);
    expect(state.escalation!.nextDueAt).toBeNull();
    expect(state.nextCheckAt).toBeNull();
    expect(dueEffects(state, at('2026-06-02T23:00:00Z'))).toEqual([]);
  });
});

describe('dueEffects: warnings and breaches', () => {
  // essential P2 (4 hours) opened Tuesday 14:00Z: warn at 17:12Z (48 minutes = 20% left), due 18:00Z.
  const terms = termsFor('essential', 'P2');
  const tl = timeline(TUESDAY_10_ET);

  it.each([
    ['2026-06-02T14:00:00Z', []],
    ['2026-06-02T17:11:59.999Z', []],
    ['2026-06-02T17:12:00Z', [{ kind: 'warning', target: 'first_response', dueAt: '2026-06-02T18:00:00Z' }]],
    [
      '2026-06-02T17:59:59.999Z',
      [{ kind: 'warning', target: 'first_response', dueAt: '2026-06-02T18:00:00Z' }],
    ],
    ['2026-06-02T18:00:00Z', [{ kind: 'breach', target: 'first_response', dueAt: '2026-06-02T18:00:00Z' }]],
    ['2026-06-05T00:00:00Z', [{ kind: 'breach', target: 'first_response', dueAt: '2026-06-02T18:00:00Z' }]],
  ] as [string, unknown[]][])('at %s', (now, expected) => {
    expect(effectsAt(terms, tl, now)).toEqual(expected);
  });

  it('warnAt of a calendar target is 80% of the target after opening', () => {
    expect(iso(computeSla(terms, tl, at(TUESDAY_10_ET)).firstResponse.warnAt)).toBe('2026-06-02T17:12:00Z');
  });

  it('warnAt of a business-day target is 80% of the business time after opening', () => {
    // basic P2 opened Tuesday 10:00 EDT: 6h24m of business time → Tuesday 16:24 EDT.
    const state = computeSla(termsFor('basic', 'P2'), tl, at(TUESDAY_10_ET));
    expect(iso(state.firstResponse.warnAt)).toBe('2026-06-02T20:24:00Z');
    // Opened Friday 2026-11-27 16:30 EST: 30 minutes Friday + 5h54m Monday → Monday 14:54 EST.
    const friday = computeSla(termsFor('basic', 'P2'), timeline('2026-11-27T21:30:00Z'), 0);
    expect(iso(friday.firstResponse.warnAt)).toBe('2026-11-30T19:54:00Z');
    expect(
      effectsAt(termsFor('basic', 'P2'), timeline('2026-11-27T21:30:00Z'), '2026-11-30T19:54:00Z'),
    ).toEqual([{ kind: 'warning', target: 'first_response', dueAt: '2026-11-30T21:30:00Z' }]);
    // The weekend is not 80% of anything: no warning on Sunday.
    expect(
      effectsAt(termsFor('basic', 'P2'), timeline('2026-11-27T21:30:00Z'), '2026-11-29T20:00:00Z'),
    ).toEqual([]);
  });

  it('a met target gives no warning or breach, even if met late', () => {
    const met = timeline(TUESDAY_10_ET, ['2026-06-02T18:30:00Z'], [['2026-06-02T18:30:00Z', 'open']]);
    expect(effectsAt(terms, met, '2026-06-02T19:00:00Z')).toEqual([]);
    const early = timeline(TUESDAY_10_ET, ['2026-06-02T15:00:00Z']);
    expect(effectsAt(terms, early, '2026-06-02T17:30:00Z')).toEqual([]);
  });

  it('nothing once the ticket is resolved or closed, even with an unmet target', () => {
    for (const status of ['resolved', 'closed'] as const) {
      const done = timeline(TUESDAY_10_ET, [], [['2026-06-02T15:00:00Z', status]]);
      const state = computeSla(terms, done, at('2026-06-02T19:00:00Z'));
      expect(state.nextDueAt).toBeNull();
      expect(state.nextCheckAt).toBeNull();
      expect(dueEffects(state, at('2026-06-02T19:00:00Z'))).toEqual([]);
    }
    const p0 = termsFor('premium', 'P0');
    const done = timeline(TUESDAY_10_ET, [], [['2026-06-02T14:30:00Z', 'closed']]);
    expect(effectsAt(p0, done, '2026-06-02T20:00:00Z')).toEqual([]);
  });

  it('P0 at 15:00Z with no reply: the first-response breach and the first escalation', () => {
    expect(effectsAt(termsFor('premium', 'P0'), tl, '2026-06-02T15:00:00Z')).toEqual([
      { kind: 'breach', target: 'first_response', dueAt: '2026-06-02T14:15:00Z' },
      { kind: 'escalation', target: 'escalation', dueAt: '2026-06-02T15:00:00Z', level: 1 },
    ]);
  });
});

describe('nextDueAt and nextCheckAt', () => {
  const terms = termsFor('essential', 'P2');
  const tl = timeline(TUESDAY_10_ET);

  it.each([
    ['2026-06-02T15:00:00Z', '2026-06-02T18:00:00Z', '2026-06-02T17:12:00Z'],
    ['2026-06-02T17:12:00Z', '2026-06-02T18:00:00Z', '2026-06-02T18:00:00Z'],
    ['2026-06-02T17:30:00Z', '2026-06-02T18:00:00Z', '2026-06-02T18:00:00Z'],
    // Overdue: still owed (the queue orders by it), but nothing left to wake for.
    ['2026-06-02T18:30:00Z', '2026-06-02T18:00:00Z', null],
  ] as [string, string, string | null][])('at %s: nextDueAt %s, nextCheckAt %s', (now, due, check) => {
    const state = computeSla(terms, tl, at(now));
    expect(iso(state.nextDueAt)).toBe(due);
    expect(iso(state.nextCheckAt)).toBe(check);
  });

  it('nextCheckAt is always in the future', () => {
    const p0 = termsFor('premium', 'P0');
    const state = computeSla(p0, tl, at('2026-06-02T14:12:00Z'));
    expect(iso(state.nextCheckAt)).toBe('2026-06-02T14:15:00Z');
    const later = computeSla(p0, tl, at('2026-06-02T14:15:00Z'));
    expect(iso(later.nextCheckAt)).toBe('2026-06-02T15:00:00Z');
  });

  it('the soonest of several owed targets', () => {
    // A reopened P0 with an unmet first response: both the first and the next response are owed.
    const reopened = timeline(
      TUESDAY_10_ET,
      [],
      [
        ['2026-06-02T14:05:00Z', 'resolved'],
        ['2026-06-02T14:10:00Z', 'open'],
      ],
    );
    const state = computeSla(termsFor('premium', 'P0'), reopened, at('2026-06-02T14:11:00Z'));
    expect(iso(state.nextResponse!.dueAt)).toBe('2026-06-02T14:25:00Z');
    expect(iso(state.nextDueAt)).toBe('2026-06-02T14:15:00Z');
    expect(iso(state.nextCheckAt)).toBe('2026-06-02T14:12:00Z');
  });

  it('a business target wakes the scheduler at its business-clock warning', () => {
    const state = computeSla(
      termsFor('basic', 'P2'),
      timeline('2026-11-27T21:30:00Z'),
      at('2026-11-28T12:00:00Z'),
    );
    expect(iso(state.nextDueAt)).toBe('2026-11-30T21:30:00Z');
    expect(iso(state.nextCheckAt)).toBe('2026-11-30T19:54:00Z');
  });
});

describe('contract overrides', () => {
  it('a first-response override from the contract is used as given', () => {
    const terms = termsFor('basic', 'P2', { targets: { P2: '30 minutes' } });
    expect(terms.firstResponse).toEqual({
      minutes: 30,
      clock: 'calendar',
      label: '30 minutes',
      overridden: true,
    });
    // Saturday: a calendar-clock override does not wait for business hours.
    const state = computeSla(terms, timeline('2026-06-06T16:00:00Z'), at('2026-06-06T16:00:00Z'));
    expect(iso(state.firstResponse.dueAt)).toBe('2026-06-06T16:30:00Z');
    expect(iso(state.firstResponse.warnAt)).toBe('2026-06-06T16:24:00Z');
    expect(state.firstResponse.term.overridden).toBe(true);
  });

  it('SlaTerms written by hand with an overridden term are used as given', () => {
    const terms: SlaTerms = {
      ...termsFor('basic', 'P2'),
      firstResponse: { minutes: 30, clock: 'calendar', label: '30 minutes', overridden: true },
    };
    const state = computeSla(
      terms,
      timeline(TUESDAY_10_ET, ['2026-06-02T14:20:00Z']),
      at('2026-06-02T15:00:00Z'),
    );
    expect(iso(state.firstResponse.dueAt)).toBe('2026-06-02T14:30:00Z');
    expect(state.firstResponse.remainingMs).toBe(10 * MINUTE);
    expect(state.firstResponse.term).toEqual(terms.firstResponse);
  });

  it('a business-clock override counts business time', () => {
    const terms = termsFor('premium', 'P2', { targets: { P2: '1 business day' } });
    expect(terms.firstResponse).toMatchObject({ minutes: 480, clock: 'business', overridden: true });
    const state = computeSla(terms, timeline('2026-11-27T21:30:00Z'), 0);
    expect(iso(state.firstResponse.dueAt)).toBe('2026-11-30T21:30:00Z');
  });

  it('P0 cadence overrides are used as given', () => {
    const terms = termsFor('premium', 'P0', { p0: { updateEvery: '1 hour', escalationFirst: '30 minutes' } });
    expect(terms.p0!.updateEvery.overridden).toBe(true);
    expect(terms.p0!.escalationEvery.overridden).toBe(false);
    const tl = timeline(TUESDAY_10_ET, ['2026-06-02T14:10:00Z']);
    const state = computeSla(terms, tl, at('2026-06-02T14:45:00Z'));
    expect(iso(state.updates!.dueAt)).toBe('2026-06-02T15:10:00Z');
    expect(state.escalation!.reachedAt.map(iso)).toEqual(['2026-06-02T14:30:00Z']);
    expect(iso(state.escalation!.nextDueAt)).toBe('2026-06-02T16:30:00Z');
  });
});

describe('reopening a resolved P0 ticket', () => {
  // premium P0 opened Tuesday 14:00Z, answered 14:10Z, resolved 14:30Z (before the 14:40Z update
  // and the 15:00Z escalation fell due), reopened 20:00Z. While it was resolved nothing was owed
  // ("until resolved"); the reopening owes a next response by 20:15Z.
  const P0 = termsFor('premium', 'P0');
  const tl = timeline(
    TUESDAY_10_ET,
    ['2026-06-02T14:10:00Z'],
    [
      ['2026-06-02T14:10:00Z', 'open'],
      ['2026-06-02T14:30:00Z', 'resolved'],
      ['2026-06-02T20:00:00Z', 'open'],
    ],
  );
  const now = '2026-06-02T20:05:00Z';

  it('owes the next response from the reopening', () => {
    const state = computeSla(P0, tl, at(now));
    expect(iso(state.nextResponse!.dueAt)).toBe('2026-06-02T20:15:00Z');
    expect(iso(state.firstResponse.metAt)).toBe('2026-06-02T14:10:00Z');
  });

  // KNOWN ENGINE BUG (reported to the lead, left failing on purpose): the update cadence is counted
  // from the last reply before the resolution, so the reopening is born with an update "due" at
  // 14:40Z, while the ticket was resolved, and dueEffects records an update breach for it at once.
  it('does not blame the desk for an update that fell due while the ticket was resolved', () => {
    const state = computeSla(P0, tl, at(now));
    expect(state.updates!.breached).toBe(false);
    expect(state.updates!.dueAt === null || state.updates!.dueAt > at('2026-06-02T20:00:00Z')).toBe(true);
    expect(state.nextDueAt).toBeGreaterThanOrEqual(at('2026-06-02T20:00:00Z'));
    expect(effectsAt(P0, tl, now).filter((e) => e.target === 'update')).toEqual([]);
  });

  // KNOWN ENGINE BUG (reported to the lead, left failing on purpose): escalations are counted up to
  // `now` once the ticket is active again, so the reopening fires levels 1–3 (15:00Z, 17:00Z, 19:00Z),
  // all of them instants at which the ticket was resolved.
  it('does not fire escalations for instants at which the ticket was resolved', () => {
    expect(effectsAt(P0, tl, now).filter((e) => e.kind === 'escalation')).toEqual([]);
  });
});

describe('resolution targets (from a contract)', () => {
  const terms = termsFor('premium', 'P1', { resolutionTargets: { P1: '1 business day' } });

  it('counts from the opening on its own clock and is met by the first resolution', () => {
    expect(terms.resolution).toMatchObject({ minutes: 480, clock: 'business', overridden: true });
    const open = timeline(TUESDAY_10_ET, ['2026-06-02T14:30:00Z']);
    const state = computeSla(terms, open, at('2026-06-03T12:00:00Z'));
    expect(iso(state.resolution!.dueAt)).toBe('2026-06-03T14:00:00Z');
    expect(iso(state.resolution!.warnAt)).toBe('2026-06-02T20:24:00Z');
    expect(state.resolution!.remainingMs).toBe(HOUR);
    expect(effectsAt(terms, open, '2026-06-03T12:00:00Z')).toEqual([
      { kind: 'warning', target: 'resolution', dueAt: '2026-06-03T14:00:00Z' },
    ]);
    expect(effectsAt(terms, open, '2026-06-03T14:00:00Z')).toEqual([
      { kind: 'breach', target: 'resolution', dueAt: '2026-06-03T14:00:00Z' },
    ]);
    const resolved = timeline(
      TUESDAY_10_ET,
      ['2026-06-02T14:30:00Z'],
      [['2026-06-02T20:00:00Z', 'resolved']],
    );
    const met = computeSla(terms, resolved, at('2026-06-05T00:00:00Z'));
    expect(iso(met.resolution!.metAt)).toBe('2026-06-02T20:00:00Z');
    expect(met.resolution!.remainingMs).toBe(2 * HOUR);
    expect(met.resolution!.breached).toBe(false);
  });
});

describe('addOnClock and elapsedOnClock', () => {
  const cal = termsFor('basic', 'P2').calendar;
  const business = termsFor('basic', 'P2').firstResponse;
  const calendar = termsFor('basic', 'P1').firstResponse;

  it('calendar clock: plain arithmetic, negative when reversed', () => {
    expect(iso(addOnClock(calendar, cal, at('2026-11-01T05:50:00Z'), 15 * MINUTE))).toBe(
      '2026-11-01T06:05:00Z',
    );
    expect(elapsedOnClock(calendar, cal, at('2026-06-06T16:00:00Z'), at('2026-06-08T14:00:00Z'))).toBe(
      46 * HOUR,
    );
    expect(elapsedOnClock(calendar, cal, at('2026-06-08T14:00:00Z'), at('2026-06-06T16:00:00Z'))).toBe(
      -46 * HOUR,
    );
  });

  it('business clock: only open hours, negative when reversed', () => {
    expect(iso(addOnClock(business, cal, at('2026-06-05T20:30:00Z'), 8 * HOUR))).toBe('2026-06-08T20:30:00Z');
    expect(elapsedOnClock(business, cal, at('2026-06-06T16:00:00Z'), at('2026-06-08T14:00:00Z'))).toBe(HOUR);
    expect(elapsedOnClock(business, cal, at('2026-06-08T14:00:00Z'), at('2026-06-06T16:00:00Z'))).toBe(-HOUR);
  });
});

describe('properties', () => {
  const STATUSES: TicketStatus[] = ['open', 'waiting_on_customer', 'resolved', 'closed'];
  const MIN_OPEN = at('2024-01-01T00:00:00Z');
  const MAX_OPEN = at('2030-12-31T23:59:59Z');
  const WEEK = 7 * 24 * HOUR;

  type Step =
    | {
        kind: 'staff';
        visibility: 'public' | 'internal';
        role: 'agent' | 'lead' | 'admin';
        automatic: boolean;
      }
    | { kind: 'customer'; role: 'contact' | 'member' }
    | { kind: 'status'; to: TicketStatus };

  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({
      kind: fc.constant('staff' as const),
      visibility: fc.constantFrom('public' as const, 'internal' as const),
      role: fc.constantFrom('agent' as const, 'lead' as const, 'admin' as const),
      automatic: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    }),
    fc.record({
      kind: fc.constant('customer' as const),
      role: fc.constantFrom('contact' as const, 'member' as const),
    }),
    fc.record({ kind: fc.constant('status' as const), to: fc.constantFrom(...STATUSES) }),
  );

  const scenario = fc.record({
    openedAt: fc.integer({ min: MIN_OPEN, max: MAX_OPEN }),
    tier: fc.constantFrom(...TIERS),
    priority: fc.constantFrom(...PRIORITIES),
    openingStatus: fc.constantFrom('new' as const, 'open' as const),
    steps: fc.array(fc.tuple(fc.integer({ min: 0, max: WEEK }), step), { maxLength: 12 }),
    after: fc.integer({ min: 0, max: 2 * WEEK }),
  });

  it('computeSla and dueEffects obey the promise for random tickets', () => {
    fc.assert(
      fc.property(scenario, ({ openedAt, tier, priority, openingStatus, steps, after }) => {
        const sorted = [...steps]
          .sort((a, b) => a[0] - b[0])
          .map(([offset, s]) => ({ at: openedAt + offset, s }));
        const events: TimelineEvent[] = [
          { type: 'created', at: openedAt, data: { status: openingStatus } },
          {
            type: 'message_added',
            at: openedAt,
            data: { visibility: 'public', authorRole: 'contact', initial: true },
          },
          ...sorted.map(({ at: when, s }): TimelineEvent => {
            switch (s.kind) {
              case 'staff':
                return {
                  type: 'message_added',
                  at: when,
                  data: {
                    visibility: s.visibility,
                    authorRole: s.role,
                    ...(s.automatic ? { automatic: true } : {}),
                  },
                };
              case 'customer':
                return {
                  type: 'message_added',
                  at: when,
                  data: { visibility: 'public', authorRole: s.role },
                };
              case 'status':
                return { type: 'status_changed', at: when, data: { to: s.to } };
            }
          }),
        ];
        const now = (sorted.at(-1)?.at ?? openedAt) + after;
        const terms = termsFor(tier, priority);
        const tl = timelineFromEvents(openedAt, events);
        const state = computeSla(terms, tl, now);

        // Deterministic: the same inputs (even rebuilt) give the same output.
        expect(computeSla(terms, timelineFromEvents(openedAt, structuredClone(events)), now)).toEqual(state);
        expect(computeSla(termsFor(tier, priority), tl, now)).toEqual(state);

        // The due time depends only on the terms and the opening, never on what happened since.
        const fr = state.firstResponse;
        expect(fr.dueAt).toBeGreaterThanOrEqual(openedAt);
        expect(fr.warnAt).toBeGreaterThanOrEqual(openedAt);
        expect(fr.warnAt).toBeLessThanOrEqual(fr.dueAt);
        const bare = computeSla(
          terms,
          { openedAt, staffPublicReplies: [], statuses: [{ at: openedAt, status: 'new' }] },
          now,
        );
        expect(fr.dueAt).toBe(bare.firstResponse.dueAt);
        expect(fr.warnAt).toBe(bare.firstResponse.warnAt);
        expect(fr.dueAt).toBe(
          addOnClock(terms.firstResponse, terms.calendar, openedAt, terms.firstResponse.minutes * MINUTE),
        );

        // Met by the first public, non-automatic staff reply at or after opening.
        const firstStaffReply =
          sorted.find(({ s }) => s.kind === 'staff' && s.visibility === 'public' && !s.automatic)?.at ?? null;
        expect(fr.metAt).toBe(firstStaffReply);

        const current = tl.statuses.at(-1)!.status;
        const done = current === 'resolved' || current === 'closed';
        if (!done) {
          expect(fr.breached).toBe((fr.metAt ?? now) > fr.dueAt);
          expect(fr.remainingMs).toBe(elapsedOnClock(fr.term, terms.calendar, fr.metAt ?? now, fr.dueAt));
        }
        if (fr.term.clock === 'calendar') expect(fr.remainingMs).toBe(fr.dueAt - (fr.metAt ?? now));

        if (state.nextCheckAt !== null) expect(state.nextCheckAt).toBeGreaterThan(now);

        const effects = dueEffects(state, now);
        const keys = effects.map((e: SlaEffect) => `${e.kind}|${e.target}|${e.dueAt}`);
        expect(new Set(keys).size).toBe(keys.length);
        if (done) expect(effects).toEqual([]);
        for (const e of effects) {
          if (e.kind === 'escalation') expect(e.dueAt).toBeLessThanOrEqual(now);
          if (e.kind === 'breach') expect(e.dueAt).toBeLessThanOrEqual(now);
          if (e.kind === 'warning') expect(e.dueAt).toBeGreaterThan(now);
        }
        expect(dueEffects(state, now)).toEqual(effects);
      }),
      { numRuns: 200 },
    );
  });
});
