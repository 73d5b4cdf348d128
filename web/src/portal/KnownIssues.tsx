import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client';
import { ticketHelpCenterKey, type LinkedArticle, type TicketHelpCenter } from '../api/helpcenter';
import { KnownIssueBadge } from '../shared/components';

function ArticleLink({ article }: { article: LinkedArticle }) {
  const { t } = useTranslation('portal');
  return (
    <a href={article.url} target="_blank" rel="noreferrer">
      {article.title}
      <span className="visually-hidden"> {t('suggestions.newTab')}</span>
    </a>
  );
}

/**
 * The help center on a request: the known issues the support team tied it to (where the fix stands)
 * and the articles they answered with. Nothing shows while there are none, or if they cannot be read.
 */
export function KnownIssues({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation('portal');
  const { t: tc } = useTranslation();
  const id = useId();
  const query = useQuery({
    queryKey: ticketHelpCenterKey(ticketId),
    queryFn: () => get<TicketHelpCenter>(`/tickets/${ticketId}/helpcenter`),
  });
  const links = query.data?.links ?? [];
  // An article sent twice is listed once.
  const ofKind = (kind: 'known_issue' | 'answer') =>
    links.filter(
      (l, i) =>
        l.kind === kind &&
        links.findIndex((o) => o.kind === kind && o.article.articleId === l.article.articleId) === i,
    );
  const issues = ofKind('known_issue');
  const answers = ofKind('answer');
  if (links.length === 0) return null;
  return (
    <div className="known-issues-box" data-testid="ticket-known-issues">
      {issues.length > 0 && (
        <section aria-labelledby={`${id}-issues`}>
          <h2 id={`${id}-issues`}>{t('knownIssues.title')}</h2>
          <p className="muted">{t('knownIssues.intro')}</p>
          <ul>
            {issues.map(({ article }) => (
              <li key={article.articleId}>
                <ArticleLink article={article} /> <KnownIssueBadge status={article.issueStatus} />
                {article.fixedIn && (
                  <span className="muted"> {tc('helpCenter.fixedIn', { version: article.fixedIn })}</span>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {answers.length > 0 && (
        <section aria-labelledby={`${id}-answers`}>
          <h2 id={`${id}-answers`}>{t('knownIssues.answers')}</h2>
          <ul>
            {answers.map(({ article }) => (
              <li key={article.articleId}>
                <ArticleLink article={article} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
