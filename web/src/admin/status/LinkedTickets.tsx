import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { del, post } from '../../api/client';
import { isClosingStatus, statusKeys, type Incident } from '../../api/status';
import { ErrorMessage, Loading, PriorityBadge, StatusBadge } from '../../shared/components';
import type { Priority, Status } from '../../api/types';
import { FormField, Notice, ProblemAlert } from '../common';
import { useIncidentTickets } from './queries';

interface ResolveResult {
  resolved: number;
}

/**
 * The tickets tied to the incident (opened from it, or linked by an agent), and, once it is over,
 * resolving them all with the final update as the reply.
 */
export function LinkedTickets({ incident }: { incident: Incident }) {
  const { t } = useTranslation('admin');
  const queryClient = useQueryClient();
  const query = useIncidentTickets(incident.id);
  const finalUpdate = incident.updates.find((u) => isClosingStatus(u.status));
  const [body, setBody] = useState(finalUpdate?.body ?? '');
  const [done, setDone] = useState('');
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: statusKeys.incidentTickets(incident.id) });
    void queryClient.invalidateQueries({ queryKey: ['tickets'] });
  };
  const unlink = useMutation({
    mutationFn: (ticketId: string) => del(`/status/incidents/${incident.id}/tickets/${ticketId}`),
    onSuccess: () => {
      setDone(t('status.tickets.unlinked'));
      refresh();
    },
  });
  const resolve = useMutation({
    mutationFn: () =>
      post<ResolveResult>(`/status/incidents/${incident.id}/resolve-tickets`, {
        ...(body.trim() && { body: body.trim() }),
      }),
    onSuccess: (result) => {
      setDone(t('status.tickets.resolvedCount', { count: result.resolved }));
      refresh();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone('');
    resolve.mutate();
  };
  const tickets = query.data ?? [];
  const open = tickets.filter((x) => x.status !== 'resolved' && x.status !== 'closed');
  return (
    <section aria-labelledby="status-linked-tickets" className="card admin-form">
      <h2 id="status-linked-tickets">{t('status.tickets.title')}</h2>
      {query.isPending && <Loading />}
      <ErrorMessage error={query.error} />
      {query.isSuccess && tickets.length === 0 && <p className="muted">{t('status.tickets.empty')}</p>}
      {tickets.length > 0 && (
        <ul className="plain status-ticket-list" data-testid="incident-tickets">
          {tickets.map((x) => (
            <li key={x.ticketId}>
              <Link to={`/console/tickets/${x.ticketId}`}>
                #{x.number} {x.subject}
              </Link>{' '}
              <PriorityBadge priority={x.priority as Priority} /> <StatusBadge status={x.status as Status} />
              <span className="muted"> {x.organization.name}</span>{' '}
              <button
                type="button"
                disabled={unlink.isPending}
                aria-label={t('status.tickets.unlinkNamed', { number: x.number })}
                onClick={() => {
                  setDone('');
                  unlink.mutate(x.ticketId);
                }}
              >
                {t('status.tickets.unlink')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <p className="muted">{t('status.tickets.linkHint')}</p>
      {isClosingStatus(incident.status) && open.length > 0 && (
        <form onSubmit={submit}>
          <FormField label={t('status.tickets.finalReply')} hint={t('status.tickets.finalReplyHint')}>
            {(p) => <textarea {...p} rows={4} value={body} onChange={(e) => setBody(e.target.value)} />}
          </FormField>
          <button type="submit" className="primary" disabled={resolve.isPending}>
            {t('status.tickets.resolveAll', { count: open.length })}
          </button>
        </form>
      )}
      {done && <Notice>{done}</Notice>}
      <ProblemAlert error={unlink.error ?? resolve.error} />
    </section>
  );
}
