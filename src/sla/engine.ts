import { addBusinessTime, businessTimeBetween, type BusinessCalendar } from '../calendar/calendar.js';

const MINUTE = 60_000;

export type Clock = 'calendar' | 'business';

/** One target as it applies to a ticket: how long, on which clock, and where it came from. */
export interface TargetTerm {
  minutes: number;
  clock: Clock;
  /** As the policy writes it, e.g. "1 business day". */
  label: string;
  /** True when the organization's contract overrides the policy for this target. */
  overridden: boolean;
}

/** Everything the SLA computation needs to know about the promise made to one ticket. */
export interface SlaTerms {
  policyVersion: string;
  firstResponse: TargetTerm;
  resolution: TargetTerm | null;
  /** P0 only: the customer update cadence and the internal escalation schedule. */
  p0: {
    updateEvery: TargetTerm;
    escalationFirst: TargetTerm;
    escalationEvery: TargetTerm;
  } | null;
  /** Breach warnings fire when this fraction of a target remains. */
  warningLeadFraction: number;
  /** The business clock for business-clock targets. */
  calendar: BusinessCalendar;
}

export type TicketStatus = 'new' | 'open' | 'waiting_on_customer' | 'resolved' | 'closed';

/** The facts of a ticket's history that the promise depends on, read from its event log. */
export interface SlaTimeline {
  openedAt: number;
  /** Public replies by staff, oldest first, not counting the message that opened the ticket. */
  staffPublicReplies: number[];
  /** Every status the ticket took, oldest first, starting with its opening status. */
  statuses: { at: number; status: TicketStatus }[];
}

export interface TargetState {
  term: TargetTerm;
  startedAt: number;
  dueAt: number;
  /** When the breach warning is due: the instant at which warningLeadFraction of the target remains. */
  warnAt: number;
  metAt: number | null;
  breached: boolean;
  /** Time left on the target's own clock, negative when over; frozen at metAt once met. */
  remainingMs: number;
}

export interface UpdateCadenceState {
  term: TargetTerm;
  /** The latest public staff reply, from which the next update is counted. */
  lastUpdateAt: number | null;
  /** Null while no update is owed: before the first response, when paused, or once resolved. */
  dueAt: number | null;
  warnAt: number | null;
  paused: boolean;
  breached: boolean;
}

export interface EscalationState {
  /** How many escalations are due by now (each fires once): level 1 at opened+first, then every interval. */
  level: number;
  /** The due instants of the levels reached, oldest first. */
  reachedAt: number[];
  nextDueAt: number | null;
}

export interface SlaState {
  policyVersion: string;
  firstResponse: TargetState;
  /** After a reopened ticket: the response owed to the reopening, on the first-response target. */
  nextResponse: TargetState | null;
  resolution: TargetState | null;
  updates: UpdateCadenceState | null;
  escalation: EscalationState | null;
  /** The soonest due time still owed (the queue orders by it); null when nothing is owed. */
  nextDueAt: number | null;
  /** The soonest instant at which something happens (warning, breach, reminder, escalation); the scheduler wakes for it. */
  nextCheckAt: number | null;
}

/** Adds time on a target's clock. */
export function addOnClock(term: TargetTerm, calendar: BusinessCalendar, start: number, ms: number): number {
  return term.clock === 'business' ? addBusinessTime(calendar, start, ms) : start + ms;
}

/** Time between two instants on a target's clock (negative when `to` is before `from`). */
export function elapsedOnClock(
  term: TargetTerm,
  calendar: BusinessCalendar,
  from: number,
  to: number,
): number {
  if (term.clock === 'calendar') return to - from;
  return to >= from ? businessTimeBetween(calendar, from, to) : -businessTimeBetween(calendar, to, from);
}

