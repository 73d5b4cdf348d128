import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../api/client';
import {
  translationFor,
  type Article,
  type ArticleHit,
  type SuggestionChannel,
  type Suggestions,
} from '../api/helpcenter';
import { ErrorMessage, KnownIssueBadge, Loading, useLocale } from '../shared/components';

/** Asked once the customer pauses typing, and only with enough words to match on. */
const DEBOUNCE_MS = 400;
const MIN_TEXT_LENGTH = 8;
// The desk matches on the first thousand characters of subject and description together.
const MAX_BODY_SENT = 2000;

/**
 * Help center articles for what the customer is writing. The suggestion session the desk returns is
 * kept for the form's lifetime, so that opening an article without sending counts as a deflection and
 * sending anyway records what was shown. Failures are silent: the form works without suggestions.
 */
export function useArticleSuggestions(subject: string, body: string, channel: SuggestionChannel) {
  const locale = useLocale();
  const session = useRef<string | null>(null);
  // One call at a time, so that each carries the session the previous one opened.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const latest = useRef(0);
  const [suggestions, setSuggestions] = useState<ArticleHit[]>([]);
  const enough = `${subject} ${body}`.trim().length >= MIN_TEXT_LENGTH;

  useEffect(() => {
    const request = ++latest.current;
    if (!enough) {
      setSuggestions([]);
      return;
    }
    const timer = setTimeout(() => {
      queue.current = queue.current
        .then(() =>
          post<Suggestions>('/helpcenter/suggestions', {
            ...(session.current ? { sessionId: session.current } : {}),
            locale,
            channel,
            subject,
            body: body.slice(0, MAX_BODY_SENT),
          }),
        )
        .then((result) => {
          if (result.sessionId) session.current = result.sessionId;
          if (request === latest.current) setSuggestions(result.suggestions);
        })
        .catch(() => undefined);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [subject, body, locale, channel, enough]);

  return {
    suggestions,
    /** The session to send with the ticket, if suggestions were shown. */
    sessionId: () => session.current,
    /** Tells the desk the customer opened a suggestion (a view, and a deflection unless they send). */
    opened: (articleId: string) => {
      if (session.current)
        void post(`/helpcenter/suggestions/${session.current}/opened`, { articleId }).catch(() => undefined);
    },
  };
}

/** The suggestions under the description; the count is announced as it changes. */
export function SuggestionList({
  suggestions,
  onOpen,
}: {
  suggestions: ArticleHit[];
  onOpen: (hit: ArticleHit) => void;
}) {
  const { t } = useTranslation('portal');
  const id = useId();
  return (
    <>
      <p className="visually-hidden" role="status" aria-live="polite">
        {suggestions.length > 0 ? t('suggestions.announce', { count: suggestions.length }) : ''}
      </p>
      {suggestions.length > 0 && (
        <section className="suggestions" aria-labelledby={`${id}-heading`} data-testid="suggestions">
          <h2 id={`${id}-heading`}>{t('suggestions.title')}</h2>
          <ul>
            {suggestions.map((hit) => (
              <li key={hit.articleId}>
                <p className="suggestion-head">
                  <button
                    type="button"
                    className="link suggestion-title"
                    aria-haspopup="dialog"
                    aria-describedby={`${id}-${hit.articleId}`}
                    onClick={() => onOpen(hit)}
                    // Escaped by the desk; only its <mark> highlights are markup.
                    dangerouslySetInnerHTML={{ __html: hit.titleHtml }}
                  />{' '}
                  {hit.kind === 'known_issue' && <KnownIssueBadge status={hit.issueStatus} />}
                </p>
                <p
                  id={`${id}-${hit.articleId}`}
                  className="suggestion-snippet"
                  dangerouslySetInnerHTML={{ __html: hit.snippetHtml }}
                />
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

/**
 * One suggested article read inside the form, in a modal dialog: the customer can say it answered
 * their question (and leave without sending), open it on the help center, or go back to writing.
 */
export function ArticleDialog({
  hit,
  onClose,
  onAnswered,
}: {
  hit: ArticleHit;
  onClose: () => void;
  onAnswered: () => void;
}) {
  const { t } = useTranslation('portal');
  const { t: tc } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const article = useQuery({
    queryKey: ['helpcenter', 'article', hit.articleId],
    queryFn: () => get<Article>(`/helpcenter/articles/${hit.articleId}`),
    staleTime: 5 * 60_000,
  });

  useLayoutEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      if (dialog?.open) dialog.close();
      opener?.focus();
    };
  }, []);

  // Escape closes the article only: inside the support widget, an unhandled Escape closes the panel.
  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
  };

  const translation = article.data ? translationFor(article.data, hit.locale) : undefined;
  const knownIssue = hit.kind === 'known_issue';
  return (
    <dialog
      ref={ref}
      className="article-dialog"
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <div className="article-dialog-head">
        <h2 id={titleId}>{translation?.title ?? hit.title}</h2>
        <button type="button" onClick={onClose}>
          {t('suggestions.back')}
        </button>
      </div>
      {article.isPending && <Loading />}
      <ErrorMessage error={article.error} />
      {article.data && translation && (
        <div className="article-content" data-testid="suggested-article">
          {knownIssue && (
            <p className="known-issue-facts">
              <KnownIssueBadge status={article.data.issueStatus} />
              {article.data.fixedIn && (
                <span>{tc('helpCenter.fixedIn', { version: article.data.fixedIn })}</span>
              )}
              {article.data.affectedArea && (
                <span>{tc('helpCenter.affectedArea', { area: article.data.affectedArea })}</span>
              )}
            </p>
          )}
          {knownIssue && translation.symptom && (
            <>
              <h3>{tc('helpCenter.symptom')}</h3>
              <p>{translation.symptom}</p>
            </>
          )}
          {knownIssue && translation.workaroundHtml && (
            <>
              <h3>{tc('helpCenter.workaround')}</h3>
              {/* Rendered from Markdown and sanitized by the desk when saved. */}
              <div
                className="article-body"
                dangerouslySetInnerHTML={{ __html: translation.workaroundHtml }}
              />
            </>
          )}
          {knownIssue && translation.bodyHtml && <h3>{tc('helpCenter.details')}</h3>}
          <div className="article-body" dangerouslySetInnerHTML={{ __html: translation.bodyHtml }} />
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="primary" onClick={onAnswered}>
          {t('suggestions.answered')}
        </button>
        <a href={translation?.url ?? hit.url} target="_blank" rel="noreferrer">
          {t('suggestions.openInHelpCenter')}
          <span className="visually-hidden"> {t('suggestions.newTab')}</span>
        </a>
      </div>
    </dialog>
  );
}
