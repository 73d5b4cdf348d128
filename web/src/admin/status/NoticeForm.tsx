import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import type { Incident } from '../../api/status';
import { TIERS, type Tier } from '../../api/types';
import { fieldErrorsOf, FormField, Notice, ProblemAlert } from '../common';

interface NoticeResult {
  organizations: number;
  recipients: number;
}

/**
 * A notice about the incident mailed to the active contacts of every organization before they write
 * in, or of the tiers chosen (leads and admins); the mail names the incident's components.
 */
export function NoticeForm({ incident }: { incident: Incident }) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const [subject, setSubject] = useState(incident.name);
  const [body, setBody] = useState(incident.updates[0]?.body ?? '');
  const [tiers, setTiers] = useState<Tier[]>([]);
  const send = useMutation({
    mutationFn: () =>
      post<NoticeResult>(`/status/incidents/${incident.id}/notices`, {
        subject: subject.trim(),
        body: body.trim(),
        ...(tiers.length > 0 && { tiers }),
      }),
  });
  const errors = fieldErrorsOf(send.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send.mutate();
  };
  const toggle = (tier: Tier, on: boolean) =>
    setTiers((current) => (on ? [...current, tier] : current.filter((x) => x !== tier)));
  return (
    <section aria-labelledby="status-notice" className="card admin-form">
      <h2 id="status-notice">{t('status.notice.title')}</h2>
      <p className="muted">{t('status.notice.intro')}</p>
      <form onSubmit={submit}>
        <FormField label={t('status.notice.subject')} error={errors['body.subject']}>
          {(p) => (
            <input
              {...p}
              required
              maxLength={200}
              value={subject}
              onChange={(e) => setSubject(e.target.value)}
            />
          )}
        </FormField>
        <FormField label={t('status.notice.body')} error={errors['body.body']}>
          {(p) => (
            <textarea {...p} required rows={5} value={body} onChange={(e) => setBody(e.target.value)} />
          )}
        </FormField>
        <fieldset>
          <legend>{t('status.notice.tiers')}</legend>
          <p className="field-hint">{t('status.notice.tiersHint')}</p>
          {TIERS.map((tier) => (
            <label key={tier} className="checkbox">
              <input
                type="checkbox"
                checked={tiers.includes(tier)}
                onChange={(e) => toggle(tier, e.target.checked)}
              />
              {tc(`tier.${tier}`)}
            </label>
          ))}
        </fieldset>
        <ProblemAlert error={send.error} />
        {send.data && (
          <Notice>
            {t('status.notice.sentTo', {
              count: send.data.organizations,
              recipients: send.data.recipients,
            })}
          </Notice>
        )}
        <button type="submit" className="primary" disabled={send.isPending}>
          {t('status.notice.send')}
        </button>
      </form>
    </section>
  );
}
