import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { P0_GAP_SECONDS, type P0Escalation, type P0Ticket } from '../api/reports';
import { Time } from '../shared/components';
import { useMeasure } from './useMeasure';

/**
 * How each critical ticket was kept: the updates the customer was sent, the silences longer than
 * the policy's update interval, and whether each internal escalation fired on time.
 */
export function P0Table({
  tickets,
  caption,
  ticketPath,
  showOrganization = true,
}: {
  tickets: P0Ticket[];
  caption: string;
  /** Where a ticket opens for this viewer (the console for staff, the portal for customers). */
  ticketPath: (ticketId: string) => string;
  showOrganization?: boolean;
}) {
  const { t } = useTranslation('reports');
  const measure = useMeasure();
  const gap = measure.duration(P0_GAP_SECONDS, 'calendar');
  const columns = {
    organization: t('p0.organization'),
    opened: t('p0.opened'),
    resolved: t('p0.resolved'),
    updates: t('p0.updates'),
    gaps: t('p0.gaps', { time: gap }),
    longest: t('p0.longestGap'),
    escalations: t('p0.escalations'),
  };
  return (
    <div className="table-wrap">
      <table className="responsive p0-table" data-testid="p0-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('p0.ticket')}</th>
            {showOrganization && <th scope="col">{columns.organization}</th>}
            <th scope="col">{columns.opened}</th>
            <th scope="col">{columns.resolved}</th>
            <th scope="col">{columns.updates}</th>
            <th scope="col">{columns.gaps}</th>
            <th scope="col">{columns.longest}</th>
            <th scope="col">{columns.escalations}</th>
          </tr>
        </thead>
        <tbody>
          {tickets.map((ticket) => (
            <tr key={ticket.ticketId}>
              <th scope="row">
                <Link to={ticketPath(ticket.ticketId)}>
                  <span className="ticket-number">#{ticket.number}</span> {ticket.subject}
                </Link>
              </th>
              {showOrganization && <td data-label={columns.organization}>{ticket.organization}</td>}
              <td data-label={columns.opened}>
                <Time iso={ticket.openedAt} />
              </td>
              <td data-label={columns.resolved}>
                {ticket.resolvedAt ? <Time iso={ticket.resolvedAt} /> : t('p0.stillOpen')}
              </td>
              <td data-label={columns.updates} className="number">
                {measure.count(ticket.updates)}
              </td>
              <td data-label={columns.gaps} className="number">
                {ticket.gapsOver30 > 0 ? (
                  <span className="report-late">
                    <span aria-hidden="true">✗ </span>
                    {measure.count(ticket.gapsOver30)}
                  </span>
                ) : (
                  measure.count(0)
                )}
              </td>
              <td data-label={columns.longest}>
                {ticket.longestGapSeconds === null
                  ? '—'
                  : measure.duration(ticket.longestGapSeconds, 'calendar')}
              </td>
              <td data-label={columns.escalations}>
                <Escalations escalations={ticket.escalations} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type EscalationState = 'onTime' | 'late' | 'missing' | 'upcoming';

function escalationState(e: P0Escalation, now: number): EscalationState {
  if (e.onTime) return 'onTime';
  if (e.firedAt) return 'late';
  return Date.parse(e.dueAt) > now ? 'upcoming' : 'missing';
}

const ESCALATION_ICON: Record<EscalationState, string> = {
  onTime: '✓',
  late: '✗',
  missing: '✗',
  upcoming: '…',
};

function Escalations({ escalations }: { escalations: P0Escalation[] }) {
  const { t } = useTranslation('reports');
  if (escalations.length === 0) return <span className="muted">{t('p0.noEscalation')}</span>;
  const now = Date.now();
  return (
    <ul className="report-list">
      {escalations.map((e) => {
        const state = escalationState(e, now);
        return (
          <li key={e.level} className={`escalation-${state}`}>
            <span aria-hidden="true">{ESCALATION_ICON[state]} </span>
            {t(`p0.escalation.${state}`, { level: e.level })}{' '}
            <span className="muted">
              ({t('p0.due')} <Time iso={e.dueAt} />
              {e.firedAt && (
                <>
                  , {t('p0.fired')} <Time iso={e.firedAt} />
                </>
              )}
              )
            </span>
          </li>
        );
      })}
    </ul>
  );
}
