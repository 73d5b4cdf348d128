import { useTranslation } from 'react-i18next';
import type { PolicyDocument, Priority } from '../api/types';
import { ErrorMessage, Time, useLocale } from '../shared/components';
import { localized } from '../shared/format';
import { useSimulation } from './api';
import { describeClock, describeTerm } from './promise';

/**
 * Before sending: when the customer can expect a first answer for the priority they chose, from the
 * desk's own computation for their organization (tier and any contract override), due time included.
 */
export function ExpectedResponse({
  priority,
  policy,
}: {
  priority: Priority | null;
  policy: PolicyDocument;
}) {
  const { t } = useTranslation('portal');
  const locale = useLocale();
  const simulation = useSimulation(priority);
  const sim = simulation.data;
  const businessDay = policy.businessDay?.minutes;

  let content;
  if (!priority) content = <p>{t('expected.choosePriority')}</p>;
  else if (simulation.isError) content = <ErrorMessage error={simulation.error} />;
  else if (!sim) content = <p className="muted">{t('expected.computing')}</p>;
  else {
    const term = sim.firstResponse;
    content = (
      <>
        <p className="expected-main">
          <strong>{t('expected.lead')}</strong>{' '}
          {t('expected.within', {
            time: describeTerm(term, locale, businessDay),
            clock: describeClock(term.clock, locale, sim.calendar.timeZone),
          })}{' '}
          — {t('expected.by')} <Time iso={term.dueAt} />
        </p>
        {term.overridden && <p className="expected-note">{t('expected.overridden')}</p>}
        {sim.updates && (
          <p className="expected-note">
            {t('expected.updates', { time: describeTerm(sim.updates, locale, businessDay) })}
          </p>
        )}
        <p className="expected-note muted">
          {policy.responseTimes.measure === 'median'
            ? t('expected.median', {
                tier: localized(policy.tiers[sim.tier]?.name, locale),
                caption: localized(policy.responseTimes.caption, locale),
              })
            : t('expected.target', { tier: localized(policy.tiers[sim.tier]?.name, locale) })}
        </p>
      </>
    );
  }
  return (
    <div className="expected" data-testid="expected-response" aria-live="polite">
      {content}
    </div>
  );
}
