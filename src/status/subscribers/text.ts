import { createInstance, type TFunction } from 'i18next';
import type { StatusIncidentRow, StatusIncidentUpdateRow } from '../model.js';
import en from './locales/en.json' with { type: 'json' };
import fr from './locales/fr.json' with { type: 'json' };

/** The languages status mail, pages and ticket replies are written in. */
export type StatusLocale = 'en' | 'fr';
export const STATUS_LOCALES = ['en', 'fr'] as const;

/** The status texts, an i18next instance of their own, ready as soon as the module is loaded. */
const i18n = createInstance();
void i18n.init({
  resources: { en: { status: en }, fr: { status: fr } },
  ns: ['status'],
  defaultNS: 'status',
  lng: 'en',
  fallbackLng: 'en',
  initAsync: false,
  // Plain text for mail; pages escape what they interpolate themselves.
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function statusT(locale: StatusLocale): TFunction {
  return i18n.getFixedT(locale);
}

/** The first preference that is a language the status texts exist in ("fr-CA" reads French). */
export function statusLocale(...preferences: (string | null | undefined)[]): StatusLocale {
  for (const preference of preferences) {
    const language = preference?.toLowerCase().slice(0, 2);
    if (language === 'fr' || language === 'en') return language;
  }
  return 'en';
}

/** An incident's name and an update's body in a language, the English text where no French was written. */
export function localized(
  incident: Pick<StatusIncidentRow, 'name' | 'name_fr'>,
  update: Pick<StatusIncidentUpdateRow, 'body' | 'body_fr'> | undefined,
  locale: StatusLocale,
) {
  return {
    name: (locale === 'fr' && incident.name_fr) || incident.name,
    body: update ? (locale === 'fr' && update.body_fr) || update.body : '',
  };
}

/** An incident or maintenance status as a reader reads it ("Identified", "Cause identifiée"). */
export function statusLabel(status: string, locale: StatusLocale): string {
  return statusT(locale)(`status.${status}`, { defaultValue: status });
}

// Made once per locale: building a formatter costs far more than formatting, and a drain of
// thousands of mails formats an instant in each.
const UTC_FORMATS = new Map<StatusLocale, Intl.DateTimeFormat>();

/** An instant in UTC, written for the reader: "June 1, 2026 at 12:00 PM UTC". */
export function instantUtc(at: number, locale: StatusLocale): string {
  let format = UTC_FORMATS.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-US', {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZone: 'UTC',
      timeZoneName: 'short',
    });
    UTC_FORMATS.set(locale, format);
  }
  return format.format(new Date(at));
}

/** The public page of an incident. */
export const incidentUrl = (publicUrl: string, incidentId: string) =>
  `${publicUrl.replace(/\/+$/, '')}/status/incidents/${incidentId}`;
