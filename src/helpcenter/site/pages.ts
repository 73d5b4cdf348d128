import type { ResultItem } from '../engagement.js';
import { HC_LOCALES, type HcLocale } from '../model.js';
import type { ArticleOut } from '../schema.js';
import { articleList, breadcrumbs, issueBadge } from './components.js';
import { html, trusted, type Html } from './html.js';
import { dateText, siteT, tHtml } from './i18n.js';
import { searchForm, type Page } from './layout.js';
import {
  homePath,
  knownIssuesPath,
  searchPath,
  type CategoryView,
  type Crumb,
  type SectionView,
} from './site-content.js';

/** The same page in every locale: pages other than articles exist in both. */
const everyLocale = (pathOf: (locale: HcLocale) => string) =>
  HC_LOCALES.map((locale) => ({ locale, path: pathOf(locale) }));

export function homePage(locale: HcLocale, categories: CategoryView[], supportUrl: string): Page {
  const t = siteT(locale);
  return {
    locale,
    title: t('site.name'),
    description: t('home.description'),
    path: homePath(locale),
    alternates: everyLocale(homePath),
    headerSearch: false,
    main: html`<section class="hero">
        <h1>${t('home.title')}</h1>
        ${searchForm(locale, '', 'hero-search')}
        <p class="quick-links">
          <a href="${knownIssuesPath(locale)}">${t('site.knownIssues')}</a>
          <a href="${supportUrl}">${t('site.contactSupport')}</a>
        </p>
      </section>
      ${
        categories.length === 0
          ? html`<p class="empty">${t('home.empty')}</p>`
          : html`<div class="categories">
              ${categories.map(
                (c) =>
                  html`<section class="category">
                    <h2><a href="${c.path}">${c.title}</a></h2>
                    ${c.description && html`<p class="description">${c.description}</p>`}
                    ${c.sections.map((s) => sectionBlock(locale, s, 'h3'))}
                  </section>`,
              )}
            </div>`
      }`,
  };
}

function sectionBlock(locale: HcLocale, section: SectionView, heading: 'h2' | 'h3'): Html {
  const t = siteT(locale);
  const title = html`<a href="${section.path}">${section.title}</a>`;
  return html`<div class="section">
    ${heading === 'h2' ? html`<h2>${title}</h2>` : html`<h3>${title}</h3>`}
    ${articleList(locale, section.articles, false)}
    ${section.more && html`<p class="more"><a href="${section.path}">${t('section.seeAll', { section: section.title })}</a></p>`}
  </div>`;
}

export function categoryPage(locale: HcLocale, category: CategoryView): Page {
  const t = siteT(locale);
  return {
    locale,
    title: category.title,
    description: category.description || t('category.description', { category: category.title }),
    path: category.path,
    alternates: everyLocale((l) => category.path.replace(`/hc/${locale}/`, `/hc/${l}/`)),
    main: html`${breadcrumbs(locale, [])}
      <h1>${category.title}</h1>
      ${category.description && html`<p class="lead">${category.description}</p>`}
      ${
        category.sections.length === 0
          ? html`<p class="empty">${t('category.empty')}</p>`
          : category.sections.map((s) => sectionBlock(locale, s, 'h2'))
      }`,
  };
}

export function sectionPage(locale: HcLocale, category: Crumb, section: SectionView): Page {
  const t = siteT(locale);
  return {
    locale,
    title: section.title,
    description: t('section.description', { section: section.title, category: category.title }),
    path: section.path,
    alternates: everyLocale((l) => section.path.replace(`/hc/${locale}/`, `/hc/${l}/`)),
    main: html`${breadcrumbs(locale, [category])}
      <h1>${section.title}</h1>
      ${
        section.articles.length === 0
          ? html`<p class="empty">${t('section.empty')}</p>`
          : articleList(locale, section.articles, true)
      }`,
  };
}

export function knownIssuesPage(
  locale: HcLocale,
  issues: ArticleOut[],
  olderPath: string | null,
  firstPage: boolean,
): Page {
  const t = siteT(locale);
  return {
    locale,
    title: t('knownIssues.title'),
    description: t('knownIssues.description'),
    path: knownIssuesPath(locale),
    alternates: everyLocale(knownIssuesPath),
    main: html`${breadcrumbs(locale, [])}
      <h1>${t('knownIssues.title')}</h1>
      <p class="lead">${t('knownIssues.intro')}</p>
      ${
        issues.length === 0
          ? html`<p class="empty">${firstPage ? t('knownIssues.empty') : t('knownIssues.noMore')}</p>`
          : html`<ul class="issues">
              ${issues.map((issue) => knownIssueItem(locale, issue))}
            </ul>`
      }
      ${olderPath && html`<nav class="pagination" aria-label="${t('search.pages')}"><a rel="next" href="${olderPath}">${t('knownIssues.older')}</a></nav>`}`,
  };
}

