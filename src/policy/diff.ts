import { formatDuration, type Duration, type Locale } from './duration.js';
import {
  WEEKDAYS,
  minutesOfDay,
  type BusinessCalendarDefinition,
  type OpenInterval,
  type SupportPolicy,
  type Weekday,
} from './model.js';
import { PRIORITIES, TIERS, type Priority, type Tier } from './tiers.js';

/**
 * Comparing two versions of a support policy. Section 6 lets the vendor change the policy provided
 * that no tier's service level decreases significantly during a customer's current subscription
 * term, so every change is listed and those that can make the service worse for some customer are
 * flagged `lowersService`.
 *
 * The rule for durations (targets, P0 cadence, escalation): a change lowers the service when the
 * new duration can fall due later than the old one for some ticket.
 * - On the same clock, that is simply more minutes (business minutes on the business clock).
 * - Calendar clock to business clock lowers, whatever the minutes: business time never runs faster
 *   than wall time, and nights, weekends and holidays push a business deadline later still.
 * - Business clock to calendar clock with equal or fewer minutes does not lower: the wall-time
 *   deadline comes no later than the business one could. With more minutes it lowers, because a
 *   ticket opened at the start of a business day would wait longer.
 *
 * A target removed lowers the service; a target added does not.
 *
 * Calendars lower the service when they give less business time: fewer open minutes on a weekday,
 * a holiday rule or closed date added, an extra open date removed, a longer business day, minutes
 * or hours moved to the business clock. Entitlements lower it when a tier loses a request type, a
 * support channel goes, an exclusion is added, more designated contacts are required, or the
 * section 6 protection is dropped. Breach warnings are the desk's own and texts are words: their
 * changes are listed, never flagged. Identity fields (id, version, revisionDate, effectiveFrom)
 * are what is being compared and are not listed.
 *
 * Each change also says its `effect` for the customer: `lowers` (the flag above), `improves` (the
 * reverse: a shorter target, a channel added, an exclusion removed, more business hours), or
 * `neutral` (words, the desk's own warnings, hours moved but not shortened). Its `topic` with
 * `tier`, `priority`, `calendar`, `weekday` or `unit` names what changed, for the web app to say in
 * the reader's language; `description` says it in English for the command line and API clients.
 */

export type ChangeKind =
  'target' | 'resolution_target' | 'entitlement' | 'cadence' | 'escalation' | 'calendar' | 'warning' | 'text';

export const CHANGE_TOPICS = [
  'response_measure',
  'first_response_target',
  'resolution_target',
  'request_type',
  'support_channel',
  'exclusion',
  'designated_contacts',
  'term_protection',
  'p0_update_interval',
  'p0_first_escalation',
  'p0_escalation_interval',
  'calendar',
  'calendar_time_zone',
  'calendar_hours',
  'calendar_holiday_rule',
  'calendar_closed_date',
  'calendar_open_date',
  'default_calendar',
  'business_day',
  'unit_clock',
  'warning_lead',
  'text',
] as const;
export type ChangeTopic = (typeof CHANGE_TOPICS)[number];

export const CHANGE_EFFECTS = ['improves', 'lowers', 'neutral'] as const;
/** What a change does to the service a customer gets. */
export type ChangeEffect = (typeof CHANGE_EFFECTS)[number];

export interface PolicyChange {
  /** Where the change is, in the file's terms (`targets.basic.P2`). */
  path: string;
  /** What changed, with `tier`, `priority`, `calendar`, `weekday` and `unit` as it needs them. */
  topic: ChangeTopic;
  tier?: Tier;
  priority?: Priority;
  calendar?: string;
  weekday?: Weekday;
  unit?: 'minute' | 'hour';
  kind: ChangeKind;
  /** The value in each version, for people (English); null where the version has none. */
  before: string | null;
  after: string | null;
  effect: ChangeEffect;
  /** `effect` is `lowers`: section 6 forbids it during a customer's term. */
  lowersService: boolean;
  description: string;
  /** The durations compared, when the change is one, so that it can be shown in another language. */
  durations?: { before: Duration | null; after: Duration | null };
}

type ChangeFacts = Omit<PolicyChange, 'lowersService'>;

