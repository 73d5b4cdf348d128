import { useQuery } from '@tanstack/react-query';
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get } from '../api/client';
import type { z } from 'zod';
import type { diffOut, overridesOut } from '../../../src/policy/api-schema';
import type { Locale, PolicyDocument, PolicyVersion } from '../api/types';

/**
 * Every query of the admin area lives under the 'admin' key, so that its cache entries never
 * collide with another area's and a mutation can refresh exactly what it changed.
 */
export const adminKeys = {
  organizations: ['admin', 'organizations'] as const,
  organization: (id: string) => ['admin', 'organization', id] as const,
  subscriptions: (id: string) => ['admin', 'organization', id, 'subscriptions'] as const,
  overrides: (id: string) => ['admin', 'organization', id, 'overrides'] as const,
  users: ['admin', 'users'] as const,
  policy: ['admin', 'policy'] as const,
  versions: ['admin', 'policy', 'versions'] as const,
  diff: (from: string, to: string) => ['admin', 'policy', 'diff', from, to] as const,
};

/** GET /policy: the version in force, always with its document. */
export type CurrentPolicy = PolicyVersion & { policy: PolicyDocument };

/** The policy in force now (GET /policy is public and changes only when a version takes effect). */
export function usePolicy() {
  return useQuery({
    queryKey: adminKeys.policy,
    queryFn: () => get<CurrentPolicy>('/policy'),
    staleTime: 5 * 60_000,
  });
}

/** An organization's contract overrides (src/policy/overrides.ts); durations are written out. */
export type OverridesView = z.output<typeof overridesOut>;
export type PolicyOverrides = OverridesView['overrides'];

/** What changed between two policy versions; `tier` and `priority` name the target table's cell. */
export type PolicyDiff = z.output<typeof diffOut>;
export type PolicyChange = PolicyDiff['changes'][number];

/**
 * The API names a bad field as `field` (body.overrides.targets.P2); older clients read `path`.
 * Both are accepted so a form can put each message beside its input.
 */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !error.problem.errors) return {};
  const out: Record<string, string> = {};
  for (const e of error.problem.errors as { path?: string; field?: string; message: string }[]) {
    const key = e.field ?? e.path;
    if (key) out[key] = out[key] ? `${out[key]}; ${e.message}` : e.message;
  }
  return out;
}

/** Every message about a field and its parts (body.domains.0, body.domains.1 …), joined. */
export function errorsUnder(fields: Record<string, string>, prefix: string): string | undefined {
  const found = Object.entries(fields)
    .filter(([key]) => key === prefix || key.startsWith(`${prefix}.`))
    .map(([, message]) => message);
  return found.length > 0 ? found.join('; ') : undefined;
}

export const isLastContactRefusal = (error: unknown) =>
  error instanceof ApiError && error.status === 409 && !!error.problem.type?.endsWith(':last-contact');

/** An API failure: its explanation first, then each field it names. */
export function ProblemAlert({ error, children }: { error: unknown; children?: ReactNode }) {
  const { t } = useTranslation('admin');
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : undefined;
  const fields = Object.entries(fieldErrorsOf(error));
  return (
    <div role="alert" className="error admin-problem">
      <strong>{problem?.detail ?? problem?.title ?? t('error.generic')}</strong>
      {problem && <span className="muted"> ({problem.status})</span>}
      {fields.length > 0 && (
        <ul>
          {fields.map(([field, message]) => (
            <li key={field}>
              <code>{field}</code>: {message}
            </li>
          ))}
        </ul>
      )}
      {children}
    </div>
  );
}

/** A date input's day as the instant the API stores: midnight UTC, so the day shown is the day sent. */
export const dayToInstant = (day: string) => new Date(`${day}T00:00:00.000Z`).toISOString();
export const instantToDay = (iso: string) => iso.slice(0, 10);
export function addYears(day: string, years: number): string {
  const d = new Date(`${day}T00:00:00.000Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return instantToDay(d.toISOString());
}
export const todayUtc = () => instantToDay(new Date().toISOString());

const tag = (locale: Locale) => (locale === 'fr' ? 'fr-FR' : 'en-US');

/** A calendar day 'YYYY-MM-DD', named with its weekday: "Thursday, November 26, 2026". */
export function formatDay(day: string, locale: Locale, weekday = true): string {
  return new Intl.DateTimeFormat(tag(locale), {
    ...(weekday ? { weekday: 'long' } : {}),
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${day}T00:00:00Z`));
}

export { useDocumentTitle } from '../shared/components';

/** Saved-change confirmation, announced politely. */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <p className="notice" role="status">
      {children}
    </p>
  );
}

/** What a control needs to be tied to its label, hint and error. */
export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

/**
 * A labelled control. The label points at the control (for/id) rather than wrapping it, so the
 * control's accessible name is the label's words alone, not the label plus the control's value.
 */
export function FormField({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  children: (props: ControlProps) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children({
        id,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(error ? { 'aria-invalid': true as const } : {}),
      })}
      {hint && (
        <span id={hintId} className="field-hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={errorId} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}
