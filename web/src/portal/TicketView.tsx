import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SlaTarget, Ticket } from '../api/types';
import { ErrorMessage, Loading, PriorityBadge, StatusBadge, Time, useLocale } from '../shared/components';
import { useTicket, usePolicy } from './api';
import { Attachments } from './Attachments';
import { Conversation } from './Conversation';
import { TicketIncidents } from './Incidents';
import { KnownIssues } from './KnownIssues';
import { MergedRequest } from './MergedRequest';
import { describeClock, describeTerm } from './promise';
import { Satisfaction } from './Satisfaction';
import { TicketExclusion } from './TicketExclusion';

/** Words for a promise: "within 15 minutes (24/7)", in the customer's language. */
function useTermWords() {
  const locale = useLocale();
  const policy = usePolicy().data;
  const businessDay = policy?.businessDay?.minutes;
  const zone = policy?.calendars[policy.defaultCalendar]?.timeZone;
  return (term: SlaTarget['target']) => ({
    time: describeTerm(term, locale, businessDay),
    clock: describeClock(term.clock, locale, zone),
  });
}

/** What the desk promised this request, and whether it kept it. */
export function TicketPromise({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('portal');
  const words = useTermWords();
  const sla = ticket.sla;
  if (!sla)
    return (
      <div className="promise-box" data-testid="ticket-promise">
        {t('promise.none')}
      </div>
    );
  const first = sla.firstResponse;
  const next = sla.nextResponse;
  return (
    <div className="promise-box" data-testid="ticket-promise">
      <p>
        <strong>{t('promise.firstResponse')}</strong> {t('promise.within', words(first.target))}
        {first.target.overridden && <> {t('promise.contract')}</>}
      </p>
      <p>
        {first.metAt ? (
          <span className="promise-met">
            {t('promise.answeredAt')} <Time iso={first.metAt} />
          </span>
        ) : (
          <span className={first.breached ? 'promise-late' : undefined}>
            {t('promise.dueBy')} <Time iso={first.dueAt} />
            {first.breached && <> — {t('promise.late')}</>}
          </span>
        )}
      </p>
      {next && (
        <p>
          {next.metAt ? (
            <>
              {t('promise.reopenAnswered')} <Time iso={next.metAt} />
            </>
          ) : (
            <>
              {t('promise.reopenDue', words(next.target))} <Time iso={next.dueAt} />
            </>
          )}
        </p>
      )}
      {sla.update && (
        <p>
          {t('promise.updates', { time: words(sla.update.every).time })}
          {sla.update.dueAt && (
            <>
              {' '}
              {t('promise.nextUpdate')} <Time iso={sla.update.dueAt} />
            </>
          )}
        </p>
      )}
    </div>
  );
}

function Reproduction({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('portal');
  const entries = (['steps', 'expected', 'actual', 'environment'] as const).filter(
    (k) => ticket.reproduction[k],
  );
  if (entries.length === 0) return null;
  return (
    <details className="reproduction-view">
      <summary>{t('ticket.reproduction')}</summary>
      <dl>
        {entries.map((k) => (
          <div key={k}>
            <dt>{t(`form.reproduction.${k}`)}</dt>
            <dd>{ticket.reproduction[k]}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

/** One request: what it is, what was promised, the conversation and its files. */
export function TicketView({ id, back, notice }: { id: string; back?: ReactNode; notice?: ReactNode }) {
  const { t } = useTranslation('portal');
  const query = useTicket(id);
  if (query.isError)
    return (
      <>
        {back}
        <ErrorMessage error={query.error} />
      </>
    );
  if (!query.data) return <Loading />;
  const ticket = query.data;
  return (
    <article className="ticket-view">
      {back}
      <h1 className="ticket-title">
        <span className="ticket-number">#{ticket.number}</span> {ticket.subject}
      </h1>
      {notice}
      <p className="ticket-meta">
        <StatusBadge status={ticket.status} /> <PriorityBadge priority={ticket.priority} />{' '}
        <span>{t(`common:requestType.${ticket.requestType}`, { defaultValue: ticket.requestType })}</span>
        <span className="muted">
          {t('ticket.openedBy', { name: ticket.requester.name })} <Time iso={ticket.createdAt} />
        </span>
      </p>
      <TicketExclusion ticket={ticket} />
      <MergedRequest ticket={ticket} />
      <Satisfaction ticket={ticket} />
      <TicketPromise ticket={ticket} />
      <TicketIncidents ticketId={ticket.id} />
      <KnownIssues ticketId={ticket.id} />
      <Reproduction ticket={ticket} />
      <Conversation ticket={ticket} />
      <Attachments ticketId={ticket.id} />
    </article>
  );
}
