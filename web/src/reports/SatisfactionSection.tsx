import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  useSatisfactionReport,
  useSatisfactionSettings,
  useSaveSatisfactionSettings,
  type SatisfactionQuery,
  type SatisfactionReport,
  type Tally,
} from '../api/satisfaction';
import { PRIORITIES, TIERS, type Priority, type Tier } from '../api/types';
import { RatingText } from '../satisfaction/RatingText';
import '../satisfaction/satisfaction.css';
import { ErrorMessage, Loading, Time, useLocale } from '../shared/components';
import { formatCount, formatShare, formatShortDay } from './format';

type Scope = Pick<SatisfactionQuery, 'from' | 'to' | 'tier' | 'organizationId' | 'agentId'>;

function useFigures() {
  const { t } = useTranslation('satisfaction');
  const locale = useLocale();
  return {
    share: (x: number | null) => (x === null ? t('report.noScore') : formatShare(x, locale)),
    count: (n: number) => formatCount(n, locale),
  };
}

/** The period's figures in all: score, answers and the share of requesters who answered. */
export function SatisfactionTotals({ totals }: { totals: Tally }) {
  const { t } = useTranslation('satisfaction');
  const f = useFigures();
  return (
    <dl className="satisfaction-totals" data-testid="satisfaction-totals">
      <div>
        <dt>{t('report.score')}</dt>
        <dd>{f.share(totals.score)}</dd>
      </div>
      <div>
        <dt>{t('report.good')}</dt>
        <dd>{f.count(totals.good)}</dd>
      </div>
      <div>
        <dt>{t('report.bad')}</dt>
        <dd>{f.count(totals.bad)}</dd>
      </div>
      <div>
        <dt>{t('report.sent')}</dt>
        <dd>{f.count(totals.sent)}</dd>
      </div>
      <div>
        <dt>{t('report.responseRate')}</dt>
        <dd>{f.share(totals.responseRate)}</dd>
      </div>
    </dl>
  );
}

