import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import {
  describeLimit,
  FILING_CHANNELS,
  LIMIT_KINDS,
  type Limit,
  type LimitKind,
  type LimitSettings,
} from '../../api/fairuse';
import type { Channel } from '../../api/types';
import { ErrorMessage, Loading, Time } from '../../shared/components';
import { errorsUnder, fieldErrorsOf, FormField, Notice, ProblemAlert } from '../common';
import { localToInstant, useLimits, useRefreshOrganization } from './queries';

const needsMax = (kind: LimitKind) => kind === 'open_tickets' || kind === 'tickets_per_period';

/**
 * The form a lead applies a limit with: a cap on open requests or per period, channels, or
 * suspension, with the reason and the end.
 */
export function ApplyLimitForm({ organizationId }: { organizationId: string }) {
  const { t } = useTranslation('fairuse');
  const { t: tc } = useTranslation();
  const id = useId();
  const refresh = useRefreshOrganization(organizationId);
  const [kind, setKind] = useState<LimitKind>('open_tickets');
  const [max, setMax] = useState('3');
  const [periodDays, setPeriodDays] = useState('30');
  const [channels, setChannels] = useState<Channel[]>(['email']);
  const [reason, setReason] = useState('');
  const [ends, setEnds] = useState('');
  const [applied, setApplied] = useState<Limit | null>(null);
  const apply = useMutation({
    mutationFn: () => {
      const settings: LimitSettings = {};
      if (needsMax(kind)) settings.max = Number(max);
      if (kind === 'tickets_per_period') settings.periodDays = Number(periodDays);
      if (kind === 'channels') settings.channels = channels;
      const endsAt = localToInstant(ends);
      return post<Limit>(`/fairuse/organizations/${organizationId}/limits`, {
        kind,
        settings,
        reason: reason.trim(),
        ...(endsAt ? { endsAt } : {}),
      });
    },
    onSuccess: (limit) => {
      setApplied(limit);
      setReason('');
      setEnds('');
      refresh();
    },
  });
  const fields = fieldErrorsOf(apply.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setApplied(null);
    apply.mutate();
  };
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('apply.title')}</h2>
      <p className="muted">{t('apply.intro')}</p>
      <form className="admin-form" onSubmit={submit}>
        <div className="inline-fields">
          <FormField label={t('apply.kind')} error={errorsUnder(fields, 'body.kind')}>
            {(props) => (
              <select {...props} value={kind} onChange={(e) => setKind(e.target.value as LimitKind)}>
                {LIMIT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`limit.kind.${k}`)}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          {needsMax(kind) && (
            <FormField
              label={kind === 'open_tickets' ? t('apply.maxOpen') : t('apply.maxPerPeriod')}
              error={errorsUnder(fields, 'body.settings.max')}
            >
              {(props) => (
                <input
                  {...props}
                  type="number"
                  min={1}
                  step={1}
                  required
                  value={max}
                  onChange={(e) => setMax(e.target.value)}
                />
              )}
            </FormField>
          )}
          {kind === 'tickets_per_period' && (
            <FormField label={t('apply.periodDays')} error={errorsUnder(fields, 'body.settings.periodDays')}>
              {(props) => (
                <input
                  {...props}
                  type="number"
                  min={1}
                  step={1}
                  required
                  value={periodDays}
                  onChange={(e) => setPeriodDays(e.target.value)}
                />
              )}
            </FormField>
          )}
        </div>
        {kind === 'channels' && (
          <fieldset className="inline-fields fairuse-choices">
            <legend>{t('apply.channels')}</legend>
            {FILING_CHANNELS.map((channel) => (
              <label key={channel} className="checkbox">
                <input
                  type="checkbox"
                  checked={channels.includes(channel)}
                  onChange={(e) =>
                    setChannels((current) =>
                      e.target.checked ? [...current, channel] : current.filter((c) => c !== channel),
                    )
                  }
                />
                {tc(`channel.${channel}`)}
              </label>
            ))}
            {errorsUnder(fields, 'body.settings.channels') && (
              <span className="field-error">{errorsUnder(fields, 'body.settings.channels')}</span>
            )}
          </fieldset>
        )}
        <FormField
          label={t('apply.reason')}
          hint={t('apply.reasonHint')}
          error={errorsUnder(fields, 'body.reason')}
        >
          {(props) => (
            <textarea
              {...props}
              required
              maxLength={2000}
              rows={3}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          )}
        </FormField>
        <FormField
          label={t('apply.ends')}
          hint={kind === 'suspension' ? t('apply.endsRequired') : t('apply.endsHint')}
          error={errorsUnder(fields, 'body.endsAt')}
        >
          {(props) => (
            <input
              {...props}
              type="datetime-local"
              required={kind === 'suspension'}
              value={ends}
              onChange={(e) => setEnds(e.target.value)}
            />
          )}
        </FormField>
        <button
          type="submit"
          className="primary"
          disabled={
            apply.isPending ||
            !reason.trim() ||
            (kind === 'suspension' && !ends) ||
            (kind === 'channels' && channels.length === 0)
          }
        >
          {t('apply.submit')}
        </button>
        <ProblemAlert error={apply.error} />
        {applied && <Notice>{t('apply.applied', { limit: describeLimit(applied, t) })}</Notice>}
      </form>
    </section>
  );
}

