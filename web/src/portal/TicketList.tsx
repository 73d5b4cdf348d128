import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Ticket } from '../api/types';
import { ErrorMessage, Loading, PriorityBadge, StatusBadge, Time } from '../shared/components';
import { useTicketPages } from './api';

/** The first-response promise in a few words: answered when, or expected by when. */
export function PromiseSummary({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('portal');
  const first = ticket.sla?.firstResponse;
  if (!first) return <span className="muted">—</span>;
  if (first.metAt)
    return (
      <span className="promise promise-met">
        {t('list.answeredAt')} <Time iso={first.metAt} />
      </span>
    );
  if (ticket.status === 'resolved' || ticket.status === 'closed') return <span className="muted">—</span>;
  return (
    <span className={`promise${first.breached ? ' promise-late' : ''}`}>
      {first.breached ? t('list.lateSince') : t('list.expectedBy')} <Time iso={first.dueAt} />
    </span>
  );
}

function LoadMore({ query }: { query: ReturnType<typeof useTicketPages> }) {
  const { t } = useTranslation();
  if (!query.hasNextPage) return null;
  return (
    <p>
      <button type="button" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
        {t('more')}
      </button>
    </p>
  );
}

/** The portal's list: every request the customer may see, newest first. */
export function TicketTable({ showRequester }: { showRequester: boolean }) {
  const { t } = useTranslation('portal');
  const query = useTicketPages();
  if (query.isError) return <ErrorMessage error={query.error} />;
  if (!query.data) return <Loading />;
  const tickets = query.data.pages.flatMap((p) => p.data);
  if (tickets.length === 0)
    return (
      <p className="empty">
        {t('list.empty')} <Link to="/portal/new">{t('list.emptyAction')}</Link>
      </p>
    );
  return (
    <>
      <table className="responsive ticket-table">
        <caption className="visually-hidden">{t('list.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('list.subject')}</th>
            <th scope="col">{t('list.status')}</th>
            <th scope="col">{t('list.priority')}</th>
            <th scope="col">{t('list.promise')}</th>
            {showRequester && <th scope="col">{t('list.requester')}</th>}
            <th scope="col">{t('list.created')}</th>
          </tr>
        </thead>
        <tbody>
          {tickets.map((ticket) => (
            <tr key={ticket.id}>
              <td className="subject-cell">
                <Link to={`/portal/tickets/${ticket.id}`}>
                  <span className="ticket-number">#{ticket.number}</span> {ticket.subject}
                </Link>
              </td>
              <td>
                <StatusBadge status={ticket.status} />
              </td>
              <td>
                <PriorityBadge priority={ticket.priority} />
              </td>
              <td>
                <PromiseSummary ticket={ticket} />
              </td>
              {showRequester && <td>{ticket.requester.name}</td>}
              <td>
                <Time iso={ticket.createdAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <LoadMore query={query} />
    </>
  );
}

/** The widget's list: the signed-in user's own requests, one short line each. */
export function CompactTicketList({
  requesterId,
  onOpen,
}: {
  requesterId: string;
  onOpen: (id: string) => void;
}) {
  const { t } = useTranslation('portal');
  const query = useTicketPages({ requesterId, limit: 10 });
  if (query.isError) return <ErrorMessage error={query.error} />;
  if (!query.data) return <Loading />;
  const tickets = query.data.pages.flatMap((p) => p.data);
  if (tickets.length === 0) return <p className="empty">{t('widget.noTickets')}</p>;
  return (
    <>
      <ul className="compact-list">
        {tickets.map((ticket) => (
          <li key={ticket.id}>
            <button type="button" className="compact-item" onClick={() => onOpen(ticket.id)}>
              <span className="compact-subject">
                <span className="ticket-number">#{ticket.number}</span> {ticket.subject}
              </span>
              <span className="compact-meta">
                <StatusBadge status={ticket.status} /> <PriorityBadge priority={ticket.priority} />{' '}
                <PromiseSummary ticket={ticket} />
              </span>
            </button>
          </li>
        ))}
      </ul>
      <LoadMore query={query} />
    </>
  );
}
