import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { post } from '../../api/client';
import {
  INCIDENT_IMPACTS,
  INCIDENT_STATUSES,
  statusKeys,
  type Incident,
  type IncidentImpact,
  type IncidentKind,
} from '../../api/status';
import { errorsUnder, fieldErrorsOf, FormField, ProblemAlert, useDocumentTitle } from '../common';
import { BilingualText } from './BilingualText';
import { affected, ComponentStatesField, type ComponentStates } from './ComponentStatesField';
import { localToInstant, useComponents } from './queries';

const EMPTY = { en: '', fr: '' };

/**
 * A new incident, or a maintenance scheduled ahead: its name, what customers read first, the
 * components it touches, and for a maintenance its window (which the desk may open and close itself).
 */
export function NewIncidentPage({ kind }: { kind: IncidentKind }) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const maintenance = kind === 'maintenance';
  const title = maintenance ? t('status.maintenance.new') : t('status.incidents.new');
  useDocumentTitle(title);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const components = useComponents();
  const [name, setName] = useState(EMPTY);
  const [body, setBody] = useState(EMPTY);
  const [impact, setImpact] = useState<IncidentImpact>('minor');
  const [status, setStatus] = useState<string>('investigating');
  const [states, setStates] = useState<ComponentStates>({});
  const [scheduledFor, setScheduledFor] = useState('');
  const [scheduledUntil, setScheduledUntil] = useState('');
  const [autoTransition, setAutoTransition] = useState(true);
  const create = useMutation({
    mutationFn: () =>
      post<Incident>('/status/incidents', {
        kind,
        name: name.en.trim(),
        ...(name.fr.trim() && { nameFr: name.fr.trim() }),
        ...(!maintenance && { impact, status }),
        body: body.en.trim(),
        ...(body.fr.trim() && { bodyFr: body.fr.trim() }),
        components: affected(states),
        ...(maintenance && {
          scheduledFor: localToInstant(scheduledFor),
          scheduledUntil: localToInstant(scheduledUntil),
          autoTransition,
        }),
      }),
    onSuccess: async (incident) => {
      await queryClient.invalidateQueries({ queryKey: statusKeys.all });
      void navigate(`/admin/status/incidents/${incident.id}`);
    },
  });
  const errors = fieldErrorsOf(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <section aria-labelledby="status-new-title">
      <p className="breadcrumb">
        <Link to="/admin/status">{t('status.back')}</Link>
      </p>
      <h1 id="status-new-title">{title}</h1>
      <form className="card admin-form" onSubmit={submit}>
        <div className="inline-fields">
          <BilingualText
            value={name}
            onChange={setName}
            errors={{ en: errors['body.name'], fr: errors['body.nameFr'] }}
            labels={{ en: t('status.form.name'), fr: t('status.form.nameFr') }}
          />
        </div>
        <div className="inline-fields">
          {!maintenance && (
            <FormField label={t('status.form.impact')} error={errors['body.impact']}>
              {(p) => (
                <select {...p} value={impact} onChange={(e) => setImpact(e.target.value as IncidentImpact)}>
                  {INCIDENT_IMPACTS.map((i) => (
                    <option key={i} value={i}>
                      {tc(`statusPage.impact.${i}`)}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
          )}
          {!maintenance && (
            <FormField label={t('status.form.status')} error={errors['body.status']}>
              {(p) => (
                <select {...p} value={status} onChange={(e) => setStatus(e.target.value)}>
                  {INCIDENT_STATUSES.filter((s) => s !== 'resolved').map((s) => (
                    <option key={s} value={s}>
                      {tc(`statusPage.incidentStatus.${s}`)}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
          )}
          {maintenance && (
            <>
              <FormField label={t('status.maintenance.start')} error={errors['body.scheduledFor']}>
                {(p) => (
                  <input
                    {...p}
                    type="datetime-local"
                    required
                    value={scheduledFor}
                    onChange={(e) => setScheduledFor(e.target.value)}
                  />
                )}
              </FormField>
              <FormField label={t('status.maintenance.end')} error={errors['body.scheduledUntil']}>
                {(p) => (
                  <input
                    {...p}
                    type="datetime-local"
                    required
                    min={scheduledFor || undefined}
                    value={scheduledUntil}
                    onChange={(e) => setScheduledUntil(e.target.value)}
                  />
                )}
              </FormField>
            </>
          )}
        </div>
        {maintenance && (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={autoTransition}
              onChange={(e) => setAutoTransition(e.target.checked)}
            />
            {t('status.maintenance.auto')}
          </label>
        )}
        <BilingualText
          multiline
          value={body}
          onChange={setBody}
          errors={{ en: errors['body.body'], fr: errors['body.bodyFr'] }}
          labels={{ en: t('status.form.body'), fr: t('status.form.bodyFr') }}
        />
        <ComponentStatesField
          components={components.data ?? []}
          value={states}
          onChange={setStates}
          legend={t('status.form.components')}
          error={errorsUnder(errors, 'body.components')}
        />
        <ProblemAlert error={create.error ?? components.error} />
        <button type="submit" className="primary" disabled={create.isPending}>
          {maintenance ? t('status.maintenance.create') : t('status.incidents.create')}
        </button>
      </form>
    </section>
  );
}
