import { useTranslation } from 'react-i18next';
import type { Locale } from '../api/types';
import { useLocale } from '../shared/components';
import { formatDate, humanizeDuration, humanizeSeconds } from '../shared/format';
import type { PolicyChange } from './common';

/**
 * A policy change in the reader's language: what changed ("First response target, Basic, P3"),
 * each version's value ("1 business day" / "1 jour ouvrable") and what it does for the customer.
 * The API gives the change as facts (`topic`, `tier`, `priority`, …, `durations`, `effect`).
 */

type Translate = (key: string, options?: Record<string, unknown>) => string;
type Side = 'before' | 'after';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function title(change: PolicyChange, t: Translate): string {
  return t(`admin:versions.topic.${change.topic}`, {
    tier: change.tier ? t(`common:tier.${change.tier}`, { defaultValue: change.tier }) : '',
    priority: change.priority ?? '',
    calendar: change.calendar ?? '',
    weekday: change.weekday ? t(`admin:versions.weekday.${change.weekday}`) : '',
    unit: change.unit ? t(`admin:versions.unit.${change.unit}`) : '',
    path: change.path,
  });
}

function value(change: PolicyChange, side: Side, t: Translate, locale: Locale): string | null {
  const duration = change.durations?.[side];
  if (change.durations) {
    if (!duration) return null;
    const words = humanizeDuration(duration, locale);
    const other = change.durations[side === 'before' ? 'after' : 'before'];
    // "1 business day" both sides, a longer business day: say how long.
    return other && humanizeDuration(other, locale) === words && other.minutes !== duration.minutes
      ? `${words} (${humanizeSeconds(duration.minutes * 60, locale)})`
      : words;
  }
  const raw = change[side];
  if (raw === null) return null;
  switch (change.topic) {
    case 'request_type':
      return t(`common:requestType.${raw}`, { defaultValue: raw });
    case 'support_channel':
      return t(`common:channel.${raw}`, { defaultValue: raw });
    case 'exclusion':
      return t(`admin:versions.value.exclusion.${raw}`, { defaultValue: raw });
    case 'term_protection':
      return t(raw === 'true' ? 'admin:versions.value.yes' : 'admin:versions.value.no');
    case 'response_measure':
      return t(`admin:versions.value.measure.${raw}`, { defaultValue: raw });
    case 'unit_clock':
      return t(`admin:versions.value.clock.${raw}`, { defaultValue: raw });
    case 'calendar_hours':
      return raw === 'closed' ? t('admin:versions.value.closed') : raw.replaceAll('-', '–');
    case 'warning_lead':
      return t('admin:versions.value.warningLead', {
        share: new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-US', { style: 'percent' }).format(
          Number(raw),
        ),
      });
    case 'calendar_closed_date':
    case 'calendar_open_date':
      return DATE.test(raw) ? formatDate(raw, locale) : raw;
    // Durations are worded above; the rest are names (calendars, time zones, holiday rules),
    // numbers or the policy's own words.
    case 'first_response_target':
    case 'resolution_target':
    case 'p0_update_interval':
    case 'p0_first_escalation':
    case 'p0_escalation_interval':
    case 'business_day':
    case 'calendar':
    case 'calendar_time_zone':
    case 'calendar_holiday_rule':
    case 'default_calendar':
    case 'designated_contacts':
    case 'text':
      return raw;
  }
}

/** The words of a policy diff, re-rendered when the language changes. */
export function usePolicyChangeWording() {
  const { t } = useTranslation(['admin', 'common']);
  const locale = useLocale();
  return {
    title: (change: PolicyChange) => title(change, t),
    value: (change: PolicyChange, side: Side) => value(change, side, t, locale),
    effect: (change: PolicyChange) => t(`admin:versions.effect.${change.effect}`),
    effectHint: (change: PolicyChange) => t(`admin:versions.effectHint.${change.effect}`),
  };
}