function knownIssueItem(locale: HcLocale, issue: ArticleOut): Html | false {
  const t = siteT(locale);
  const translation = issue.translations.find((x) => x.locale === locale);
  if (!translation) return false;
  return html`<li class="issue">
    <h2><a href="${translation.url}">${translation.title}</a></h2>
    <p class="issue-meta">
      ${issueBadge(locale, issue.issueStatus, issue.fixedIn)}${issue.affectedArea && html` <span class="area">${t('issue.area', { area: issue.affectedArea })}</span>`}
      <span class="updated"
        >${t('article.updated')}
        <time datetime="${issue.updatedAt}">${dateText(Date.parse(issue.updatedAt), locale)}</time></span
      >
    </p>
    ${(translation.symptom || translation.summary) && html`<p>${translation.symptom || translation.summary}</p>`}
  </li>`;
}

export interface SearchView {
  query: string;
  correctedQuery: string | null;
  total: number;
  results: ResultItem[];
  page: number;
  pageCount: number;
}

const searchHref = (locale: HcLocale, q: string, page = 1) =>
  `${searchPath(locale)}?q=${encodeURIComponent(q)}${page > 1 ? `&page=${page}` : ''}`;

export function searchPage(locale: HcLocale, view: SearchView | null, supportUrl: string): Page {
  const t = siteT(locale);
  const query = view?.query ?? '';
  return {
    locale,
    title: view ? t('search.titleFor', { query }) : t('search.title'),
    description: t('search.description'),
    path: searchPath(locale),
    alternates: everyLocale((l) => (query ? searchHref(l, query) : searchPath(l))),
    noindex: true,
    query,
    headerSearch: false,
    main: html`${breadcrumbs(locale, [])}
      <h1>
        ${view ? tHtml(t, 'search.resultsFor', { query: html`<span class="query">${query}</span>` }) : t('search.title')}
      </h1>
      ${searchForm(locale, query, 'page-search')}
      ${view ? searchResults(locale, view, supportUrl) : html`<p class="hint">${t('search.hint')}</p>`}`,
  };
}

function searchResults(locale: HcLocale, view: SearchView, supportUrl: string): Html {
  const t = siteT(locale);
  const corrected = view.correctedQuery;
  const correction =
    corrected && corrected !== view.query
      ? view.total > 0
        ? html`<p class="correction">
            ${tHtml(t, 'search.showingFor', { query: html`<strong>${corrected}</strong>` })}
          </p>`
        : html`<p class="correction">
            ${tHtml(t, 'search.didYouMean', { query: html`<a href="${searchHref(locale, corrected)}">${corrected}</a>` })}
          </p>`
      : false;
  if (view.total === 0 || view.results.length === 0)
    return html`${correction}
      <div class="empty-state">
        <p>
          <strong>${view.total === 0 ? t('search.none', { query: view.query }) : t('search.pastEnd')}</strong>
        </p>
        <p>${t('search.noneHint')}</p>
        <p><a class="button" href="${supportUrl}">${t('site.contactSupport')}</a></p>
      </div>`;
  return html`${correction}
    <p class="count" role="status">${t('search.count', { count: view.total })}</p>
    <ol class="results">
      ${view.results.map(
        (r) =>
          html`<li>
            <h2><a href="${r.url}">${trusted(r.titleHtml)}</a></h2>
            ${r.kind === 'known_issue' && html` ${issueBadge(locale, r.issueStatus, null)}`}
            <p class="snippet">${trusted(r.snippetHtml)}</p>
          </li>`,
      )}
    </ol>
    ${pagination(locale, view)}`;
}

function pagination(locale: HcLocale, view: SearchView): Html | false {
  if (view.pageCount <= 1) return false;
  const t = siteT(locale);
  return html`<nav class="pagination" aria-label="${t('search.pages')}">
    ${view.page > 1 && html`<a rel="prev" href="${searchHref(locale, view.query, view.page - 1)}">${t('search.previous')}</a>`}
    <span>${t('search.pageOf', { page: view.page, pages: view.pageCount })}</span>
    ${view.page < view.pageCount && html`<a rel="next" href="${searchHref(locale, view.query, view.page + 1)}">${t('search.next')}</a>`}
  </nav>`;
}

export type ErrorKind = 'notFound' | 'badRequest' | 'serverError';

/** A page for an address that shows nothing: a missing page, a bad request, a fault on our side. */
export function errorPage(locale: HcLocale, kind: ErrorKind, path: string): Page {
  const t = siteT(locale);
  return {
    locale,
    title: t(`error.${kind}.title`),
    description: t(`error.${kind}.text`),
    path,
    alternates: everyLocale(homePath),
    noindex: true,
    main: html`<h1>${t(`error.${kind}.title`)}</h1>
      <p>${t(`error.${kind}.text`)}</p>
      <ul class="links">
        ${HC_LOCALES.map(
          (l) =>
            html`<li><a href="${homePath(l)}" hreflang="${l}" lang="${l}">${siteT(l)('error.home')}</a></li>`,
        )}
      </ul>`,
  };
}
