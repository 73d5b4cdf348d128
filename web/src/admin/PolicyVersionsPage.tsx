import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client';
import type { PolicyVersion } from '../api/types';
import { ErrorMessage, Loading, useLocale } from '../shared/components';
import { formatDate } from '../shared/format';
import { adminKeys, ProblemAlert, useDocumentTitle, type PolicyDiff, FormField } from './common';

type VersionState = 'inForce' | 'scheduled' | 'superseded';

/** The version in force is the latest one already effective (the first one before any is). */
function inForceId(versions: PolicyVersion[], now: number): string | undefined {
  const effective = versions.filter((v) => Date.parse(v.effectiveFrom) <= now);
  return (effective.at(-1) ?? versions[0])?.id;
}

export function PolicyVersionsPage() {
  const { t } = useTranslation('admin');
  const locale = useLocale();
  useDocumentTitle(t('versions.title'));
  const query = useQuery({
    queryKey: adminKeys.versions,
    queryFn: () => get<{ data: PolicyVersion[] }>('/policy/versions'),
  });
  const versions = query.data?.data ?? [];
  const now = Date.now();
  const current = inForceId(versions, now);
  const state = (v: PolicyVersion): VersionState =>
    v.id === current ? 'inForce' : Date.parse(v.effectiveFrom) > now ? 'scheduled' : 'superseded';

  return (
    <section aria-labelledby="versions-title">
      <h1 id="versions-title">{t('versions.title')}</h1>
      <p className="muted">{t('versions.intro')}</p>
      {query.isPending && <Loading />}
      <ErrorMessage error={query.error} />
      {versions.length > 0 && (
        <div className="table-wrap">
          <table className="responsive">
            <caption className="visually-hidden">{t('versions.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('versions.version')}</th>
                <th scope="col">{t('versions.effectiveFrom')}</th>
                <th scope="col">{t('versions.state')}</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.id}>
                  <th scope="row">{v.version}</th>
                  <td data-label={t('versions.effectiveFrom')}>
                    <time dateTime={v.effectiveFrom}>{formatDate(v.effectiveFrom, locale)}</time>
                  </td>
                  <td data-label={t('versions.state')}>{t(`versions.states.${state(v)}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {query.isSuccess && versions.length === 1 && (
        <div className="notice">
          <p>{t('versions.onlyOne', { version: versions[0]?.version })}</p>
          <p>
            {t('versions.publishHow')} <code>npx accord policy publish FILE --effective YYYY-MM-DD</code>
          </p>
        </div>
      )}
      {versions.length >= 2 && <Compare versions={versions} />}
    </section>
  );
}

function Compare({ versions }: { versions: PolicyVersion[] }) {
  const { t } = useTranslation('admin');
  // Oldest first: by default, what the newest version changes from the one before it.
  const [from, setFrom] = useState(versions.at(-2)?.id ?? '');
  const [to, setTo] = useState(versions.at(-1)?.id ?? '');
  const [onlyLowering, setOnlyLowering] = useState(false);
  const same = from === to;
  const diff = useQuery({
    queryKey: adminKeys.diff(from, to),
    queryFn: () => get<PolicyDiff>('/policy/diff', { from, to }),
    enabled: !!from && !!to && !same,
    staleTime: Infinity,
  });
  const changes = diff.data?.changes ?? [];
  const lowering = changes.filter((c) => c.lowersService);
  const shown = onlyLowering ? lowering : changes;

  return (
    <section aria-labelledby="compare-title" className="card">
      <h2 id="compare-title">{t('versions.compare')}</h2>
      <div className="inline-fields">
        <FormField label={t('versions.from')}>
          {(p) => (
            <select {...p} value={from} onChange={(e) => setFrom(e.target.value)}>
              {versions.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.version}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label={t('versions.to')}>
          {(p) => (
            <select {...p} value={to} onChange={(e) => setTo(e.target.value)}>
              {versions.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.version}
                </option>
              ))}
            </select>
          )}
        </FormField>
      </div>
      {same && <p>{t('versions.chooseTwo')}</p>}
      {diff.isFetching && <Loading />}
      <ProblemAlert error={diff.error} />
      {diff.data && !same && (
        <div aria-live="polite">
          <p>
            {t('versions.summary', { count: changes.length, from: diff.data.from, to: diff.data.to })}{' '}
            {lowering.length > 0 && (
              <strong className="lowers-text">
                {t('versions.loweringCount', { count: lowering.length })}
              </strong>
            )}
          </p>
          {lowering.length > 0 && (
            <div className="warning-box" role="note">
              <p>{t('versions.section6')}</p>
            </div>
          )}
          {lowering.length > 0 && (
            <label className="checkbox">
              <input
                type="checkbox"
                checked={onlyLowering}
                onChange={(e) => setOnlyLowering(e.target.checked)}
              />
              {t('versions.onlyLowering')}
            </label>
          )}
          {changes.length === 0 ? (
            <p>{t('versions.noChanges')}</p>
          ) : (
            <div className="table-wrap">
              <table className="responsive diff-table">
                <caption className="visually-hidden">
                  {t('versions.diffCaption', { from: diff.data.from, to: diff.data.to })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('versions.change')}</th>
                    <th scope="col">{t('versions.kind')}</th>
                    <th scope="col">{t('versions.before')}</th>
                    <th scope="col">{t('versions.after')}</th>
                    <th scope="col">{t('versions.serviceLevel')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((c, i) => (
                    <tr key={`${c.path}-${i}`} className={c.lowersService ? 'lowers' : undefined}>
                      <th scope="row">
                        {c.description}
                        <br />
                        <code className="muted">{c.path}</code>
                      </th>
                      <td data-label={t('versions.kind')}>
                        {t(`versions.kinds.${c.kind}`, { defaultValue: c.kind })}
                      </td>
                      <td data-label={t('versions.before')}>
                        {c.before ?? <span className="muted">{t('versions.absent')}</span>}
                      </td>
                      <td data-label={t('versions.after')}>
                        {c.after ?? <span className="muted">{t('versions.absent')}</span>}
                      </td>
                      <td data-label={t('versions.serviceLevel')}>
                        {c.lowersService ? (
                          <span className="badge lowers-badge">
                            <span aria-hidden="true">▼ </span>
                            {t('versions.lowers')}
                          </span>
                        ) : (
                          <span className="muted">{t('versions.notLowering')}</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
