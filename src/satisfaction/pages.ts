import { html, type Html } from '../helpcenter/site/html.js';
import { standalonePage } from '../helpcenter/site/standalone-page.js';
import type { Rating } from './repository.js';
import { satisfactionT, type SatisfactionLocale } from './text.js';

export interface TicketTitle {
  id: string;
  number: number;
  subject: string;
}

/** The way to the ticket in the portal (signing in if need be). */
const portalLink = (locale: SatisfactionLocale, ticket: TicketTitle) =>
  html`<p><a href="/portal/tickets/${ticket.id}">${satisfactionT(locale)('page.portal')}</a></p>`;

/** The question's own styles, on top of the standalone page's. */
const CSS = `
fieldset {
border: 0;
padding: 0;
margin: 1rem 0;
display: flex;
gap: 0.75rem;
flex-wrap: wrap;
}
label.choice {
border: 1px solid #9aa5b1;
border-radius: 0.5rem;
padding: 0.6rem 1rem;
cursor: pointer;
}
label.choice:has(input:checked) {
border-color: #2f6fde;
background: #eaf1fd;
}
textarea {
display: block;
width: 100%;
box-sizing: border-box;
font: inherit;
margin: 0.25rem 0 1rem;
}
blockquote {
white-space: pre-wrap;
border-left: 3px solid #cbd2d9;
margin: 0.5rem 0;
padding-left: 0.75rem;
}`;

function layout(locale: SatisfactionLocale, title: string, body: Html): string {
  return standalonePage(locale, title, body, CSS);
}

/** The question with its two answers and a comment box; answering is a POST, since mail scanners only GET. */
export function questionPage(
  locale: SatisfactionLocale,
  ticket: TicketTitle,
  action: string,
  preselected: Rating | undefined,
): string {
  const t = satisfactionT(locale);
  const choice = (rating: Rating, label: string) =>
    html`<label class="choice"
      ><input
        type="radio"
        name="rating"
        value="${rating}"
        required
        ${preselected === rating ? html`checked` : ''}
      />
      ${label}</label
    >`;
  return layout(
    locale,
    t('page.title'),
    html`<p>${t('page.question', { number: ticket.number, subject: ticket.subject })}</p>
      <form method="post" action="${action}">
        <fieldset>${choice('good', t('page.good'))} ${choice('bad', t('page.bad'))}</fieldset>
        <label for="comment">${t('page.comment')}</label>
        <textarea id="comment" name="comment" rows="4" maxlength="2000"></textarea>
        <button type="submit">${t('page.send')}</button>
      </form>`,
  );
}

function answerText(locale: SatisfactionLocale, rating: Rating | null, comment: string | null): Html {
  const t = satisfactionT(locale);
  if (!rating) return html``;
  return html`<p>
      ${t('page.yourAnswer', { rating: t(rating === 'good' ? 'page.ratingGood' : 'page.ratingBad') })}
    </p>
    ${comment ? html`<blockquote>${comment}</blockquote>` : ''}`;
}

export function thanksPage(
  locale: SatisfactionLocale,
  ticket: TicketTitle,
  answer: { rating: Rating | null; comment: string | null },
): string {
  const t = satisfactionT(locale);
  return layout(
    locale,
    t('page.thanksTitle'),
    html`<p>${t('page.thanks', { number: ticket.number })}</p>
      ${answerText(locale, answer.rating, answer.comment)} ${portalLink(locale, ticket)}`,
  );
}

export function alreadyAnsweredPage(
  locale: SatisfactionLocale,
  ticket: TicketTitle,
  answer: { rating: Rating | null; comment: string | null },
): string {
  const t = satisfactionT(locale);
  return layout(
    locale,
    t('page.alreadyTitle'),
    html`<p>${t('page.already', { number: ticket.number })}</p>
      ${answerText(locale, answer.rating, answer.comment)} ${portalLink(locale, ticket)}`,
  );
}

export function expiredPage(locale: SatisfactionLocale, ticket: TicketTitle): string {
  const t = satisfactionT(locale);
  return layout(locale, t('page.expiredTitle'), html`<p>${t('page.expired', { number: ticket.number })}</p>`);
}

export function invalidLinkPage(locale: SatisfactionLocale, malformed: boolean): string {
  const t = satisfactionT(locale);
  return layout(
    locale,
    t(malformed ? 'page.malformedTitle' : 'page.invalidTitle'),
    html`<p>${t('page.invalid')}</p>`,
  );
}

export function badAnswerPage(locale: SatisfactionLocale): string {
  const t = satisfactionT(locale);
  return layout(locale, t('page.badAnswerTitle'), html`<p>${t('page.badAnswer')}</p>`);
}
