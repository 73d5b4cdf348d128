import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { del, get, post } from '../api/client';
import {
  ticketHelpCenterKey,
  type ArticleKind,
  type IssueStatus,
  type SearchResults,
  type TicketHelpCenter,
} from '../api/helpcenter';
import type { Message } from '../api/types';
import { ErrorMessage, KnownIssueBadge, Loading } from '../shared/components';
import { ticketKey } from './queries';

/** What the panel needs of an article, whether it comes from a link, a suggestion or a search. */
interface PanelArticle {
  articleId: string;
  kind: ArticleKind;
  title: string;
  /** Escaped title with highlights, for search hits and suggestions. */
  titleHtml?: string;
  url: string;
  issueStatus: IssueStatus | null;
}

type ArticleActions = {
  linked: Set<string>;
  answer: (articleId: string) => void;
  link: (articleId: string) => void;
  busy: boolean;
};

function ArticleTitle({ article }: { article: PanelArticle }) {
  const { t } = useTranslation('console');
  return (
    <a href={article.url} target="_blank" rel="noreferrer" className="hc-title">
      {article.titleHtml ? (
        // Escaped by the desk; only its <mark> highlights are markup.
        <span dangerouslySetInnerHTML={{ __html: article.titleHtml }} />
      ) : (
        article.title
      )}
      <span className="visually-hidden"> {t('helpCenter.newTab')}</span>
    </a>
  );
}

/** An article the agent may send as the answer and, for a known issue, link to the ticket. */
function ArticleRow({
  article,
  actions,
  note,
}: {
  article: PanelArticle;
  actions: ArticleActions;
  note?: string;
}) {
  const { t } = useTranslation('console');
  const knownIssue = article.kind === 'known_issue';
  return (
    <li className="hc-article">
      <span className="hc-article-name">
        <ArticleTitle article={article} /> {knownIssue && <KnownIssueBadge status={article.issueStatus} />}
        {note && <span className="muted"> {note}</span>}
      </span>
      <span className="action-row">
        <button
          type="button"
          disabled={actions.busy}
          aria-label={t('helpCenter.sendAsAnswerNamed', { title: article.title })}
          onClick={() => actions.answer(article.articleId)}
        >
          {t('helpCenter.sendAsAnswer')}
        </button>
        {knownIssue && !actions.linked.has(article.articleId) && (
          <button
            type="button"
            disabled={actions.busy}
            aria-label={t('helpCenter.linkNamed', { title: article.title })}
            onClick={() => actions.link(article.articleId)}
          >
            {t('helpCenter.link')}
          </button>
        )}
      </span>
    </li>
  );
}

