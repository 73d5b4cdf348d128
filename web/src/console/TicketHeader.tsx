import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../api/types';
import { PriorityBadge, StatusBadge, TierBadge, Time } from '../shared/components';

/** Who and what the ticket is about, at a glance. */
export function TicketHeader({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('console');
  const heading = useRef<HTMLHeadingElement>(null);

  // Moving between tickets (j, k, a link) lands screen-reader users on the new ticket's title.
  useEffect(() => {
    if (!document.activeElement || document.activeElement === document.body) heading.current?.focus();
  }, [ticket.id]);

  useEffect(() => {
    document.title = `#${ticket.number} ${ticket.subject} · Accord`;
  }, [ticket.number, ticket.subject]);

  return (
    <header className="ticket-header card">
      <h1 ref={heading} tabIndex={-1}>
        <span className="ticket-number">#{ticket.number}</span> {ticket.subject}
      </h1>
      <p className="ticket-badges">
        <PriorityBadge priority={ticket.priority} /> <StatusBadge status={ticket.status} />{' '}
        <TierBadge tier={ticket.tier} />
      </p>
      <dl className="ticket-facts">
        <div>
          <dt>{t('ticket.priority')}</dt>
          <dd>{t(`common:priority.${ticket.priority}`)}</dd>
        </div>
        <div>
          <dt>{t('ticket.status')}</dt>
          <dd>{t(`common:status.${ticket.status}`)}</dd>
        </div>
        <div>
          <dt>{t('ticket.tier')}</dt>
          <dd>{t(`common:tier.${ticket.tier}`)}</dd>
        </div>
        <div>
          <dt>{t('ticket.organization')}</dt>
          <dd>{ticket.organization.name}</dd>
        </div>
        <div>
          <dt>{t('ticket.requester')}</dt>
          <dd>
            {ticket.requester.name}{' '}
            <a className="muted" href={`mailto:${ticket.requester.email}`}>
              {ticket.requester.email}
            </a>
          </dd>
        </div>
        <div>
          <dt>{t('ticket.channel')}</dt>
          <dd>{t(`common:channel.${ticket.channel}`)}</dd>
        </div>
        <div>
          <dt>{t('ticket.requestType')}</dt>
          <dd>{t(`common:requestType.${ticket.requestType}`, { defaultValue: ticket.requestType })}</dd>
        </div>
        <div>
          <dt>{t('ticket.assignee')}</dt>
          <dd>{ticket.assignee?.name ?? <span className="muted">{t('queue.unassigned')}</span>}</dd>
        </div>
        <div>
          <dt>{t('ticket.opened')}</dt>
          <dd>
            <Time iso={ticket.createdAt} />
          </dd>
        </div>
        {ticket.resolvedAt && (
          <div>
            <dt>{t('ticket.resolved')}</dt>
            <dd>
              <Time iso={ticket.resolvedAt} />
            </dd>
          </div>
        )}
      </dl>
    </header>
  );
}
