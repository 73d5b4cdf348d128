import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Ticket } from '../api/types';
import { Countdown, PriorityBadge, StatusBadge, TierBadge, useNow } from '../shared/components';
import { nextDue } from './sla';

const ROW_ESTIMATE = 52;
// Start the next page while this many loaded rows are still below the visible ones, so that
// scrolling at an ordinary pace never reaches the end of what is loaded.
const PREFETCH_ROWS = 40;

/** Said in words, not only in red: a breached row reads "Overdue" to everyone. */
function OverdueFlag({ dueAt }: { dueAt: string }) {
  const { t } = useTranslation('console');
  const now = useNow();
  if (Date.parse(dueAt) >= now) return null;
  return (
    <span className="overdue-flag" data-testid="overdue">
      <span aria-hidden="true">⚠ </span>
      {t('queue.overdue')}
    </span>
  );
}

const QueueRow = memo(function QueueRow({ ticket, leadFraction }: { ticket: Ticket; leadFraction: number }) {
  const { t } = useTranslation('console');
  const due = nextDue(ticket.sla, leadFraction);
  const dueLabel = due ? t(`due.${due.kind ?? 'unknown'}`) : '';
  return (
    <Link
      to={`/console/tickets/${ticket.id}`}
      className="queue-row queue-grid"
      data-testid="queue-row"
      data-ticket-number={ticket.number}
    >
      <span className="col-number">#{ticket.number}</span>
      <span className="col-subject">{ticket.subject}</span>
      <span className="col-priority">
        <PriorityBadge priority={ticket.priority} />
      </span>
      <span className="col-tier">
        <TierBadge tier={ticket.tier} />
      </span>
      <span className="col-org">{ticket.organization.name}</span>
      <span className="col-status">
        <StatusBadge status={ticket.status} />
      </span>
      <span className="col-assignee">
        {ticket.assignee?.name ?? <span className="muted">{t('queue.unassigned')}</span>}
      </span>
      <span className="col-due">
        {due ? (
          <>
            <span className="due-kind">
              {dueLabel} <OverdueFlag dueAt={due.dueAt} />
            </span>
            <Countdown dueAt={due.dueAt} warningSeconds={due.warningSeconds} label={dueLabel} />
          </>
        ) : (
          <span className="muted">{t('queue.nothingOwed')}</span>
        )}
      </span>
    </Link>
  );
});

/** Tickets ticked in the queue, for one action on all of them (linking them to an incident). */
export interface QueueSelection {
  selected: ReadonlySet<string>;
  toggle: (ticketId: string, on: boolean) => void;
}

/**
 * The queue, virtualized: only the rows in view (and a margin) are in the DOM, so hundreds of
 * tickets with live countdowns scroll smoothly. Each row is a link; arrow keys move between rows.
 */
export function QueueList({
  tickets,
  leadFraction,
  hasMore,
  loadMore,
  selection,
}: {
  tickets: Ticket[];
  leadFraction: number;
  hasMore: boolean;
  loadMore: () => void;
  /** While selecting, each row has a checkbox before its link. */
  selection?: QueueSelection | undefined;
}) {
  const { t } = useTranslation('console');
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: tickets.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE,
    overscan: 8,
    getItemKey: (index) => tickets[index]?.id ?? index,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (hasMore && lastIndex >= tickets.length - PREFETCH_ROWS) loadMore();
  }, [hasMore, lastIndex, tickets.length, loadMore]);

  const rowAt = (index: number) =>
    scrollRef.current?.querySelector<HTMLElement>(`[data-index="${index}"] a`) ?? null;
  const focusRow = (index: number) => {
    if (index < 0 || index >= tickets.length) return;
    // Rows just outside the view are rendered (overscan); focusing one scrolls it into view.
    const rendered = rowAt(index);
    if (rendered) {
      rendered.focus();
      return;
    }
    virtualizer.scrollToIndex(index, { align: 'auto' });
    // A far row (Home, End) exists only once the scroll has rendered it.
    const tryFocus = (attempt: number) => {
      const row = rowAt(index);
      if (row) row.focus();
      else if (attempt < 10) requestAnimationFrame(() => tryFocus(attempt + 1));
    };
    requestAnimationFrame(() => tryFocus(0));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const item = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
    if (!item) return;
    const index = Number(item.dataset.index);
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      Home: 0,
      End: tickets.length - 1,
    };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    focusRow(target);
  };

  return (
    <div className={selection ? 'queue-table selecting' : 'queue-table'}>
      <div className="queue-grid queue-head" aria-hidden="true">
        <span className="col-number">{t('columns.number')}</span>
        <span className="col-subject">{t('columns.subject')}</span>
        <span className="col-priority">{t('columns.priority')}</span>
        <span className="col-tier">{t('columns.tier')}</span>
        <span className="col-org">{t('columns.organization')}</span>
        <span className="col-status">{t('columns.status')}</span>
        <span className="col-assignee">{t('columns.assignee')}</span>
        <span className="col-due">{t('columns.due')}</span>
      </div>
      <div ref={scrollRef} className="queue-scroll">
        <ul
          className="queue-rows"
          aria-label={t('queue.listLabel')}
          style={{ height: virtualizer.getTotalSize() }}
          onKeyDown={onKeyDown}
        >
          {items.map((item) => {
            const ticket = tickets[item.index];
            if (!ticket) return null;
            return (
              <li
                key={item.key}
                data-index={item.index}
                ref={virtualizer.measureElement}
                aria-setsize={hasMore ? -1 : tickets.length}
                aria-posinset={item.index + 1}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                {selection && (
                  <input
                    type="checkbox"
                    className="queue-select"
                    aria-label={t('queue.selectTicket', { number: ticket.number })}
                    checked={selection.selected.has(ticket.id)}
                    onChange={(e) => selection.toggle(ticket.id, e.target.checked)}
                  />
                )}
                <QueueRow ticket={ticket} leadFraction={leadFraction} />
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}
