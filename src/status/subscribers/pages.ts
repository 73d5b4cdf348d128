import { html, type Html } from '../../helpcenter/site/html.js';
import type { SubscriberRow } from './repository.js';
import { statusLocale, statusT, type StatusLocale } from './text.js';

/** The pages run no script and load nothing; their few styles are inline. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function layout(locale: StatusLocale, title: string, body: Html): string {
  return html`<!doctype html>
    <html lang="${locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title}</title>
        <style>
          body {
            font-family: system-ui, sans-serif;
            max-width: 34rem;
            margin: 4rem auto;
            padding: 0 1rem;
            line-height: 1.5;
          }
          button {
            font: inherit;
            padding: 0.5rem 1rem;
          }
        </style>
      </head>
      <body>
        <main>
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html> `.value;
}

const addressOf = (s: SubscriberRow) => s.email ?? s.url ?? '';

/** A page that asks for a button press before changing anything: link scanners only GET. */
function actionPage(
  subscriber: SubscriberRow,
  action: string,
  keys: { title: string; text: string; button: string },
): string {
  const locale = statusLocale(subscriber.locale);
  const t = statusT(locale);
  return layout(
    locale,
    t(keys.title),
    html`<p>${t(keys.text, { address: addressOf(subscriber) })}</p>
      <form method="post" action="${action}"><button type="submit">${t(keys.button)}</button></form>`,
  );
}

export const confirmPage = (subscriber: SubscriberRow, action: string) =>
  actionPage(subscriber, action, {
    title: 'page.confirmTitle',
    text: 'page.confirmText',
    button: 'page.confirmButton',
  });

export const unsubscribePage = (subscriber: SubscriberRow, action: string) =>
  actionPage(subscriber, action, {
    title: 'page.unsubscribeTitle',
    text: 'page.unsubscribeText',
    button: 'page.unsubscribeButton',
  });

/** The way back to the status page, in the page's language. */
const statusPageLink = (locale: StatusLocale) =>
  html`<p>
    <a href="${locale === 'en' ? '/status' : `/status/${locale}`}">${statusT(locale)('page.back')}</a>
  </p>`;

function donePage(subscriber: SubscriberRow, title: string, text: string): string {
  const locale = statusLocale(subscriber.locale);
  const t = statusT(locale);
  return layout(
    locale,
    t(title),
    html`<p>${t(text, { address: addressOf(subscriber) })}</p>
      ${statusPageLink(locale)}`,
  );
}

export const confirmedPage = (s: SubscriberRow) => donePage(s, 'page.confirmedTitle', 'page.confirmedText');
export const unsubscribedPage = (s: SubscriberRow) =>
  donePage(s, 'page.unsubscribedTitle', 'page.unsubscribedText');

export function invalidLinkPage(acceptLanguage: string | undefined): string {
  const locale = statusLocale(acceptLanguage);
  const t = statusT(locale);
  return layout(
    locale,
    t('page.invalidTitle'),
    html`<p>${t('page.invalidText')}</p>
      ${statusPageLink(locale)}`,
  );
}
