import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client';
import {
  isClosingStatus,
  P0_STAGES,
  statusesOf,
  statusKeys,
  type Incident,
  type IncidentUpdate,
  type P0Stage,
} from '../../api/status';
import type { Ticket } from '../../api/types';
import { errorsUnder, fieldErrorsOf, FormField, Notice, ProblemAlert } from '../common';
import { BilingualText } from './BilingualText';
import { affected, ComponentStatesField, type ComponentStates } from './ComponentStatesField';
import { useComponents } from './queries';

/** The priority of the ticket the incident was opened from, if any. */
function useOriginPriority(incident: Incident): string | null {
  const fetched = useQuery({
    queryKey: ['ticket', incident.originTicketId ?? '', 'priority-of-origin'],
    queryFn: () => get<Ticket>(`/tickets/${incident.originTicketId}`),
    enabled: !!incident.originTicketId,
    staleTime: 60_000,
  });
  return fetched.data?.priority ?? null;
}

const statesOf = (incident: Incident): ComponentStates =>
  Object.fromEntries(incident.components.map((c) => [c.id, c.state]));

/**
 * The next update on an incident: where it stands, what customers read (English, and French when
 * written), and the components' states from now on. An incident opened from a P0 ticket offers the
 * policy's own P0 stages as ready-made texts.
 */
export function UpdateComposer({ incident }: { incident: Incident }) {
  const { t, i18n } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const queryClient = useQueryClient();
  const components = useComponents();
  const p0 = useOriginPriority(incident) === 'P0';
  const statuses = statusesOf(incident.kind);
  const [status, setStatus] = useState(incident.status);
  const [body, setBody] = useState({ en: '', fr: '' });
  const [states, setStates] = useState<ComponentStates>(() => statesOf(incident));
  const [posted, setPosted] = useState(false);
  const publish = useMutation({
    mutationFn: () =>
      post<IncidentUpdate>(`/status/incidents/${incident.id}/updates`, {
        status,
        body: body.en.trim(),
        ...(body.fr.trim() && { bodyFr: body.fr.trim() }),
        components: affected(states),
      }),
    onSuccess: async () => {
      setPosted(true);
      setBody({ en: '', fr: '' });
      await queryClient.invalidateQueries({ queryKey: statusKeys.all });
      // Linked tickets received the update as a reply.
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
    },
  });
  const errors = fieldErrorsOf(publish.error);
  const chooseStatus = (next: Incident['status']) => {
    setStatus(next);
    // Closing an incident usually gives every component back: offered, not forced.
    if (isClosingStatus(next))
      setStates(Object.fromEntries(Object.keys(states).map((id) => [id, 'operational' as const])));
  };
  const applyStage = (stage: P0Stage) => {
    setBody({
      en: i18n.getFixedT('en', 'admin')(`status.p0Stage.${stage}.text`),
      fr: i18n.getFixedT('fr', 'admin')(`status.p0Stage.${stage}.text`),
    });
    if (stage === 'restored') chooseStatus(incident.kind === 'maintenance' ? 'completed' : 'resolved');
    else if (stage === 'fix_deployed' && incident.kind === 'incident') setStatus('monitoring');
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setPosted(false);
    publish.mutate();
  };
  return (
    <section aria-labelledby="status-composer" className="card admin-form">
      <h2 id="status-composer">{t('status.update.title')}</h2>
      <form onSubmit={submit}>
        {p0 && (
          <div className="status-p0-stages" role="group" aria-labelledby="status-p0-stages">
            <p id="status-p0-stages" className="field-label">
              {t('status.update.p0Stages')}
            </p>
            <div className="action-row">
              {P0_STAGES.map((stage) => (
                <button key={stage} type="button" onClick={() => applyStage(stage)}>
                  {t(`status.p0Stage.${stage}.label`)}
                </button>
              ))}
            </div>
          </div>
        )}
        <FormField label={t('status.form.status')} error={errors['body.status']}>
          {(p) => (
            <select
              {...p}
              value={status}
              onChange={(e) => chooseStatus(e.target.value as Incident['status'])}
            >
              {statuses.map((s) => (
                <option key={s} value={s}>
                  {tc(`statusPage.incidentStatus.${s}`)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <BilingualText
          multiline
          value={body}
          onChange={setBody}
          errors={{ en: errors['body.body'], fr: errors['body.bodyFr'] }}
          labels={{ en: t('status.update.body'), fr: t('status.update.bodyFr') }}
        />
        <ComponentStatesField
          components={components.data ?? []}
          value={states}
          onChange={setStates}
          legend={t('status.form.components')}
          error={errorsUnder(errors, 'body.components')}
        />
        <ProblemAlert error={publish.error} />
        {posted && <Notice>{t('status.update.posted')}</Notice>}
        <button type="submit" className="primary" disabled={publish.isPending}>
          {t('status.update.post')}
        </button>
      </form>
    </section>
  );
}
