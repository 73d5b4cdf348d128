import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { del, get, post } from '../api/client';
import {
  COMPONENT_STATES,
  INCIDENT_IMPACTS,
  statusKeys,
  type ComponentState,
  type Incident,
  type IncidentImpact,
  type IncidentSummary,
} from '../api/status';
import type { Ticket } from '../api/types';
import { ErrorMessage, IncidentStatusBadge } from '../shared/components';
import { useStatusComponents, useTicketIncidents, useSuggestedIncidents } from '../shared/status';
import { ticketKey } from './queries';

/** Priorities whose tickets may be an outage the status page should tell every customer about. */
const INCIDENT_PRIORITIES = ['P0', 'P1'];

/** The open incidents a ticket could join, for the console's choices. */
export function useOpenIncidents(enabled = true) {
  return useQuery({
    queryKey: statusKeys.incidents({ kind: 'incident', open: true }),
    queryFn: async () =>
      (
        await get<{ data: IncidentSummary[] }>('/status/incidents', {
          kind: 'incident',
          open: 'true',
          limit: 100,
        })
      ).data,
    enabled,
  });
}

function OpenIncidentForm({ ticket, onDone }: { ticket: Ticket; onDone: (message: string) => void }) {
  const { t } = useTranslation('console');
  const { t: tc } = useTranslation();
  const queryClient = useQueryClient();
  const id = useId();
  const components = useStatusComponents();
  const [name, setName] = useState(ticket.subject);
  const [impact, setImpact] = useState<IncidentImpact>(ticket.priority === 'P0' ? 'critical' : 'major');
  const [body, setBody] = useState('');
  const [states, setStates] = useState<Record<string, ComponentState>>({});
  const create = useMutation({
    mutationFn: () =>
      post<Incident>(`/tickets/${ticket.id}/incident`, {
        name: name.trim(),
        impact,
        body: body.trim(),
        components: Object.entries(states).map(([componentId, state]) => ({ id: componentId, state })),
      }),
    onSuccess: () => {
      onDone(t('incident.opened'));
      void queryClient.invalidateQueries({ queryKey: statusKeys.all });
      // The ticket's incidents, and its thread, which the incident's first update may reach.
      void queryClient.invalidateQueries({ queryKey: ticketKey(ticket.id) });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const setState = (componentId: string, state: string) =>
    setStates((current) => {
      const next = { ...current };
      if (state) next[componentId] = state as ComponentState;
      else delete next[componentId];
      return next;
    });
  return (
    <form className="action" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('incident.openTitle')}</h3>
      <label htmlFor={`${id}-name`} className="field-label">
        {t('incident.name')}
      </label>
      <input
        id={`${id}-name`}
        required
        maxLength={200}
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <label htmlFor={`${id}-impact`} className="field-label">
        {t('incident.impact')}
      </label>
      <select
        id={`${id}-impact`}
        value={impact}
        onChange={(e) => setImpact(e.target.value as IncidentImpact)}
      >
        {INCIDENT_IMPACTS.map((i) => (
          <option key={i} value={i}>
            {tc(`statusPage.impact.${i}`)}
          </option>
        ))}
      </select>
      <fieldset className="incident-components">
        <legend className="field-label">{t('incident.components')}</legend>
        {(components.data ?? []).length === 0 && <p className="muted">{t('incident.noComponents')}</p>}
        {(components.data ?? []).map((c) => (
          <div key={c.id} className="incident-component">
            <label htmlFor={`${id}-c-${c.id}`}>{c.group ? `${c.group} › ${c.name}` : c.name}</label>
            <select
              id={`${id}-c-${c.id}`}
              value={states[c.id] ?? ''}
              onChange={(e) => setState(c.id, e.target.value)}
            >
              <option value="">{t('incident.notAffected')}</option>
              {COMPONENT_STATES.map((s) => (
                <option key={s} value={s}>
                  {tc(`statusPage.componentState.${s}`)}
                </option>
              ))}
            </select>
          </div>
        ))}
      </fieldset>
      <label htmlFor={`${id}-body`} className="field-label">
        {t('incident.body')}
      </label>
      <textarea id={`${id}-body`} required rows={3} value={body} onChange={(e) => setBody(e.target.value)} />
      <button type="submit" className="primary" disabled={create.isPending}>
        {t('incident.open')}
      </button>
      <ErrorMessage error={create.error ?? components.error} />
    </form>
  );
}

function LinkIncidentForm({
  ticket,
  exclude,
  onDone,
}: {
  ticket: Ticket;
  exclude: Set<string>;
  onDone: (message: string) => void;
}) {
  const { t } = useTranslation('console');
  const queryClient = useQueryClient();
  const id = useId();
  const open = useOpenIncidents();
  const choices = (open.data ?? []).filter((i) => !exclude.has(i.id));
  const [choice, setChoice] = useState('');
  const chosen = choice || choices[0]?.id || '';
  const link = useMutation({
    mutationFn: () => post(`/status/incidents/${chosen}/tickets`, { ticketIds: [ticket.id] }),
    onSuccess: () => {
      onDone(t('incident.linked'));
      void queryClient.invalidateQueries({ queryKey: statusKeys.ticketIncidents(ticket.id) });
      void queryClient.invalidateQueries({ queryKey: statusKeys.incidentTickets(chosen) });
    },
  });
  if (open.isSuccess && choices.length === 0)
    return <p className="muted">{t(exclude.size > 0 ? 'incident.noOtherOpen' : 'incident.noOpen')}</p>;
  return (
    <form
      className="action"
      onSubmit={(e) => {
        e.preventDefault();
        link.mutate();
      }}
    >
      <label htmlFor={`${id}-incident`} className="field-label">
        {t('incident.linkTo')}
      </label>
      <div className="action-row">
        <select id={`${id}-incident`} value={chosen} onChange={(e) => setChoice(e.target.value)}>
          {choices.map((i) => (
            <option key={i.id} value={i.id}>
              {i.name}
            </option>
          ))}
        </select>
        <button type="submit" disabled={link.isPending || !chosen}>
          {t('incident.link')}
        </button>
      </div>
      <ErrorMessage error={link.error ?? open.error} />
    </form>
  );
}

/** Open incidents the ticket was filed during: staff link it when the incident is its cause. */
function SuggestedIncidents({ ticket, onDone }: { ticket: Ticket; onDone: (message: string) => void }) {
  const { t } = useTranslation('console');
  const queryClient = useQueryClient();
  const suggested = useSuggestedIncidents(ticket.id);
  const link = useMutation({
    mutationFn: (incidentId: string) => post(`/tickets/${ticket.id}/incidents`, { incidentId }),
    onSuccess: () => {
      onDone(t('incident.linked'));
      void queryClient.invalidateQueries({ queryKey: ticketKey(ticket.id) });
    },
  });
  const rows = suggested.data ?? [];
  if (rows.length === 0) return null;
  return (
    <div className="incident-suggested" data-testid="suggested-incidents">
      <h3>{t('incident.suggested')}</h3>
      <p className="muted">{t('incident.suggestedHint')}</p>
      <ul className="hc-list">
        {rows.map((i) => (
          <li key={i.id} className="hc-article">
            <span className="hc-article-name">
              <Link to={`/admin/status/incidents/${i.id}`}>{i.name}</Link>{' '}
              <IncidentStatusBadge status={i.status} />
            </span>
            <button type="button" disabled={link.isPending} onClick={() => link.mutate(i.id)}>
              {t('incident.linkSuggested')}
            </button>
          </li>
        ))}
      </ul>
      <ErrorMessage error={link.error ?? suggested.error} />
    </div>
  );
}

/** Unlinks a ticket linked by mistake; the replies it received stay in its history. */
function UnlinkButton({
  ticket,
  incidentId,
  onDone,
}: {
  ticket: Ticket;
  incidentId: string;
  onDone: (message: string) => void;
}) {
  const { t } = useTranslation('console');
  const queryClient = useQueryClient();
  const unlink = useMutation({
    mutationFn: () => del(`/status/incidents/${incidentId}/tickets/${ticket.id}`),
    onSuccess: () => {
      onDone(t('incident.unlinked'));
      void queryClient.invalidateQueries({ queryKey: ticketKey(ticket.id) });
      void queryClient.invalidateQueries({ queryKey: statusKeys.incidentTickets(incidentId) });
    },
  });
  return (
    <>
      <button
        type="button"
        className="link-button"
        disabled={unlink.isPending}
        onClick={() => unlink.mutate()}
      >
        {t('incident.unlink')}
      </button>
      <ErrorMessage error={unlink.error} />
    </>
  );
}

/**
 * The status page beside a ticket: the incidents it is tied to, and for a P0 or P1 ticket, opening
 * an incident from it (every customer then sees it on /status) or joining one already open.
 */
export function IncidentPanel({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('console');
  const headingId = useId();
  const incidents = useTicketIncidents(ticket.id);
  const [done, setDone] = useState('');
  const [opening, setOpening] = useState(false);
  const suggested = useSuggestedIncidents(ticket.id);
  const linked = incidents.data ?? [];
  const urgent = INCIDENT_PRIORITIES.includes(ticket.priority);
  if (!urgent && linked.length === 0 && (suggested.data ?? []).length === 0) return null;
  return (
    <section className="card incident-panel" aria-labelledby={headingId} data-testid="incident-panel">
      <h2 id={headingId}>{t('incident.heading')}</h2>
      <ErrorMessage error={incidents.error} />
      {linked.length > 0 ? (
        <ul className="hc-list" data-testid="ticket-incidents">
          {linked.map((i) => (
            <li key={i.id} className="hc-article">
              <span className="hc-article-name">
                <Link to={`/admin/status/incidents/${i.id}`}>{i.name}</Link>{' '}
                <IncidentStatusBadge status={i.status} />
              </span>
              <UnlinkButton ticket={ticket} incidentId={i.id} onDone={setDone} />
            </li>
          ))}
        </ul>
      ) : (
        incidents.isSuccess && <p className="muted">{t('incident.none')}</p>
      )}
      <SuggestedIncidents ticket={ticket} onDone={setDone} />
      {urgent && (
        <>
          {opening ? (
            <OpenIncidentForm
              ticket={ticket}
              onDone={(message) => {
                setOpening(false);
                setDone(message);
              }}
            />
          ) : (
            <button
              type="button"
              onClick={() => {
                setDone('');
                setOpening(true);
              }}
            >
              {t('incident.openFromTicket')}
            </button>
          )}
          <LinkIncidentForm ticket={ticket} exclude={new Set(linked.map((i) => i.id))} onDone={setDone} />
        </>
      )}
      <p role="status" className="muted">
        {done}
      </p>
    </section>
  );
}
