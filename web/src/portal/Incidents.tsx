import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client';
import { PUBLIC_STATUS_URL, statusKeys, type OpenIncident } from '../api/status';
import { IncidentStatusBadge, Time } from '../shared/components';
import { useTicketIncidents } from '../shared/status';

function StatusPageLink({ href = PUBLIC_STATUS_URL }: { href?: string }) {
  const { t } = useTranslation('portal');
  return (
    <a href={href} target="_blank" rel="noreferrer">
      {t('incidents.statusPage')}
      <span className="visually-hidden"> {t('suggestions.newTab')}</span>
    </a>
  );
}

/**
 * What the desk already knows is wrong, shown while a customer writes: "We are aware of …" with the
 * latest word, so that a customer hit by an outage need not wait for an answer to learn of it.
 * Nothing shows while there is none, or if they cannot be read.
 */
export function OpenIncidents() {
  const { t } = useTranslation('portal');
  const id = useId();
  const query = useQuery({
    queryKey: statusKeys.open,
    queryFn: async () => (await get<{ data: OpenIncident[] }>('/status/open-incidents')).data,
    staleTime: 60_000,
    refetchInterval: 120_000,
  });
  const incidents = query.data ?? [];
  if (incidents.length === 0) return null;
  return (
    <section className="open-incidents" aria-labelledby={`${id}-heading`} data-testid="open-incidents">
      <h2 id={`${id}-heading`}>{t('incidents.aware')}</h2>
      <ul>
        {incidents.map((incident) => (
          <li key={incident.id}>
            <a href={incident.url} target="_blank" rel="noreferrer">
              <strong>{incident.name}</strong>
              <span className="visually-hidden"> {t('suggestions.newTab')}</span>
            </a>
            {incident.latestUpdate && <> — {incident.latestUpdate.body}</>}
            {incident.linksNewTickets && <p className="muted">{t('incidents.linksNew')}</p>}
          </li>
        ))}
      </ul>
      <p>
        <StatusPageLink />
      </p>
    </section>
  );
}

/** The incidents a request is tied to: where each stands, its latest word, and the status page. */
export function TicketIncidents({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation('portal');
  const id = useId();
  const query = useTicketIncidents(ticketId);
  const incidents = query.data ?? [];
  if (incidents.length === 0) return null;
  return (
    <section className="ticket-incidents" aria-labelledby={`${id}-heading`} data-testid="ticket-incidents">
      <h2 id={`${id}-heading`}>{t('incidents.linked')}</h2>
      <ul>
        {incidents.map((incident) => (
          <li key={incident.id}>
            <a href={incident.url} target="_blank" rel="noreferrer">
              <strong>{incident.name}</strong>
              <span className="visually-hidden"> {t('suggestions.newTab')}</span>
            </a>{' '}
            <IncidentStatusBadge status={incident.status} />
            {incident.latestUpdate && (
              <p>
                {incident.latestUpdate.body}{' '}
                <span className="muted">
                  (<Time iso={incident.latestUpdate.createdAt} />)
                </span>
              </p>
            )}
          </li>
        ))}
      </ul>
      <p>
        <StatusPageLink />
      </p>
    </section>
  );
}
