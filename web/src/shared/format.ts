import type { Duration, LocalizedText, Locale } from '../api/types';
import { i18n } from '../i18n';

/** The policy's own time zone (US Eastern in the default policy); shown on hover beside local times. */
export const POLICY_TIME_ZONE = 'America/New_York';

const tag = (locale: Locale) => (locale === 'fr' ? 'fr-FR' : 'en-US');

/** A date and time in the viewer's time zone. */
export function formatDateTime(iso: string | number, locale: Locale, timeZone?: string): string {
  return new Intl.DateTimeFormat(tag(locale), {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(iso));
}

/** The same instant in the policy's zone, with the zone named: "Nov 26, 2026, 9:00 AM EST". */
export function formatInPolicyZone(
  iso: string | number,
  locale: Locale,
  timeZone = POLICY_TIME_ZONE,
): string {
  return new Intl.DateTimeFormat(tag(locale), {
    dateStyle: 'medium',
    timeStyle: 'long',
    timeZone,
  }).format(new Date(iso));
}

export function formatDate(iso: string | number, locale: Locale): string {
  return new Intl.DateTimeFormat(tag(locale), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso));
}

function unitText(amount: number, unit: 'day' | 'hour' | 'minute' | 'second', locale: Locale) {
  return new Intl.NumberFormat(tag(locale), { style: 'unit', unit, unitDisplay: 'long' }).format(amount);
}

/** A length of wall-clock time in words: "1 hour 30 minutes", "2 jours 3 heures". Largest two units. */
export function humanizeSeconds(totalSeconds: number, locale: Locale): string {
  const s = Math.abs(Math.round(totalSeconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  const parts: string[] = [];
  if (days) parts.push(unitText(days, 'day', locale));
  if (hours) parts.push(unitText(hours, 'hour', locale));
  if (minutes && !days) parts.push(unitText(minutes, 'minute', locale));
  if (!days && !hours && (seconds || parts.length === 0)) parts.push(unitText(seconds, 'second', locale));
  return new Intl.ListFormat(tag(locale), { style: 'narrow', type: 'unit' }).format(parts.slice(0, 2));
}

/** A policy duration as a customer reads it: "15 minutes", "1 business day" / "1 jour ouvrable". */
export function humanizeDuration(d: Pick<Duration, 'amount' | 'unit' | 'minutes'>, locale: Locale): string {
  if (d.unit === 'business_day')
    return i18n.t('common:duration.businessDays', { count: d.amount, lng: locale });
  return humanizeSeconds(d.minutes * 60, locale);
}

/** A countdown: "in 42 min" style compact text, or "12 min over" when past. */
export function formatCountdown(seconds: number, locale: Locale): string {
  const text = humanizeSeconds(seconds, locale);
  return seconds < 0
    ? i18n.t('common:countdown.over', { time: text, lng: locale })
    : i18n.t('common:countdown.left', { time: text, lng: locale });
}

export function localized(text: LocalizedText | undefined, locale: Locale): string {
  if (!text) return '';
  return text[locale] || text.en;
}

export function formatBytes(bytes: number, locale: Locale): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return new Intl.NumberFormat(tag(locale), {
    style: 'unit',
    unit: units[i],
    unitDisplay: 'short',
    maximumFractionDigits: i === 0 ? 0 : 1,
  }).format(value);
}
