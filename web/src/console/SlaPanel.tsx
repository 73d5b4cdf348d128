import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { SlaTarget, SlaView, Status, TargetTerm } from '../api/types';
import { humanizeSeconds } from '../shared/format';
import { Countdown, Time, useLocale } from '../shared/components';
import { FALLBACK_WARNING_SECONDS, termText, warningSecondsFor } from './sla';

/** The target's name with its term beneath: how long, on which clock, and whether a contract set it. */
function TargetName({ name, term }: { name: string; term: TargetTerm | null }) {
  const { t } = useTranslation('console');
  const locale = useLocale();
  return (
    <th scope="row">
      {name}
      {term && (
        <span className="sla-term">
          {termText(term, locale)} · {t(`common:clock.${term.clock}`)}
          {term.overridden && (
            <>
              {' '}
              <span className="badge sla-override">{t('sla.override')}</span>
            </>
          )}
        </span>
      )}
    </th>
  );
}

/** Met, breached, no longer owed, or the live countdown to it. */
function TargetState({
  target,
  name,
  active,
  leadFraction,
}: {
  target: SlaTarget;
  name: string;
  active: boolean;
  leadFraction: number;
}) {
  const { t } = useTranslation('console');
  const locale = useLocale();
  if (target.metAt) {
    return target.breached ? (
      <>
        <span className="sla-state sla-breached">{t('sla.breached')}</span> {t('sla.metLate')}{' '}
        <Time iso={target.metAt} />
      </>
    ) : (
      <>
        <span className="sla-state sla-met">{t('sla.met')}</span> <Time iso={target.metAt} />
      </>
    );
  }
  if (!active) return <span className="muted">{t('sla.stopped')}</span>;
  const countdown = (
    <Countdown
      dueAt={target.dueAt}
      warningSeconds={warningSecondsFor(target.target, leadFraction)}
      label={name}
    />
  );
  if (target.breached)
    return (
      <>
        <span className="sla-state sla-breached">{t('sla.breached')}</span> {countdown}
      </>
    );
  return (
    <>
      {countdown}
      {/* Wall-clock time left can mislead on business hours (nights, weekends); say both. */}
      {target.target.clock === 'business' && target.remainingSeconds > 0 && (
        <span className="muted sla-business-left">
          {' '}
          {t('sla.businessLeft', { time: humanizeSeconds(target.remainingSeconds, locale) })}
        </span>
      )}
    </>
  );
}

function TargetRow({
  testId,
  name,
  target,
  active,
  leadFraction,
}: {
  testId: string;
  name: string;
  target: SlaTarget;
  active: boolean;
  leadFraction: number;
}) {
  return (
    <tr data-testid={testId}>
      <TargetName name={name} term={target.target} />
      <td>
        <Time iso={target.dueAt} />
      </td>
      <td>
        <TargetState target={target} name={name} active={active} leadFraction={leadFraction} />
      </td>
    </tr>
  );
}

/** Every SLA target of the ticket under the policy version it was opened with. */
export function SlaPanel({
  sla,
  status,
  leadFraction,
}: {
  sla: SlaView | null;
  status: Status;
  leadFraction: number;
}) {
  const { t } = useTranslation('console');
  const headingId = useId();
  const active = status !== 'resolved' && status !== 'closed';
  return (
    <section className="card sla-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('sla.heading')}</h2>
      {!sla ? (
        <p className="muted">{t('sla.none')}</p>
      ) : (
        <>
          <table className="responsive sla-table">
            <thead>
              <tr>
                <th scope="col">{t('sla.target')}</th>
                <th scope="col">{t('sla.due')}</th>
                <th scope="col">{t('sla.state')}</th>
              </tr>
            </thead>
            <tbody>
              <TargetRow
                testId="sla-first-response"
                name={t('due.firstResponse')}
                target={sla.firstResponse}
                active={active}
                leadFraction={leadFraction}
              />
              {sla.nextResponse && (
                <TargetRow
                  testId="sla-next-response"
                  name={t('due.nextResponse')}
                  target={sla.nextResponse}
                  active={active}
                  leadFraction={leadFraction}
                />
              )}
              {sla.resolution && (
                <TargetRow
                  testId="sla-resolution"
                  name={t('due.resolution')}
                  target={sla.resolution}
                  active={active}
                  leadFraction={leadFraction}
                />
              )}
              {sla.update && (
                <tr data-testid="sla-update">
                  <TargetName name={t('due.update')} term={sla.update.every} />
                  <td>{sla.update.dueAt ? <Time iso={sla.update.dueAt} /> : '—'}</td>
                  <td>
                    {sla.update.dueAt && active ? (
                      <>
                        {sla.update.breached && (
                          <span className="sla-state sla-breached">{t('sla.breached')}</span>
                        )}{' '}
                        <Countdown
                          dueAt={sla.update.dueAt}
                          warningSeconds={warningSecondsFor(sla.update.every, leadFraction)}
                          label={t('due.update')}
                        />
                      </>
                    ) : (
                      <span className="muted">
                        {/* The cadence runs from the first staff reply until the ticket is resolved. */}
                        {active && !sla.firstResponse.metAt ? t('sla.updateNotStarted') : t('sla.stopped')}
                      </span>
                    )}
                  </td>
                </tr>
              )}
              {sla.escalation && (
                <tr data-testid="sla-escalation">
                  <th scope="row">
                    {t('due.escalation')}
                    <span className="sla-term">
                      {t('sla.escalationLevel', { level: sla.escalation.level })}
                    </span>
                  </th>
                  <td>{sla.escalation.nextDueAt ? <Time iso={sla.escalation.nextDueAt} /> : '—'}</td>
                  <td>
                    {sla.escalation.nextDueAt && active ? (
                      <Countdown
                        dueAt={sla.escalation.nextDueAt}
                        warningSeconds={FALLBACK_WARNING_SECONDS}
                        label={t('sla.nextEscalation')}
                      />
                    ) : (
                      <span className="muted">{t('sla.noEscalation')}</span>
                    )}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          <p className="muted sla-version">{t('sla.policyVersion', { version: sla.policyVersion })}</p>
        </>
      )}
    </section>
  );
}
