import { createInstance, type TFunction, type TOptions } from 'i18next';
import type { HcLocale } from '../model.js';
import { html, Html, type HtmlPart } from './html.js';
import en from './locales/en.json' with { type: 'json' };
import fr from './locales/fr.json' with { type: 'json' };

/**
 * The help center's page texts: an i18next instance of its own (the mail texts and the web app have
 * theirs), initialized synchronously from the bundled resources.
 */
const i18n = createInstance();
void i18n.init({
  resources: { en: { site: en }, fr: { site: fr } },
  ns: ['site'],
  defaultNS: 'site',
  lng: 'en',
  fallbackLng: 'en',
  initAsync: false,
  // The page templates escape every text they interpolate; escaping here too would double it.
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** The texts of one locale. */
export function siteT(locale: HcLocale): TFunction {
  return i18n.getFixedT(locale);
}

// Private-use characters never occur in the texts, so they mark where markup goes without colliding.
const marker = (name: string) => `\uE000${name}\uE001`;

/**
 * A text with markup in it ("Showing results for <strong>…</strong>"): the words come from the
 * locale file and are escaped, the named parts are HTML fragments placed where `{{name}}` stands.
 */
export function tHtml(
  t: TFunction,
  key: string,
  parts: Record<string, HtmlPart>,
  options: TOptions = {},
): Html {
  const values: Record<string, string> = {};
  for (const name of Object.keys(parts)) values[name] = marker(name);
  const text = t(key, { ...options, ...values });
  const pieces = text.split(/(\uE000[A-Za-z]+\uE001)/);
  return html`${pieces.map((piece) => {
    const match = /^\uE000([A-Za-z]+)\uE001$/.exec(piece);
    return match ? html`${parts[match[1]!]}` : piece;
  })}`;
}

/** A date as readers of the locale write it, in UTC so every reader sees the same day. */
export function dateText(at: number, locale: HcLocale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(at);
}
