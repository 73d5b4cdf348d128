import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ErrorMessage, Loading, PriorityBadge, StatusBadge, useDocumentTitle } from '../shared/components';
import { useTicketSearch, type SearchHit } from './api';
import { Highlighted } from './Highlighted';
import './search.css';

function Result({ hit, href }: { hit: SearchHit; href: string }) {
  const { t } = useTranslation('search');
  const match = hit.match;
  return (
    <li className="search-result">
      <div className="search-result-head">
        <Link to={href} className="search-result-title">
          <span className="ticket-number">#{hit.number}</span>{' '}
          {match ? <Highlighted segments={match.subject} /> : hit.subject}
        </Link>
        <StatusBadge status={hit.status} /> <PriorityBadge priority={hit.priority} />
      </div>
      {match && match.snippet.length > 0 && (
        <p className="search-snippet">
          {match.internal && <span className="badge note-badge">{t('internalNote')}</span>}{' '}
          <Highlighted segments={match.snippet} />
        </p>
      )}
      <p className="muted search-result-meta">
        {hit.organization.name} · {hit.requester.name}
      </p>
    </li>
  );
}

/** Search results: the console's for staff (every ticket), the portal's for customers (their own). */
export function SearchPage({ area }: { area: 'console' | 'portal' }) {
  const { t } = useTranslation('search');
  const [params] = useSearchParams();
  const q = params.get('q') ?? '';
  useDocumentTitle(q ? t('titleFor', { q }) : t('title'));
  const results = useTicketSearch(q);
  const hits = results.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <div className={area === 'portal' ? 'portal-page search-page' : 'search-page'}>
      <h1>{q ? t('titleFor', { q }) : t('title')}</h1>
      <p className="muted">{t(area === 'portal' ? 'scopePortal' : 'scopeConsole')}</p>
      {!q && <p>{t('empty')}</p>}
      {results.isLoading && <Loading />}
      {results.error && <ErrorMessage error={results.error} />}
      {results.isSuccess && hits.length === 0 && <p role="status">{t('noResults')}</p>}
      {hits.length > 0 && (
        <ol className="search-results" aria-label={t('results')}>
          {hits.map((hit) => (
            <Result
              key={hit.id}
              hit={hit}
              href={area === 'portal' ? `/portal/tickets/${hit.id}` : `/console/tickets/${hit.id}`}
            />
          ))}
        </ol>
      )}
      {results.hasNextPage && (
        <button
          type="button"
          disabled={results.isFetchingNextPage}
          onClick={() => void results.fetchNextPage()}
        >
          {t('more')}
        </button>
      )}
      <p className="muted search-help">{t('help')}</p>
    </div>
  );
}
