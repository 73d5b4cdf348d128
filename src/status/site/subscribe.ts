import { html, type Html } from '../../helpcenter/site/html.js';
import { Problem } from '../../shared/problem.js';
import { subscribeBody } from '../subscribers/schema.js';
import type { StatusSubscriptions } from '../subscribers/service.js';
import { statusT, type StatusLocale } from './i18n.js';
import type { StatusPage } from './layout.js';
import { homePath, subscribePath } from './paths.js';

type SubscribeField = 'email' | 'url';

/** What the form shows again after a post: the values typed and what was wrong with one of them. */
export interface SubscribeFormState {
  email?: string;
  url?: string;
  error?: { field: SubscribeField; key: string };
}

/** A page in answer to a post, with its HTTP status. */
export interface SubscribeAnswer {
  status: number;
  page: StatusPage;
  retryAfter?: number;
}

function field(
  locale: StatusLocale,
  name: SubscribeField,
  state: SubscribeFormState,
  input: { type: string; maxlength: number; autocomplete?: string; placeholder?: string },
): Html {
  const t = statusT(locale);
  const id = `subscribe-${name}`;
  const error = state.error?.field === name ? t(`subscribe.${state.error.key}`) : null;
  const label = name === 'email' ? 'emailLabel' : 'webhookLabel';
  const button = name === 'email' ? 'emailButton' : 'webhookButton';
  const hint = name === 'email' ? 'emailHint' : 'webhookHint';
  return html`<form class="subscribe-form" method="post" action="${subscribePath(locale)}">
    <label for="${id}">${t(`subscribe.${label}`)}</label>
    <p class="hint" id="${id}-hint">${t(`subscribe.${hint}`)}</p>
    ${error && html`<p class="field-error" id="${id}-error">${error}</p>`}
    <div class="field-row">
      <input
        id="${id}"
        name="${name}"
        type="${input.type}"
        required
        maxlength="${input.maxlength}"
        value="${state[name] ?? ''}"
        aria-describedby="${error ? `${id}-error ${id}-hint` : `${id}-hint`}"
        ${error && html`aria-invalid="true"`}
        ${input.autocomplete && html`autocomplete="${input.autocomplete}"`}
        ${input.placeholder && html`placeholder="${input.placeholder}"`}
      />
      <button type="submit">${t(`subscribe.${button}`)}</button>
    </div>
  </form>`;
}

/**
 * The subscription forms: a plain POST each, so they work without JavaScript; the page's CSP lets a
 * form post only to the desk itself.
 */
export function subscribeSection(
  locale: StatusLocale,
  state: SubscribeFormState = {},
  heading: 'h1' | 'h2' = 'h2',
): Html {
  const t = statusT(locale);
  const title = t('subscribe.title');
  return html`<section class="subscribe" id="subscribe" aria-labelledby="subscribe-title">
    ${heading === 'h1' ? html`<h1 id="subscribe-title">${title}</h1>` : html`<h2 id="subscribe-title">${title}</h2>`}
    <p>${t('subscribe.intro')}</p>
    <div class="subscribe-forms">
      ${field(locale, 'email', state, { type: 'email', maxlength: 254, autocomplete: 'email' })}
      ${field(locale, 'url', state, { type: 'url', maxlength: 2000, placeholder: 'https://' })}
    </div>
  </section>`;
}

const pageOf = (locale: StatusLocale, title: string, main: Html): StatusPage => ({
  locale,
  title,
  description: statusT(locale)('subscribe.intro'),
  path: subscribePath(locale),
  pathIn: subscribePath,
  noindex: true,
  main,
});

export function subscribePage(locale: StatusLocale, state: SubscribeFormState = {}): StatusPage {
  return pageOf(locale, statusT(locale)('subscribe.title'), subscribeSection(locale, state, 'h1'));
}

const back = (locale: StatusLocale) =>
  html`<p><a href="${homePath(locale)}">${statusT(locale)('subscribe.back')}</a></p>`;

/** The same answer whatever the address: only its owner, reading the mail, learns anything. */
function pendingPage(locale: StatusLocale, address: string): StatusPage {
  const t = statusT(locale);
  return pageOf(
    locale,
    t('subscribe.pendingTitle'),
    html`<h1>${t('subscribe.pendingTitle')}</h1>
      <p>${t('subscribe.pendingText', { address })}</p>
      ${back(locale)}`,
  );
}

/** A webhook is subscribed at once; its secret is shown on this page and never again. */
function webhookPage(
  locale: StatusLocale,
  created: { url: string; secret: string; unsubscribeUrl: string },
): StatusPage {
  const t = statusT(locale);
  return pageOf(
    locale,
    t('subscribe.webhookTitle'),
    html`<h1>${t('subscribe.webhookTitle')}</h1>
      <p>${t('subscribe.webhookText', { url: created.url })}</p>
      <p>${t('subscribe.webhookSecret')}</p>
      <p><code class="secret">${created.secret}</code></p>
      <p>${t('subscribe.webhookSignature')}</p>
      <p>${t('subscribe.webhookUnsubscribe')}</p>
      <p><code class="secret">${created.unsubscribeUrl}</code></p>
      ${back(locale)}`,
  );
}

function tooManyPage(locale: StatusLocale): StatusPage {
  const t = statusT(locale);
  return pageOf(
    locale,
    t('subscribe.tooManyTitle'),
    html`<h1>${t('subscribe.tooManyTitle')}</h1>
      <p>${t('subscribe.tooManyText')}</p>
      ${back(locale)}`,
  );
}

/** The one field a form posted: `email` or `url`, non-empty, and nothing else. */
function postedField(fields: [string, string][]): { name: SubscribeField; value: string } | null {
  const filled = fields.filter(([, value]) => value.trim() !== '');
  if (filled.length !== 1) return null;
  const [name, value] = filled[0]!;
  return name === 'email' || name === 'url' ? { name, value: value.trim() } : null;
}

/**
 * A subscription posted from the page: checked as the API checks it, through the same service and
 * its limits (per address and per IP), answered with a page.
 */
export async function subscribeFromForm(
  subscriptions: Pick<StatusSubscriptions, 'subscribe'>,
  locale: StatusLocale,
  fields: [string, string][],
  ip: string,
): Promise<SubscribeAnswer> {
  const posted = postedField(fields);
  const invalid = (name: SubscribeField, value: string | undefined, key: string, status = 400) => ({
    status,
    page: subscribePage(locale, { [name]: value?.slice(0, 2000), error: { field: name, key } }),
  });
  if (!posted) return invalid('email', undefined, 'invalidEmail');
  const parsed = subscribeBody.safeParse({ [posted.name]: posted.value, locale });
  if (!parsed.success)
    return invalid(posted.name, posted.value, posted.name === 'email' ? 'invalidEmail' : 'invalidUrl');
  try {
    const outcome = await subscriptions.subscribe(parsed.data, ip);
    if (outcome.kind === 'webhook') return { status: 201, page: webhookPage(locale, outcome) };
    return { status: 202, page: pendingPage(locale, posted.value) };
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    if (error.status === 429) {
      const retryAfter = Number(error.extensions?.retryAfter) || undefined;
      return { status: 429, page: tooManyPage(locale), ...(retryAfter ? { retryAfter } : {}) };
    }
    if (error.status === 400) return invalid(posted.name, posted.value, 'refusedUrl');
    if (error.status === 503) return invalid(posted.name, posted.value, 'unresolved', 503);
    throw error;
  }
}
