import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get } from '../../api/client';
import type { EngagementCounts, HelpCenterMetrics } from '../../api/helpcenter';
import type { Locale } from '../../api/types';
import { LOCALES } from '../../i18n';
import { ErrorMessage, Loading, useLocale } from '../../shared/components';
import { dayToInstant, FormField, instantToDay, todayUtc, useDocumentTitle } from '../common';
import { hcKeys } from './queries';

const DEFAULT_DAYS = 30;
const DAY_MS = 86_400_000;

const addDays = (day: string, days: number) =>
  instantToDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString());

/** The counts shown per locale, in the order they happen: search, read, suggest, deflect, vote. */
const COLUMNS: (keyof EngagementCounts)[] = [
  'searches',
  'searchesWithoutResults',
  'views',
  'suggestionSessions',
  'suggestionsShown',
  'suggestionsOpened',
  'deflections',
  'ticketsAfterSuggestions',
  'helpfulYes',
  'helpfulNo',
];

function useNumber() {
  const locale = useLocale();
  const tag = locale === 'fr' ? 'fr-FR' : 'en-US';
  return {
    count: (n: number) => new Intl.NumberFormat(tag).format(n),
    share: (part: number, whole: number) =>
      whole > 0
        ? new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 0 }).format(part / whole)
        : '—',
  };
}

