import type { ChartData, ChartOptions } from 'chart.js';
import { Bar } from 'react-chartjs-2';
import { useTranslation } from 'react-i18next';
import type { ResolutionReport } from '../../api/reports';
import { bucketLabel } from '../../reports/ResolutionTable';
import { useMeasure } from '../../reports/useMeasure';
import { BAR_COLOR, GRID_COLOR } from './charts';

/**
 * How long fixes took, one bar chart per priority: tickets resolved within each bucket of time.
 * The same figures are in the resolution table that follows the charts.
 */
export function ResolutionCharts({ report }: { report: ResolutionReport }) {
  const { t } = useTranslation('reports');
  const { t: tc } = useTranslation();
  const measure = useMeasure();
  return (
    <div className="report-chart-grid">
      {report.priorities.map((row) => {
        const title = t('resolution.chartTitle', { priority: tc(`priority.${row.priority}`) });
        const data: ChartData<'bar', number[], string> = {
          labels: row.buckets.map((_, i) => bucketLabel(row.buckets, i, measure, t)),
          datasets: [
            {
              label: t('resolution.tickets'),
              data: row.buckets.map((b) => b.count),
              backgroundColor: BAR_COLOR,
            },
          ],
        };
        const options: ChartOptions<'bar'> = {
          maintainAspectRatio: false,
          plugins: { legend: { display: false } },
          scales: {
            x: { grid: { display: false } },
            y: { beginAtZero: true, ticks: { precision: 0 }, grid: { color: GRID_COLOR } },
          },
        };
        return (
          <figure key={row.priority} className="report-chart small">
            <figcaption>{title}</figcaption>
            {row.count === 0 ? (
              <p className="report-empty">{t('resolution.noneResolved')}</p>
            ) : (
              <div className="report-chart-canvas">
                <Bar
                  data={data}
                  options={options}
                  role="img"
                  aria-label={t('chart.descriptionTable', { title })}
                />
              </div>
            )}
          </figure>
        );
      })}
    </div>
  );
}
