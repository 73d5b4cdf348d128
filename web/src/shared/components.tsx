import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import type { IssueStatus } from '../api/helpcenter';
import type { Locale, Priority, Status, Tier } from '../api/types';
import { currentLocale } from '../i18n';
import { formatCountdown, formatDateTime, formatInPolicyZone, POLICY_TIME_ZONE } from './format';

/** The locale the screen is shown in; re-renders on a language change. */
export function useLocale(): Locale {
  const { i18n } = useTranslation();
  return i18n.language === 'fr' ? 'fr' : 'en';
}

/** An instant in the viewer's zone; the policy's zone (ET) on hover. */
export function Time({ iso, zone = POLICY_TIME_ZONE }: { iso: string; zone?: string }) {
  const locale = useLocale();
  return (
    <time dateTime={iso} title={formatInPolicyZone(iso, locale, zone)}>
      {formatDateTime(iso, locale)}
    </time>
  );
}

// One shared ticking clock for every countdown on the screen.
const listeners = new Set<(now: number) => void>();
let timer: ReturnType<typeof setInterval> | undefined;
function subscribeNow(listener: (now: number) => void) {
  listeners.add(listener);
  timer ??= setInterval(() => {
    const now = Date.now();
    for (const l of listeners) l(now);
  }, 1000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The current time, updated every second. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => subscribeNow(setNow), []);
  return now;
}

export type DueState = 'ok' | 'warning' | 'breached' | 'met';

/**
 * A live countdown to a due time: red once breached, amber inside the warning window
 * (warningSeconds before the due time).
 */
export function Countdown({
  dueAt,
  warningSeconds,
  label,
}: {
  dueAt: string;
  warningSeconds: number;
  label?: string;
}) {
  const now = useNow();
  const locale = useLocale();
  const seconds = Math.round((Date.parse(dueAt) - now) / 1000);
  const state: DueState = seconds < 0 ? 'breached' : seconds <= warningSeconds ? 'warning' : 'ok';
  return (
    <span
      className={`countdown countdown-${state}`}
      data-state={state}
      title={formatInPolicyZone(dueAt, locale)}
      aria-label={label ? `${label}: ${formatCountdown(seconds, locale)}` : undefined}
    >
      {formatCountdown(seconds, locale)}
    </span>
  );
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  const { t } = useTranslation();
  return (
    <span className={`badge priority-${priority}`} title={t(`priority.${priority}`)}>
      {priority}
    </span>
  );
}

export function StatusBadge({ status }: { status: Status }) {
  const { t } = useTranslation();
  return <span className={`badge status-${status}`}>{t(`status.${status}`)}</span>;
}

export function TierBadge({ tier }: { tier: Tier }) {
  const { t } = useTranslation();
  return <span className={`badge tier-${tier}`}>{t(`tier.${tier}`)}</span>;
}

/** Marks a help center known issue, with where its fix stands when known. */
export function KnownIssueBadge({ status }: { status: IssueStatus | null }) {
  const { t } = useTranslation();
  return (
    <span className={`badge known-issue issue-${status ?? 'unknown'}`}>
      {status
        ? t('helpCenter.knownIssueStatus', { status: t(`helpCenter.issueStatus.${status}`) })
        : t('helpCenter.knownIssue')}
    </span>
  );
}

/** A status page component's state: operational, degraded, an outage or maintenance. */
export function ComponentStateBadge({ state }: { state: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge component-${state}`}>
      {t(`statusPage.componentState.${state}`, { defaultValue: state })}
    </span>
  );
}

/** Where an incident or a maintenance stands: investigating … resolved, scheduled … completed. */
export function IncidentStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge incident-${status}`}>
      {t(`statusPage.incidentStatus.${status}`, { defaultValue: status })}
    </span>
  );
}

/** An API failure in words: the problem's detail and each field it names. */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : undefined;
  return (
    <div role="alert" className="error">
      <strong>{problem?.title ?? t('error.generic')}</strong>
      {problem?.detail && problem.detail !== problem.title && <p>{problem.detail}</p>}
      {problem?.errors && (
        <ul>
          {problem.errors.map((e) => (
            <li key={e.field}>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="muted" role="status">
      {t('loading')}
    </p>
  );
}

export function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: ReactNode }) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      {children}
      {hint && <span className="field-hint">{hint}</span>}
    </label>
  );
}

/** The window's title while a page is shown; the previous one comes back when it goes. */
export function useDocumentTitle(title: string) {
  useEffect(() => {
    const previous = document.title;
    document.title = `${title} · Accord`;
    return () => {
      document.title = previous;
    };
  }, [title]);
}

export { currentLocale };