/** A change with its flag read off its effect. */
const change = (facts: ChangeFacts): PolicyChange => ({
  ...facts,
  lowersService: facts.effect === 'lowers',
});

/** Lowers when `lowers`, else improves when `improves`, else neutral. */
const effectOf = (lowers: boolean, improves: boolean): ChangeEffect =>
  lowers ? 'lowers' : improves ? 'improves' : 'neutral';

/** Every difference between two versions of a policy, the lowering ones flagged. */
export function diffPolicies(oldP: SupportPolicy, newP: SupportPolicy): PolicyChange[] {
  const changes: PolicyChange[] = [];
  diffTargets(changes, oldP, newP);
  diffEntitlements(changes, oldP, newP);
  diffP0(changes, oldP, newP);
  diffCalendars(changes, oldP, newP);
  if (oldP.warnings.leadFraction !== newP.warnings.leadFraction) {
    changes.push(
      change({
        path: 'warnings.leadFraction',
        topic: 'warning_lead',
        kind: 'warning',
        before: String(oldP.warnings.leadFraction),
        after: String(newP.warnings.leadFraction),
        // Warnings are the desk's own reminders to agents, not a promise to customers.
        effect: 'neutral',
        description: `agents are warned when ${percent(newP.warnings.leadFraction)} of a target remains (was ${percent(oldP.warnings.leadFraction)})`,
      }),
    );
  }
  diffTexts(changes, oldP, newP, []);
  return changes;
}

// ---------------------------------------------------------------------------------------------
// Durations
// ---------------------------------------------------------------------------------------------

/** True when `after` can fall due later than `before` for some ticket (see the rule above). */
export function mayFallDueLater(before: Duration, after: Duration): boolean {
  if (before.clock === after.clock) return after.minutes > before.minutes;
  if (before.clock === 'calendar') return true;
  return after.minutes > before.minutes;
}

const sameDuration = (a: Duration, b: Duration) =>
  a.amount === b.amount && a.unit === b.unit && a.clock === b.clock && a.minutes === b.minutes;

/** A duration as the diff shows it; the minutes are added when the words alone do not differ. */
function durationLabel(d: Duration | null, other: Duration | null, locale: Locale): string | null {
  if (!d) return null;
  const label = formatDuration(d, locale);
  if (other && formatDuration(other, locale) === label && other.minutes !== d.minutes) {
    return `${label} (${d.minutes} min)`;
  }
  return label;
}

function durationChange(
  path: string,
  topic: ChangeTopic,
  kind: ChangeKind,
  what: string,
  before: Duration | null,
  after: Duration | null,
  extra: Partial<ChangeFacts> = {},
): PolicyChange | undefined {
  if (before && after && sameDuration(before, after)) return undefined;
  if (!before && !after) return undefined;
  let lowersService: boolean;
  let effect: ChangeEffect;
  let how: string;
  if (!after) {
    lowersService = true;
    effect = 'lowers';
    how = 'removed';
  } else if (!before) {
    lowersService = false;
    effect = 'improves';
    how = 'added';
  } else {
    lowersService = mayFallDueLater(before, after);
    // "60 minutes" for "1 hour" is the same promise written differently.
    effect = effectOf(lowersService, mayFallDueLater(after, before));
    how =
      before.clock !== after.clock
        ? `moved to the ${after.clock} clock, ${lowersService ? 'so it can fall due later' : 'falling due no later'}`
        : after.minutes > before.minutes
          ? 'longer'
          : 'shorter';
  }
  const beforeLabel = durationLabel(before, after, 'en');
  const afterLabel = durationLabel(after, before, 'en');
  return change({
    path,
    topic,
    ...extra,
    kind,
    before: beforeLabel,
    after: afterLabel,
    effect,
    description: `${what}: ${beforeLabel ?? 'none'} -> ${afterLabel ?? 'none'} (${how})`,
    durations: { before, after },
  });
}

