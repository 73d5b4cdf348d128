import { businessTimeFrom, type BusinessCalendar, type BusinessTimeFrom } from '../calendar/calendar.js';
import type { TargetTerm } from './engine.js';

/**
 * Time on each target's own clock for the tickets of one answer, all measured at the same `now`: a
 * business-day target's remaining time reads the business calendar once for the page (the dates
 * between now and each due time are summed once), not once per ticket. Same results as
 * elapsedOnClock.
 */
export class PageClock {
  private readonly business = new Map<BusinessCalendar, BusinessTimeFrom>();

  constructor(readonly now: number) {}

  /** Time from `from` to `to` on the term's clock (negative when `to` comes first). */
  elapsed(term: TargetTerm, calendar: BusinessCalendar, from: number, to: number): number {
    if (term.clock === 'calendar') return to - from;
    let measure = this.business.get(calendar);
    if (!measure) this.business.set(calendar, (measure = businessTimeFrom(calendar, this.now)));
    return measure.between(from, to);
  }
}
