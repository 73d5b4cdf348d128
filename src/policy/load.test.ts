import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkPolicyFile,
  defaultPolicyPath,
  loadDefaultPolicy,
  loadPolicyFile,
  loadPolicyText,
  repositoryRoot,
  type PolicyLoadResult,
} from './load.js';
import { formatProblem, type PolicyProblem } from './schema.js';
import { PRIORITIES, REQUEST_TYPES, REQUEST_TYPE_MINIMUM_TIER, TIERS, tierIncludes } from './tiers.js';

const defaultText = readFileSync(defaultPolicyPath(), 'utf8');

/** The default file with one exact edit; fails loudly if the text to replace is not there. */
function edited(...edits: [from: string, to: string][]): string {
  let text = defaultText;
  for (const [from, to] of edits) {
    expect(text, `the default policy contains ${JSON.stringify(from)}`).toContain(from);
    text = text.replace(from, to);
  }
  return text;
}

function problemsOf(result: PolicyLoadResult): PolicyProblem[] {
  expect(result.ok).toBe(false);
  expect(result).not.toHaveProperty('policy');
  return result.ok ? [] : result.problems;
}

const lineOf = (text: string, fragment: string) => text.slice(0, text.indexOf(fragment)).split('\n').length;

const tmp = mkdtempSync(path.join(tmpdir(), 'accord-policy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the default policy (MaintainX support policy, revised 12 February 2024)', () => {
  const policy = loadDefaultPolicy();

  it('loads with its identity and effective date', () => {
    expect(policy).toMatchObject({
      id: 'maintainx-support',
      version: '2024-02-12',
      revisionDate: '2024-02-12',
      effectiveFrom: '2024-02-12',
      vendor: 'MaintainX',
    });
    expect(policy.support).toMatchObject({
      availability: '24/7',
      timeZone: 'America/New_York',
      term: 'subscription',
    });
  });

  // The table of median response times, cell by cell.
  it.each([
    ['basic', 'P0', 2, 'hour', 'calendar', 120],
    ['basic', 'P1', 4, 'hour', 'calendar', 240],
    ['basic', 'P2', 1, 'business_day', 'business', 480],
    ['basic', 'P3', 2, 'business_day', 'business', 960],
    ['essential', 'P0', 1, 'hour', 'calendar', 60],
    ['essential', 'P1', 2, 'hour', 'calendar', 120],
    ['essential', 'P2', 4, 'hour', 'calendar', 240],
    ['essential', 'P3', 1, 'business_day', 'business', 480],
    ['premium', 'P0', 15, 'minute', 'calendar', 15],
    ['premium', 'P1', 1, 'hour', 'calendar', 60],
    ['premium', 'P2', 2, 'hour', 'calendar', 120],
    ['premium', 'P3', 4, 'hour', 'calendar', 240],
    ['enterprise', 'P0', 15, 'minute', 'calendar', 15],
    ['enterprise', 'P1', 1, 'hour', 'calendar', 60],
    ['enterprise', 'P2', 2, 'hour', 'calendar', 120],
    ['enterprise', 'P3', 4, 'hour', 'calendar', 240],
  ] as const)(
    '%s %s first response: %d %s on the %s clock = %d minutes',
    (tier, priority, amount, unit, clock, minutes) => {
      expect(policy.targets[tier][priority]).toEqual({ amount, unit, clock, minutes });
    },
  );

  it('gives enterprise the same targets as premium, as the table does', () => {
    expect(policy.targets.enterprise).toEqual(policy.targets.premium);
  });

  it('promises the targets as medians and sets no resolution times', () => {
    expect(policy.responseTimes.measure).toBe('median');
    expect(policy.resolutionTargets).toEqual({});
  });

  it('updates P0 customers every 30 minutes and escalates after 1 hour, then every 2 hours', () => {
    expect(policy.p0.updateEvery).toEqual({ amount: 30, unit: 'minute', clock: 'calendar', minutes: 30 });
    expect(policy.p0.escalation.first).toMatchObject({ clock: 'calendar', minutes: 60 });
    expect(policy.p0.escalation.every).toMatchObject({ clock: 'calendar', minutes: 120 });
  });

  it('warns at 20% of a target remaining', () => {
    expect(policy.warnings.leadFraction).toBe(0.2);
  });

  it('runs business days on a US Eastern 9-to-5 weekday calendar of 8-hour days', () => {
    expect(policy.defaultCalendar).toBe('us-eastern');
    const nineToFive = [{ open: '09:00', close: '17:00' }];
    expect(policy.calendars['us-eastern']).toEqual({
      timeZone: 'America/New_York',
      hours: { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive },
      holidayRules: ['us-federal'],
    });
    expect(policy.businessDay).toMatchObject({ minutes: 480, clock: 'business' });
    expect(policy.clocks).toEqual({ minute: 'calendar', hour: 'calendar', business_day: 'business' });
  });

  it('includes in each tier exactly the request types tiers.ts grants it', () => {
    for (const tier of TIERS) {
      expect([...policy.tiers[tier].requestTypes].sort()).toEqual(
        REQUEST_TYPES.filter((type) => tierIncludes(tier, type)).sort(),
      );
    }
    expect(policy.tiers.basic.requestTypes).toEqual(
      REQUEST_TYPES.filter((type) => REQUEST_TYPE_MINIMUM_TIER[type] === 'basic'),
    );
  });

  it('names and describes every tier and priority in English and French', () => {
    const texts = [
      ...TIERS.flatMap((t) => [policy.tiers[t].name, policy.tiers[t].description]),
      ...PRIORITIES.flatMap((p) => [
        policy.priorities[p].name,
        policy.priorities[p].description,
        policy.priorities[p].resolutionEffort,
      ]),
    ];
    expect(texts).toHaveLength(20);
    for (const text of texts) {
      expect(text.en.trim()).not.toBe('');
      expect(text.fr.trim()).not.toBe('');
    }
    expect(PRIORITIES.map((p) => policy.priorities[p].name.en)).toEqual([
      'Critical',
      'Major',
      'Minor',
      'Cosmetic',
    ]);
    expect(PRIORITIES.map((p) => policy.priorities[p].name.fr)).toEqual([
      'Critique',
      'Majeur',
      'Mineur',
      'Esthétique',
    ]);
  });

  it("keeps the severity table's texts word for word", () => {
    expect(policy.priorities.P0.description.en).toBe(
      'The MaintainX Platform is inaccessible or its expected functionality is severely impacted, making it impossible for the customer to continue using the MaintainX Platform.',
    );
    expect(policy.priorities.P0.resolutionEffort.en).toBe(
      'Continuous efforts will be made until the problem is officially resolved, tested, deployed, and normal operations are restored. Updates will be provided every 30 minutes. If necessary, internal escalation will occur after 1 hour and then every 2 hours thereafter.',
    );
    expect(policy.priorities.P3.description.en).toContain('"how to" questions related to configurations');
  });

  it('lists the three support channels, the help center and the status page', () => {
    expect(policy.channels.list.map((c) => c.id)).toEqual(['in_app', 'chat', 'email']);
    expect(policy.channels.list[1]!.url).toBe('https://www.getmaintainx.com');
    expect(policy.channels.list[2]!.address).toBe('support@getmaintainx.com');
    expect(policy.channels.helpCenter.url).toBe('https://help.getmaintainx.com/en/');
    expect(policy.channels.statusPage.url).toBe('https://status.getmaintainx.com/');
    expect(policy.channels.urgent).toMatchObject({
      priorities: ['P0', 'P1'],
      means: ['chat', 'phone', 'email'],
    });
  });

  it("carries the customer's duties, the exclusions and the change rule", () => {
    const { contact, cooperation } = policy.customerResponsibilities;
    expect(contact.minimumDesignatedContacts).toBe(1);
    expect(contact.duties).toHaveLength(4);
    expect(cooperation.paragraphs).toHaveLength(2);
    expect(policy.exclusions.excluded.map((e) => e.id)).toEqual([
      'nonconforming_use',
      'negligence_or_misconduct',
    ]);
    expect(policy.exclusions.inappropriateUse.examples).toHaveLength(3);
    expect(policy.changes.noSignificantDecreaseDuringTerm).toBe(true);
  });
});

describe('loading a policy file', () => {
  it('reports a misspelt duration with its path, exactly', () => {
    const text = edited(['P2: 1 business day', 'P2: 1 buisness day']);
    const problems = problemsOf(loadPolicyText(text));
    expect(problems).toEqual([
      {
        path: 'targets.basic.P2',
        message: '"1 buisness day" is not a duration',
        line: lineOf(text, 'P2: 1 buisness day'),
        column: 9,
      },
    ]);
    expect(problems.map(formatProblem)).toEqual(['targets.basic.P2: "1 buisness day" is not a duration']);
  });

  it('reports every problem at once, each with its path', () => {
    const text = edited(
      ['vendor: MaintainX', 'vendor: MaintainX\nsupportHours: 24/7'],
      ['  enterprise: *premium-and-enterprise-targets\n', ''],
      ['    P3: 1 business day\n  premium:', '  premium:'],
      ["fri: [{ open: '09:00', close: '17:00' }]", "fri: [{ open: '17:00', close: '09:00' }]"],
      ['defaultCalendar: us-eastern', 'defaultCalendar: us-central'],
      ['leadFraction: 0.2', 'leadFraction: 1.5'],
      ['      fr: Majeur\n', '      fr: Majeur\n    colour: red\n'],
    );
    const lines = problemsOf(loadPolicyText(text)).map(formatProblem);
    expect(lines).toEqual([
      'supportHours: unknown key',
      'targets.enterprise: missing: every tier needs a first-response target for every priority',
      'targets.essential.P3: missing: every tier needs a first-response target for every priority',
      'priorities.P1.colour: unknown key (expected one of: name, description, resolutionEffort)',
      'warnings.leadFraction: must be more than 0 and less than 1 (the fraction of a target left when agents are warned)',
      'calendars.us-eastern.hours.fri.0: opens at 17:00 but closes at 09:00',
      'defaultCalendar: "us-central" is not one of the calendars (us-eastern)',
    ]);
  });

  it('places each problem on its line', () => {
    const text = edited(
      ['leadFraction: 0.2', 'leadFraction: 1.5'],
      ['resolutionTargets: {}', 'resolutionTarget: {}'],
    );
    const problems = problemsOf(loadPolicyText(text));
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ['resolutionTarget', lineOf(text, 'resolutionTarget: {}')],
      ['warnings.leadFraction', lineOf(text, 'leadFraction: 1.5')],
    ]);
    expect(problems[0]!.message).toBe('unknown key (did you mean "resolutionTargets"?)');
  });

  it('reports a missing tier and a missing priority in the tier and priority definitions', () => {
    const text = edited(
      ['  enterprise:\n    name:\n      en: Enterprise', '  entreprise:\n    name:\n      en: Enterprise'],
      ['  P3:\n    name:\n      en: Cosmetic', '  P4:\n    name:\n      en: Cosmetic'],
    );
    const lines = problemsOf(loadPolicyText(text)).map(formatProblem);
    // A missing key is placed on the mapping that lacks it, so it comes first.
    expect(lines).toEqual([
      'tiers.enterprise: missing: the policy defines every tier (basic, essential, premium, enterprise)',
      'tiers.entreprise: unknown key (did you mean "enterprise"?)',
      'priorities.P3: missing: the policy defines every priority (P0 to P3)',
      'priorities.P4: unknown key (did you mean "P0"?)',
    ]);
  });

  it('reports YAML syntax errors with their line and column, and nothing else', () => {
    const text = edited(['  en: MaintainX Support Policy', '  en: [MaintainX Support Policy']);
    const problems = problemsOf(loadPolicyText(text, 'broken.yaml'));
    expect(problems.length).toBeGreaterThan(0);
    const line = lineOf(text, '  en: [MaintainX');
    expect(problems[0]).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });
    expect(problems[0]!.line).toBeGreaterThanOrEqual(line);
    expect(problems[0]!.line).toBeLessThanOrEqual(line + 1);
    expect(problems[0]!.path).toBe(`broken.yaml:${problems[0]!.line}:${problems[0]!.column}`);
    expect(problems.every((p) => /^broken\.yaml:\d+:\d+$/.test(p.path))).toBe(true);
  });

  it('reports duplicate keys as YAML errors', () => {
    const text = edited(['vendor: MaintainX', 'vendor: MaintainX\nvendor: Other']);
    const [problem] = problemsOf(loadPolicyText(text));
    expect(problem).toMatchObject({
      message: 'Map keys must be unique',
      line: lineOf(text, 'vendor: Other'),
    });
  });

  it('checks calendar hours, holiday rules, dates and time zones', () => {
    const text = edited(
      ["mon: [{ open: '09:00', close: '17:00' }]", "mon: [{ open: '9:00', close: '17:00' }]"],
      [
        "tue: [{ open: '09:00', close: '17:00' }]",
        "tue: [{ open: '09:00', close: '13:00' }, { open: '12:00', close: '17:00' }]",
      ],
      ['holidayRules: [us-federal]', 'holidayRules: [us-federal, uk-bank]\n    closedDates: [2024-02-30]'],
      ['  us-eastern:\n    timeZone: America/New_York', '  us-eastern:\n    timeZone: America/Gotham'],
    );
    expect(problemsOf(loadPolicyText(text)).map(formatProblem)).toEqual([
      'calendars.us-eastern.timeZone: "America/Gotham" is not an IANA time zone',
      'calendars.us-eastern.hours.mon.0.open: "9:00" is not a time of day (HH:MM, 00:00 to 24:00)',
      'calendars.us-eastern.hours.tue.1: opens at 12:00, before the previous interval of the day closes (intervals must be in order and not overlap)',
      'calendars.us-eastern.holidayRules.1: "uk-bank" is not one of: us-federal',
      'calendars.us-eastern.closedDates.0: "2024-02-30" is not a date (YYYY-MM-DD)',
    ]);
  });

  it('refuses a calendar without open hours', () => {
    const text = edited([
      "    hours:\n      mon: [{ open: '09:00', close: '17:00' }]\n      tue: [{ open: '09:00', close: '17:00' }]\n      wed: [{ open: '09:00', close: '17:00' }]\n      thu: [{ open: '09:00', close: '17:00' }]\n      fri: [{ open: '09:00', close: '17:00' }]",
      '    hours: { sat: [] }',
    ]);
    expect(problemsOf(loadPolicyText(text)).map(formatProblem)).toEqual([
      'calendars.us-eastern.hours: no open hours: business-day targets on this calendar would never come due',
    ]);
  });

  it('checks dates, texts and durations everywhere', () => {
    const text = edited(
      ['effectiveFrom: 2024-02-12', 'effectiveFrom: 2024-13-01'],
      ['  fr: Politique de support de MaintainX\n', ''],
      ['P0: 2 hours', 'P0: 2'],
      ['updateEvery: 30 minutes', 'updateEvery: 1 business day'],
      ['businessDay: 8 hours', 'businessDay: 25 hours'],
      ['requestTypes: [question, problem]', 'requestTypes: [question, problem, refund]'],
    );
    expect(problemsOf(loadPolicyText(text)).map(formatProblem)).toEqual([
      'effectiveFrom: "2024-13-01" is not a date (YYYY-MM-DD)',
      'title.fr: missing: every text is given in English (en) and French (fr)',
      'tiers.basic.requestTypes.2: "refund" is not one of: question, problem, data_import, procedure_digitization, best_practice',
      'targets.basic.P0: 2 is not a duration',
      'p0.updateEvery: must be in minutes or hours, not business days: P0 updates are owed around the clock',
      'businessDay: a business day cannot be longer than 24 hours',
    ]);
  });

  it('refuses an empty file and a file that is not a mapping', () => {
    expect(problemsOf(loadPolicyText('')).map(formatProblem)).toEqual(['expected a mapping, found nothing']);
    expect(problemsOf(loadPolicyText('- a\n- b\n')).map(formatProblem)).toEqual([
      'expected a mapping, found a list',
    ]);
  });

  it('accepts resolution targets for some tiers and priorities, measured like first-response targets', () => {
    const result = loadPolicyText(
      edited([
        'resolutionTargets: {}',
        'resolutionTargets:\n  basic:\n    P1: 3 business days\n  premium:\n    P0: 4 hours',
      ]),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.policy.resolutionTargets).toEqual({
      basic: { P1: { amount: 3, unit: 'business_day', clock: 'business', minutes: 1440 } },
      premium: { P0: { amount: 4, unit: 'hour', clock: 'calendar', minutes: 240 } },
    });
  });

  it('measures business days by the policy business day and runs units on the clocks it names', () => {
    const result = loadPolicyText(
      edited(['businessDay: 8 hours', 'businessDay: 10 hours'], ['  hour: calendar', '  hour: business']),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.policy.targets.basic.P2).toEqual({
      amount: 1,
      unit: 'business_day',
      clock: 'business',
      minutes: 600,
    });
    expect(result.policy.targets.basic.P1).toEqual({
      amount: 4,
      unit: 'hour',
      clock: 'business',
      minutes: 240,
    });
    expect(result.policy.targets.premium.P0.clock).toBe('calendar');
    // P0 work is continuous whatever the clocks say about targets.
    expect(result.policy.p0.escalation.first.clock).toBe('calendar');
  });

  it('returns the raw YAML value beside the policy', () => {
    const result = loadPolicyText(defaultText);
    expect(result.ok).toBe(true);
    if (result.ok)
      expect((result.raw as { targets: { basic: { P2: string } } }).targets.basic.P2).toBe('1 business day');
  });
});

