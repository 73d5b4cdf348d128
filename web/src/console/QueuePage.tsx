import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { get } from '../api/client';
import type { Page, Ticket } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorMessage, Loading } from '../shared/components';
import { FilterBar } from './FilterBar';
import { LinkTicketsBar } from './LinkTicketsBar';
import { apiQuery, readFilters, sameFilters, savedViews, writeFilters, type QueueFilters } from './filters';
import { useLeadFraction } from './queries';
import { QueueList, type QueueSelection } from './QueueList';
import { rememberQueue } from './queueOrder';

const PAGE_SIZE = 200;

function useQueue(filters: QueueFilters, search: string) {
  return useInfiniteQuery({
    // Under ['tickets'], which the live stream invalidates on every ticket activity.
    queryKey: ['tickets', 'queue', search],
    queryFn: ({ pageParam }) =>
      get<Page<Ticket>>('/tickets', {
        ...apiQuery(filters, Date.now()),
        limit: PAGE_SIZE,
        cursor: pageParam,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    // A "due within" window slides with the clock; tickets enter it without any activity.
    refetchInterval: filters.dueWithin ? 60_000 : false,
  });
}

export function QueuePage() {
  const { t } = useTranslation('console');
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const urlSearch = params.toString();
  // Router navigations run as transitions, so a control bound only to the URL would flick back
  // to its old value until the transition commits. The change shows at once from here, for as
  // long as the URL it was made on is still the current one.
  const [pending, setPending] = useState<{ from: string; filters: QueueFilters } | null>(null);
  // Once the URL has moved on, it is the truth again (also when Back later returns to `from`).
  if (pending && pending.from !== urlSearch) setPending(null);
  const filters = useMemo(
    () => (pending && pending.from === urlSearch ? pending.filters : readFilters(params)),
    [pending, urlSearch, params],
  );
  const changeFilters = (next: QueueFilters) => {
    setPending({ from: urlSearch, filters: next });
    setParams(writeFilters(next), { replace: true });
  };
  const search = writeFilters(filters).toString();
  const leadFraction = useLeadFraction();
  const query = useQueue(filters, search);
  // Ticking tickets to link them to an incident at once; off, the queue is links only.
  const [selecting, setSelecting] = useState(false);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const selection: QueueSelection | undefined = useMemo(
    () =>
      selecting
        ? {
            selected,
            toggle: (ticketId, on) =>
              setSelected((current) => {
                const next = new Set(current);
                if (on) next.add(ticketId);
                else next.delete(ticketId);
                return next;
              }),
          }
        : undefined,
    [selecting, selected],
  );
  const { hasNextPage, isFetching, fetchNextPage } = query;

  // Pages fetched at different moments can overlap when the order moved in between.
  const tickets = useMemo(() => {
    const byId = new Map<string, Ticket>();
    for (const page of query.data?.pages ?? [])
      for (const ticket of page.data) if (!byId.has(ticket.id)) byId.set(ticket.id, ticket);
    return [...byId.values()];
  }, [query.data]);

  useEffect(() => {
    if (!query.isPlaceholderData)
      rememberQueue(
        search,
        tickets.map((ticket) => ticket.id),
      );
  }, [search, tickets, query.isPlaceholderData]);

  useEffect(() => {
    document.title = `${t('queue.heading')} · Accord`;
  }, [t]);

  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetching) void fetchNextPage();
  }, [hasNextPage, isFetching, fetchNextPage]);

  const hrefFor = (f: QueueFilters) => {
    const qs = writeFilters(f).toString();
    return qs ? `/console?${qs}` : '/console';
  };
  const byUrgency = { ...filters, sort: 'urgency' as const };
  const allTickets = { ...filters, sort: 'created' as const, dueWithin: undefined, dueBefore: undefined };

  return (
    <div className="queue-page">
      <h1>{t('queue.heading')}</h1>
      <nav className="queue-views" aria-label={t('queue.viewsLabel')}>
        <ul className="tabs">
          <li>
            <Link to={hrefFor(byUrgency)} aria-current={filters.sort === 'urgency' ? 'page' : undefined}>
              {t('queue.byUrgency')}
            </Link>
          </li>
          <li>
            <Link to={hrefFor(allTickets)} aria-current={filters.sort === 'created' ? 'page' : undefined}>
              {t('queue.allTickets')}
            </Link>
          </li>
        </ul>
        {user && (
          <ul className="saved-views" aria-label={t('views.label')}>
            {savedViews(user.id).map((view) => (
              <li key={view.id}>
                <Link
                  to={hrefFor(view.filters)}
                  className="saved-view"
                  aria-current={sameFilters(view.filters, filters) ? 'page' : undefined}
                >
                  {t(`views.${view.id}`)}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </nav>
      <FilterBar filters={filters} onChange={changeFilters} />
      <p>
        <button
          type="button"
          aria-pressed={selecting}
          onClick={() => {
            setSelecting(!selecting);
            setSelected(new Set());
          }}
        >
          {t('queue.selectTickets')}
        </button>
      </p>
      {selecting && <LinkTicketsBar selected={[...selected]} onLinked={() => setSelected(new Set())} />}
      <ErrorMessage error={query.error} />
      <p className="queue-count muted" role="status">
        {query.isPending
          ? ''
          : hasNextPage
            ? t('queue.countMore', { count: tickets.length })
            : t('queue.count', { count: tickets.length })}
        {isFetching && !query.isPending && <span className="refreshing"> {t('queue.refreshing')}</span>}
      </p>
      {query.isPending ? (
        <Loading />
      ) : tickets.length === 0 ? (
        !query.error && <p className="card empty">{t('queue.empty')}</p>
      ) : (
        <div className={query.isPlaceholderData ? 'stale' : undefined}>
          {/* A new filter set starts at the top of its list. */}
          <QueueList
            key={search}
            tickets={tickets}
            leadFraction={leadFraction}
            hasMore={!!hasNextPage}
            loadMore={loadMore}
            selection={selection}
          />
        </div>
      )}
      {hasNextPage && (
        <p>
          <button type="button" onClick={loadMore} disabled={isFetching}>
            {t('common:more')}
          </button>
        </p>
      )}
    </div>
  );
}
