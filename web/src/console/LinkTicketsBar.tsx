import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../api/client';
import { statusKeys } from '../api/status';
import { ErrorMessage } from '../shared/components';
import { useOpenIncidents } from './IncidentPanel';

/**
 * The tickets ticked in the queue, linked to one open incident in one action: the reports of the
 * same outage then hear of it with every update, and are resolved with it.
 */
export function LinkTicketsBar({ selected, onLinked }: { selected: string[]; onLinked: () => void }) {
  const { t } = useTranslation('console');
  const queryClient = useQueryClient();
  const id = useId();
  const open = useOpenIncidents();
  const [choice, setChoice] = useState('');
  const [done, setDone] = useState('');
  const chosen = choice || open.data?.[0]?.id || '';
  const link = useMutation({
    mutationFn: () => post(`/status/incidents/${chosen}/tickets`, { ticketIds: selected }),
    onSuccess: () => {
      setDone(t('queue.linkedToIncident', { count: selected.length }));
      onLinked();
      void queryClient.invalidateQueries({ queryKey: statusKeys.incidentTickets(chosen) });
      for (const ticketId of selected)
        void queryClient.invalidateQueries({ queryKey: statusKeys.ticketIncidents(ticketId) });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone('');
    link.mutate();
  };
  return (
    <form className="queue-selection card" onSubmit={submit} data-testid="queue-selection">
      <span>{t('queue.selected', { count: selected.length })}</span>
      {open.isSuccess && open.data.length === 0 ? (
        <span className="muted">{t('incident.noOpen')}</span>
      ) : (
        <>
          <label htmlFor={`${id}-incident`}>{t('queue.linkToIncident')}</label>
          <select id={`${id}-incident`} value={chosen} onChange={(e) => setChoice(e.target.value)}>
            {(open.data ?? []).map((i) => (
              <option key={i.id} value={i.id}>
                {i.name}
              </option>
            ))}
          </select>
          <button
            type="submit"
            className="primary"
            disabled={link.isPending || !chosen || selected.length === 0}
          >
            {t('queue.link')}
          </button>
        </>
      )}
      <span role="status" className="muted">
        {done}
      </span>
      <ErrorMessage error={link.error ?? open.error} />
    </form>
  );
}
