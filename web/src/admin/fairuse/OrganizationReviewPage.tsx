import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { post } from '../../api/client';
import {
  describeLimit,
  FILING_CHANNELS,
  LIMIT_KINDS,
  type Flag,
  type Limit,
  type LimitKind,
  type LimitSettings,
} from '../../api/fairuse';
import type { Channel } from '../../api/types';
import { ErrorMessage, Loading, TierBadge, Time } from '../../shared/components';
import { errorsUnder, fieldErrorsOf, FormField, Notice, ProblemAlert, useDocumentTitle } from '../common';
import { AuditLogSection } from './AuditLogSection';
import { EvidenceList, percent } from './Evidence';
import { localToInstant, useFlags, useLimits, useOrganization, useRefreshOrganization } from './queries';

function DismissForm({ flag, onDone }: { flag: Flag; onDone: () => void }) {
  const { t } = useTranslation('fairuse');
  const refresh = useRefreshOrganization(flag.organizationId);
  const [reason, setReason] = useState('');
  const dismiss = useMutation({
    mutationFn: () =>
      post('/fairuse/flags/dismiss', {
        organizationId: flag.organizationId,
        kind: flag.kind,
        reason: reason.trim(),
      }),
    onSuccess: () => {
      refresh();
      onDone();
    },
  });
  const fields = fieldErrorsOf(dismiss.error);
  return (
    <details className="fairuse-dismiss">
      <summary>{t('flags.dismiss')}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          dismiss.mutate();
        }}
      >
        <FormField
          label={t('flags.dismissReason')}
          hint={t('flags.dismissHint')}
          error={errorsUnder(fields, 'body.reason')}
        >
          {(props) => (
            <textarea
              {...props}
              className="reason"
              required
              maxLength={1000}
              rows={2}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          )}
        </FormField>
        <button type="submit" disabled={dismiss.isPending || !reason.trim()}>
          {t('flags.dismissSubmit')}
        </button>
        <ProblemAlert error={dismiss.error} />
      </form>
    </details>
  );
}

/** One open flag: what it is, how strong, over which days, and the tickets and articles behind it. */
function FlagCard({ flag, onDismissed }: { flag: Flag; onDismissed: () => void }) {
  const { t } = useTranslation('fairuse');
  const id = useId();
  return (
    <article className="card fairuse-flag" aria-labelledby={`${id}-kind`} data-testid={`flag-${flag.kind}`}>
      <h3 id={`${id}-kind`}>{t(`kind.${flag.kind}`, { defaultValue: flag.kind })}</h3>
      <p className="fairuse-flag-facts">
        <span>
          {t('flags.strength')} <strong>{percent(flag.score)}</strong>
        </span>
        <span className="muted">
          {t('flags.window')} <Time iso={flag.window.from} /> – <Time iso={flag.window.to} />
        </span>
      </p>
      <p>{flag.summary}</p>
      <EvidenceList evidence={flag.evidence} />
      <DismissForm flag={flag} onDone={onDismissed} />
    </article>
  );
}

/** A message to the organization's contacts, with the evidence of the flags the lead picks. */
function MessageForm({ organizationId, flags }: { organizationId: string; flags: Flag[] }) {
  const { t } = useTranslation('fairuse');
  const id = useId();
  const refresh = useRefreshOrganization(organizationId);
  const [message, setMessage] = useState('');
  const [kinds, setKinds] = useState<string[]>([]);
  const [sent, setSent] = useState(false);
  const send = useMutation({
    mutationFn: () =>
      post(`/fairuse/organizations/${organizationId}/messages`, {
        message: message.trim(),
        ...(kinds.length > 0 ? { flagKinds: kinds } : {}),
      }),
    onSuccess: () => {
      setMessage('');
      setKinds([]);
      setSent(true);
      refresh();
    },
  });
  const fields = fieldErrorsOf(send.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSent(false);
    send.mutate();
  };
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('message.title')}</h2>
      <form className="admin-form" onSubmit={submit}>
        <FormField
          label={t('message.text')}
          hint={t('message.hint')}
          error={errorsUnder(fields, 'body.message')}
        >
          {(props) => (
            <textarea
              {...props}
              required
              maxLength={5000}
              rows={5}
              value={message}
              onChange={(e) => setMessage(e.target.value)}
            />
          )}
        </FormField>
        {flags.length > 0 && (
          <fieldset className="inline-fields fairuse-choices">
            <legend>{t('message.include')}</legend>
            {flags.map((flag) => (
              <label key={flag.id} className="checkbox">
                <input
                  type="checkbox"
                  checked={kinds.includes(flag.kind)}
                  onChange={(e) =>
                    setKinds((current) =>
                      e.target.checked ? [...current, flag.kind] : current.filter((k) => k !== flag.kind),
                    )
                  }
                />
                {t(`kind.${flag.kind}`, { defaultValue: flag.kind })}
              </label>
            ))}
          </fieldset>
        )}
        <button type="submit" className="primary" disabled={send.isPending || !message.trim()}>
          {t('message.send')}
        </button>
        <ProblemAlert error={send.error} />
        {sent && <Notice>{t('message.sent')}</Notice>}
      </form>
    </section>
  );
}

const needsMax = (kind: LimitKind) => kind === 'open_tickets' || kind === 'tickets_per_period';

/** A limit on the organization's support: a cap on open requests or per period, channels, or suspension. */
function ApplyLimitForm({ organizationId }: { organizationId: string }) {
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
function LimitsSection({ organizationId }: { organizationId: string }) {
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
export function OrganizationReviewPage() {
  const { t } = useTranslation('fairuse');
  const { id = '' } = useParams();
  const organization = useOrganization(id);
  const flags = useFlags(id);
  const [dismissed, setDismissed] = useState(false);
  const name = organization.data?.name ?? '';
  useDocumentTitle(name ? t('review.title', { name }) : t('overview.title'));
  const open = flags.data ?? [];
  return (
    <section aria-labelledby="fairuse-review-title">
      <p className="breadcrumb">
        <Link to="/admin/fairuse">{t('review.back')}</Link>
      </p>
      <div className="page-head">
        <h1 id="fairuse-review-title">{name ? t('review.title', { name }) : t('overview.title')}</h1>
        {organization.data && (
          <div className="action-row">
            <TierBadge tier={organization.data.tier} />
            <Link to={`/admin/organizations/${id}`}>{t('review.organizationPage')}</Link>
          </div>
        )}
      </div>
      <ErrorMessage error={organization.error} />
      <LimitsSection organizationId={id} />
      <section aria-labelledby="fairuse-flags-title">
        <h2 id="fairuse-flags-title">{t('flags.title')}</h2>
        {flags.isPending && <Loading />}
        <ErrorMessage error={flags.error} />
        {dismissed && <Notice>{t('flags.dismissed')}</Notice>}
        {flags.isSuccess && open.length === 0 && <p className="muted">{t('flags.none')}</p>}
        {open.map((flag) => (
          <FlagCard key={flag.id} flag={flag} onDismissed={() => setDismissed(true)} />
        ))}
      </section>
      <MessageForm organizationId={id} flags={open} />
      <ApplyLimitForm organizationId={id} />
      <AuditLogSection organizationId={id} />
    </section>
  );
}
