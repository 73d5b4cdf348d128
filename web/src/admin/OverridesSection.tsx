import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { del, get, put } from '../api/client';
import { PRIORITIES, type Duration, type Organization, type Priority } from '../api/types';
import { ErrorMessage, Loading, Time, useLocale } from '../shared/components';
import { humanizeDuration } from '../shared/format';
import {
  adminKeys,
  fieldErrorsOf,
  Notice,
  ProblemAlert,
  usePolicy,
  type OverridesView,
  type PolicyOverrides,
  FormField,
} from './common';

function calendarSummary(c: NonNullable<PolicyOverrides['calendar']>): string {
  const days = Object.entries(c.hours)
    .map(([day, intervals]) => `${day} ${(intervals ?? []).map((i) => `${i.open}–${i.close}`).join(', ')}`)
    .join('; ');
  return [c.timeZone, days, ...(c.holidayRules ?? [])].filter(Boolean).join(' · ');
}

export function OverridesSection({ org }: { org: Organization }) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const locale = useLocale();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const policy = usePolicy();
  const query = useQuery({
    queryKey: adminKeys.overrides(org.id),
    queryFn: () => get<OverridesView>(`/organizations/${org.id}/policy-overrides`),
  });
  const remove = useMutation({
    mutationFn: () => del(`/organizations/${org.id}/policy-overrides`),
    onSuccess: async () => {
      setConfirming(false);
      setNotice(t('overrides.removed'));
      await queryClient.invalidateQueries({ queryKey: adminKeys.overrides(org.id) });
    },
  });
  const view = query.data;
  const policyTargets = policy.data?.policy.targets[org.tier];
  const o = view?.overrides ?? {};
  const rows: { key: string; what: string; value: string; policy?: string }[] = [];
  for (const p of PRIORITIES) {
    const value = o.targets?.[p];
    const base = policyTargets?.[p];
    if (value)
      rows.push({
        key: `targets.${p}`,
        what: t('overrides.firstResponse', { priority: tc(`priority.${p}`) }),
        value,
        ...(base ? { policy: humanizeDuration(base, locale) } : {}),
      });
  }
  for (const p of PRIORITIES) {
    const value = o.resolutionTargets?.[p];
    if (value)
      rows.push({
        key: `resolution.${p}`,
        what: t('overrides.resolution', { priority: tc(`priority.${p}`) }),
        value,
      });
  }
  for (const k of ['updateEvery', 'escalationFirst', 'escalationEvery'] as const) {
    const value = o.p0?.[k];
    if (value) rows.push({ key: `p0.${k}`, what: t(`overrides.p0.${k}`), value });
  }
  if (o.calendar)
    rows.push({ key: 'calendar', what: t('overrides.calendar'), value: calendarSummary(o.calendar) });

  return (
    <section aria-labelledby="overrides-title" className="card">
      <h2 id="overrides-title">{t('overrides.title')}</h2>
      <p className="muted">{t('overrides.intro')}</p>
      {query.isPending && <Loading />}
      <ErrorMessage error={query.error} />
      {view && rows.length === 0 && <p>{t('overrides.none')}</p>}
      {view && rows.length > 0 && (
        <>
          <div className="table-wrap">
            <table>
              <caption>{t('overrides.current')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('overrides.what')}</th>
                  <th scope="col">{t('overrides.contract')}</th>
                  <th scope="col">{t('overrides.policyValue', { tier: tc(`tier.${org.tier}`) })}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.key}>
                    <th scope="row">{r.what}</th>
                    <td>{r.value}</td>
                    <td>{r.policy ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {view.reason && (
            <p>
              <strong>{t('overrides.reason')}:</strong> {view.reason}
              {view.updatedAt && (
                <>
                  {' '}
                  <span className="muted">
                    ({t('overrides.updated')} <Time iso={view.updatedAt} />)
                  </span>
                </>
              )}
            </p>
          )}
          {!confirming ? (
            <button type="button" onClick={() => setConfirming(true)}>
              {t('overrides.remove')}
            </button>
          ) : (
            <span className="confirm" role="group" aria-label={t('overrides.confirmRemove')}>
              <span>{t('overrides.confirmRemove')}</span>
              <button
                type="button"
                className="danger"
                onClick={() => remove.mutate()}
                disabled={remove.isPending}
              >
                {t('overrides.remove')}
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                {tc('cancel')}
              </button>
            </span>
          )}
          <ProblemAlert error={remove.error} />
        </>
      )}
      {notice && <Notice>{notice}</Notice>}
      {view && (
        <OverridesForm
          key={view.updatedAt ?? 'none'}
          org={org}
          current={view.overrides}
          policyTargets={policyTargets}
          onSaved={() => {
            setNotice(t('overrides.saved'));
          }}
          onEdit={() => setNotice(null)}
        />
      )}
    </section>
  );
}

function OverridesForm({
  org,
  current,
  policyTargets,
  onSaved,
  onEdit,
}: {
  org: Organization;
  current: PolicyOverrides;
  policyTargets: Record<Priority, Duration> | undefined;
  onSaved: () => void;
  onEdit: () => void;
}) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const locale = useLocale();
  const queryClient = useQueryClient();
  const [targets, setTargets] = useState<Partial<Record<Priority, string>>>(current.targets ?? {});
  const [reason, setReason] = useState('');
  const save = useMutation({
    mutationFn: () => {
      const filled = Object.fromEntries(
        PRIORITIES.map((p) => [p, targets[p]?.trim()]).filter(([, v]) => v),
      ) as Partial<Record<Priority, string>>;
      // PUT replaces the whole record: keep what this form does not edit (resolution, P0, calendar).
      const { targets: _previous, ...rest } = current;
      const overrides: PolicyOverrides = {
        ...rest,
        ...(Object.keys(filled).length > 0 ? { targets: filled } : {}),
      };
      return put<unknown>(`/organizations/${org.id}/policy-overrides`, { overrides, reason: reason.trim() });
    },
    onSuccess: async () => {
      onSaved();
      await queryClient.invalidateQueries({ queryKey: adminKeys.overrides(org.id) });
    },
  });
  const fieldErrors = fieldErrorsOf(save.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    onEdit();
    save.mutate();
  }

  return (
    <form onSubmit={submit} className="admin-form" aria-labelledby="overrides-form-title">
      <h3 id="overrides-form-title">{t('overrides.formTitle')}</h3>
      <p className="field-hint">{t('overrides.formHint')}</p>
      <div className="inline-fields">
        {PRIORITIES.map((priority) => {
          const base = policyTargets?.[priority];
          return (
            <FormField
              key={priority}
              label={t('overrides.targetLabel', { priority: tc(`priority.${priority}`) })}
              hint={base ? t('overrides.policySays', { value: humanizeDuration(base, locale) }) : undefined}
              error={fieldErrors[`body.overrides.targets.${priority}`]}
            >
              {(p) => (
                <input
                  {...p}
                  value={targets[priority] ?? ''}
                  onChange={(e) => setTargets({ ...targets, [priority]: e.target.value })}
                />
              )}
            </FormField>
          );
        })}
      </div>
      <FormField
        label={t('overrides.reason')}
        hint={t('overrides.reasonHint')}
        error={fieldErrors['body.reason']}
      >
        {(p) => (
          <textarea {...p} required rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
        )}
      </FormField>
      <ProblemAlert error={save.error} />
      <button type="submit" className="primary" disabled={save.isPending}>
        {t('overrides.save')}
      </button>
    </form>
  );
}
