import { createInstance, type TFunction } from 'i18next';
import { html, type Html } from '../../helpcenter/site/html.js';
import en from './locales/en.json' with { type: 'json' };
import fr from './locales/fr.json' with { type: 'json' };

export const STATUS_LOCALES = ['en', 'fr'] as const;
export type StatusLocale = (typeof STATUS_LOCALES)[number];

/** The status page's texts: an i18next instance of its own, initialized synchronously. */
const i18n = createInstance();
void i18n.init({
  resources: { en: { status: en }, fr: { status: fr } },
  ns: ['status'],
  defaultNS: 'status',
  lng: 'en',
  fallbackLng: 'en',
  initAsync: false,
  // The page templates escape every text they interpolate; escaping here too would double it.
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function statusT(locale: StatusLocale): TFunction {
  return i18n.getFixedT(locale);
}

/**
 * An incident's name or an update's text in the reader's language: the French text when there is
 * one, else the English one, marked as English so that a screen reader pronounces it as such.
 */
export function localizedText(locale: StatusLocale, en: string, fr: string | null): Html {
  if (locale === 'fr' && fr) return html`${fr}`;
  return locale === 'en' ? html`${en}` : html`<span lang="en">${en}</span>`;
}

/**
 * An update's text in the reader's language. English shown on another language's page says so: to
 * a screen reader (its lang) and to the eye (a discreet note in the page's language).
 */
export function localizedUpdate(locale: StatusLocale, en: string, fr: string | null): Html {
  if (locale === 'en' || (locale === 'fr' && fr)) return localizedText(locale, en, fr);
  return html`<span lang="en">${en}</span>
    <span class="lang-note">${statusT(locale)('site.inEnglish')}</span>`;
}

/** The same text as plain text (titles, the feed). */
export const localizedPlain = (locale: StatusLocale, en: string, fr: string | null) =>
  locale === 'fr' && fr ? fr : en;