function diffTargets(changes: PolicyChange[], oldP: SupportPolicy, newP: SupportPolicy): void {
  if (oldP.responseTimes.measure !== newP.responseTimes.measure) {
    // A median promise tolerates slow cases that a promise on every case does not.
    const toMedian = newP.responseTimes.measure === 'median';
    changes.push(
      change({
        path: 'responseTimes.measure',
        topic: 'response_measure',
        kind: 'target',
        before: oldP.responseTimes.measure,
        after: newP.responseTimes.measure,
        effect: toMedian ? 'lowers' : 'improves',
        description: `first-response targets are promised as the ${newP.responseTimes.measure} (was the ${oldP.responseTimes.measure})`,
      }),
    );
  }
  for (const tier of TIERS) {
    for (const priority of PRIORITIES) {
      const label = `${tier} ${priority}`;
      const first = durationChange(
        `targets.${tier}.${priority}`,
        'first_response_target',
        'target',
        `${label} first-response target`,
        oldP.targets[tier][priority],
        newP.targets[tier][priority],
        { tier, priority },
      );
      if (first) changes.push(first);
      const resolution = durationChange(
        `resolutionTargets.${tier}.${priority}`,
        'resolution_target',
        'resolution_target',
        `${label} resolution target`,
        oldP.resolutionTargets[tier]?.[priority] ?? null,
        newP.resolutionTargets[tier]?.[priority] ?? null,
        { tier, priority },
      );
      if (resolution) changes.push(resolution);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// What each tier and the policy include
// ---------------------------------------------------------------------------------------------

function setChanges<T extends string>(
  changes: PolicyChange[],
  path: string,
  topic: ChangeTopic,
  before: readonly T[],
  after: readonly T[],
  removalLowers: boolean,
  what: (item: T, added: boolean) => string,
  extra: Partial<ChangeFacts> = {},
): void {
  for (const item of before) {
    if (!after.includes(item)) {
      changes.push(
        change({
          path,
          topic,
          ...extra,
          kind: 'entitlement',
          before: item,
          after: null,
          effect: removalLowers ? 'lowers' : 'improves',
          description: what(item, false),
        }),
      );
    }
  }
  for (const item of after) {
    if (!before.includes(item)) {
      changes.push(
        change({
          path,
          topic,
          ...extra,
          kind: 'entitlement',
          before: null,
          after: item,
          effect: removalLowers ? 'improves' : 'lowers',
          description: what(item, true),
        }),
      );
    }
  }
}

function diffEntitlements(changes: PolicyChange[], oldP: SupportPolicy, newP: SupportPolicy): void {
  for (const tier of TIERS) {
    setChanges(
      changes,
      `tiers.${tier}.requestTypes`,
      'request_type',
      oldP.tiers[tier].requestTypes,
      newP.tiers[tier].requestTypes,
      true,
      (type, added) => `${tier} ${added ? 'now includes' : 'no longer includes'} ${type} requests`,
      { tier },
    );
  }
  setChanges(
    changes,
    'channels.list',
    'support_channel',
    oldP.channels.list.map((c) => c.id),
    newP.channels.list.map((c) => c.id),
    true,
    (id, added) => `support channel ${id} ${added ? 'added' : 'removed'}`,
  );
  setChanges(
    changes,
    'exclusions.excluded',
    'exclusion',
    oldP.exclusions.excluded.map((e) => e.id),
    newP.exclusions.excluded.map((e) => e.id),
    false,
    (id, added) => `exclusion ${id} ${added ? 'added: support no longer covers it' : 'removed'}`,
  );
  const oldContacts = oldP.customerResponsibilities.contact.minimumDesignatedContacts;
  const newContacts = newP.customerResponsibilities.contact.minimumDesignatedContacts;
  if (oldContacts !== newContacts) {
    changes.push(
      change({
        path: 'customerResponsibilities.contact.minimumDesignatedContacts',
        topic: 'designated_contacts',
        kind: 'entitlement',
        before: String(oldContacts),
        after: String(newContacts),
        // More contacts to designate is more the customer must do before getting support.
        effect: newContacts > oldContacts ? 'lowers' : 'improves',
        description: `customers must designate at least ${newContacts} contact(s) (was ${oldContacts})`,
      }),
    );
  }
  const oldKeeps = oldP.changes.noSignificantDecreaseDuringTerm;
  const newKeeps = newP.changes.noSignificantDecreaseDuringTerm;
  if (oldKeeps !== newKeeps) {
    changes.push(
      change({
        path: 'changes.noSignificantDecreaseDuringTerm',
        topic: 'term_protection',
        kind: 'entitlement',
        before: String(oldKeeps),
        after: String(newKeeps),
        effect: newKeeps ? 'improves' : 'lowers',
        description: newKeeps
          ? 'service levels are now held for the current subscription term'
          : 'service levels are no longer held for the current subscription term',
      }),
    );
  }
}

function diffP0(changes: PolicyChange[], oldP: SupportPolicy, newP: SupportPolicy): void {
  const durations = [
    [
      'p0.updateEvery',
      'p0_update_interval',
      'cadence',
      'P0 customer update interval',
      (p: SupportPolicy) => p.p0.updateEvery,
    ],
    [
      'p0.escalation.first',
      'p0_first_escalation',
      'escalation',
      'P0 first internal escalation',
      (p: SupportPolicy) => p.p0.escalation.first,
    ],
    [
      'p0.escalation.every',
      'p0_escalation_interval',
      'escalation',
      'P0 escalation interval',
      (p: SupportPolicy) => p.p0.escalation.every,
    ],
  ] as const;
  for (const [path, topic, kind, label, of] of durations) {
    const found = durationChange(path, topic, kind, label, of(oldP), of(newP), { priority: 'P0' });
    if (found) changes.push(found);
  }
}

// ---------------------------------------------------------------------------------------------
// Calendars
// ---------------------------------------------------------------------------------------------

const formatIntervals = (intervals: OpenInterval[] | undefined): string =>
  intervals && intervals.length > 0 ? intervals.map((i) => `${i.open}-${i.close}`).join(', ') : 'closed';

const openMinutes = (intervals: OpenInterval[] | undefined): number =>
  (intervals ?? []).reduce((sum, i) => sum + minutesOfDay(i.close) - minutesOfDay(i.open), 0);

/** The differences between two business calendars, in the terms of `path`. */
function calendarChanges(
  path: string,
  calendar: string,
  before: BusinessCalendarDefinition,
  after: BusinessCalendarDefinition,
): PolicyChange[] {
  const changes: PolicyChange[] = [];
  if (before.timeZone !== after.timeZone) {
    changes.push(
      change({
        path: `${path}.timeZone`,
        topic: 'calendar_time_zone',
        calendar,
        kind: 'calendar',
        before: before.timeZone,
        after: after.timeZone,
        effect: 'neutral',
        description: 'business hours are now kept in another time zone',
      }),
    );
  }
  for (const day of WEEKDAYS) {
    const was = formatIntervals(before.hours[day]);
    const is = formatIntervals(after.hours[day]);
    if (was === is) continue;
    const fewer = openMinutes(after.hours[day]) < openMinutes(before.hours[day]);
    const more = openMinutes(after.hours[day]) > openMinutes(before.hours[day]);
    changes.push(
      change({
        path: `${path}.hours.${day}`,
        topic: 'calendar_hours',
        calendar,
        weekday: day,
        kind: 'calendar',
        before: was,
        after: is,
        effect: effectOf(fewer, more),
        description: fewer ? `fewer business hours on ${day}` : `business hours on ${day} changed`,
      }),
    );
  }
  const lists: {
    key: 'holidayRules' | 'closedDates' | 'openDates';
    topic: ChangeTopic;
    addedLowers: boolean;
    what: string;
  }[] = [
    { key: 'holidayRules', topic: 'calendar_holiday_rule', addedLowers: true, what: 'holiday rule' },
    { key: 'closedDates', topic: 'calendar_closed_date', addedLowers: true, what: 'closed date' },
    { key: 'openDates', topic: 'calendar_open_date', addedLowers: false, what: 'extra open date' },
  ];
  for (const { key, topic, addedLowers, what } of lists) {
    const was: readonly string[] = before[key] ?? [];
    const is: readonly string[] = after[key] ?? [];
    for (const item of was.filter((x) => !is.includes(x))) {
      changes.push(
        change({
          path: `${path}.${key}`,
          topic,
          calendar,
          kind: 'calendar',
          before: item,
          after: null,
          effect: addedLowers ? 'improves' : 'lowers',
          description: `${what} ${item} removed`,
        }),
      );
    }
    for (const item of is.filter((x) => !was.includes(x))) {
      changes.push(
        change({
          path: `${path}.${key}`,
          topic,
          calendar,
          kind: 'calendar',
          before: null,
          after: item,
          effect: addedLowers ? 'lowers' : 'improves',
          description: `${what} ${item} added`,
        }),
      );
    }
  }
  return changes;
}

function diffCalendars(changes: PolicyChange[], oldP: SupportPolicy, newP: SupportPolicy): void {
  for (const name of new Set([...Object.keys(oldP.calendars), ...Object.keys(newP.calendars)])) {
    const before = oldP.calendars[name];
    const after = newP.calendars[name];
    if (before && after) {
      changes.push(...calendarChanges(`calendars.${name}`, name, before, after));
    } else {
      // Only the default calendar runs targets; switching it is compared below.
      changes.push(
        change({
          path: `calendars.${name}`,
          topic: 'calendar',
          calendar: name,
          kind: 'calendar',
          before: before ? name : null,
          after: after ? name : null,
          effect: 'neutral',
          description: `calendar ${name} ${after ? 'added' : 'removed'}`,
        }),
      );
    }
  }
  if (oldP.defaultCalendar !== newP.defaultCalendar) {
    const reasons = calendarChanges(
      'defaultCalendar',
      newP.defaultCalendar,
      oldP.calendars[oldP.defaultCalendar]!,
      newP.calendars[newP.defaultCalendar]!,
    );
    const lowering = reasons.filter((r) => r.lowersService);
    changes.push(
      change({
        path: 'defaultCalendar',
        topic: 'default_calendar',
        kind: 'calendar',
        before: oldP.defaultCalendar,
        after: newP.defaultCalendar,
        effect: effectOf(
          lowering.length > 0,
          reasons.some((r) => r.effect === 'improves'),
        ),
        description:
          `business-clock targets run on ${newP.defaultCalendar} (was ${oldP.defaultCalendar})` +
          (lowering.length > 0 ? `: ${lowering.map((r) => r.description).join('; ')}` : ''),
      }),
    );
  }
  const businessDay = durationChange(
    'businessDay',
    'business_day',
    'calendar',
    'the business day',
    oldP.businessDay,
    newP.businessDay,
  );
  if (businessDay) changes.push(businessDay);
  for (const unit of ['minute', 'hour'] as const) {
    const before = oldP.clocks[unit];
    const after = newP.clocks[unit];
    if (before === after) continue;
    changes.push(
      change({
        path: `clocks.${unit}`,
        topic: 'unit_clock',
        unit,
        kind: 'calendar',
        before,
        after,
        effect: after === 'business' ? 'lowers' : 'improves',
        description: `targets in ${unit}s run on the ${after} clock (was the ${before} clock)`,
      }),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Texts
// ---------------------------------------------------------------------------------------------

/** Paths compared above, or the identity of the versions being compared. */
const NOT_TEXT =
  /^(id|version|revisionDate|effectiveFrom|targets|resolutionTargets|tiers\.[^.]+\.requestTypes|p0|warnings|calendars|businessDay|defaultCalendar|clocks|responseTimes\.measure|customerResponsibilities\.contact\.minimumDesignatedContacts|changes\.noSignificantDecreaseDuringTerm)(\.|$)/;

/** Lists of items with ids whose additions and removals are entitlements, reported above. */
const ENTITLEMENT_LISTS = /^(channels\.list|exclusions\.excluded)$/;

function diffTexts(changes: PolicyChange[], before: unknown, after: unknown, path: string[]): void {
  const dotted = path.join('.');
  if (NOT_TEXT.test(dotted)) return;
  if (Array.isArray(before) && Array.isArray(after)) {
    diffLists(changes, before, after, path);
    return;
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      diffTexts(changes, before[key], after[key], [...path, key]);
    }
    return;
  }
  const was = leaf(before);
  const is = leaf(after);
  if (was === is) return;
  const tier = path[0] === 'tiers' ? (path[1] as Tier) : undefined;
  const priority = path[0] === 'priorities' ? (path[1] as Priority) : undefined;
  changes.push(
    change({
      path: dotted,
      topic: 'text',
      ...(tier ? { tier } : {}),
      ...(priority ? { priority } : {}),
      kind: 'text',
      before: was,
      after: is,
      effect: 'neutral',
      description: was === null ? 'text added' : is === null ? 'text removed' : 'text changed',
    }),
  );
}

/** Items with ids are matched by id, so that removing one does not read as every later one changing. */
function diffLists(changes: PolicyChange[], before: unknown[], after: unknown[], path: string[]): void {
  const idOf = (item: unknown) => (isPlainObject(item) && typeof item.id === 'string' ? item.id : undefined);
  const keyed = [...before, ...after].every((item) => idOf(item) !== undefined);
  if (!keyed) {
    for (let i = 0; i < Math.max(before.length, after.length); i += 1) {
      diffTexts(changes, before[i], after[i], [...path, String(i)]);
    }
    return;
  }
  const entitlements = ENTITLEMENT_LISTS.test(path.join('.'));
  const oldIndex = new Map(before.map((item, i) => [idOf(item)!, i]));
  after.forEach((item, i) => {
    const j = oldIndex.get(idOf(item)!);
    if (j !== undefined) diffTexts(changes, before[j], item, [...path, String(i)]);
    else if (!entitlements) diffTexts(changes, undefined, idOf(item), [...path, String(i)]);
  });
  if (entitlements) return;
  const newIds = new Set(after.map(idOf));
  before.forEach((item, j) => {
    if (!newIds.has(idOf(item))) diffTexts(changes, idOf(item), undefined, [...path, String(j)]);
  });
}

function leaf(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const percent = (fraction: number) => `${Math.round(fraction * 1000) / 10}%`;

// ---------------------------------------------------------------------------------------------
// Display
// ---------------------------------------------------------------------------------------------

const WORDS: Record<Locale, { none: string; closed: string; lowers: string; none_changed: string }> = {
  en: {
    none: '(none)',
    closed: 'closed',
    lowers: 'lowers the service level',
    none_changed: 'No changes.',
  },
  fr: {
    none: '(aucun)',
    closed: 'fermé',
    lowers: 'abaisse le niveau de service',
    none_changed: 'Aucune modification.',
  },
};

function summary(total: number, lowering: number, locale: Locale): string {
  if (locale === 'fr') {
    return `${total} modification${total > 1 ? 's' : ''}, dont ${lowering} abaiss${lowering > 1 ? 'ent' : 'e'} le niveau de service`;
  }
  return `${total} change${total === 1 ? '' : 's'}, ${lowering} lowering the service level`;
}

function shown(change: PolicyChange, side: 'before' | 'after', locale: Locale): string {
  const words = WORDS[locale];
  if (change.durations) {
    const d = change.durations[side];
    const other = change.durations[side === 'before' ? 'after' : 'before'];
    return durationLabel(d, other, locale) ?? words.none;
  }
  const value = change[side];
  if (value === null) return words.none;
  if (change.kind === 'calendar' && value === 'closed') return words.closed;
  if (change.kind !== 'text') return value;
  const flat = value.replace(/\s+/g, ' ');
  return JSON.stringify(flat.length > 60 ? `${flat.slice(0, 59)}…` : flat);
}

const groupRank = (change: PolicyChange) =>
  (change.tier ? TIERS.indexOf(change.tier) + 1 : 0) * 10 +
  (change.priority ? PRIORITIES.indexOf(change.priority) + 1 : 0);

/**
 * The changes for people, one line each: policy-wide ones first, then tier by tier and priority by
 * priority; lines that lower the service level start with "!" and say so, e.g.
 * `! targets.basic.P2: 1 business day -> 2 business days (lowers the service level)`.
 */
export function formatDiff(changes: PolicyChange[], locale: Locale = 'en'): string[] {
  const words = WORDS[locale];
  if (changes.length === 0) return [words.none_changed];
  const ordered = changes
    .map((change, index) => ({ change, index }))
    .sort((a, b) => groupRank(a.change) - groupRank(b.change) || a.index - b.index)
    .map(({ change }) => change);
  const lines = ordered.map((change) => {
    const mark = change.lowersService ? '!' : ' ';
    const line = `${mark} ${change.path}: ${shown(change, 'before', locale)} -> ${shown(change, 'after', locale)}`;
    return change.lowersService ? `${line} (${words.lowers})` : line;
  });
  lines.push(summary(changes.length, changes.filter((c) => c.lowersService).length, locale));
  return lines;
}
