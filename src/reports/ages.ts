import type { Kysely } from 'kysely';
import type { BusinessCalendar } from '../calendar/calendar.js';
import type { Database } from '../db/tables.js';
import type { Priority, Tier } from '../policy/tiers.js';
import { elapsedOnClock, type Clock } from '../sla/engine.js';
import { termsOf, type PolicyTermsResolver } from '../sla/terms.js';

/** A ticket with no first response yet, as the report reads it. */
export interface UnansweredTicket {
  tier: string;
  priority: string;
  createdAt: number;
  organizationId: string;
  policyVersionId: string | null;
  /** The clock its first-response target runs on (stored with the target). */
  clock: string | null;
}

/**
 * How long each ticket has waited at `now` on its own target's clock (ms): the least its first
 * response can take. The SLA engine measures an answered ticket the same way, from its opening to
 * the response, with elapsedOnClock. Business time adds up over consecutive spans, so the tickets
 * of one calendar are walked from the newest back, each adding only the span since the one before.
 */
export function agesOnClock(
  tickets: readonly { createdAt: number; clock: Clock; calendar: BusinessCalendar }[],
  now: number,
): number[] {
  const ages = new Array<number>(tickets.length).fill(0);
  const byCalendar = new Map<BusinessCalendar, number[]>();
  tickets.forEach((t, i) => {
    if (t.clock === 'calendar') ages[i] = Math.max(0, now - t.createdAt);
    else {
      const same = byCalendar.get(t.calendar) ?? [];
      same.push(i);
      byCalendar.set(t.calendar, same);
    }
  });
  const business = { minutes: 0, clock: 'business', label: '', overridden: false } as const;
  for (const [calendar, indexes] of byCalendar) {
    indexes.sort((a, b) => tickets[b]!.createdAt - tickets[a]!.createdAt);
    let since = now;
    let elapsed = 0;
    for (const i of indexes) {
      const createdAt = Math.min(tickets[i]!.createdAt, now);
      elapsed += elapsedOnClock(business, calendar, createdAt, since);
      since = createdAt;
      ages[i] = elapsed;
    }
  }
  return ages;
}

/**
 * The ages of a period's unanswered tickets, per cell ("tier|priority"), ascending. Each ticket's
 * business calendar is its policy version's, or its organization's contract calendar, as the SLA
 * engine resolves them.
 */
export async function unansweredAges(
  tickets: readonly UnansweredTicket[],
  now: number,
  terms: Pick<PolicyTermsResolver, 'overrides' | 'versionForTicket'>,
  db: Kysely<Database>,
): Promise<Map<string, number[]>> {
  const overrides = await terms.overrides([...new Set(tickets.map((t) => t.organizationId))], db);
  const calendars = new Map<string, BusinessCalendar>();
  const resolved: { createdAt: number; clock: Clock; calendar: BusinessCalendar }[] = [];
  for (const t of tickets) {
    // The calendar depends on the version and the organization's contract only.
    const key = t.policyVersionId === null ? null : `${t.policyVersionId}|${t.organizationId}`;
    let calendar = key === null ? undefined : calendars.get(key);
    if (!calendar) {
      const version = await terms.versionForTicket(
        { policy_version_id: t.policyVersionId, organization_id: t.organizationId, created_at: t.createdAt },
        db,
      );
      calendar = termsOf(
        version,
        t.tier as Tier,
        t.priority as Priority,
        overrides.get(t.organizationId),
      ).calendar;
      if (key !== null) calendars.set(key, calendar);
    }
    resolved.push({
      createdAt: t.createdAt,
      clock: t.clock === 'business' ? 'business' : 'calendar',
      calendar,
    });
  }
  const ages = agesOnClock(resolved, now);
  const byCell = new Map<string, number[]>();
  tickets.forEach((t, i) => {
    const key = `${t.tier}|${t.priority}`;
    const cell = byCell.get(key) ?? [];
    cell.push(ages[i]!);
    byCell.set(key, cell);
  });
  for (const cell of byCell.values()) cell.sort((a, b) => a - b);
  return byCell;
}
