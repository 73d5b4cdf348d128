import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get } from '../api/client';
import { describeLimit, fairuseKeys, SUPPORT_LIMITED, type Limit } from '../api/fairuse';
import { ErrorMessage, Time } from '../shared/components';
import './fairuse.css';

/** The organization's limits in force: the customer reads them before writing, not after. */
function useActiveLimits(organizationId: string | null) {
  return useQuery({
    queryKey: fairuseKeys.activeLimits(organizationId ?? ''),
    queryFn: async () =>
      (
        await get<{ data: Limit[] }>(`/fairuse/organizations/${organizationId}/limits`, {
          active: 'true',
        })
      ).data,
    enabled: !!organizationId,
    staleTime: 60_000,
  });
}

/**
 * A support limit the vendor applied to the customer's organization (policy section 5), shown on the
 * new-request form: what is limited, why, and until when, and that a P0 always gets through. Nothing
 * shows while there is none, or if the limits cannot be read: the desk still answers when filing.
 */
export function SupportLimitNotice({ organizationId }: { organizationId: string | null }) {
  const { t } = useTranslation('fairuse');
  const id = useId();
  const limits = useActiveLimits(organizationId);
  const active = (limits.data ?? []).filter((l) => l.active !== false);
  if (active.length === 0) return null;
  return (
    <section
      className="urgent-notice support-limit-notice"
      aria-labelledby={`${id}-heading`}
      data-testid="support-limit-notice"
    >
      <h2 id={`${id}-heading`}>{t('portal.limitedTitle')}</h2>
      <ul>
        {active.map((limit) => (
          <li key={limit.id}>
            <strong>{describeLimit(limit, t)}</strong>
            <p>
              {t('portal.why')} <span className="support-limit-reason">{limit.reason}</span>
            </p>
            <p>
              {limit.endsAt ? (
                <>
                  {t('portal.until')} <Time iso={limit.endsAt} />
                </>
              ) : (
                t('portal.untilLifted')
              )}
            </p>
          </li>
        ))}
      </ul>
      <p>{t('portal.p0')}</p>
    </section>
  );
}

export const isSupportLimited = (error: unknown): error is ApiError =>
  error instanceof ApiError && error.status === 403 && error.problem.type === SUPPORT_LIMITED;

/**
 * Why filing failed. A refusal by a support limit says what is limited, why, until when and that a P0
 * gets through, all in its detail, which is the whole message; it also refreshes the notice above,
 * since a limit applied while the customer was writing is news to the form.
 */
export function FilingError({ error, organizationId }: { error: unknown; organizationId: string | null }) {
  const { t } = useTranslation('fairuse');
  const queryClient = useQueryClient();
  const limited = isSupportLimited(error);
  useEffect(() => {
    if (limited && organizationId)
      void queryClient.invalidateQueries({ queryKey: fairuseKeys.activeLimits(organizationId) });
  }, [limited, organizationId, queryClient]);
  if (!limited) return <ErrorMessage error={error} />;
  return (
    <div role="alert" className="error support-limit-refusal" data-testid="support-limit-refusal">
      <strong>{t('portal.refused')}</strong>
      <p>{error.problem.detail ?? error.problem.title}</p>
    </div>
  );
}
