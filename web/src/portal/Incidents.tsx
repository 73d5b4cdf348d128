import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../api/client';
import { PUBLIC_STATUS_URL, statusKeys, type OpenIncident } from '../api/status';
import { ErrorMessage, IncidentStatusBadge, Time } from '../shared/components';
import { useSuggestedIncidents, useTicketIncidents } from '../shared/status';

function StatusPageLink({ href = PUBLIC_STATUS_URL }: { href?: string }) {
  const { t } = useTranslation('portal');
  return (
    <a href={href} target="_blank" rel="noreferrer">
      {t('incidents.statusPage')}
      <span className="visually-hidden"> {t('suggestions.newTab')}</span>
    </a>
  );
}

/** An incident's name, opening its page on the status site in a new tab. */
function IncidentLink({ incident }: { incident: { url: string; name: string } }) {
  const { t } = useTranslation('portal');
  return (
    <a href={incident.url} target="_blank" rel="noreferrer">
      <strong>{incident.name}</strong>
      <span className="visually-hidden"> {t('suggestions.newTab')}</span>
    </a>
  );
}

/**
 * What the desk already knows is wrong, shown while a customer writes: "We are aware of …" with the
 * latest word, so that a customer hit by an outage need not wait for an answer to learn of it. For
 * an incident that may affect everyone the customer is asked whether the request is about it: only a
 * yes links the request, which then receives the incident's updates. Nothing shows while there is
 * none, or if they cannot be read.
 */
export function OpenIncidents({
  confirmed,
  onConfirm,
}: {
  /** The incident the customer said the request is about, if any. */
  confirmed: string | null;
  onConfirm: (incidentId: string | null) => void;
}) {
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
            <IncidentLink incident={incident} />
            {incident.latestUpdate && <> — {incident.latestUpdate.body}</>}
            {incident.asksNewTickets && (
              <fieldset className="incident-question">
                <legend>{t('incidents.askNew')}</legend>
                <label>
                  <input
                    type="checkbox"
                    name="incidentId"
                    value={incident.id}
                    checked={confirmed === incident.id}
                    onChange={(e) => onConfirm(e.target.checked ? incident.id : null)}
                  />{' '}
                  {t('incidents.yesAbout')}
                </label>
                <p className="muted">{t('incidents.askHint')}</p>
              </fieldset>
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

/** Open incidents a request was filed during and is not tied to: the customer may say it is about one. */
function SuggestedIncidents({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation('portal');
  const id = useId();
  const queryClient = useQueryClient();
  const query = useSuggestedIncidents(ticketId);
  const confirm = useMutation({
    mutationFn: (incidentId: string) => post(`/tickets/${ticketId}/incidents`, { incidentId }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['ticket', ticketId] }),
  });
  const suggested = query.data ?? [];
  if (suggested.length === 0) return null;
  return (
    <section className="ticket-incidents" aria-labelledby={`${id}-heading`} data-testid="suggested-incidents">
      <h2 id={`${id}-heading`}>{t('incidents.suggestedHeading')}</h2>
      <ul>
        {suggested.map((incident) => (
          <li key={incident.id}>
            <IncidentLink incident={incident} /> <IncidentStatusBadge status={incident.status} />
            {incident.latestUpdate && <p>{incident.latestUpdate.body}</p>}
            <button type="button" disabled={confirm.isPending} onClick={() => confirm.mutate(incident.id)}>
              {t('incidents.confirm')}
            </button>
          </li>
        ))}
      </ul>
      <ErrorMessage error={confirm.error} />
    </section>
  );
}

/**
 * The incidents a request is tied to: where each stands, its latest word, and the status page; and
 * the open incidents it may be about, for the customer to confirm.
 */
export function TicketIncidents({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation('portal');
  const id = useId();
  const query = useTicketIncidents(ticketId);
  const incidents = query.data ?? [];
  if (incidents.length === 0) return <SuggestedIncidents ticketId={ticketId} />;
  return (
    <section className="ticket-incidents" aria-labelledby={`${id}-heading`} data-testid="ticket-incidents">
      <h2 id={`${id}-heading`}>{t('incidents.linked')}</h2>
      <ul>
        {incidents.map((incident) => (
          <li key={incident.id}>
            <IncidentLink incident={incident} /> <IncidentStatusBadge status={incident.status} />
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
