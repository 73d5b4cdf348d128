import type { HcLocale } from '../model.js';
import { articlePath } from '../presenters.js';
import { breadcrumbs, issueBadge } from './components.js';
import { html, trusted } from './html.js';
import { dateText, siteT } from './i18n.js';
import type { Page } from './layout.js';
import type { ArticleView } from './site-content.js';

/** An article or known issue: the sanitized body, the issue's facts, and "was this helpful?". */
export function articlePage(
  locale: HcLocale,
  view: ArticleView,
  options: { voted: boolean; supportUrl: string },
): Page {
  const t = siteT(locale);
  const { article, translation } = view;
  const path = articlePath(locale, translation.slug);
  const updatedAt = Math.max(article.updated_at, translation.updated_at);
  const knownIssue = article.kind === 'known_issue';
  const badge = knownIssue && issueBadge(locale, article.issue_status, article.fixed_in);
  return {
    locale,
    title: translation.title,
    description: translation.summary,
    path,
    alternates: view.translations.map((x) => ({
      locale: x.locale as HcLocale,
      path: articlePath(x.locale, x.slug),
    })),
    main: html`${breadcrumbs(locale, [view.category, view.section])}
      <article class="article">
        <header>
          <h1>${translation.title}</h1>
          <p class="meta">
            <span class="updated"
              >${t('article.updated')}
              <time datetime="${new Date(updatedAt).toISOString()}"
                >${dateText(updatedAt, locale)}</time
              ></span
            >
          </p>
        </header>
        ${
          knownIssue &&
          html`<dl class="issue-facts">
            <dt>${t('issue.statusLabel')}</dt>
            <dd>${badge}</dd>
            ${
              article.affected_area &&
              html`<dt>${t('issue.affectedArea')}</dt>
                <dd>${article.affected_area}</dd>`
            }
            ${
              translation.symptom &&
              html`<dt>${t('issue.symptom')}</dt>
                <dd>${translation.symptom}</dd>`
            }
          </dl>`
        }
        <div class="body">${trusted(translation.body_html)}</div>
        ${
          knownIssue &&
          translation.workaround_html &&
          html`<section class="workaround" aria-labelledby="workaround-title">
            <h2 id="workaround-title">${t('issue.workaround')}</h2>
            ${trusted(translation.workaround_html)}
          </section>`
        }
      </article>
      <section class="feedback" id="feedback" aria-labelledby="feedback-title">
        ${
          options.voted
            ? html`<p class="thanks" id="feedback-title" role="status">${t('vote.thanks')}</p>`
            : html`<form method="post" action="${path}/vote">
                <h2 id="feedback-title">${t('vote.question')}</h2>
                <button type="submit" name="helpful" value="yes">${t('vote.yes')}</button>
                <button type="submit" name="helpful" value="no">${t('vote.no')}</button>
              </form>`
        }
        <p>${t('vote.stillNeedHelp')} <a href="${options.supportUrl}">${t('site.contactSupport')}</a></p>
      </section>`,
  };
}

/**
 * An anonymous reader asked for an article meant for signed-in customers (or some tiers): signing in
 * brings them back to it. Its title is not shown: the audience rule covers the title too.
 */
export function signInPage(locale: HcLocale, path: string): Page {
  const t = siteT(locale);
  return {
    locale,
    title: t('signIn.title'),
    description: t('signIn.text'),
    path,
    alternates: [{ locale, path }],
    noindex: true,
    main: html`${breadcrumbs(locale, [])}
      <h1>${t('signIn.title')}</h1>
      <p>${t('signIn.text')}</p>
      <p><a class="button" href="/login?next=${encodeURIComponent(path)}">${t('signIn.action')}</a></p>`,
  };
}