describe('files on disk', () => {
  it('finds the repository root from src/policy and from the built dist/policy', () => {
    const root = repositoryRoot();
    expect(defaultPolicyPath()).toBe(path.join(root, 'policy', 'default.yaml'));
    expect(repositoryRoot(path.join(root, 'dist', 'policy'))).toBe(root);
  });

  it('reports a file that cannot be read', () => {
    const missing = path.join(tmp, 'missing.yaml');
    const [problem] = problemsOf(loadPolicyFile(missing));
    expect(problem!.path).toBe(missing);
    expect(problem!.message).toMatch(/^cannot be read \(ENOENT/);
  });

  it('checks a valid file with a one-line summary', () => {
    expect(checkPolicyFile(defaultPolicyPath())).toEqual({
      ok: true,
      lines: [
        `${defaultPolicyPath()}: valid support policy maintainx-support, version 2024-02-12, effective from 2024-02-12, 4 tiers`,
      ],
    });
  });

  it('checks an invalid file with one line per problem', () => {
    const file = path.join(tmp, 'broken.yaml');
    writeFileSync(
      file,
      edited(['P2: 1 business day', 'P2: 1 buisness day'], ['leadFraction: 0.2', 'leadFraction: 0']),
    );
    expect(checkPolicyFile(file)).toEqual({
      ok: false,
      lines: [
        'targets.basic.P2: "1 buisness day" is not a duration',
        'warnings.leadFraction: must be more than 0 and less than 1 (the fraction of a target left when agents are warned)',
      ],
    });
  });
});
