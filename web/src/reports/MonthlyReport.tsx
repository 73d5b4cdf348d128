import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { TIERS } from '../api/types';
import { ErrorMessage, Loading, TierBadge, useDocumentTitle, useLocale } from '../shared/components';
import { formatDate, localized } from '../shared/format';
import { formatMonth } from './format';
import { MeasuredLegend, MeasuredTable } from './MeasuredTable';
import { P0Table } from './P0Table';
import { monthQuery, todayUtc } from './period';
import { useAllP0, useReportOrganization, useReportPolicy, useResolution, useResponseTimes } from './queries';
import { P3Releases, ResolutionTable } from './ResolutionTable';
import './reports.css';

/**
 * One organization's month, as the vendor hands it to the customer: the policy's response-time
 * table measured on the month's tickets, its critical tickets, and how long fixes took. Laid out to
 * print (see reports.css): the controls and the desk's navigation do not print.
 */
export function MonthlyReport({
  organizationId,
  month,
  ticketPath,
  controls,
}: {
  organizationId: string;
  /** YYYY-MM */
  month: string;
  ticketPath: (ticketId: string) => string;
  /** Choosers shown above the report on screen (the month; staff also choose the organization). */
  controls?: ReactNode;
}) {
  const { t } = useTranslation('reports');
  const locale = useLocale();
  const query = { ...monthQuery(month), organizationId };
  const policy = useReportPolicy();
  const organization = useReportOrganization(organizationId);
  const responseTimes = useResponseTimes(query);
  const p0 = useAllP0(query);
  const resolution = useResolution(query);
  const org = organization.data;
  const monthName = formatMonth(month, locale);
  const policyDocument = policy.data?.policy;
  useDocumentTitle(
    org ? t('monthly.documentTitle', { organization: org.name, month: monthName }) : t('monthly.heading'),
  );
  // Its current tier, and any other the month's tickets were filed under (a tier change mid-month).
  const tiers = TIERS.filter(
    (tier) =>
      tier === org?.tier ||
      responseTimes.data?.cells.some((c) => c.tier === tier && c.answered + c.unanswered > 0),
  );

  return (
    <article className="monthly-report" aria-labelledby="monthly-title" data-testid="monthly-report">
      <div className="report-controls">
        {controls}
        <button type="button" className="primary" onClick={() => window.print()}>
          {t('monthly.print')}
        </button>
      </div>
      <header>
        <h1 id="monthly-title">
          {org ? t('monthly.title', { organization: org.name, month: monthName }) : t('monthly.heading')}
        </h1>
        <ErrorMessage error={organization.error} />
        {org && (
          <dl className="report-summary">
            <div>
              <dt>{t('monthly.organization')}</dt>
              <dd>{org.name}</dd>
            </div>
            <div>
              <dt>{t('monthly.tier')}</dt>
              <dd>
                <TierBadge tier={org.tier} />
              </dd>
            </div>
            <div>
              <dt>{t('monthly.month')}</dt>
              <dd>{monthName}</dd>
            </div>
            {responseTimes.data && (
              <div>
                <dt>{t('monthly.policyVersion')}</dt>
                <dd>{responseTimes.data.policyVersion}</dd>
              </div>
            )}
            <div>
              <dt>{t('monthly.prepared')}</dt>
              <dd>{formatDate(todayUtc(), locale)}</dd>
            </div>
          </dl>
        )}
      </header>

      <section aria-labelledby="monthly-response-title" className="report-section">
        <h2 id="monthly-response-title">{t('monthly.responseTimes')}</h2>
        {policyDocument && (
          <blockquote className="policy-wording">
            <p>{localized(policyDocument.responseTimes.text, locale)}</p>
            <footer>{t('monthly.policyWording', { version: policyDocument.version })}</footer>
          </blockquote>
        )}
        <p>{t('measure.explanation')}</p>
        {responseTimes.isPending && <Loading />}
        <ErrorMessage error={responseTimes.error} />
        {responseTimes.data && (
          <>
            <MeasuredTable
              report={responseTimes.data}
              tiers={tiers}
              caption={t('monthly.tableCaption', {
                caption: policyDocument
                  ? localized(policyDocument.responseTimes.caption, locale)
                  : t('measure.caption'),
                month: monthName,
              })}
            />
            <MeasuredLegend minimumSample={responseTimes.data.minimumSample} />
          </>
        )}
      </section>

      <section aria-labelledby="monthly-p0-title" className="report-section">
        <h2 id="monthly-p0-title">{t('p0.title')}</h2>
        <p>{t('p0.intro')}</p>
        {p0.isPending && <Loading />}
        <ErrorMessage error={p0.error} />
        {p0.data &&
          (p0.data.length === 0 ? (
            <p className="report-empty">{t('p0.none')}</p>
          ) : (
            <P0Table
              tickets={p0.data}
              caption={t('p0.caption', { period: monthName })}
              ticketPath={ticketPath}
              showOrganization={false}
            />
          ))}
      </section>

      <section aria-labelledby="monthly-resolution-title" className="report-section">
        <h2 id="monthly-resolution-title">{t('resolution.title')}</h2>
        {resolution.isPending && <Loading />}
        <ErrorMessage error={resolution.error} />
        {resolution.data && (
          <>
            <ResolutionTable
              report={resolution.data}
              caption={t('resolution.caption', { period: monthName })}
            />
            <P3Releases p3={resolution.data.p3} />
          </>
        )}
      </section>
    </article>
  );
}
