import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffPolicies, formatDiff, mayFallDueLater } from './diff.js';
import type { Duration } from './duration.js';
import { defaultPolicyPath, loadPolicyText } from './load.js';
import type { SupportPolicy } from './schema.js';

const defaultText = readFileSync(defaultPolicyPath(), 'utf8');

/** A version of the default policy with exact edits to its file. */
function version(...edits: [from: string, to: string][]): SupportPolicy {
  let text = defaultText;
  for (const [from, to] of edits) {
    expect(text, `the default policy contains ${JSON.stringify(from)}`).toContain(from);
    text = text.replace(from, to);
  }
  const result = loadPolicyText(text);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return result.policy;
}

const current = version();

describe('diffPolicies', () => {
  it('finds no change between identical policies', () => {
    expect(diffPolicies(current, version())).toEqual([]);
    expect(formatDiff([])).toEqual(['No changes.']);
  });

  it('does not list the version identity as a change', () => {
    const next = version(
      ["version: '2024-02-12'", "version: '2025-01-01'"],
      ['effectiveFrom: 2024-02-12', 'effectiveFrom: 2025-01-01'],
    );
    expect(diffPolicies(current, next)).toEqual([]);
  });

  it('flags a longer first-response target as lowering the service level', () => {
    const changes = diffPolicies(current, version(['P2: 1 business day', 'P2: 2 business days']));
    expect(changes).toEqual([
      expect.objectContaining({
        path: 'targets.basic.P2',
        tier: 'basic',
        priority: 'P2',
        kind: 'target',
        before: '1 business day',
        after: '2 business days',
        lowersService: true,
      }),
    ]);
    expect(formatDiff(changes)).toEqual([
      '! targets.basic.P2: 1 business day -> 2 business days (lowers the service level)',
      '1 change, 1 lowering the service level',
    ]);
    expect(formatDiff(changes, 'fr')[0]).toBe(
      '! targets.basic.P2: 1 jour ouvré -> 2 jours ouvrés (abaisse le niveau de service)',
    );
  });

  it('reports a shorter target without flagging it', () => {
    // Premium and enterprise share one set of targets in the file, so both improve.
    const changes = diffPolicies(current, version(['    P1: 1 hour\n', '    P1: 30 minutes\n']));
    expect(changes.map((c) => [c.path, c.before, c.after, c.lowersService])).toEqual([
      ['targets.premium.P1', '1 hour', '30 minutes', false],
      ['targets.enterprise.P1', '1 hour', '30 minutes', false],
    ]);
    expect(formatDiff(changes)[0]).toBe('  targets.premium.P1: 1 hour -> 30 minutes');
  });

  it('flags a request type removed from a tier', () => {
    const changes = diffPolicies(
      current,
      version([
        '    requestTypes: [question, problem, data_import, procedure_digitization, best_practice]',
        '    requestTypes: [question, problem, procedure_digitization, best_practice]',
      ]),
    );
    expect(changes).toEqual([
      expect.objectContaining({
        path: 'tiers.essential.requestTypes',
        tier: 'essential',
        kind: 'entitlement',
        before: 'data_import',
        after: null,
        lowersService: true,
      }),
    ]);
  });

  it('does not flag a request type added to a tier', () => {
    const changes = diffPolicies(
      current,
      version(['requestTypes: [question, problem]', 'requestTypes: [question, problem, best_practice]']),
    );
    expect(changes).toEqual([
      expect.objectContaining({
        path: 'tiers.basic.requestTypes',
        after: 'best_practice',
        lowersService: false,
      }),
    ]);
  });

  it('flags a slower P0 update cadence', () => {
    const changes = diffPolicies(current, version(['updateEvery: 30 minutes', 'updateEvery: 1 hour']));
    expect(changes).toEqual([
      expect.objectContaining({
        path: 'p0.updateEvery',
        priority: 'P0',
        kind: 'cadence',
        before: '30 minutes',
        after: '1 hour',
        lowersService: true,
      }),
    ]);
  });

  it('flags a later first escalation and a longer escalation interval, not a shorter one', () => {
    const later = diffPolicies(current, version(['    first: 1 hour', '    first: 2 hours']));
    expect(later).toEqual([
      expect.objectContaining({ path: 'p0.escalation.first', kind: 'escalation', lowersService: true }),
    ]);
    const longer = diffPolicies(current, version(['    every: 2 hours', '    every: 3 hours']));
    expect(longer).toEqual([
      expect.objectContaining({ path: 'p0.escalation.every', kind: 'escalation', lowersService: true }),
    ]);
    const sooner = diffPolicies(current, version(['    every: 2 hours', '    every: 90 minutes']));
    expect(sooner).toEqual([expect.objectContaining({ path: 'p0.escalation.every', lowersService: false })]);
  });

  it('reports a text change without flagging it', () => {
    const changes = diffPolicies(current, version(['      en: Cosmetic', '      en: Aesthetic']));
    expect(changes).toEqual([
      expect.objectContaining({
        path: 'priorities.P3.name.en',
        priority: 'P3',
        kind: 'text',
        before: 'Cosmetic',
        after: 'Aesthetic',
        lowersService: false,
      }),
    ]);
    expect(formatDiff(changes)[0]).toBe('  priorities.P3.name.en: "Cosmetic" -> "Aesthetic"');
  });

  it('flags a removed resolution target, not an added one', () => {
    const withTarget = version([
      'resolutionTargets: {}',
      'resolutionTargets:\n  basic:\n    P0: 1 business day',
    ]);
    const added = diffPolicies(current, withTarget);
    expect(added).toEqual([
      expect.objectContaining({
        path: 'resolutionTargets.basic.P0',
        kind: 'resolution_target',
        before: null,
        after: '1 business day',
        lowersService: false,
      }),
    ]);
    expect(diffPolicies(withTarget, current)).toEqual([
      expect.objectContaining({ path: 'resolutionTargets.basic.P0', after: null, lowersService: true }),
    ]);
  });

  it('compares targets across clocks by the rule in diff.ts', () => {
    // 4 hours of wall time becoming 1 business day (8 business hours): later for every ticket.
    const weaker = diffPolicies(current, version(['    P1: 4 hours\n', '    P1: 1 business day\n']));
    expect(weaker).toEqual([expect.objectContaining({ path: 'targets.basic.P1', lowersService: true })]);
    // 1 business day becoming 8 hours of wall time: never later.
    const stronger = diffPolicies(current, version(['P2: 1 business day', 'P2: 8 hours']));
    expect(stronger).toEqual([expect.objectContaining({ path: 'targets.basic.P2', lowersService: false })]);
    // 1 business day becoming 12 hours of wall time: later for a ticket opened at 9:00.
    const mixed = diffPolicies(current, version(['P2: 1 business day', 'P2: 12 hours']));
    expect(mixed).toEqual([expect.objectContaining({ path: 'targets.basic.P2', lowersService: true })]);
  });

  it('flags fewer business hours, an added holiday rule or closed date, and a longer business day', () => {
    const shorterFriday = diffPolicies(
      current,
      version(["fri: [{ open: '09:00', close: '17:00' }]", "fri: [{ open: '09:00', close: '13:00' }]"]),
    );
    expect(shorterFriday).toEqual([
      expect.objectContaining({
        path: 'calendars.us-eastern.hours.fri',
        kind: 'calendar',
        before: '09:00-17:00',
        after: '09:00-13:00',
        lowersService: true,
      }),
    ]);
    const withoutHolidays = version(['holidayRules: [us-federal]', 'holidayRules: []']);
    expect(diffPolicies(withoutHolidays, current)).toEqual([
      expect.objectContaining({
        path: 'calendars.us-eastern.holidayRules',
        after: 'us-federal',
        lowersService: true,
      }),
    ]);
    expect(diffPolicies(current, withoutHolidays)).toEqual([
      expect.objectContaining({ before: 'us-federal', after: null, lowersService: false }),
    ]);
    const closed = diffPolicies(
      current,
      version(['holidayRules: [us-federal]', 'holidayRules: [us-federal]\n    closedDates: [2024-12-24]']),
    );
    expect(closed).toEqual([
      expect.objectContaining({
        path: 'calendars.us-eastern.closedDates',
        after: '2024-12-24',
        lowersService: true,
      }),
    ]);
    const saturday = diffPolicies(
      current,
      version([
        "fri: [{ open: '09:00', close: '17:00' }]",
        "fri: [{ open: '09:00', close: '17:00' }]\n      sat: [{ open: '10:00', close: '14:00' }]",
      ]),
    );
    expect(saturday).toEqual([expect.objectContaining({ before: 'closed', lowersService: false })]);
    expect(formatDiff(saturday, 'fr')[0]).toBe('  calendars.us-eastern.hours.sat: fermé -> 10:00-14:00');

    const longerDay = diffPolicies(current, version(['businessDay: 8 hours', 'businessDay: 10 hours']));
    expect(longerDay.filter((c) => c.lowersService).map((c) => c.path)).toEqual([
      'targets.basic.P2',
      'targets.basic.P3',
      'targets.essential.P3',
      'businessDay',
    ]);
    expect(formatDiff(longerDay)).toContain(
      '! targets.basic.P2: 1 business day (480 min) -> 1 business day (600 min) (lowers the service level)',
    );
  });

  it('flags a removed support channel and an added exclusion', () => {
    const noEmail = diffPolicies(
      current,
      version(['      address: support@getmaintainx.com\n', ''], ['    - id: email\n', '    - id: phone\n']),
    );
    expect(noEmail.map((c) => [c.path, c.before, c.after, c.lowersService])).toEqual([
      ['channels.list', 'email', null, true],
      ['channels.list', null, 'phone', false],
    ]);
    const exclusion = diffPolicies(
      current,
      version([
        '  inappropriateUse:\n',
        '    - id: integrations\n      text:\n        en: third-party integrations\n        fr: les intégrations tierces\n  inappropriateUse:\n',
      ]),
    );
    expect(exclusion).toEqual([
      expect.objectContaining({ path: 'exclusions.excluded', after: 'integrations', lowersService: true }),
    ]);
  });

  it('prints policy-wide changes first, then tier by tier and priority by priority', () => {
    const changes = diffPolicies(
      current,
      version(
        ['P0: 2 hours', 'P0: 3 hours'],
        ['updateEvery: 30 minutes', 'updateEvery: 20 minutes'],
        ['    P3: 1 business day\n  premium:', '    P3: 4 hours\n  premium:'],
        ['leadFraction: 0.2', 'leadFraction: 0.25'],
      ),
    );
    expect(formatDiff(changes)).toEqual([
      '  warnings.leadFraction: 0.2 -> 0.25',
      '  p0.updateEvery: 30 minutes -> 20 minutes',
      '! targets.basic.P0: 2 hours -> 3 hours (lowers the service level)',
      '  targets.essential.P3: 1 business day -> 4 hours',
      '4 changes, 1 lowering the service level',
    ]);
  });
});

