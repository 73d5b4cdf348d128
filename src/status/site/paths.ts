import type { StatusLocale } from './i18n.js';

/**
 * The status page's addresses: English at /status, French under /status/fr. No redirect on
 * Accept-Language, so that every address is one page in one language, cacheable by anyone and
 * linked to its translation by hreflang; English is the x-default.
 */
export const homePath = (locale: StatusLocale) => (locale === 'en' ? '/status' : `/status/${locale}`);
export const historyPath = (locale: StatusLocale) => `${homePath(locale)}/history`;
export const incidentPath = (locale: StatusLocale, id: string) => `${homePath(locale)}/incidents/${id}`;
export const feedPath = (locale: StatusLocale) => `${homePath(locale)}/feed.atom`;
/** The subscription form's page, and where it posts. */
export const subscribePath = (locale: StatusLocale) => `${homePath(locale)}/subscribe`;
