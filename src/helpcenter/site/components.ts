import type { HcArticleRow } from '../../db/tables.js';
import type { HcLocale } from '../model.js';
import { html, type Html } from './html.js';
import { siteT } from './i18n.js';
import { homePath, type ArticleLink, type Crumb } from './site-content.js';

/** A known issue's status as a badge: investigating, workaround available, fixed (in a version). */
export function issueBadge(
  locale: HcLocale,
  status: HcArticleRow['issue_status'],
  fixedIn: string | null,
): Html | false {
  if (!status) return false;
  const t = siteT(locale);
  const text =
    status === 'fixed' && fixedIn ? t('issue.fixedIn', { version: fixedIn }) : t(`issue.status.${status}`);
  return html`<span class="badge badge-${status}">${text}</span>`;
}

/** home › category › section, the last one the current page's parent. */
export function breadcrumbs(locale: HcLocale, trail: (Crumb | null)[]): Html {
  const t = siteT(locale);
  const crumbs = [{ title: t('site.name'), path: homePath(locale) }, ...trail.filter((c) => c !== null)];
  return html`<nav class="breadcrumbs" aria-label="${t('site.breadcrumbs')}">
    <ol>
      ${crumbs.map((c) => html`<li><a href="${c.path}">${c.title}</a></li>`)}
    </ol>
  </nav>`;
}

/** Articles as a list of links, each with its summary when `withSummary`. */
export function articleList(locale: HcLocale, articles: ArticleLink[], withSummary: boolean): Html {
  return html`<ul class="articles${withSummary ? ' detailed' : ''}">
    ${articles.map(
      (a) =>
        html`<li>
          <a href="${a.path}">${a.title}</a
          >${a.kind === 'known_issue' && html` ${issueBadge(locale, a.issueStatus, a.fixedIn)}`}${withSummary && a.summary && html`<p>${a.summary}</p>`}
        </li>`,
    )}
  </ul>`;
}