describe('what a change is and what it does, as facts for any language', () => {
  const facts = (changes: ReturnType<typeof diffPolicies>) =>
    changes.map((c) => ({ topic: c.topic, tier: c.tier, priority: c.priority, effect: c.effect }));

  it('names a target by topic, tier and priority, with its durations, and calls a shorter one an improvement', () => {
    const shorter = diffPolicies(current, version(['    P3: 2 business days\n', '    P3: 1 business day\n']));
    expect(shorter).toEqual([
      expect.objectContaining({
        path: 'targets.basic.P3',
        topic: 'first_response_target',
        tier: 'basic',
        priority: 'P3',
        effect: 'improves',
        lowersService: false,
        durations: {
          before: { amount: 2, unit: 'business_day', clock: 'business', minutes: 960 },
          after: { amount: 1, unit: 'business_day', clock: 'business', minutes: 480 },
        },
      }),
    ]);
    const longer = diffPolicies(current, version(['    P3: 2 business days\n', '    P3: 3 business days\n']));
    expect(facts(longer)).toEqual([
      { topic: 'first_response_target', tier: 'basic', priority: 'P3', effect: 'lowers' },
    ]);
    // The same promise in other words neither improves nor lowers it.
    const sameMinutes = diffPolicies(current, version(['    first: 1 hour', '    first: 60 minutes']));
    expect(facts(sameMinutes)).toEqual([
      { topic: 'p0_first_escalation', tier: undefined, priority: 'P0', effect: 'neutral' },
    ]);
  });

  it('calls added entitlements and removed exclusions improvements, and words and warnings neither', () => {
    const changes = diffPolicies(
      current,
      version(
        ['requestTypes: [question, problem]', 'requestTypes: [question, problem, best_practice]'],
        ['leadFraction: 0.2', 'leadFraction: 0.25'],
        ['      en: Cosmetic', '      en: Aesthetic'],
      ),
    );
    expect(changes.map((c) => [c.topic, c.effect])).toEqual([
      ['request_type', 'improves'],
      ['warning_lead', 'neutral'],
      ['text', 'neutral'],
    ]);
    const withoutExclusion = diffPolicies(
      current,
      version(['    - id: negligence_or_misconduct\n', '    - id: integrations\n']),
    );
    expect(withoutExclusion.filter((c) => c.topic === 'exclusion')).toEqual([
      expect.objectContaining({ before: 'negligence_or_misconduct', after: null, effect: 'improves' }),
      expect.objectContaining({ before: null, after: 'integrations', effect: 'lowers' }),
    ]);
  });

  it('names a calendar change by calendar and weekday: more hours improve, other hours only change', () => {
    const longerFriday = diffPolicies(
      current,
      version(["fri: [{ open: '09:00', close: '17:00' }]", "fri: [{ open: '08:00', close: '18:00' }]"]),
    );
    expect(longerFriday).toEqual([
      expect.objectContaining({
        topic: 'calendar_hours',
        calendar: 'us-eastern',
        weekday: 'fri',
        effect: 'improves',
      }),
    ]);
    const movedFriday = diffPolicies(
      current,
      version(["fri: [{ open: '09:00', close: '17:00' }]", "fri: [{ open: '10:00', close: '18:00' }]"]),
    );
    expect(movedFriday).toEqual([
      expect.objectContaining({ topic: 'calendar_hours', effect: 'neutral', lowersService: false }),
    ]);
    const hoursOnBusinessClock = diffPolicies(current, version(['  hour: calendar', '  hour: business']));
    expect(hoursOnBusinessClock.find((c) => c.path === 'clocks.hour')).toMatchObject({
      topic: 'unit_clock',
      unit: 'hour',
      effect: 'lowers',
    });
  });
});

describe('mayFallDueLater', () => {
  const d = (minutes: number, clock: Duration['clock']): Duration => ({
    amount: minutes,
    unit: 'minute',
    clock,
    minutes,
  });

  it('compares minutes on the same clock', () => {
    expect(mayFallDueLater(d(60, 'calendar'), d(90, 'calendar'))).toBe(true);
    expect(mayFallDueLater(d(60, 'business'), d(60, 'business'))).toBe(false);
    expect(mayFallDueLater(d(90, 'business'), d(60, 'business'))).toBe(false);
  });

  it('treats a move to the business clock as later, whatever the minutes', () => {
    expect(mayFallDueLater(d(60, 'calendar'), d(60, 'business'))).toBe(true);
    expect(mayFallDueLater(d(600, 'calendar'), d(60, 'business'))).toBe(true);
  });

  it('treats a move to the calendar clock as later only with more minutes', () => {
    expect(mayFallDueLater(d(480, 'business'), d(480, 'calendar'))).toBe(false);
    expect(mayFallDueLater(d(480, 'business'), d(240, 'calendar'))).toBe(false);
    expect(mayFallDueLater(d(480, 'business'), d(720, 'calendar'))).toBe(true);
  });
});
