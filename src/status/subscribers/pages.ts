import { html, type Html } from '../../helpcenter/site/html.js';
import { standalonePage } from '../../helpcenter/site/standalone-page.js';
import type { SubscriberRow } from './repository.js';
import { statusLocale, statusT, type StatusLocale } from './text.js';

function layout(locale: StatusLocale, title: string, body: Html): string {
  return standalonePage(locale, title, body);
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