function targetState(
  term: TargetTerm,
  terms: SlaTerms,
  startedAt: number,
  metAt: number | null,
  now: number,
): TargetState {
  const duration = term.minutes * MINUTE;
  const dueAt = addOnClock(term, terms.calendar, startedAt, duration);
  const warnAt = addOnClock(
    term,
    terms.calendar,
    startedAt,
    Math.round(duration * (1 - terms.warningLeadFraction)),
  );
  const measuredAt = metAt ?? now;
  return {
    term,
    startedAt,
    dueAt,
    warnAt,
    metAt,
    breached: metAt !== null ? metAt > dueAt : now > dueAt,
    remainingMs: elapsedOnClock(term, terms.calendar, measuredAt, dueAt),
  };
}

/** Statuses in which nothing more is owed to the customer. */
const isDone = (status: TicketStatus) => status === 'resolved' || status === 'closed';

/** The intervals during which the ticket waited on the customer, which pause the P0 update cadence. */
function waitingIntervals(statuses: SlaTimeline['statuses']): [number, number][] {
  const intervals: [number, number][] = [];
  let since: number | null = null;
  for (const { at, status } of statuses) {
    if (status === 'waiting_on_customer' && since === null) since = at;
    else if (status !== 'waiting_on_customer' && since !== null) {
      intervals.push([since, at]);
      since = null;
    }
  }
  if (since !== null) intervals.push([since, Number.POSITIVE_INFINITY]);
  return intervals;
}

/** The intervals during which the ticket was resolved or closed (the last one open-ended if it still is). */
function doneIntervals(statuses: SlaTimeline['statuses']): [number, number][] {
  const intervals: [number, number][] = [];
  let since: number | null = null;
  for (const { at, status } of statuses) {
    if (isDone(status) && since === null) since = at;
    else if (!isDone(status) && since !== null) {
      intervals.push([since, at]);
      since = null;
    }
  }
  if (since !== null) intervals.push([since, Number.POSITIVE_INFINITY]);
  return intervals;
}

/** The instant at which `duration` of unpaused time has passed since `start`; null if a pause never ends. */
function addUnpaused(start: number, duration: number, pauses: [number, number][]): number | null {
  let at = start;
  let left = duration;
  for (const [from, to] of pauses) {
    if (to <= at) continue;
    if (from > at) {
      if (from - at >= left) return at + left;
      left -= from - at;
    }
    if (to === Number.POSITIVE_INFINITY) return null;
    at = Math.max(at, to);
  }
  return at + left;
}

/**
 * The SLA state of one ticket at `now`: a pure function of the promise (terms), the ticket's
 * history (timeline) and the instant, so that it can be recomputed, replayed and tested exhaustively.
 */
