import { DAY_MS } from '../../calendar/civil.js';
import { html, type Html } from '../../helpcenter/site/html.js';
import { statusT, type StatusLocale } from './i18n.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: StatusLocale, timeZone: string, options: Intl.DateTimeFormatOptions) {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formatters.set(key, format);
  }
  return format;
}

const DATE_TIME: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
};
const TIME: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' };
const DAY: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric' };

/**
 * An instant as the reader's language writes it, in UTC and in the policy's zone:
 * "Nov 18, 2026, 3:00 PM UTC (10:00 AM EST)"; the zone's date is added when it is another day.
 */
export function instantText(at: number, locale: StatusLocale, timeZone: string): string {
  const utc = formatter(locale, 'UTC', DATE_TIME).format(at);
  const sameDay =
    formatter('en', 'UTC', { dateStyle: 'short' }).format(at) ===
    formatter('en', timeZone, { dateStyle: 'short' }).format(at);
  const local = formatter(locale, timeZone, sameDay ? TIME : { ...DAY, ...TIME }).format(at);
  return statusT(locale)('time.both', { utc, local });
}

/** An instant in a `<time>` element, machine-readable in its `datetime`. */
export function instant(at: number, locale: StatusLocale, timeZone: string): Html {
  return html`<time datetime="${new Date(at).toISOString()}">${instantText(at, locale, timeZone)}</time>`;
}

/** A local calendar day (days since 1970-01-01) as "Nov 3" / "3 nov.". */
export function dayText(dayNumber: number, locale: StatusLocale): string {
  return formatter(locale, 'UTC', DAY).format(dayNumber * DAY_MS);
}

/** A month of the history in the policy's zone: "November 2026" / "novembre 2026". */
export function monthText(at: number, locale: StatusLocale, timeZone: string): string {
  return formatter(locale, timeZone, { month: 'long', year: 'numeric' }).format(at);
}

/** A length of time to the minute: "2 h 5 min", "45 min", "less than a minute". */
export function durationText(seconds: number, locale: StatusLocale): string {
  const t = statusT(locale);
  const minutes = Math.round(seconds / 60);
  if (minutes < 1) return t('duration.underMinute');
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return [
    hours > 0 && t('duration.hours', { count: hours }),
    rest > 0 && t('duration.minutes', { count: rest }),
  ]
    .filter(Boolean)
    .join(' ');
}

/** A percentage to two decimals as the language writes it: "91.67%", "91,67 %". */
export function percentText(percent: number, locale: StatusLocale): string {
  return new Intl.NumberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(percent / 100);
}
