import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { post } from '../../api/client';
import type { Flag } from '../../api/fairuse';
import { ErrorMessage, Loading, TierBadge, Time } from '../../shared/components';
import { errorsUnder, fieldErrorsOf, FormField, Notice, ProblemAlert, useDocumentTitle } from '../common';
import { AuditLogSection } from './AuditLogSection';
import { ApplyLimitForm, LimitsSection } from './LimitsSection';
import { EvidenceList } from './Evidence';
import { useFlags, useOrganization, useRefreshOrganization } from './queries';
import { useFairUseWording } from './wording';

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
  const wording = useFairUseWording();
  const id = useId();
  return (
    <article className="card fairuse-flag" aria-labelledby={`${id}-kind`} data-testid={`flag-${flag.kind}`}>
      <h3 id={`${id}-kind`}>{t(`kind.${flag.kind}`, { defaultValue: flag.kind })}</h3>
      <p className="fairuse-flag-facts">
        <span>
          {t('flags.strength')} <strong>{wording.share(flag.score)}</strong>
        </span>
        <span className="muted">
          {t('flags.window')} <Time iso={flag.window.from} /> – <Time iso={flag.window.to} />
        </span>
      </p>
      <p>{wording.summary(flag)}</p>
      <p className="field-hint" data-testid="flag-rule">
        {wording.rule(flag)}
      </p>
      <EvidenceList evidence={flag.evidence} flag={flag} />
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
