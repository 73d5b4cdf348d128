import type { ResponseTimeCell } from '../api/reports';
import type { ClockKind, Locale, PolicyVersion } from '../api/types';
import { i18n } from '../i18n';
import { humanizeSeconds } from '../shared/format';

/** What a cell's median reads: the table's cells, and the trend's (which carry no `lowSample`). */
export type MedianCell = Pick<
  ResponseTimeCell,
  'medianStatus' | 'median' | 'medianAtLeast' | 'target' | 'clock'
> & {
  lowSample?: boolean;
};

const tag = (locale: Locale) => (locale === 'fr' ? 'fr-FR' : 'en-US');

/** Used until the policy is read: the default policy's business day and warning lead. */
const DEFAULT_BUSINESS_DAY_SECONDS = 8 * 3600;
const DEFAULT_LEAD_FRACTION = 0.2;

/** What the reports read from the policy to put figures into words and colours. */
export interface MeasureTerms {
  businessDaySeconds: number;
  /** The share of a target left when the desk starts warning; a median past it is "near". */
  leadFraction: number;
}

export function measureTerms(version: PolicyVersion | undefined): MeasureTerms {
  const policy = version?.policy;
  const lead = policy?.warnings?.leadFraction;
  return {
    businessDaySeconds: policy?.businessDay ? policy.businessDay.minutes * 60 : DEFAULT_BUSINESS_DAY_SECONDS,
    leadFraction: typeof lead === 'number' && lead > 0 && lead < 1 ? lead : DEFAULT_LEAD_FRACTION,
  };
}

/**
 * A measured time on its target's clock. Calendar time reads like the rest of the app ("1 hour
 * 30 minutes"); business time says so: "1 business day 2 hours", "3 hours of business time".
 */
export function formatMeasured(
  seconds: number,
  clock: ClockKind | null,
  locale: Locale,
  terms: MeasureTerms,
): string {
  if (clock !== 'business') return humanizeSeconds(seconds, locale);
  const day = terms.businessDaySeconds;
  const days = Math.floor(Math.round(seconds) / day);
  const rest = Math.round(seconds) - days * day;
  if (days === 0)
    return i18n.t('reports:duration.businessTime', { time: humanizeSeconds(rest, locale), lng: locale });
  const parts = [i18n.t('common:duration.businessDays', { count: days, lng: locale })];
  const hours = Math.floor(rest / 3600);
  if (hours > 0)
    parts.push(
      new Intl.NumberFormat(tag(locale), { style: 'unit', unit: 'hour', unitDisplay: 'long' }).format(hours),
    );
  return new Intl.ListFormat(tag(locale), { style: 'narrow', type: 'unit' }).format(parts);
}

export function formatShare(share: number, locale: Locale): string {
  return new Intl.NumberFormat(tag(locale), { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

export function formatCount(count: number, locale: Locale): string {
  return new Intl.NumberFormat(tag(locale)).format(count);
}

/** A month 'YYYY-MM' in words: "September 2026", "septembre 2026". */
export function formatMonth(month: string, locale: Locale): string {
  return new Intl.DateTimeFormat(tag(locale), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${month}-01T00:00:00Z`),
  );
}

/** A calendar day 'YYYY-MM-DD' (or an instant's day in UTC), short: "Sep 7, 2026". */
export function formatShortDay(day: string, locale: Locale): string {
  return new Intl.DateTimeFormat(tag(locale), { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(day.length === 10 ? `${day}T00:00:00Z` : day),
  );
}

/**
 * How a cell's median stands against its target: met with room to spare, met but inside the
 * warning lead (near), missed, not yet known (tickets not answered yet can still decide it); or not
 * to be judged (no tickets, too few, no target).
 */
export type CellState = 'met' | 'near' | 'missed' | 'unknown' | 'lowSample' | 'empty' | 'noTarget';

/** The states the legend explains, in the order it lists them. */
export const LEGEND_STATES: CellState[] = ['met', 'near', 'missed', 'unknown', 'lowSample', 'empty'];

/**
 * The state shown for a cell. A miss the tickets already prove (more than half past the target,
 * answered or not) is shown however few they are; a few tickets are never enough to call the
 * median met, nor to guess at one not known yet.
 */
export function cellState(cell: MedianCell, terms: MeasureTerms): CellState {
  if (cell.medianStatus === 'no_tickets') return 'empty';
  if (cell.medianStatus === 'missed') return 'missed';
  if (cell.lowSample) return 'lowSample';
  if (cell.target === null) return 'noTarget';
  if (cell.medianStatus === 'unknown' || cell.median === null) return 'unknown';
  return cell.median > cell.target * (1 - terms.leadFraction) ? 'near' : 'met';
}

/** A mark beside each state's words, so that colour is never the only sign. */
export const STATE_ICON: Record<CellState, string> = {
  met: '✓',
  near: '!',
  missed: '✗',
  unknown: '~',
  lowSample: '?',
  empty: '–',
  noTarget: '·',
};

/**
 * The median to draw for a cell: the estimate, or, while more than half still wait longer than
 * every answer, the least it can be (a missed week must not vanish from a chart).
 */
export function plottedMedian(cell: MedianCell | undefined): { seconds: number; atLeast: boolean } | null {
  if (!cell) return null;
  if (cell.median !== null) return { seconds: cell.median, atLeast: false };
  return cell.medianAtLeast === null ? null : { seconds: cell.medianAtLeast, atLeast: true };
}
