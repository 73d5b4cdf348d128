import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ResolutionBucket, ResolutionReport } from '../api/reports';
import type { Measure } from './useMeasure';
import { useMeasure } from './useMeasure';

/** A bucket's name: "Up to 4 hours", and "Over 1 week" for the open-ended last one. */
export function bucketLabel(
  buckets: ResolutionBucket[],
  index: number,
  measure: Measure,
  t: TFunction<'reports'>,
): string {
  const bucket = buckets[index]!;
  if (bucket.upToSeconds !== null)
    return t('resolution.upTo', { time: measure.duration(bucket.upToSeconds, 'calendar') });
  const previous = buckets[index - 1]?.upToSeconds;
  return previous == null
    ? t('resolution.any')
    : t('resolution.over', { time: measure.duration(previous, 'calendar') });
}

/**
 * Time to resolution per priority in figures: how many, the median and 90th percentile, and how
 * they spread over the buckets. The charts' text alternative, and the printed report's only form.
 */
export function ResolutionTable({ report, caption }: { report: ResolutionReport; caption: string }) {
  const { t } = useTranslation('reports');
  const { t: tc } = useTranslation();
  const measure = useMeasure();
  const time = (seconds: number | null) => (seconds === null ? '—' : measure.duration(seconds, 'calendar'));
  const columns = {
    resolved: t('resolution.resolved'),
    median: t('resolution.median'),
    p90: t('resolution.p90'),
    spread: t('resolution.spread'),
  };
  return (
    <div className="table-wrap">
      <table className="responsive resolution-table" data-testid="resolution-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('table.priority')}</th>
            <th scope="col">{columns.resolved}</th>
            <th scope="col">{columns.median}</th>
            <th scope="col">{columns.p90}</th>
            <th scope="col">{columns.spread}</th>
          </tr>
        </thead>
        <tbody>
          {report.priorities.map((row) => (
            <tr key={row.priority}>
              <th scope="row">{tc(`priority.${row.priority}`)}</th>
              <td data-label={columns.resolved} className="number">
                {measure.count(row.count)}
              </td>
              <td data-label={columns.median}>{time(row.median)}</td>
              <td data-label={columns.p90}>{time(row.p90)}</td>
              <td data-label={columns.spread}>
                {row.count === 0 ? (
                  '—'
                ) : (
                  <ul className="report-list">
                    {row.buckets.map((bucket, i) => (
                      <li key={bucket.upToSeconds ?? 'rest'}>
                        {t('resolution.bucketCount', {
                          bucket: bucketLabel(row.buckets, i, measure, t),
                          count: measure.count(bucket.count),
                        })}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The share of resolved P3 tickets whose fix shipped in a release. */
export function P3Releases({ p3 }: { p3: ResolutionReport['p3'] }) {
  const { t } = useTranslation('reports');
  const measure = useMeasure();
  return (
    <p className="p3-releases" data-testid="p3-releases">
      {p3.share === null || p3.resolved === 0
        ? t('resolution.p3None')
        : t('resolution.p3Share', {
            share: measure.share(p3.share),
            fixed: measure.count(p3.fixedInRelease),
            count: p3.resolved,
            resolved: measure.count(p3.resolved),
          })}
    </p>
  );
}