/** Known issues found by the agent's own words, to link when the suggestions miss the right one. */
function KnownIssueSearch({
  locale,
  actions,
}: {
  locale: TicketHelpCenter['locale'];
  actions: ArticleActions;
}) {
  const { t } = useTranslation('console');
  const inputId = useId();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const search = useQuery({
    queryKey: ['console', 'helpcenter', 'known-issues', locale, query],
    queryFn: () =>
      get<SearchResults>('/helpcenter/search', { q: query, locale, kind: 'known_issue', limit: 5 }),
    enabled: query.length > 0,
    staleTime: 60_000,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQuery(text.trim());
  };
  const results = search.data?.results ?? [];
  return (
    <form className="hc-search" onSubmit={submit} role="search">
      <label htmlFor={inputId} className="field-label">
        {t('helpCenter.findKnownIssue')}
      </label>
      <div className="action-row">
        <input id={inputId} type="search" value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit" disabled={!text.trim()}>
          {t('helpCenter.search')}
        </button>
      </div>
      <ErrorMessage error={search.error} />
      <div aria-live="polite">
        {search.data && (
          <>
            {search.data.correctedQuery && (
              <p className="muted">{t('helpCenter.correctedQuery', { query: search.data.correctedQuery })}</p>
            )}
            {results.length === 0 ? (
              <p className="muted">{t('helpCenter.noKnownIssues')}</p>
            ) : (
              <ul className="hc-list">
                {results.map((hit) => (
                  <ArticleRow key={hit.articleId} article={hit} actions={actions} />
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </form>
  );
}

/**
 * The help center beside a ticket: what the customer was shown before sending and whether they
 * opened it, articles matching the ticket to send as the answer, and the known issues it is linked
 * to. Answers and links go out in the customer's language.
 */
export function HelpCenterPanel({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation('console');
  const queryClient = useQueryClient();
  const headingId = useId();
  const [done, setDone] = useState('');
  const query = useQuery({
    queryKey: ticketHelpCenterKey(ticketId),
    queryFn: () => get<TicketHelpCenter>(`/tickets/${ticketId}/helpcenter`),
  });
  const answer = useMutation({
    mutationFn: (articleId: string) => post<Message>(`/tickets/${ticketId}/article-answers`, { articleId }),
    onSuccess: () => {
      setDone(t('helpCenter.answerSent'));
      // The reply is in the thread, may move the status and meet a response target.
      void queryClient.invalidateQueries({ queryKey: ticketKey(ticketId) });
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
    },
  });
  const link = useMutation({
    mutationFn: (articleId: string) =>
      post<TicketHelpCenter>(`/tickets/${ticketId}/known-issues`, { articleId }),
    onSuccess: (view) => {
      setDone(t('helpCenter.linked'));
      queryClient.setQueryData(ticketHelpCenterKey(ticketId), view);
    },
  });
  const unlink = useMutation({
    mutationFn: (articleId: string) => del(`/tickets/${ticketId}/known-issues/${articleId}`),
    onSuccess: () => {
      setDone(t('helpCenter.unlinked'));
      void queryClient.invalidateQueries({ queryKey: ticketHelpCenterKey(ticketId) });
    },
  });
  const busy = answer.isPending || link.isPending || unlink.isPending;
  const run = (mutation: typeof answer | typeof link | typeof unlink) => (articleId: string) => {
    setDone('');
    answer.reset();
    link.reset();
    unlink.reset();
    mutation.mutate(articleId);
  };

  const data = query.data;
  const linkedIssues = (data?.links ?? []).filter((l) => l.kind === 'known_issue');
  const answers = (data?.links ?? []).filter((l) => l.kind === 'answer');
  const actions: ArticleActions = {
    linked: new Set(linkedIssues.map((l) => l.article.articleId)),
    answer: run(answer),
    link: run(link),
    busy,
  };
  const shownIds = new Set(data?.shownBeforeSending.map((s) => s.article.articleId));
  const suggestions = (data?.suggestions ?? []).filter((s) => !shownIds.has(s.articleId));
  const sentIds = new Set(answers.map((a) => a.article.articleId));

  return (
    <section className="card hc-panel" aria-labelledby={headingId} data-testid="helpcenter-panel">
      <h2 id={headingId}>{t('helpCenter.heading')}</h2>
      {query.isPending && <Loading />}
      <ErrorMessage error={query.error} />
      {data && (
        <>
          <h3>{t('helpCenter.shownBeforeSending')}</h3>
          {data.shownBeforeSending.length === 0 ? (
            <p className="muted">{t('helpCenter.nothingShown')}</p>
          ) : (
            <ul className="hc-list" data-testid="hc-shown">
              {data.shownBeforeSending.map(({ article, opened }) => (
                <ArticleRow
                  key={article.articleId}
                  article={article}
                  actions={actions}
                  note={[
                    opened ? t('helpCenter.opened') : t('helpCenter.notOpened'),
                    sentIds.has(article.articleId) ? t('helpCenter.alreadySent') : '',
                  ]
                    .filter(Boolean)
                    .join(' ')}
                />
              ))}
            </ul>
          )}

          <h3>{t('helpCenter.suggested')}</h3>
          {suggestions.length === 0 ? (
            <p className="muted">{t('helpCenter.noSuggestions')}</p>
          ) : (
            <ul className="hc-list" data-testid="hc-suggested">
              {suggestions.map((hit) => (
                <ArticleRow
                  key={hit.articleId}
                  article={hit}
                  actions={actions}
                  note={sentIds.has(hit.articleId) ? t('helpCenter.alreadySent') : undefined}
                />
              ))}
            </ul>
          )}

          <h3>{t('helpCenter.linkedIssues')}</h3>
          {linkedIssues.length === 0 ? (
            <p className="muted">{t('helpCenter.noLinkedIssues')}</p>
          ) : (
            <ul className="hc-list" data-testid="hc-linked">
              {linkedIssues.map(({ article }) => (
                <li key={article.articleId} className="hc-article">
                  <span className="hc-article-name">
                    <ArticleTitle article={article} /> <KnownIssueBadge status={article.issueStatus} />
                    {article.fixedIn && (
                      <span className="muted">
                        {' '}
                        {t('common:helpCenter.fixedIn', { version: article.fixedIn })}
                      </span>
                    )}
                  </span>
                  <button
                    type="button"
                    disabled={busy}
                    aria-label={t('helpCenter.unlinkNamed', { title: article.title })}
                    onClick={() => run(unlink)(article.articleId)}
                  >
                    {t('helpCenter.unlink')}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <KnownIssueSearch locale={data.locale} actions={actions} />
        </>
      )}
      <p role="status" className="muted">
        {done}
      </p>
      <ErrorMessage error={answer.error ?? link.error ?? unlink.error} />
    </section>
  );
}