export function computeSla(terms: SlaTerms, timeline: SlaTimeline, now: number): SlaState {
  const { openedAt, staffPublicReplies, statuses } = timeline;
  const current = statuses.at(-1)?.status ?? 'new';
  const firstReply = staffPublicReplies.find((at) => at >= openedAt) ?? null;
  const firstResponse = targetState(terms.firstResponse, terms, openedAt, firstReply, now);

  // A reopening (resolved or closed, then active again) owes a new response on the first-response target.
  let reopenedAt: number | null = null;
  for (let i = 1; i < statuses.length; i += 1) {
    if (isDone(statuses[i - 1]!.status) && !isDone(statuses[i]!.status)) reopenedAt = statuses[i]!.at;
  }
  const nextResponse =
    reopenedAt === null
      ? null
      : targetState(
          terms.firstResponse,
          terms,
          reopenedAt,
          staffPublicReplies.find((at) => at >= reopenedAt) ?? null,
          now,
        );

  const firstResolvedAt = statuses.find((s) => isDone(s.status))?.at ?? null;
  const resolution = terms.resolution
    ? targetState(terms.resolution, terms, openedAt, firstResolvedAt, now)
    : null;
  const doneAt = isDone(current) ? statuses.at(-1)!.at : null;

  let updates: UpdateCadenceState | null = null;
  let escalation: EscalationState | null = null;
  if (terms.p0) {
    const { updateEvery, escalationFirst, escalationEvery } = terms.p0;
    // The cadence runs "until resolved": after a reopening it restarts with the first reply to it,
    // and nothing falls due for the time the ticket was resolved.
    const cycleStart = reopenedAt ?? openedAt;
    const lastUpdateAt = staffPublicReplies.filter((at) => at >= cycleStart).at(-1) ?? null;
    const paused = current === 'waiting_on_customer';
    let dueAt: number | null = null;
    let warnAt: number | null = null;
    if (firstReply !== null && lastUpdateAt !== null && doneAt === null) {
      const pauses = waitingIntervals(statuses);
      const every = updateEvery.minutes * MINUTE;
      dueAt = addUnpaused(lastUpdateAt, every, pauses);
      warnAt = addUnpaused(lastUpdateAt, Math.round(every * (1 - terms.warningLeadFraction)), pauses);
    }
    updates = {
      term: updateEvery,
      lastUpdateAt,
      dueAt,
      warnAt,
      paused,
      breached: dueAt !== null && now > dueAt,
    };

    // Escalations keep their schedule from the opening, skipping the instants at which the ticket
    // was resolved or closed.
    const first = openedAt + escalationFirst.minutes * MINUTE;
    const every = escalationEvery.minutes * MINUTE;
    const done = doneIntervals(statuses);
    const isDoneAt = (at: number) => done.some(([from, to]) => at >= from && at < to);
    const reachedAt: number[] = [];
    let due = first;
    for (; due <= now; due += every) if (!isDoneAt(due)) reachedAt.push(due);
    const nextDueAt = doneAt === null ? due : null;
    escalation = { level: reachedAt.length, reachedAt, nextDueAt };
  }

  const owed: number[] = [];
  const wakeups: number[] = [];
  const consider = (target: TargetState | null) => {
    if (!target || target.metAt !== null) return;
    owed.push(target.dueAt);
    for (const at of [target.warnAt, target.dueAt]) if (at > now) wakeups.push(at);
  };
  if (doneAt === null) {
    consider(firstResponse);
    consider(nextResponse);
    consider(resolution);
    if (updates?.dueAt != null) {
      owed.push(updates.dueAt);
      for (const at of [updates.warnAt, updates.dueAt]) if (at !== null && at > now) wakeups.push(at);
    }
    if (escalation?.nextDueAt != null) wakeups.push(escalation.nextDueAt);
  }
  return {
    policyVersion: terms.policyVersion,
    firstResponse,
    nextResponse,
    resolution,
    updates,
    escalation,
    nextDueAt: owed.length > 0 ? Math.min(...owed) : null,
    nextCheckAt: wakeups.length > 0 ? Math.min(...wakeups) : null,
  };
}

export type SlaTarget = 'first_response' | 'next_response' | 'resolution' | 'update';

/** Something the desk must do once: warn before a breach, mark a breach, remind of a P0 update, escalate. */
export type SlaEffect =
  | { kind: 'warning' | 'breach'; target: SlaTarget; dueAt: number }
  | { kind: 'escalation'; target: 'escalation'; dueAt: number; level: number };

/**
 * The effects due at `now`, each keyed by (kind, target, dueAt) so that recording them twice is
 * impossible. A warning whose target is already past due gives way to the breach.
 */
export function dueEffects(state: SlaState, now: number): SlaEffect[] {
  const effects: SlaEffect[] = [];
  const forTarget = (
    target: SlaTarget,
    t: { metAt?: number | null; dueAt: number | null; warnAt: number | null } | null,
  ) => {
    if (!t || t.dueAt === null || (t.metAt ?? null) !== null) return;
    if (t.dueAt <= now) effects.push({ kind: 'breach', target, dueAt: t.dueAt });
    else if (t.warnAt !== null && t.warnAt <= now) effects.push({ kind: 'warning', target, dueAt: t.dueAt });
  };
  const active = state.nextDueAt !== null || state.escalation?.nextDueAt != null;
  if (!active) return effects;
  forTarget('first_response', state.firstResponse);
  forTarget('next_response', state.nextResponse);
  forTarget('resolution', state.resolution);
  forTarget('update', state.updates);
  state.escalation?.reachedAt.forEach((dueAt, i) =>
    effects.push({ kind: 'escalation', target: 'escalation', dueAt, level: i + 1 }),
  );
  return effects;
}
