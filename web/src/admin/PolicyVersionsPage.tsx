import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session';
import { ApiError, get } from '../api/client';
import {
  POLICY_SOURCE_MAX,
  previewPolicyVersion,
  publishPolicyVersion,
  type PolicyProblem,
  type PublishPreview,
} from '../api/policy';
import type { PolicyVersion } from '../api/types';
import { ErrorMessage, Loading, useLocale } from '../shared/components';
import { formatBytes, formatDate, formatDateTime } from '../shared/format';
import {
  adminKeys,
  Notice,
  ProblemAlert,
  useDocumentTitle,
  type PolicyChange,
  type PolicyDiff,
  FormField,
} from './common';
import { usePolicyChangeWording } from './policyDiff';
import './policy-diff.css';

type VersionState = 'inForce' | 'scheduled' | 'superseded';

/**
 * An effective date: a bare day for the command line's dates (midnight UTC), else the date and
 * time in the reader's time zone, as the publish form takes it.
 */
function formatEffective(iso: string, locale: 'en' | 'fr'): string {
  return iso.endsWith('T00:00:00.000Z') ? formatDate(iso, locale) : formatDateTime(iso, locale);
}

/** The version in force is the latest one already effective (the first one before any is). */
function inForceId(versions: PolicyVersion[], now: number): string | undefined {
  const effective = versions.filter((v) => Date.parse(v.effectiveFrom) <= now);
  return (effective.at(-1) ?? versions[0])?.id;
}

export function PolicyVersionsPage() {
  const { t } = useTranslation('admin');
  const locale = useLocale();
  const { user } = useSession();
  // Leads read the versions; only admins publish them.
  const mayPublish = user?.role === 'admin';
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
                    <time dateTime={v.effectiveFrom}>{formatEffective(v.effectiveFrom, locale)}</time>
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
            {mayPublish ? t('policyPublish.commandLine') : t('versions.publishHow')}{' '}
            <code>npx accord policy publish FILE --effective YYYY-MM-DD</code>
          </p>
        </div>
      )}
      {mayPublish && query.isSuccess && <PublishSection />}
      {/* A new version resets the comparison to the newest two. */}
      {versions.length >= 2 && <Compare key={versions.length} versions={versions} />}
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
            <ChangesTable
              changes={shown}
              caption={t('versions.diffCaption', { from: diff.data.from, to: diff.data.to })}
            />
          )}
        </div>
      )}
    </section>
  );
}

