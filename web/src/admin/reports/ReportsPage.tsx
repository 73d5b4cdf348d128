import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { withQuery } from '../../api/client';
import { RESPONSE_TIMES_CSV, type ResponseTimes } from '../../api/reports';
import { TIERS, type Tier } from '../../api/types';
import { ErrorMessage, Loading, useLocale } from '../../shared/components';
import { localized } from '../../shared/format';
import { formatShortDay } from '../../reports/format';
import { MeasuredLegend, MeasuredTable } from '../../reports/MeasuredTable';
import { P0Table } from '../../reports/P0Table';
import { todayUtc } from '../../reports/period';
import {
  responseTimesQuery,
  useP0Pages,
  useReportPolicy,
  useResolution,
  useResponseTimes,
  useTrend,
} from '../../reports/queries';
import { P3Releases, ResolutionTable } from '../../reports/ResolutionTable';
import { useDocumentTitle } from '../common';
import { FilterPanel } from './FilterPanel';
import {
  readFilters,
  reportQuery,
  validPeriod,
  writeFilters,
  type ReportFilters,
  type TrendChoice,
} from './filters';
import { ResolutionCharts } from './ResolutionCharts';
import { SatisfactionSection } from '../../reports/SatisfactionSection';
import { isAdminUser, useSession } from '../../auth/session';
import { AtRiskBanners, TrendSection } from './TrendSection';

/** The tier whose trend is shown first: the busiest in the table, Premium on an empty desk. */
function busiestTier(report: ResponseTimes | undefined): Tier {
  let best: Tier = 'premium';
  let most = 0;
  for (const tier of TIERS) {
    const count = (report?.cells ?? []).filter((c) => c.tier === tier).reduce((n, c) => n + c.count, 0);
    if (count > most) [best, most] = [tier, count];
  }
  return best;
}

/**
 * Admin → Reports: the policy's promise, measured. The response-time table as a heat map, its
 * trend by week with the cells at risk this month, how critical tickets were kept, and how long
 * fixes took; with the table as CSV and an organization's printable month.
 */
export function ReportsPage() {
  const { t } = useTranslation('reports');
  const locale = useLocale();
  useDocumentTitle(t('page.title'));
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params, todayUtc());
  const setFilters = (next: ReportFilters) => setParams(writeFilters(next), { replace: true });
  const valid = validPeriod(filters.period);
  const query = reportQuery(filters);
  const period = t('page.period', {
    from: formatShortDay(filters.period.from, locale),
    to: formatShortDay(filters.period.to, locale),
  });

  const policy = useReportPolicy().data?.policy;
  const responseTimes = useResponseTimes(query, valid);
  const trendTiers = filters.tier ? [filters.tier] : TIERS;
  const trendChoice: TrendChoice =
    filters.trend && trendTiers.includes(filters.trend.tier)
      ? filters.trend
      : { tier: filters.tier ?? busiestTier(responseTimes.data) };
  const monthly = withQuery('/admin/reports/monthly', {
    organizationId: filters.organizationId,
    month: filters.period.from.slice(0, 7),
  });

  return (
    <section className="reports" aria-labelledby="reports-title">
      <div className="page-head">
        <h1 id="reports-title">{t('page.title')}</h1>
        <div className="action-row">
          {valid && (
            <a
              className="button"
              href={withQuery(RESPONSE_TIMES_CSV, { ...responseTimesQuery(query) })}
              download
            >
              {t('page.downloadCsv')}
            </a>
          )}
          <Link className="button" to={monthly}>
            {t('page.monthly')}
          </Link>
        </div>
      </div>
      <p className="muted">{t('page.intro')}</p>
      <FilterPanel filters={filters} onChange={setFilters} />

      {valid && (
        <>
          <TrendWarnings query={query} />
          <section aria-labelledby="reports-response-title" className="report-section">
            <h2 id="reports-response-title">{t('page.responseTimes')}</h2>
            <p>{t('measure.explanation')}</p>
            {responseTimes.isPending && <Loading />}
            <ErrorMessage error={responseTimes.error} />
            {responseTimes.data && (
              <div aria-busy={responseTimes.isFetching}>
                <MeasuredTable
                  report={responseTimes.data}
                  caption={t('page.tableCaption', {
                    caption: policy ? localized(policy.responseTimes.caption, locale) : t('measure.caption'),
                    period,
                  })}
                />
                <MeasuredLegend minimumSample={responseTimes.data.minimumSample} />
              </div>
            )}
          </section>

          <section aria-labelledby="reports-trend-title" className="report-section">
            <h2 id="reports-trend-title">{t('trend.title')}</h2>
            <Trend
              query={query}
              choice={trendChoice}
              tiers={trendTiers}
              onChoose={(trend) => setFilters({ ...filters, trend })}
            />
          </section>

          <section aria-labelledby="reports-p0-title" className="report-section">
            <h2 id="reports-p0-title">{t('p0.title')}</h2>
            <p>{t('p0.intro')}</p>
            <P0Discipline query={query} period={period} />
          </section>

          <section aria-labelledby="reports-resolution-title" className="report-section">
            <h2 id="reports-resolution-title">{t('resolution.title')}</h2>
            <Resolution query={query} period={period} />
          </section>

          <SatisfactionSection
            scope={{
              from: query.from,
              to: query.to,
              tier: query.tier,
              organizationId: query.organizationId,
              agentId: query.agentId,
            }}
            period={period}
            canConfigure={isAdminUser(user)}
          />
        </>
      )}
    </section>
  );
}

type Query = ReturnType<typeof reportQuery>;

function TrendWarnings({ query }: { query: Query }) {
  const trend = useTrend(query);
  return trend.data ? <AtRiskBanners atRisk={trend.data.atRisk} /> : null;
}

function Trend({
  query,
  ...rest
}: {
  query: Query;
  choice: TrendChoice;
  tiers: Tier[];
  onChoose: (choice: TrendChoice) => void;
}) {
  const trend = useTrend(query);
  return (
    <>
      {trend.isPending && <Loading />}
      <ErrorMessage error={trend.error} />
      {trend.data && <TrendSection trend={trend.data} {...rest} />}
    </>
  );
}

function P0Discipline({ query, period }: { query: Query; period: string }) {
  const { t } = useTranslation('reports');
  const { t: tc } = useTranslation();
  const p0 = useP0Pages(query);
  const tickets = p0.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <>
      {p0.isPending && <Loading />}
      <ErrorMessage error={p0.error} />
      {p0.isSuccess && tickets.length === 0 && <p className="report-empty">{t('p0.none')}</p>}
      {tickets.length > 0 && (
        <P0Table
          tickets={tickets}
          caption={t('p0.caption', { period })}
          ticketPath={(id) => `/console/tickets/${id}`}
        />
      )}
      {p0.hasNextPage && (
        <button type="button" onClick={() => void p0.fetchNextPage()} disabled={p0.isFetchingNextPage}>
          {tc('more')}
        </button>
      )}
    </>
  );
}

function Resolution({ query, period }: { query: Query; period: string }) {
  const { t } = useTranslation('reports');
  const resolution = useResolution(query);
  return (
    <>
      {resolution.isPending && <Loading />}
      <ErrorMessage error={resolution.error} />
      {resolution.data && (
        <>
          <ResolutionCharts report={resolution.data} />
          <ResolutionTable report={resolution.data} caption={t('resolution.caption', { period })} />
          <P3Releases p3={resolution.data.p3} />
        </>
      )}
    </>
  );
}
