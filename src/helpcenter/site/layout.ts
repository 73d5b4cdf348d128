import { HC_LOCALES, type HcLocale } from '../model.js';
import { html, type Html } from './html.js';
import { siteT } from './i18n.js';
import { homePath, knownIssuesPath, searchPath } from './site-content.js';

/** What every page needs from the desk: where it is published and where customers ask for help. */
export interface SiteSettings {
  /** The desk's public address without a trailing slash: canonical and hreflang links are absolute. */
  publicUrl: string;
  supportUrl: string;
  /** The status page in a language. */
  statusUrl: (locale: HcLocale) => string;
  /** The stylesheet's address, versioned by its content. */
  stylesheet: string;
}

export interface Page {
  locale: HcLocale;
  title: string;
  description: string;
  /** The page's own path: its canonical address is publicUrl + path. */
  path: string;
  /** The page in each locale it exists in (hreflang); the language switcher uses them. */
  alternates: { locale: HcLocale; path: string }[];
  noindex?: boolean;
  /** The query to show in the header's search box. */
  query?: string;
  /** The home page has its own large search box. */
  headerSearch?: boolean;
  main: Html;
}

const LANGUAGE_NAMES: Record<HcLocale, string> = { en: 'English', fr: 'Français' };

/** The page around every page's content: head, header with search and languages, footer. */
export function layout(site: SiteSettings, page: Page): Html {
  const t = siteT(page.locale);
  const { locale } = page;
  const absolute = (path: string) => `${site.publicUrl}${path}`;
  const xDefault = page.alternates.find((a) => a.locale === 'en') ?? page.alternates[0];
  const siteName = t('site.name');
  return html`<!doctype html>
    <html lang="${locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${page.title === siteName ? siteName : `${page.title} · ${siteName}`}</title>
        <meta name="description" content="${page.description}" />
        ${page.noindex && html`<meta name="robots" content="noindex" /> `}
        <link rel="canonical" href="${absolute(page.path)}" />
        ${page.alternates.map((a) => html`<link rel="alternate" hreflang="${a.locale}" href="${absolute(a.path)}" /> `)}${xDefault && html`<link rel="alternate" hreflang="x-default" href="${absolute(xDefault.path)}" /> `}
        <link rel="stylesheet" href="${site.stylesheet}" />
      </head>
      <body>
        <a class="skip" href="#main">${t('site.skip')}</a>
        <header class="site-header">
          <div class="wrap header-row">
            <a class="brand" href="${homePath(locale)}">${siteName}</a>
            <nav class="top-nav" aria-label="${t('site.navigation')}">
              <a href="${knownIssuesPath(locale)}">${t('site.knownIssues')}</a>
              <a href="${site.statusUrl(locale)}">${t('site.status')}</a>
              <a href="${site.supportUrl}">${t('site.contactSupport')}</a>
            </nav>
            ${languageSwitcher(page)}
          </div>
          ${page.headerSearch !== false && html`<div class="wrap">${searchForm(locale, page.query ?? '', 'header-search')}</div>`}
        </header>
        <main id="main" class="wrap">${page.main}</main>
        <footer class="site-footer">
          <div class="wrap">
            <p>${t('site.footerQuestion')} <a href="${site.supportUrl}">${t('site.contactSupport')}</a></p>
          </div>
        </footer>
      </body>
    </html> `;
}

/** Links to this page in the other locales: the same article's translation, else that locale's home. */
function languageSwitcher(page: Page): Html {
  const t = siteT(page.locale);
  return html`<nav class="languages" aria-label="${t('site.language')}">
    <ul>
      ${HC_LOCALES.map((locale) => {
        const target = page.alternates.find((a) => a.locale === locale)?.path ?? homePath(locale);
        return locale === page.locale
          ? html`<li>
              <a href="${target}" lang="${locale}" hreflang="${locale}" aria-current="true"
                >${LANGUAGE_NAMES[locale]}</a
              >
            </li>`
          : html`<li>
              <a href="${target}" lang="${locale}" hreflang="${locale}">${LANGUAGE_NAMES[locale]}</a>
            </li>`;
      })}
    </ul>
  </nav>`;
}

/** A plain GET form: searching works without JavaScript and results have an address. */
export function searchForm(locale: HcLocale, query: string, className: string): Html {
  const t = siteT(locale);
  const id = `${className}-q`;
  return html`<form class="search ${className}" action="${searchPath(locale)}" method="get" role="search">
    <label for="${id}" class="visually-hidden">${t('site.searchLabel')}</label>
    <input
      id="${id}"
      type="search"
      name="q"
      value="${query}"
      maxlength="200"
      placeholder="${t('site.searchPlaceholder')}"
      autocomplete="off"
    />
    <button type="submit">${t('site.searchButton')}</button>
  </form>`;
}
