import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get, post } from '../api/client';
import { TIERS, type Organization, type Subscription, type Tier } from '../api/types';
import { ErrorMessage, Loading, TierBadge, useLocale } from '../shared/components';
import { formatDate } from '../shared/format';
import { ChangeTier } from './ChangeTier';
import {
  addYears,
  adminKeys,
  dayToInstant,
  fieldErrorsOf,
  instantToDay,
  Notice,
  ProblemAlert,
  todayUtc,
  FormField,
} from './common';

type TermState = 'current' | 'ended' | 'upcoming';

function termState(s: Subscription, now: number): TermState {
  if (Date.parse(s.termEnd) <= now) return 'ended';
  if (Date.parse(s.termStart) > now) return 'upcoming';
  return 'current';
}

/**
 * A term starting on the day another ends starts at that term's end instant, so a renewal picks up
 * exactly where the running term stops, whatever time of day that term was recorded with.
 */
function startInstant(day: string, existing: Subscription[]): string {
  const midnight = dayToInstant(day);
  const endingThatDay = existing
    .filter((s) => instantToDay(s.termEnd) === day && s.termEnd > midnight)
    .map((s) => s.termEnd)
    .sort();
  return endingThatDay.at(-1) ?? midnight;
}

export function SubscriptionsSection({ org }: { org: Organization }) {
  const { t } = useTranslation('admin');
  const locale = useLocale();
  const [added, setAdded] = useState<Subscription | null>(null);
  const query = useQuery({
    queryKey: adminKeys.subscriptions(org.id),
    queryFn: () => get<{ data: Subscription[] }>(`/organizations/${org.id}/subscriptions`),
  });
  const subscriptions = query.data?.data ?? [];
  const now = Date.now();
  // A renewal starts where the latest term ends; the API stores terms newest first.
  const latestEnd = subscriptions.reduce<string | null>(
    (max, s) => (max === null || s.termEnd > max ? s.termEnd : max),
    null,
  );
  const suggestedStart = latestEnd && Date.parse(latestEnd) > now ? instantToDay(latestEnd) : todayUtc();
  // A renewal continues the latest term at its tier (the tier served now while that term runs);
  // without any term, the tier served now.
  const suggestedTier = subscriptions.find((s) => s.termEnd === latestEnd)?.tier ?? org.tier;

  return (
    <section aria-labelledby="subscriptions-title" className="card">
      <h2 id="subscriptions-title">{t('subscriptions.title')}</h2>
      {query.isPending && <Loading />}
      <ErrorMessage error={query.error} />
      {query.isSuccess && subscriptions.length === 0 && <p>{t('subscriptions.empty')}</p>}
      {subscriptions.length > 0 && (
        <div className="table-wrap">
          <table className="responsive">
            <caption className="visually-hidden">{t('subscriptions.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('subscriptions.tier')}</th>
                <th scope="col">{t('subscriptions.termStart')}</th>
                <th scope="col">{t('subscriptions.termEnd')}</th>
                <th scope="col">{t('subscriptions.state')}</th>
                <th scope="col">{t('subscriptions.change')}</th>
              </tr>
            </thead>
            <tbody>
              {subscriptions.map((s) => {
                const state = termState(s, now);
                return (
                  <tr key={s.id} className={state === 'current' ? 'current-term' : undefined}>
                    <td data-label={t('subscriptions.tier')}>
                      <TierBadge tier={s.tier} />
                    </td>
                    <td data-label={t('subscriptions.termStart')}>
                      <time dateTime={s.termStart}>{formatDate(s.termStart, locale)}</time>
                    </td>
                    <td data-label={t('subscriptions.termEnd')}>
                      <time dateTime={s.termEnd}>{formatDate(s.termEnd, locale)}</time>
                    </td>
                    <td data-label={t('subscriptions.state')}>{t(`subscriptions.states.${state}`)}</td>
                    <td data-label={t('subscriptions.change')}>
                      {state !== 'ended' && (
                        <ChangeTier orgId={org.id} subscription={s} running={state === 'current'} />
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {added && (
        <Notice>
          {t('subscriptions.added', {
            start: formatDate(added.termStart, locale),
            end: formatDate(added.termEnd, locale),
          })}
        </Notice>
      )}
      {query.isSuccess && (
        <AddSubscription
          key={`${suggestedStart} ${suggestedTier}`}
          orgId={org.id}
          existing={subscriptions}
          suggestedStart={suggestedStart}
          suggestedTier={suggestedTier}
          onAdded={setAdded}
        />
      )}
    </section>
  );
}

function AddSubscription({
  orgId,
  existing,
  suggestedStart,
  suggestedTier,
  onAdded,
}: {
  orgId: string;
  existing: Subscription[];
  suggestedStart: string;
  suggestedTier: Tier;
  onAdded: (s: Subscription | null) => void;
}) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const locale = useLocale();
  const queryClient = useQueryClient();
  const [tier, setTier] = useState<Tier>(suggestedTier);
  const [termStart, setTermStart] = useState(suggestedStart);
  const [termEnd, setTermEnd] = useState(() => addYears(suggestedStart, 1));
  const add = useMutation({
    mutationFn: () =>
      post<Subscription>(`/organizations/${orgId}/subscriptions`, {
        tier,
        termStart: startInstant(termStart, existing),
        termEnd: dayToInstant(termEnd),
      }),
    onSuccess: async (subscription) => {
      onAdded(subscription);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: adminKeys.subscriptions(orgId) }),
        queryClient.invalidateQueries({ queryKey: adminKeys.organization(orgId), exact: true }),
        queryClient.invalidateQueries({ queryKey: adminKeys.organizations, exact: true }),
      ]);
    },
  });
  const fieldErrors = fieldErrorsOf(add.error);
  const overlapping =
    add.error instanceof ApiError
      ? ((add.error.problem as { overlapping?: Subscription[] }).overlapping ?? [])
      : [];

  function submit(e: FormEvent) {
    e.preventDefault();
    onAdded(null);
    add.mutate();
  }

  return (
    <form onSubmit={submit} className="admin-form" aria-labelledby="add-subscription-title">
      <h3 id="add-subscription-title">{t('subscriptions.addTitle')}</h3>
      <div className="inline-fields">
        <FormField label={t('subscriptions.tier')}>
          {(p) => (
            <select {...p} value={tier} onChange={(e) => setTier(e.target.value as Tier)}>
              {TIERS.map((x) => (
                <option key={x} value={x}>
                  {tc(`tier.${x}`)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label={t('subscriptions.termStart')} error={fieldErrors['body.termStart']}>
          {(p) => (
            <input
              {...p}
              type="date"
              required
              value={termStart}
              onChange={(e) => setTermStart(e.target.value)}
              aria-invalid={p['aria-invalid'] ?? overlapping.length > 0}
            />
          )}
        </FormField>
        <FormField label={t('subscriptions.termEnd')} error={fieldErrors['body.termEnd']}>
          {(p) => (
            <input
              {...p}
              type="date"
              required
              value={termEnd}
              onChange={(e) => setTermEnd(e.target.value)}
              aria-invalid={p['aria-invalid'] ?? overlapping.length > 0}
            />
          )}
        </FormField>
      </div>
      <p className="field-hint">{t('subscriptions.termEndHint')}</p>
      <ProblemAlert error={add.error}>
        {overlapping.length > 0 && (
          <>
            <p>{t('subscriptions.overlapHelp')}</p>
            <ul>
              {overlapping.map((s) => (
                <li key={s.id}>
                  {t('subscriptions.overlapItem', {
                    tier: tc(`tier.${s.tier}`),
                    start: formatDate(s.termStart, locale),
                    end: formatDate(s.termEnd, locale),
                  })}
                </li>
              ))}
            </ul>
          </>
        )}
      </ProblemAlert>
      <button type="submit" className="primary" disabled={add.isPending}>
        {t('subscriptions.add')}
      </button>
    </form>
  );
}
