import { createInstance, type TFunction } from 'i18next';
import type { Clock as TermClock } from '../sla/engine.js';
import en from './locales/en.json' with { type: 'json' };
import fr from './locales/fr.json' with { type: 'json' };

/** The languages the desk writes mail in; a customer's organization or profile picks one. */
export type MailLocale = 'en' | 'fr';

/**
 * The mail texts, a server-side i18next instance of its own (the web app has another): initialized
 * synchronously from the bundled resources, so it is ready as soon as the module is loaded.
 */
const i18n = createInstance();
void i18n.init({
  resources: { en: { mail: en }, fr: { mail: fr } },
  ns: ['mail'],
  defaultNS: 'mail',
  lng: 'en',
  fallbackLng: 'en',
  initAsync: false,
  // Plain-text mail: nothing to escape, and an escaped "&" or "'" would show as an entity.
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** The text function of one language. */
export function mailT(locale: MailLocale): TFunction {
  return i18n.getFixedT(locale);
}

/** The first of the given preferences that is a language the desk writes (a "fr-CA" profile reads French). */
export function mailLocale(...preferences: (string | null | undefined)[]): MailLocale {
  for (const preference of preferences) {
    const language = preference?.toLowerCase().slice(0, 2);
    if (language === 'fr' || language === 'en') return language;
  }
  return 'en';
}

/**
 * A target's length in words, from its minutes on its clock: "1 hour", "1 business day",
 * "1 jour ouvrable". Business-clock minutes that make whole business days are written as days,
 * as the policy writes them.
 */
export function durationText(
  term: { minutes: number; clock: TermClock },
  businessDayMinutes: number,
  locale: MailLocale,
): string {
  const t = mailT(locale);
  const { minutes, clock } = term;
  if (clock === 'business') {
    if (businessDayMinutes > 0 && minutes % businessDayMinutes === 0)
      return t('duration.businessDay', { count: minutes / businessDayMinutes });
    if (minutes % 60 === 0) return t('duration.businessHour', { count: minutes / 60 });
    return t('duration.businessMinute', { count: minutes });
  }
  if (minutes % 60 === 0) return t('duration.hour', { count: minutes / 60 });
  return t('duration.minute', { count: minutes });
}

/** The clock a target runs on, as the customer reads it: "around the clock", "business hours, US Eastern". */
export function clockText(clock: TermClock, timeZone: string, locale: MailLocale): string {
  const t = mailT(locale);
  if (clock === 'calendar') return t('clock.calendar');
  return t('clock.business', { zone: zoneText(timeZone, locale) });
}

// Building a DateTimeFormat costs far more than formatting with one; a desk has few zones.
const instantFormats = new Map<string, Intl.DateTimeFormat>();
const zoneNames = new Map<string, string>();

/** A zone's everyday name: the mail texts name the policy's usual zone, Intl names any other. */
export function zoneText(timeZone: string, locale: MailLocale): string {
  const key = `${locale} ${timeZone}`;
  let generic = zoneNames.get(key);
  if (generic === undefined) {
    generic =
      new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'longGeneric' })
        .formatToParts(0)
        .find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
    zoneNames.set(key, generic);
  }
  // i18next reads "." as a key separator; IANA zone names have none, but "_" and "/" are fine.
  return mailT(locale)(`zones.${timeZone}`, { defaultValue: generic });
}

/** An instant as a date and time in a zone, with the zone: "Monday, June 1, 2026 at 9:00 AM EDT". */
export function instantText(at: number, timeZone: string, locale: MailLocale): string {
  const key = `${locale} ${timeZone}`;
  let format = instantFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-US', {
      weekday: 'long',
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZone,
      timeZoneName: 'short',
    });
    instantFormats.set(key, format);
  }
  return format.format(new Date(at));
}

/**
 * A message's HTML as plain text for the text part of a mail: block ends become line breaks, list
 * items dashes, links keep their address, and the common entities are decoded.
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_m, href: string, text: string) =>
      text.replace(/<[^>]+>/g, '').trim() === href ? href : `${text} (${href})`,
    )
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li[^>]*>/gi, '- ')
    .replace(/<\/(p|div|li|h[1-6]|tr|blockquote|pre|table|ul|ol)>/gi, '\n')
    .replace(/<hr[^>]*>/gi, '\n----\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
