import { useTranslation } from 'react-i18next';
import type { ResponseTimeCell, ResponseTimes } from '../api/reports';
import { PRIORITIES, TIERS, type Tier } from '../api/types';
import { cellState, LEGEND_STATES, STATE_ICON, type CellState } from './format';
import { useMeasure, type Measure } from './useMeasure';

/**
 * The policy's response-time table, measured: priorities down, tiers across as the policy lays
 * them out, each cell the median first response against its target, coloured and worded by how
 * the median stands. `tiers` narrows the columns (an organization's report shows its own).
 */
export function MeasuredTable({
  report,
  caption,
  tiers,
}: {
  report: ResponseTimes;
  caption: string;
  tiers?: Tier[];
}) {
  const { t } = useTranslation('reports');
  const { t: tc } = useTranslation();
  const measure = useMeasure();
  const shown = TIERS.filter(
    (tier) => (tiers ?? TIERS).includes(tier) && report.cells.some((c) => c.tier === tier),
  );
  const cellOf = (tier: Tier, priority: string) =>
    report.cells.find((c) => c.tier === tier && c.priority === priority);

  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="measured-table" data-testid="measured-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('table.priority')}</th>
            {shown.map((tier) => (
              <th key={tier} scope="col">
                {tc(`tier.${tier}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {PRIORITIES.map((priority) => (
            <tr key={priority}>
              <th scope="row">{tc(`priority.${priority}`)}</th>
              {shown.map((tier) => {
                const cell = cellOf(tier, priority);
                return cell ? (
                  <MeasuredCell
                    key={tier}
                    cell={cell}
                    minimumSample={report.minimumSample}
                    confidence={report.confidence}
                    measure={measure}
                  />
                ) : (
                  <td key={tier}>—</td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MeasuredCell({
  cell,
  minimumSample,
  confidence,
  measure,
}: {
  cell: ResponseTimeCell;
  minimumSample: number;
  confidence: number;
  measure: Measure;
}) {
  const { t } = useTranslation('reports');
  const state = cellState(cell, measure.terms);
  const time = (seconds: number) => measure.duration(seconds, cell.clock);
  const target = cell.target === null ? null : time(cell.target);
  const judged = state === 'met' || state === 'near' || state === 'missed' || state === 'noTarget';
  return (
    <td
      className={`heat heat-${state}`}
      data-state={state}
      data-testid={`cell-${cell.tier}-${cell.priority}`}
    >
      <StateLabel state={state} />
      {judged && cell.median !== null && (
        <p className="heat-median">
          {target === null
            ? t('cell.medianNoTarget', { median: time(cell.median) })
            : t('cell.medianVsTarget', { median: time(cell.median), target })}
        </p>
      )}
      {!judged && target !== null && <p className="heat-median">{t('cell.target', { target })}</p>}
      <ul className="heat-figures">
        {state === 'lowSample' ? (
          <li>{t('cell.tooFew', { count: cell.count, minimum: minimumSample })}</li>
        ) : (
          cell.count > 0 && (
            <li>{t('cell.tickets', { count: cell.count, formatted: measure.count(cell.count) })}</li>
          )
        )}
        {cell.pending > 0 && (
          <li>{t('cell.pending', { count: cell.pending, formatted: measure.count(cell.pending) })}</li>
        )}
        {state === 'lowSample' && cell.median !== null && (
          <li>{t('cell.medianSoFar', { median: time(cell.median) })}</li>
        )}
        {judged && cell.shareMet !== null && (
          <li>{t('cell.shareMet', { share: measure.share(cell.shareMet) })}</li>
        )}
        {judged && cell.p90 !== null && <li>{t('cell.p90', { time: time(cell.p90) })}</li>}
        {judged && cell.ci && (
          <li>
            {t('cell.ci', {
              confidence: measure.share(confidence),
              low: time(cell.ci.low),
              high: time(cell.ci.high),
            })}
          </li>
        )}
      </ul>
    </td>
  );
}

function StateLabel({ state }: { state: CellState }) {
  const { t } = useTranslation('reports');
  return (
    <p className="heat-state">
      <span className="heat-icon" aria-hidden="true">
        {STATE_ICON[state]}
      </span>{' '}
      {t(`state.${state}`)}
    </p>
  );
}

/** What each colour and mark of the table means, with the thresholds in force. */
export function MeasuredLegend({ minimumSample }: { minimumSample: number }) {
  const { t } = useTranslation('reports');
  const measure = useMeasure();
  const nearShare = measure.share(1 - measure.terms.leadFraction);
  return (
    <div className="heat-legend">
      <h3>{t('legend.title')}</h3>
      <dl>
        {LEGEND_STATES.map((state) => (
          <div key={state}>
            <dt>
              <span className={`heat-swatch heat-${state}`} aria-hidden="true">
                {STATE_ICON[state]}
              </span>
              {t(`state.${state}`)}
            </dt>
            <dd>{t(`legend.${state}`, { near: nearShare, minimum: minimumSample })}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