function TallyTable({
  caption,
  head,
  rows,
}: {
  caption: string;
  head: string;
  rows: { key: string; label: string; tally: Tally }[];
}) {
  const { t } = useTranslation('satisfaction');
  const f = useFigures();
  return (
    <div className="satisfaction-table">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            <th scope="col">{t('report.score')}</th>
            <th scope="col">{t('report.good')}</th>
            <th scope="col">{t('report.bad')}</th>
            <th scope="col">{t('report.sent')}</th>
            <th scope="col">{t('report.responseRate')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.label}</th>
              <td>{f.share(r.tally.score)}</td>
              <td>{f.count(r.tally.good)}</td>
              <td>{f.count(r.tally.bad)}</td>
              <td>{f.count(r.tally.sent)}</td>
              <td>{f.share(r.tally.responseRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The latest answers with their comments, shown as text. */
export function LatestAnswers({
  report,
  ticketPath,
}: {
  report: SatisfactionReport;
  ticketPath: (id: string) => string;
}) {
  const { t } = useTranslation('satisfaction');
  if (report.latest.length === 0) return null;
  return (
    <>
      <h3>{t('report.latest')}</h3>
      <ul className="satisfaction-latest" data-testid="satisfaction-latest">
        {report.latest.map((a) => (
          <li key={a.ticketId}>
            <RatingText rating={a.rating} /> · <Link to={ticketPath(a.ticketId)}>#{a.ticketNumber}</Link>{' '}
            {a.subject} · <span className="muted">{a.organizationName}</span> · <Time iso={a.answeredAt} />
            {a.comment ? (
              <p className="satisfaction-comment">{a.comment}</p>
            ) : (
              <p className="muted">{t('report.noComment')}</p>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * Reports → Satisfaction: the requesters' answers for the page's period and filters, per tier,
 * priority, agent and week or month, with the latest comments; leads and admins choose the tiers
 * asked.
 */
export function SatisfactionSection({
  scope,
  period,
  canConfigure,
}: {
  scope: Scope;
  /** The page's period in words, for the captions. */
  period: string;
  canConfigure: boolean;
}) {
  const { t } = useTranslation('satisfaction');
  const { t: tc } = useTranslation();
  const locale = useLocale();
  const [unit, setUnit] = useState<'week' | 'month'>('month');
  const [priority, setPriority] = useState<Priority | ''>('');
  const query: SatisfactionQuery = { ...scope, period: unit, ...(priority ? { priority } : {}) };
  const report = useSatisfactionReport(query);
  const data = report.data;
  return (
    <section
      aria-labelledby="reports-satisfaction-title"
      className="report-section"
      data-testid="satisfaction-report"
    >
      <h2 id="reports-satisfaction-title">{t('report.title')}</h2>
      <p>{t('report.intro')}</p>
      <div className="satisfaction-controls">
        <label>
          {t('report.priority')}{' '}
          <select value={priority} onChange={(e) => setPriority(e.target.value as Priority | '')}>
            <option value="">{t('report.allPriorities')}</option>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {tc(`priority.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('report.byPeriod')}{' '}
          <select value={unit} onChange={(e) => setUnit(e.target.value === 'week' ? 'week' : 'month')}>
            <option value="month">{t('report.month')}</option>
            <option value="week">{t('report.week')}</option>
          </select>
        </label>
      </div>
      {report.isPending && <Loading />}
      <ErrorMessage error={report.error} />
      {data && data.totals.sent === 0 && <p className="report-empty">{t('report.empty')}</p>}
      {data && data.totals.sent > 0 && (
        <div aria-busy={report.isFetching}>
          <SatisfactionTotals totals={data.totals} />
          <div className="satisfaction-tables">
            <TallyTable
              caption={t('report.byTierCaption', { period })}
              head={t('report.tier')}
              rows={data.byTier.map((r) => ({ key: r.tier, label: tc(`tier.${r.tier}`), tally: r }))}
            />
            <TallyTable
              caption={t('report.byPriorityCaption', { period })}
              head={t('report.priority')}
              rows={data.byPriority.map((r) => ({
                key: r.priority,
                label: tc(`priority.${r.priority}`),
                tally: r,
              }))}
            />
            {data.byAgent.length > 0 && (
              <TallyTable
                caption={t('report.byAgentCaption', { period })}
                head={t('report.agent')}
                rows={data.byAgent.map((r) => ({
                  key: r.agentId ?? 'none',
                  label: r.agentName ?? t('report.unassigned'),
                  tally: r,
                }))}
              />
            )}
            <TallyTable
              caption={t('report.byPeriodCaption', {
                unit: t(unit === 'week' ? 'report.unitWeek' : 'report.unitMonth'),
                period,
              })}
              head={t('report.periodStart')}
              rows={data.byPeriod.map((r) => ({
                key: r.start,
                label: formatShortDay(r.start, locale),
                tally: r,
              }))}
            />
          </div>
          <LatestAnswers report={data} ticketPath={(id) => `/console/tickets/${id}`} />
        </div>
      )}
      {canConfigure && <SatisfactionSettingsForm />}
    </section>
  );
}

/** The tiers whose requesters are asked (leads and admins). */
function SatisfactionSettingsForm() {
  const { t } = useTranslation('satisfaction');
  const { t: tc } = useTranslation();
  const settings = useSatisfactionSettings(true);
  const save = useSaveSatisfactionSettings();
  const [choice, setChoice] = useState<Tier[] | null>(null);
  const enabled = choice ?? settings.data?.enabledTiers ?? [];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(enabled, { onSuccess: () => setChoice(null) });
  };
  return (
    <form className="satisfaction-settings" onSubmit={submit} data-testid="satisfaction-settings">
      <h3>{t('settings.title')}</h3>
      <p className="muted">{t('settings.intro')}</p>
      <ErrorMessage error={settings.error ?? save.error} />
      <fieldset disabled={!settings.data}>
        <legend className="visually-hidden">{t('settings.title')}</legend>
        {TIERS.map((tier) => (
          <label key={tier}>
            <input
              type="checkbox"
              checked={enabled.includes(tier)}
              onChange={(e) =>
                setChoice(e.target.checked ? [...enabled, tier] : enabled.filter((x) => x !== tier))
              }
            />{' '}
            {tc(`tier.${tier}`)}
          </label>
        ))}
      </fieldset>
      <div className="form-actions">
        <button type="submit" disabled={!settings.data || save.isPending}>
          {t('settings.save')}
        </button>
        {save.isSuccess && choice === null && <span role="status">{t('settings.saved')}</span>}
      </div>
    </form>
  );
}
