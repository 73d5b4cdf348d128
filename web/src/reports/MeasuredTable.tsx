import { useTranslation } from 'react-i18next';
import type { ResponseTimeCell, ResponseTimes } from '../api/reports';
import { PRIORITIES, TIERS, type Tier } from '../api/types';
import { cellState, LEGEND_STATES, STATE_ICON, type CellState, type MedianCell } from './format';
import { useMeasure, type Measure } from './useMeasure';

/**
 * The policy's response-time table, measured: priorities down, tiers across as the policy lays
 * them out, each cell the median first response against its target, coloured and worded by how
 * the median stands. Tickets not answered yet count, at least as long as they have waited.
 * `tiers` narrows the columns (an organization's report shows its own).
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
  measure,
}: {
  cell: ResponseTimeCell;
  minimumSample: number;
  measure: Measure;
}) {
  const { t } = useTranslation('reports');
  const state = cellState(cell, measure.terms);
  const time = (seconds: number) => measure.duration(seconds, cell.clock);
  const target = cell.target === null ? null : time(cell.target);
  const judged = state !== 'lowSample' && state !== 'empty';
  const tickets = cell.answered + cell.unanswered;
  return (
    <td
      className={`heat heat-${state}`}
      data-state={state}
      data-testid={`cell-${cell.tier}-${cell.priority}`}
    >
      <StateLabel state={state} />
      {judged && (cell.median !== null || cell.medianAtLeast !== null) && (
        <p className="heat-median">
          <MedianText cell={cell} state={state} measure={measure} />
        </p>
      )}
      {!judged && target !== null && <p className="heat-median">{t('cell.target', { target })}</p>}
      <ul className="heat-figures">
        {state === 'lowSample' ? (
          <li>{t('cell.tooFew', { count: tickets, minimum: minimumSample })}</li>
        ) : (
          cell.answered > 0 && (
            <li>{t('cell.tickets', { count: cell.answered, formatted: measure.count(cell.answered) })}</li>
          )
        )}
        {cell.unanswered > 0 && (
          <li>
            {cell.unansweredPastTarget > 0
              ? t('cell.pendingPast', {
                  count: cell.unanswered,
                  formatted: measure.count(cell.unanswered),
                  past: measure.count(cell.unansweredPastTarget),
                })
              : t('cell.pending', { count: cell.unanswered, formatted: measure.count(cell.unanswered) })}
          </li>
        )}
        {state === 'lowSample' && cell.median !== null && (
          <li>{t('cell.medianSoFar', { median: time(cell.median) })}</li>
        )}
        {judged && cell.shareMet !== null && (
          <li>{t('cell.shareMet', { share: measure.share(cell.shareMet) })}</li>
        )}
        {/* The interval is the estimate's: with no estimate, "at least" above says all there is. */}
        {judged && cell.ci && cell.median !== null && (
          <li>
            {cell.ci.high === null
              ? t('cell.likelyAtLeast', { low: time(cell.ci.low) })
              : t('cell.likely', { low: time(cell.ci.low), high: time(cell.ci.high) })}
          </li>
        )}
        {judged && cell.p90 !== null && <li>{t('cell.p90', { time: time(cell.p90) })}</li>}
      </ul>
    </td>
  );
}

/**
 * The median against the target in words: measured, estimated while not yet known, or, when more
 * than half still wait longer than every answer, the least it can be.
 */
export function MedianText({
  cell,
  state,
  measure,
}: {
  cell: MedianCell;
  state: CellState;
  measure: Measure;
}) {
  const { t } = useTranslation('reports');
  const time = (seconds: number) => measure.duration(seconds, cell.clock);
  const target = cell.target === null ? null : time(cell.target);
  const vsTarget = (key: 'median' | 'estimate' | 'atLeast', seconds: number) =>
    target === null
      ? t(`cell.${key}NoTarget`, { median: time(seconds) })
      : t(`cell.${key}VsTarget`, { median: time(seconds), target });
  if (cell.median !== null) return <>{vsTarget(state === 'unknown' ? 'estimate' : 'median', cell.median)}</>;
  if (cell.medianAtLeast !== null) return <>{vsTarget('atLeast', cell.medianAtLeast)}</>;
  return null;
}

/** The state's mark and words. */
export function StateLabel({ state }: { state: CellState }) {
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
