import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../api/types';
import enAdmin from '../locales/en/admin.json';
import enChat from '../locales/en/chat.json';
import enCollab from '../locales/en/collab.json';
import enCommon from '../locales/en/common.json';
import enConsole from '../locales/en/console.json';
import enFairuse from '../locales/en/fairuse.json';
import enMacros from '../locales/en/macros.json';
import enPortal from '../locales/en/portal.json';
import enReports from '../locales/en/reports.json';
import enSatisfaction from '../locales/en/satisfaction.json';
import enSearch from '../locales/en/search.json';
import frAdmin from '../locales/fr/admin.json';
import frChat from '../locales/fr/chat.json';
import frCollab from '../locales/fr/collab.json';
import frCommon from '../locales/fr/common.json';
import frConsole from '../locales/fr/console.json';
import frFairuse from '../locales/fr/fairuse.json';
import frMacros from '../locales/fr/macros.json';
import frPortal from '../locales/fr/portal.json';
import frReports from '../locales/fr/reports.json';
import frSatisfaction from '../locales/fr/satisfaction.json';
import frSearch from '../locales/fr/search.json';

export const LOCALES: Locale[] = ['en', 'fr'];
const STORAGE_KEY = 'accord.locale';

export const isLocale = (value: unknown): value is Locale => value === 'en' || value === 'fr';

/**
 * The language of this device before anyone signs in: the choice made here with the language
 * switcher, then the browser's, then English. A signed-in user's profile comes first (auth/session).
 */
export function deviceLocale(): Locale {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (isLocale(stored)) return stored;
  return navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  lng: deviceLocale(),
  fallbackLng: 'en',
  supportedLngs: LOCALES,
  ns: [
    'common',
    'console',
    'portal',
    'admin',
    'reports',
    'chat',
    'fairuse',
    'satisfaction',
    'search',
    'collab',
    'macros',
  ],
  defaultNS: 'common',
  resources: {
    en: {
      common: enCommon,
      console: enConsole,
      portal: enPortal,
      admin: enAdmin,
      reports: enReports,
      chat: enChat,
      fairuse: enFairuse,
      macros: enMacros,
      satisfaction: enSatisfaction,
      search: enSearch,
      collab: enCollab,
    },
    fr: {
      common: frCommon,
      console: frConsole,
      portal: frPortal,
      admin: frAdmin,
      reports: frReports,
      chat: frChat,
      fairuse: frFairuse,
      macros: frMacros,
      satisfaction: frSatisfaction,
      search: frSearch,
      collab: frCollab,
    },
  },
  interpolation: { escapeValue: false },
  returnNull: false,
});
i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
});
document.documentElement.lang = i18n.language;

/** Shows the app in `locale`; `remember` keeps it as this device's choice for the next visit. */
export function setLocale(locale: Locale, remember = true) {
  void showLocale(locale, remember);
}

/** setLocale, resolved once every text on screen can be in the new language. */
export async function showLocale(locale: Locale, remember = false): Promise<void> {
  if (remember) localStorage.setItem(STORAGE_KEY, locale);
  if (i18n.language !== locale) await i18n.changeLanguage(locale);
}

export function currentLocale(): Locale {
  return i18n.language === 'fr' ? 'fr' : 'en';
}
