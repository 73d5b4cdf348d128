import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { CHANNELS, TIERS, type Channel, type Tier } from '../../api/types';
import { presetOf, presetPeriod, PRESETS, todayUtc } from '../../reports/period';
import { FormField } from '../common';
import { validPeriod, type ReportFilters } from './filters';
import { useReportAgents, useReportOrganizations } from './queries';

/** The reports' filters; every change goes straight to the URL, which the page follows. */
export function FilterPanel({
  filters,
  onChange,
}: {
  filters: ReportFilters;
  onChange: (next: ReportFilters) => void;
}) {
  const { t } = useTranslation('reports');
  const { t: tc } = useTranslation();
  const organizations = useReportOrganizations();
  const agents = useReportAgents();
  const headingId = useId();
  const today = todayUtc();
  const chosenPreset = presetOf(filters.period, today);
  const set = (patch: Partial<ReportFilters>) => onChange({ ...filters, ...patch });

  return (
    <section className="report-filters card" aria-labelledby={headingId}>
      <h2 id={headingId} className="visually-hidden">
        {t('filters.heading')}
      </h2>
      <div className="report-presets" role="group" aria-label={t('filters.presets')}>
        {PRESETS.map((preset) => (
          <button
            key={preset}
            type="button"
            aria-pressed={chosenPreset === preset}
            onClick={() => set({ period: presetPeriod(preset, today) })}
          >
            {t(`filters.preset.${preset}`)}
          </button>
        ))}
      </div>
      <div className="toolbar">
        <FormField label={t('filters.from')}>
          {(p) => (
            <input
              {...p}
              type="date"
              value={filters.period.from}
              required
              onChange={(e) => e.target.value && set({ period: { ...filters.period, from: e.target.value } })}
            />
          )}
        </FormField>
        <FormField label={t('filters.to')}>
          {(p) => (
            <input
              {...p}
              type="date"
              value={filters.period.to}
              required
              onChange={(e) => e.target.value && set({ period: { ...filters.period, to: e.target.value } })}
            />
          )}
        </FormField>
        <FormField label={t('filters.tier')}>
          {(p) => (
            <select
              {...p}
              value={filters.tier ?? ''}
              onChange={(e) => set({ tier: (e.target.value || undefined) as Tier | undefined })}
            >
              <option value="">{t('filters.allTiers')}</option>
              {TIERS.map((tier) => (
                <option key={tier} value={tier}>
                  {tc(`tier.${tier}`)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label={t('filters.organization')}>
          {(p) => (
            <select
              {...p}
              value={filters.organizationId ?? ''}
              onChange={(e) => set({ organizationId: e.target.value || undefined })}
            >
              <option value="">{t('filters.allOrganizations')}</option>
              {(organizations.data ?? []).map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label={t('filters.channel')}>
          {(p) => (
            <select
              {...p}
              value={filters.channel ?? ''}
              onChange={(e) => set({ channel: (e.target.value || undefined) as Channel | undefined })}
            >
              <option value="">{t('filters.allChannels')}</option>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {tc(`channel.${c}`)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label={t('filters.agent')}>
          {(p) => (
            <select
              {...p}
              value={filters.agentId ?? ''}
              onChange={(e) => set({ agentId: e.target.value || undefined })}
            >
              <option value="">{t('filters.allAgents')}</option>
              {(agents.data ?? []).map((a) => (
                <option key={a.id} value={a.id}>
                  {a.active ? a.name : t('filters.inactiveAgent', { name: a.name })}
                </option>
              ))}
            </select>
          )}
        </FormField>
      </div>
      {!validPeriod(filters.period) && <p role="alert">{t('filters.badPeriod')}</p>}
      <p className="muted report-scope">{t('filters.scope')}</p>
    </section>
  );
}
