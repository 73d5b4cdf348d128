import { createInstance, type TFunction } from 'i18next';
import en from './locales/en.json' with { type: 'json' };
import fr from './locales/fr.json' with { type: 'json' };

/** The languages the satisfaction mail and pages are written in. */
export type SatisfactionLocale = 'en' | 'fr';

/** The satisfaction texts, an i18next instance of their own, ready as soon as the module is loaded. */
const i18n = createInstance();
void i18n.init({
  resources: { en: { satisfaction: en }, fr: { satisfaction: fr } },
  ns: ['satisfaction'],
  defaultNS: 'satisfaction',
  lng: 'en',
  fallbackLng: 'en',
  initAsync: false,
  // Plain text for mail; pages escape what they interpolate themselves.
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function satisfactionT(locale: SatisfactionLocale): TFunction {
  return i18n.getFixedT(locale);
}

/** The first preference that is a language the texts exist in ("fr-CA" reads French). */
export function satisfactionLocale(...preferences: (string | null | undefined)[]): SatisfactionLocale {
  for (const preference of preferences) {
    const language = preference?.toLowerCase().slice(0, 2);
    if (language === 'fr' || language === 'en') return language;
  }
  return 'en';
}
