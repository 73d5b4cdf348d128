import type { ChartData, ChartOptions } from 'chart.js';
import { Line } from 'react-chartjs-2';
import { useTranslation } from 'react-i18next';
import type { AtRiskCell, ResponseTimeTrend, TrendCell } from '../../api/reports';
import { PRIORITIES, type ClockKind, type Priority, type Tier } from '../../api/types';
import { cellState, formatMonth, formatShortDay, plottedMedian } from '../../reports/format';
import { MedianText } from '../../reports/MeasuredTable';
import { todayUtc } from '../../reports/period';
import { useMeasure, type Measure } from '../../reports/useMeasure';
import { FormField } from '../common';
import { PRIORITY_LINE, GRID_COLOR, TARGET_LINE } from './charts';
import { trendParam, type TrendChoice } from './filters';

const HOUR = 3600;

/**
 * The weekly medians of one cell against its target, or of each priority of a tier as a share of
 * its own target (targets of 15 minutes and 2 business days do not share an axis otherwise).
 */
export function TrendSection({
  trend,
  choice,
  tiers,
  onChoose,
}: {
  trend: ResponseTimeTrend;
  choice: TrendChoice;
  /** The tiers that may be chosen (one, when the report is filtered by tier). */
  tiers: Tier[];
  onChoose: (choice: TrendChoice) => void;
}) {
  const { t } = useTranslation('reports');
  const { t: tc } = useTranslation();
  const measure = useMeasure();
  const cell = (week: ResponseTimeTrend['weeks'][number], priority: Priority) =>
    week.cells.find((c) => c.tier === choice.tier && c.priority === priority);
  const title = choice.priority
    ? t('trend.cellTitle', { tier: tc(`tier.${choice.tier}`), priority: choice.priority })
    : t('trend.tierTitle', { tier: tc(`tier.${choice.tier}`) });

  return (
    <>
      <div className="toolbar">
        <FormField label={t('trend.show')}>
          {(p) => (
            <select
              {...p}
              value={trendParam(choice)}
              onChange={(e) => {
                const [tier, priority] = e.target.value.split('-') as [Tier, Priority | undefined];
                onChoose(priority ? { tier, priority } : { tier });
              }}
            >
              {tiers.map((tier) => (
                <optgroup key={tier} label={tc(`tier.${tier}`)}>
                  <option value={tier}>{t('trend.everyPriority', { tier: tc(`tier.${tier}`) })}</option>
                  {PRIORITIES.map((priority) => (
                    <option key={priority} value={`${tier}-${priority}`}>
                      {t('trend.onePriority', {
                        tier: tc(`tier.${tier}`),
                        priority: tc(`priority.${priority}`),
                      })}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          )}
        </FormField>
      </div>
      {trend.weeks.length === 0 ? (
        <p className="report-empty">{t('trend.none')}</p>
      ) : (
        <>
          <div className="report-chart-canvas tall">
            {choice.priority ? (
              <CellChart
                trend={trend}
                tier={choice.tier}
                priority={choice.priority}
                title={title}
                measure={measure}
              />
            ) : (
              <TierChart trend={trend} tier={choice.tier} title={title} measure={measure} />
            )}
          </div>
          <details className="report-chart-data">
            <summary>{t('chart.showTable')}</summary>
            <div className="table-wrap">
              <table className="responsive">
                <caption>{title}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('trend.week')}</th>
                    {(choice.priority ? [choice.priority] : PRIORITIES).map((p) => (
                      <th key={p} scope="col">
                        {tc(`priority.${p}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {trend.weeks.map((week) => (
                    <tr key={week.weekStart}>
                      <th scope="row">
                        {t('trend.weekOf', { day: formatShortDay(week.weekStart, measure.locale) })}
                      </th>
                      {(choice.priority ? [choice.priority] : PRIORITIES).map((p) => (
                        <td key={p} data-label={tc(`priority.${p}`)}>
                          <TrendCellText cell={cell(week, p)} measure={measure} />
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </>
  );
}

function TrendCellText({ cell, measure }: { cell: TrendCell | undefined; measure: Measure }) {
  const { t } = useTranslation('reports');
  if (!cell || cell.medianStatus === 'no_tickets') return <>{t('trend.noTickets')}</>;
  const state = cellState(cell, measure.terms);
  return (
    <>
      {t(`state.${state}`)}: <MedianText cell={cell} state={state} measure={measure} />{' '}
      <span className="muted">
        ({t('cell.tickets', { count: cell.answered, formatted: measure.count(cell.answered) })}
        {cell.unanswered > 0 &&
          `, ${t('trend.unanswered', { count: cell.unanswered, formatted: measure.count(cell.unanswered) })}`}
        )
      </span>
    </>
  );
}

/** One cell: its weekly median and its target, in minutes or hours of the target's clock. */
function CellChart({
  trend,
  tier,
  priority,
  title,
  measure,
}: {
  trend: ResponseTimeTrend;
  tier: Tier;
  priority: Priority;
  title: string;
  measure: Measure;
}) {
  const { t } = useTranslation('reports');
  const cells = trend.weeks.map((w) => w.cells.find((c) => c.tier === tier && c.priority === priority));
  const clock: ClockKind | null = cells.find((c) => c?.clock)?.clock ?? null;
  const medians = cells.map(plottedMedian);
  const largest = Math.max(0, ...cells.map((c, i) => Math.max(medians[i]?.seconds ?? 0, c?.target ?? 0)));
  const unit = largest >= 3 * HOUR ? HOUR : 60;
  const scale = (seconds: number | null | undefined) => (seconds == null ? null : seconds / unit);
  const data: ChartData<'line', (number | null)[], string> = {
    labels: trend.weeks.map((w) => formatShortDay(w.weekStart, measure.locale)),
    datasets: [
      {
        label: t('trend.median'),
        data: medians.map((m) => scale(m?.seconds)),
        borderColor: PRIORITY_LINE[priority].color,
        backgroundColor: PRIORITY_LINE[priority].color,
        pointStyle: PRIORITY_LINE[priority].pointStyle,
        pointRadius: 4,
      },
      {
        label: t('trend.target'),
        data: cells.map((c) => scale(c?.target)),
        borderColor: TARGET_LINE.color,
        backgroundColor: TARGET_LINE.color,
        borderDash: TARGET_LINE.dash,
        pointRadius: 0,
      },
    ],
  };
  const options: ChartOptions<'line'> = {
    maintainAspectRatio: false,
    scales: {
      x: { grid: { color: GRID_COLOR } },
      y: {
        beginAtZero: true,
        grid: { color: GRID_COLOR },
        title: {
          display: true,
          text: t(
            `trend.axis.${unit === HOUR ? 'hours' : 'minutes'}${clock === 'business' ? 'Business' : ''}`,
          ),
        },
      },
    },
    plugins: {
      tooltip: {
        callbacks: {
          label: (item) => {
            const median = medians[item.dataIndex];
            const raw = item.datasetIndex === 0 ? median?.seconds : cells[item.dataIndex]?.target;
            const text = raw == null ? '—' : measure.duration(raw, clock);
            return `${item.dataset.label ?? ''}: ${
              item.datasetIndex === 0 && median?.atLeast ? t('trend.atLeast', { time: text }) : text
            }`;
          },
        },
      },
    },
  };
  return <Line data={data} options={options} role="img" aria-label={t('chart.description', { title })} />;
}

/** Each priority of a tier, its weekly median as a share of its target; the target is the 100% line. */
function TierChart({
  trend,
  tier,
  title,
  measure,
}: {
  trend: ResponseTimeTrend;
  tier: Tier;
  title: string;
  measure: Measure;
}) {
  const { t } = useTranslation('reports');
  const { t: tc } = useTranslation();
  const cellOf = (week: ResponseTimeTrend['weeks'][number], p: Priority) =>
    week.cells.find((c) => c.tier === tier && c.priority === p);
  const share = (c: TrendCell | undefined) => {
    const median = plottedMedian(c);
    return median && c?.target ? Math.round((median.seconds / c.target) * 100) : null;
  };
  const data: ChartData<'line', (number | null)[], string> = {
    labels: trend.weeks.map((w) => formatShortDay(w.weekStart, measure.locale)),
    datasets: [
      ...PRIORITIES.map((p) => ({
        label: tc(`priority.${p}`),
        data: trend.weeks.map((w) => share(cellOf(w, p))),
        borderColor: PRIORITY_LINE[p].color,
        backgroundColor: PRIORITY_LINE[p].color,
        borderDash: PRIORITY_LINE[p].dash,
        pointStyle: PRIORITY_LINE[p].pointStyle,
        pointRadius: 4,
      })),
      {
        label: t('trend.target'),
        data: trend.weeks.map(() => 100),
        borderColor: TARGET_LINE.color,
        backgroundColor: TARGET_LINE.color,
        borderDash: TARGET_LINE.dash,
        pointRadius: 0,
      },
    ],
  };
  const options: ChartOptions<'line'> = {
    maintainAspectRatio: false,
    plugins: {
      legend: { labels: { usePointStyle: true } },
      tooltip: {
        callbacks: {
          label: (item) => {
            const p = PRIORITIES[item.datasetIndex];
            const c = p ? cellOf(trend.weeks[item.dataIndex]!, p) : undefined;
            const median = plottedMedian(c);
            if (!p || !c || !median) return `${item.dataset.label ?? ''}: 100%`;
            const time = measure.duration(median.seconds, c.clock);
            return `${item.dataset.label ?? ''}: ${median.atLeast ? t('trend.atLeast', { time }) : time} (${item.formattedValue}%)`;
          },
        },
      },
    },
    scales: {
      x: { grid: { color: GRID_COLOR } },
      y: {
        beginAtZero: true,
        grid: { color: GRID_COLOR },
        title: { display: true, text: t('trend.axis.share') },
      },
    },
  };
  return <Line data={data} options={options} role="img" aria-label={t('chart.description', { title })} />;
}

/** A warning for each cell whose month has already missed its target often enough to matter. */
export function AtRiskBanners({ atRisk }: { atRisk: AtRiskCell[] }) {
  const { t } = useTranslation('reports');
  const { t: tc } = useTranslation();
  const measure = useMeasure();
  if (atRisk.length === 0) return null;
  const thisMonth = todayUtc().slice(0, 7);
  return (
    <div className="report-at-risk" data-testid="at-risk">
      {atRisk.map((cell) => (
        <div key={`${cell.month}-${cell.tier}-${cell.priority}`} className="warning-banner">
          <span aria-hidden="true">⚠ </span>
          {t(cell.month === thisMonth ? 'atRisk.thisMonth' : 'atRisk.month', {
            share: measure.share(cell.missedShare),
            month: formatMonth(cell.month, measure.locale),
            tier: tc(`tier.${cell.tier}`),
            priority: cell.priority,
            missed: measure.count(cell.missed),
            count: cell.count,
            total: measure.count(cell.count),
          })}
        </div>
      ))}
    </div>
  );
}