function LiftForm({ organizationId, limit }: { organizationId: string; limit: Limit }) {
  const { t } = useTranslation('fairuse');
  const refresh = useRefreshOrganization(organizationId);
  const [reason, setReason] = useState('');
  const lift = useMutation({
    mutationFn: () =>
      post<Limit>(`/fairuse/organizations/${organizationId}/limits/${limit.id}/lift`, {
        reason: reason.trim(),
      }),
    onSuccess: refresh,
  });
  return (
    <form
      className="fairuse-lift"
      onSubmit={(e) => {
        e.preventDefault();
        lift.mutate();
      }}
    >
      <FormField label={t('limits.liftReason')} error={errorsUnder(fieldErrorsOf(lift.error), 'body.reason')}>
        {(props) => (
          <input
            {...props}
            required
            maxLength={2000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        )}
      </FormField>
      <button type="submit" disabled={lift.isPending || !reason.trim()}>
        {t('limits.lift')}
      </button>
      <ProblemAlert error={lift.error} />
    </form>
  );
}

/** The limits in force, each with what it holds the customer to, why, until when, and a way to lift it. */
/** The organization's limits: those in force (with Lift), the past ones, and the form to apply one. */
export function LimitsSection({ organizationId }: { organizationId: string }) {
  const { t } = useTranslation('fairuse');
  const limits = useLimits(organizationId);
  const all = limits.data ?? [];
  const active = all.filter((l) => l.active);
  const past = all.filter((l) => !l.active);
  return (
    <section className="card" aria-labelledby="fairuse-limits-title">
      <h2 id="fairuse-limits-title">{t('limits.title')}</h2>
      {limits.isPending && <Loading />}
      <ErrorMessage error={limits.error} />
      {limits.isSuccess && active.length === 0 && <p className="muted">{t('limits.none')}</p>}
      {active.length > 0 && (
        <ul className="fairuse-limits" data-testid="active-limits">
          {active.map((limit) => (
            <li key={limit.id}>
              <h3>{describeLimit(limit, t)}</h3>
              <dl className="pairs">
                <dt>{t('limits.reason')}</dt>
                <dd className="fairuse-reason">{limit.reason}</dd>
                <dt>{t('limits.since')}</dt>
                <dd>
                  <Time iso={limit.startsAt} />
                </dd>
                <dt>{t('limits.until')}</dt>
                <dd>{limit.endsAt ? <Time iso={limit.endsAt} /> : t('limits.untilLifted')}</dd>
                <dt>{t('limits.by')}</dt>
                <dd>{limit.createdBy?.name ?? t('audit.system')}</dd>
              </dl>
              <LiftForm organizationId={organizationId} limit={limit} />
            </li>
          ))}
        </ul>
      )}
      {past.length > 0 && (
        <div className="table-wrap">
          <table className="responsive">
            <caption>{t('limits.past')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('limits.limit')}</th>
                <th scope="col">{t('limits.reason')}</th>
                <th scope="col">{t('limits.since')}</th>
                <th scope="col">{t('limits.ended')}</th>
                <th scope="col">{t('limits.by')}</th>
              </tr>
            </thead>
            <tbody>
              {past.map((limit) => {
                const ended = limit.liftedAt ?? limit.endsAt;
                return (
                  <tr key={limit.id}>
                    <th scope="row">{describeLimit(limit, t)}</th>
                    <td data-label={t('limits.reason')} className="fairuse-reason">
                      {limit.reason}
                    </td>
                    <td data-label={t('limits.since')}>
                      <Time iso={limit.startsAt} />
                    </td>
                    <td data-label={t('limits.ended')}>
                      {ended && <Time iso={ended} />}{' '}
                      <span className="muted">
                        {limit.liftedAt ? t('limits.lifted') : t('limits.expired')}
                      </span>
                    </td>
                    <td data-label={t('limits.by')}>{limit.createdBy?.name ?? t('audit.system')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/**
 * Admin → Fair use → one organization: its open flags with their evidence, the limits in force,
 * messaging its contacts, applying a limit, and the audit log of everything done.
 */
