import type { ClockKind, Locale, PolicyDocument, RequestType, Tier } from '../api/types';
import { TIERS } from '../api/types';
import { i18n } from '../i18n';
import { humanizeDuration, humanizeSeconds } from '../shared/format';

/** What one business day is worth when the published policy is not at hand: the default policy's 8 hours. */
const DEFAULT_BUSINESS_DAY_MINUTES = 480;

/**
 * A target as a customer reads it, in their language: wall-clock targets as "1 hour", business-clock
 * targets in business days ("1 business day") or, when not whole days, business hours. The API's
 * own label is the policy's English wording, so the words are rebuilt from minutes and clock.
 */
export function describeTerm(
  term: { minutes: number; clock: ClockKind },
  locale: Locale,
  businessDayMinutes = DEFAULT_BUSINESS_DAY_MINUTES,
): string {
  // French unit formatting joins number and unit with a no-break space ("1\u00a0heure"); the promise
  // uses a plain one, so that its words match what people (and browser tests) search for.
  const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
  if (term.clock === 'calendar') return plain(humanizeSeconds(term.minutes * 60, locale));
  if (businessDayMinutes > 0 && term.minutes % businessDayMinutes === 0) {
    const amount = term.minutes / businessDayMinutes;
    return plain(humanizeDuration({ amount, unit: 'business_day', minutes: term.minutes }, locale));
  }
  if (term.minutes % 60 === 0)
    return i18n.t('portal:term.businessHours', { count: term.minutes / 60, lng: locale });
  return i18n.t('portal:term.businessMinutes', { count: term.minutes, lng: locale });
}

/** "24/7", or business hours in the calendar's zone ("business hours, Eastern Time"). */
export function describeClock(clock: ClockKind, locale: Locale, timeZone?: string): string {
  if (clock === 'calendar') return i18n.t('portal:clock.calendar', { lng: locale });
  const zone = timeZone ? zoneName(timeZone, locale) : undefined;
  return zone
    ? i18n.t('portal:clock.businessIn', { zone, lng: locale })
    : i18n.t('portal:clock.business', { lng: locale });
}

function zoneName(timeZone: string, locale: Locale): string | undefined {
  try {
    return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-US', {
      timeZone,
      timeZoneName: 'longGeneric',
    })
      .formatToParts(new Date())
      .find((part) => part.type === 'timeZoneName')?.value;
  } catch {
    return undefined;
  }
}

/** Every request type the policy names, in the order of the tiers that introduce them. */
export function allRequestTypes(policy: PolicyDocument): RequestType[] {
  const seen: RequestType[] = [];
  for (const tier of TIERS)
    for (const type of policy.tiers[tier]?.requestTypes ?? []) if (!seen.includes(type)) seen.push(type);
  return seen;
}

/** The lowest tier, basic < essential < premium < enterprise, whose support includes the request type. */
export function lowestTierIncluding(policy: PolicyDocument, type: RequestType): Tier | undefined {
  return TIERS.find((tier) => policy.tiers[tier]?.requestTypes.includes(type));
}
