import { html, type Html } from '../../helpcenter/site/html.js';
import { STATUS_LOCALES, statusT, type StatusLocale } from './i18n.js';
import { feedPath, historyPath, homePath, subscribePath } from './paths.js';

export interface StatusSiteSettings {
  /** The desk's public address without a trailing slash: canonical, hreflang and feed links are absolute. */
  publicUrl: string;
  /** The stylesheet's address, versioned by its content. */
  stylesheet: string;
  helpCenterUrl: string;
}

export interface StatusPage {
  locale: StatusLocale;
  title: string;
  description: string;
  /** The page's own path, its canonical address once prefixed with publicUrl. */
  path: string;
  /** The page's path in a locale (hreflang and the language switcher). */
  pathIn: (locale: StatusLocale) => string;
  /** The policy's time zone, named in the footer (times are shown in UTC and in it). */
  timeZone?: string;
  noindex?: boolean;
  main: Html;
}

const LANGUAGE_NAMES: Record<StatusLocale, string> = { en: 'English', fr: 'Français' };

/** The page around every status page's content: head, header with languages, footer. */
export function layout(site: StatusSiteSettings, page: StatusPage): Html {
  const t = statusT(page.locale);
  const { locale } = page;
  const absolute = (path: string) => `${site.publicUrl}${path}`;
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
        ${STATUS_LOCALES.map((l) => html`<link rel="alternate" hreflang="${l}" href="${absolute(page.pathIn(l))}" /> `)}
        <link rel="alternate" hreflang="x-default" href="${absolute(page.pathIn('en'))}" />
        <link
          rel="alternate"
          type="application/atom+xml"
          title="${t('site.feedTitle')}"
          href="${absolute(feedPath(locale))}"
        />
        <link rel="stylesheet" href="${site.stylesheet}" />
      </head>
      <body>
        <a class="skip" href="#main">${t('site.skip')}</a>
        <header class="site-header">
          <div class="wrap header-row">
            <a class="brand" href="${homePath(locale)}">${siteName}</a>
            <nav class="top-nav" aria-label="${t('site.navigation')}">
              <a href="${historyPath(locale)}">${t('site.history')}</a>
              <a href="${feedPath(locale)}" type="application/atom+xml">${t('site.feed')}</a>
              <a href="${subscribePath(locale)}">${t('site.subscribe')}</a>
            </nav>
            ${languageSwitcher(page)}
          </div>
        </header>
        <main id="main" class="wrap">${page.main}</main>
        <footer class="site-footer">
          <div class="wrap">
            ${page.timeZone && html`<p>${t('site.times', { zone: page.timeZone })}</p>`}
            <p><a href="${site.helpCenterUrl}">${t('site.helpCenter')}</a></p>
          </div>
        </footer>
      </body>
    </html> `;
}

function languageSwitcher(page: StatusPage): Html {
  const t = statusT(page.locale);
  return html`<nav class="languages" aria-label="${t('site.language')}">
    <ul>
      ${STATUS_LOCALES.map(
        (locale) =>
          html`<li>
            <a
              href="${page.pathIn(locale)}"
              lang="${locale}"
              hreflang="${locale}"
              ${locale === page.locale && html`aria-current="true"`}
              >${LANGUAGE_NAMES[locale]}</a
            >
          </li>`,
      )}
    </ul>
  </nav>`;
}