/** A list of policy changes: what changed, each version's value, and what it does for the customer. */
function ChangesTable({ changes, caption }: { changes: PolicyChange[]; caption: string }) {
  const { t } = useTranslation('admin');
  const wording = usePolicyChangeWording();
  return (
    <div className="table-wrap">
      <table className="responsive diff-table">
        <caption className="visually-hidden">{caption}</caption>
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
          {changes.map((c, i) => (
            <tr key={`${c.path}-${i}`} className={c.lowersService ? 'lowers' : undefined}>
              <th scope="row" title={c.path}>
                {wording.title(c)}
              </th>
              <td data-label={t('versions.kind')}>
                {t(`versions.kinds.${c.kind}`, { defaultValue: c.kind })}
              </td>
              <td data-label={t('versions.before')}>
                {wording.value(c, 'before') ?? <span className="muted">{t('versions.absent')}</span>}
              </td>
              <td data-label={t('versions.after')}>
                {wording.value(c, 'after') ?? <span className="muted">{t('versions.absent')}</span>}
              </td>
              <td data-label={t('versions.serviceLevel')}>
                <span
                  className={`badge effect-badge effect-${c.effect}`}
                  title={wording.effectHint(c)}
                  data-effect={c.effect}
                >
                  {c.effect !== 'neutral' && (
                    <span aria-hidden="true">{c.effect === 'lowers' ? '▼ ' : '▲ '}</span>
                  )}
                  {wording.effect(c)}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The start of tomorrow in the browser's time zone, as a datetime-local input's value. */
function startOfTomorrow(): string {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T00:00`;
}

/** A datetime-local value (the browser's time zone) as the instant the API takes, or null. */
function instantOf(local: string): string | null {
  const ms = Date.parse(local);
  return local && !Number.isNaN(ms) ? new Date(ms).toISOString() : null;
}

/**
 * Admin → Versions → Publish: a policy file, read or pasted, and when it takes effect. The preview
 * shows what changes from the version in force then and who keeps their version; publishing a
 * version that lowers a service level needs the admin's explicit consent, as on the command line.
 */
function PublishSection() {
  const { t } = useTranslation('admin');
  const locale = useLocale();
  const queryClient = useQueryClient();
  const [source, setSource] = useState('');
  const [effective, setEffective] = useState(startOfTomorrow);
  const [fileNote, setFileNote] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  // Remounts the file input after a publish, so that it shows no file.
  const [fileInput, setFileInput] = useState(0);
  const [allowRegression, setAllowRegression] = useState(false);
  const [published, setPublished] = useState<{ version: string; effectiveFrom: string } | null>(null);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const effectiveAt = instantOf(effective);

  const preview = useMutation({ mutationFn: previewPolicyVersion });
  const publish = useMutation({
    mutationFn: publishPolicyVersion,
    onSuccess: async (result) => {
      setPublished({ version: result.version.version, effectiveFrom: result.version.effectiveFrom });
      setSource('');
      setFileNote(null);
      setFileInput((n) => n + 1);
      setAllowRegression(false);
      preview.reset();
      // The versions, their diffs and the policy in force all sit under this key.
      await queryClient.invalidateQueries({ queryKey: adminKeys.policy });
    },
  });

  // Whatever changes the request makes the preview stale: the admin previews again to publish.
  const edited = () => {
    preview.reset();
    publish.reset();
    setAllowRegression(false);
    setPublished(null);
  };

  const readFile = async (file: File | undefined) => {
    edited();
    setFileError(null);
    setFileNote(null);
    if (!file) return;
    if (file.size > POLICY_SOURCE_MAX) {
      setFileError(t('policyPublish.fileTooLarge', { name: file.name }));
      return;
    }
    setSource(await file.text());
    setFileNote(t('policyPublish.fileRead', { name: file.name, size: formatBytes(file.size, locale) }));
  };

  const onPreview = (e: FormEvent) => {
    e.preventDefault();
    if (!effectiveAt || !source.trim()) return;
    publish.reset();
    setPublished(null);
    preview.mutate({ source, effective: effectiveAt });
  };

  const planned = preview.data;
  const lowers = (planned?.lowering.length ?? 0) > 0;
  const onPublish = () => {
    if (!effectiveAt) return;
    publish.mutate({ source, effective: effectiveAt, allowRegression: lowers && allowRegression });
  };

  return (
    <section aria-labelledby="publish-title" className="card">
      <h2 id="publish-title">{t('policyPublish.title')}</h2>
      <p className="muted">{t('policyPublish.intro')}</p>
      {published && (
        <Notice>
          {t('policyPublish.published', {
            version: published.version,
            effective: formatEffective(published.effectiveFrom, locale),
          })}
        </Notice>
      )}
      <form onSubmit={onPreview} noValidate>
        <FormField
          label={t('policyPublish.file')}
          hint={fileNote ?? t('policyPublish.fileHint')}
          error={fileError ?? undefined}
        >
          {(p) => (
            <input
              {...p}
              key={fileInput}
              type="file"
              accept=".yaml,.yml,application/yaml,text/yaml"
              onChange={(e) => void readFile(e.target.files?.[0])}
            />
          )}
        </FormField>
        <FormField label={t('policyPublish.source')} hint={t('policyPublish.sourceHint')}>
          {(p) => (
            <textarea
              {...p}
              rows={10}
              spellCheck={false}
              maxLength={POLICY_SOURCE_MAX}
              value={source}
              onChange={(e) => {
                edited();
                setSource(e.target.value);
              }}
            />
          )}
        </FormField>
        <FormField label={t('policyPublish.effective')} hint={t('policyPublish.effectiveHint', { zone })}>
          {(p) => (
            <input
              {...p}
              type="datetime-local"
              required
              value={effective}
              onChange={(e) => {
                edited();
                setEffective(e.target.value);
              }}
            />
          )}
        </FormField>
        <button type="submit" disabled={!source.trim() || !effectiveAt || preview.isPending}>
          {preview.isPending ? t('policyPublish.previewing') : t('policyPublish.preview')}
        </button>
      </form>
      <PublishProblem error={preview.error ?? publish.error} />
      {planned && (
        <>
          <PreviewResult preview={planned} />
          {lowers && (
            <label className="checkbox">
              <input
                type="checkbox"
                checked={allowRegression}
                onChange={(e) => setAllowRegression(e.target.checked)}
              />
              {t('policyPublish.allowRegression')}
            </label>
          )}
          <button
            type="button"
            className="primary"
            onClick={onPublish}
            disabled={(lowers && !allowRegression) || publish.isPending}
          >
            {publish.isPending
              ? t('policyPublish.publishing')
              : t('policyPublish.publish', { version: planned.version.version })}
          </button>
        </>
      )}
    </section>
  );
}

/** What a new version changes, the lowering changes first, and who keeps their version. */
function PreviewResult({ preview }: { preview: PublishPreview }) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const locale = useLocale();
  const { version, from, changes, lowering, affected } = preview;
  const ordered = [...lowering, ...changes.filter((c) => !c.lowersService)];
  return (
    <section aria-labelledby="publish-preview-title">
      <h3 id="publish-preview-title">{t('policyPublish.previewTitle', { version: version.version })}</h3>
      <div aria-live="polite">
        <p>
          {t('policyPublish.previewSummary', {
            version: version.version,
            policyId: version.policyId,
            effective: formatEffective(version.effectiveFrom, locale),
            from,
          })}
        </p>
        <p>
          {t('versions.summary', { count: changes.length, from, to: version.version })}{' '}
          {lowering.length > 0 && (
            <strong className="lowers-text">{t('versions.loweringCount', { count: lowering.length })}</strong>
          )}
        </p>
      </div>
      {lowering.length > 0 && (
        <div className="warning-box" role="note">
          <p>{t('policyPublish.lowersWarning')}</p>
        </div>
      )}
      {changes.length === 0 ? (
        <p>{t('versions.noChanges')}</p>
      ) : (
        <ChangesTable changes={ordered} caption={t('versions.diffCaption', { from, to: version.version })} />
      )}
      <h4 id="publish-keeps-title">{t('policyPublish.keepsTitle')}</h4>
      {affected.length === 0 ? (
        <p>{t('policyPublish.keepsNone', { version: version.version })}</p>
      ) : (
        <>
          <p>{t('policyPublish.keepsIntro', { version: version.version })}</p>
          <div className="table-wrap">
            <table className="responsive" data-testid="keeps-version">
              <caption className="visually-hidden">
                {t('policyPublish.keepsCaption', { version: version.version })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('policyPublish.organization')}</th>
                  <th scope="col">{t('policyPublish.tier')}</th>
                  <th scope="col">{t('policyPublish.keepsVersion')}</th>
                  <th scope="col">{t('policyPublish.movesAt')}</th>
                </tr>
              </thead>
              <tbody>
                {affected.map((a) => (
                  <tr key={`${a.organizationId}-${a.movesAt}`}>
                    <th scope="row">{a.organizationName}</th>
                    <td data-label={t('policyPublish.tier')}>
                      {tc(`tier.${a.tier}`, { defaultValue: a.tier })}
                    </td>
                    <td data-label={t('policyPublish.keepsVersion')}>{a.keepsVersion}</td>
                    <td data-label={t('policyPublish.movesAt')}>
                      <time dateTime={a.movesAt}>{formatEffective(a.movesAt, locale)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** The API's refusals in plain words; anything unforeseen as the API words it. */
function PublishProblem({ error }: { error: unknown }) {
  const { t } = useTranslation('admin');
  if (!error) return null;
  const problem =
    error instanceof ApiError
      ? (error.problem as ApiError['problem'] & { problems?: PolicyProblem[]; version?: string })
      : undefined;
  const kind = problem?.type?.split(':').at(-1);
  const problems = kind === 'invalid-policy' ? (problem?.problems ?? []) : [];
  let message: string | undefined;
  if (kind === 'invalid-policy')
    message = t('policyPublish.errors.invalidPolicy', { count: problems.length });
  else if (kind === 'version-published')
    message = t('policyPublish.errors.versionPublished', { version: problem?.version ?? '' });
  else if (kind === 'lowers-service-level') message = t('policyPublish.errors.lowers');
  else if (kind === 'effective-date-passed') message = t('policyPublish.errors.effectivePassed');
  else if (problem?.status === 403) message = t('policyPublish.errors.forbidden');
  else if (problem?.status === 413) message = t('policyPublish.errors.tooLarge');
  if (!message) return <ProblemAlert error={error} />;
  return (
    <div role="alert" className="error admin-problem">
      <strong>{message}</strong>
      {problems.length > 0 && (
        <ul>
          {problems.map((p, i) => (
            <li key={i}>
              {p.line !== undefined && `${t('policyPublish.errors.line', { line: p.line })} — `}
              {/* A syntax error's path is its line and column, already said. */}
              {p.path && !/^\d+:\d+$/.test(p.path) && (
                <>
                  <code>{p.path}</code>:{' '}
                </>
              )}
              {p.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
