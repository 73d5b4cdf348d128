import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { patch } from '../api/client';
import { TIERS, type Subscription, type Tier } from '../api/types';
import { adminKeys, ProblemAlert } from './common';

/**
 * Changes the tier of a running or upcoming term. A running term can only be raised (it ends now and
 * the higher tier runs to the same end); the customer keeps what it bought until renewal, so lower
 * tiers are not offered for it.
 */
export function ChangeTier({
  orgId,
  subscription,
  running,
}: {
  orgId: string;
  subscription: Subscription;
  running: boolean;
}) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const queryClient = useQueryClient();
  const id = useId();
  const offered = TIERS.filter((x) =>
    running ? TIERS.indexOf(x) > TIERS.indexOf(subscription.tier) : x !== subscription.tier,
  );
  const [tier, setTier] = useState<Tier | ''>(offered[0] ?? '');
  const change = useMutation({
    mutationFn: () =>
      patch<Subscription>(`/organizations/${orgId}/subscriptions/${subscription.id}`, { tier }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: adminKeys.subscriptions(orgId) }),
        queryClient.invalidateQueries({ queryKey: adminKeys.organization(orgId), exact: true }),
        queryClient.invalidateQueries({ queryKey: adminKeys.organizations, exact: true }),
      ]),
  });
  if (offered.length === 0) return <span className="muted">{t('subscriptions.highestTier')}</span>;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (tier) change.mutate();
  }

  return (
    <form onSubmit={submit} className="change-tier">
      <label htmlFor={id} className="visually-hidden">
        {t('subscriptions.newTier')}
      </label>
      <select id={id} value={tier} onChange={(e) => setTier(e.target.value as Tier)}>
        {offered.map((x) => (
          <option key={x} value={x}>
            {tc(`tier.${x}`)}
          </option>
        ))}
      </select>{' '}
      <button type="submit" disabled={change.isPending}>
        {running ? t('subscriptions.raise') : t('subscriptions.changeTier')}
      </button>
      {running && <p className="field-hint">{t('subscriptions.raiseHint')}</p>}
      <ProblemAlert error={change.error} />
    </form>
  );
}