function Totals({ totals }: { totals: EngagementCounts }) {
  const { t } = useTranslation('admin');
  const number = useNumber();
  // Deflected: of the forms that showed suggestions, those left without sending after reading one.
  const rates = [
    ['deflectionRate', number.share(totals.deflections, totals.suggestionSessions)],
    ['openRate', number.share(totals.suggestionsOpened, totals.suggestionsShown)],
    ['noResultRate', number.share(totals.searchesWithoutResults, totals.searches)],
  ] as const;
  return (
    <dl className="hc-stats">
      {COLUMNS.map((c) => (
        <div key={c} data-testid={`metric-${c}`}>
          <dt>{t(`hc.metrics.counts.${c}`)}</dt>
          <dd>{number.count(totals[c])}</dd>
        </div>
      ))}
      {rates.map(([name, value]) => (
        <div key={name} className="rate">
          <dt>{t(`hc.metrics.${name}`)}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * How the help center serves customers over a period: searches and those that found nothing (the
 * content to write next), reads, suggestions while writing a ticket and the tickets they spared.
 */
export function MetricsPage() {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const number = useNumber();
  useDocumentTitle(t('hc.metrics.title'));
  const [to, setTo] = useState(todayUtc);
  const [from, setFrom] = useState(() => addDays(todayUtc(), -DEFAULT_DAYS));
  const [locale, setLocale] = useState<Locale | ''>('');
  const valid = !!from && !!to && from <= to;
  const query = useQuery({
    queryKey: hcKeys.metrics(from, to, locale),
    // The period runs to the end of the last day chosen.
    queryFn: () =>
      get<HelpCenterMetrics>('/helpcenter/metrics', {
        from: dayToInstant(from),
        to: dayToInstant(addDays(to, 1)),
        locale,
      }),
    enabled: valid,
  });
  const data = query.data;

  return (
    <section aria-labelledby="hc-metrics-title">
      <h1 id="hc-metrics-title">{t('hc.metrics.title')}</h1>
      <div className="toolbar">
        <FormField label={t('hc.metrics.from')}>
          {(p) => (
            <input
              {...p}
              type="date"
              value={from}
              max={to}
              required
              onChange={(e) => setFrom(e.target.value)}
            />
          )}
        </FormField>
        <FormField label={t('hc.metrics.to')}>
          {(p) => (
            <input
              {...p}
              type="date"
              value={to}
              min={from}
              required
              onChange={(e) => setTo(e.target.value)}
            />
          )}
        </FormField>
        <FormField label={t('hc.metrics.locale')}>
          {(p) => (
            <select {...p} value={locale} onChange={(e) => setLocale(e.target.value as Locale | '')}>
              <option value="">{t('hc.metrics.allLanguages')}</option>
              {LOCALES.map((l) => (
                <option key={l} value={l}>
                  {tc(`languageName.${l}`)}
                </option>
              ))}
            </select>
          )}
        </FormField>
      </div>
      {!valid && <p role="alert">{t('hc.metrics.badPeriod')}</p>}
      {valid && query.isPending && <Loading />}
      <ErrorMessage error={query.error} />
      {data && (
        <div aria-busy={query.isFetching}>
          <h2>{t('hc.metrics.totals')}</h2>
          <Totals totals={data.totals} />

          {data.locales.length > 0 && (
            <>
              <h2 id="hc-metrics-locales">{t('hc.metrics.perLocale')}</h2>
              <div className="table-wrap">
                <table className="responsive hc-number-table" aria-labelledby="hc-metrics-locales">
                  <thead>
                    <tr>
                      <th scope="col">{t('hc.metrics.locale')}</th>
                      {COLUMNS.map((c) => (
                        <th key={c} scope="col">
                          {t(`hc.metrics.counts.${c}`)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {data.locales.map((row) => (
                      <tr key={row.locale}>
                        <th scope="row">{tc(`languageName.${row.locale}`)}</th>
                        {COLUMNS.map((c) => (
                          <td key={c} data-label={t(`hc.metrics.counts.${c}`)}>
                            {number.count(row[c])}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}

          <h2 id="hc-metrics-gaps">{t('hc.metrics.contentGaps')}</h2>
          <p className="muted">{t('hc.metrics.contentGapsIntro')}</p>
          {data.contentGaps.length === 0 ? (
            <p>{t('hc.metrics.noGaps')}</p>
          ) : (
            <div className="table-wrap">
              <table className="responsive" aria-labelledby="hc-metrics-gaps">
                <thead>
                  <tr>
                    <th scope="col">{t('hc.metrics.query')}</th>
                    <th scope="col">{t('hc.metrics.locale')}</th>
                    <th scope="col">{t('hc.metrics.times')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.contentGaps.map((g) => (
                    <tr key={`${g.locale}-${g.query}`}>
                      <th scope="row">{g.query}</th>
                      <td data-label={t('hc.metrics.locale')}>
                        {tc(`languageName.${g.locale}`, { defaultValue: g.locale })}
                      </td>
                      <td data-label={t('hc.metrics.times')}>{number.count(g.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}

          <h2 id="hc-metrics-articles">{t('hc.metrics.articles')}</h2>
          {data.articles.length === 0 ? (
            <p>{t('hc.metrics.noArticles')}</p>
          ) : (
            <div className="table-wrap">
              <table className="responsive hc-number-table" aria-labelledby="hc-metrics-articles">
                <thead>
                  <tr>
                    <th scope="col">{t('hc.articles.articleTitle')}</th>
                    <th scope="col">{t('hc.metrics.counts.views')}</th>
                    <th scope="col">{t('hc.metrics.suggested')}</th>
                    <th scope="col">{t('hc.metrics.opened')}</th>
                    <th scope="col">{t('hc.metrics.counts.deflections')}</th>
                    <th scope="col">{t('hc.metrics.counts.helpfulYes')}</th>
                    <th scope="col">{t('hc.metrics.counts.helpfulNo')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.articles.map((a) => (
                    <tr key={a.articleId}>
                      <th scope="row">
                        <Link to={`/admin/helpcenter/articles/${a.articleId}`}>{a.title || a.articleId}</Link>
                      </th>
                      <td data-label={t('hc.metrics.counts.views')}>{number.count(a.views)}</td>
                      <td data-label={t('hc.metrics.suggested')}>{number.count(a.suggested)}</td>
                      <td data-label={t('hc.metrics.opened')}>{number.count(a.opened)}</td>
                      <td data-label={t('hc.metrics.counts.deflections')}>{number.count(a.deflections)}</td>
                      <td data-label={t('hc.metrics.counts.helpfulYes')}>{number.count(a.helpfulYes)}</td>
                      <td data-label={t('hc.metrics.counts.helpfulNo')}>{number.count(a.helpfulNo)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
