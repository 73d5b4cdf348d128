import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { CHANNELS, PRIORITIES, STATUSES, TIERS, type Channel, type Tier } from '../api/types';
import { useSession } from '../auth/session';
import { formatDateTime, humanizeSeconds } from '../shared/format';
import { useLocale } from '../shared/components';
import { EMPTY_FILTERS, type QueueFilters } from './filters';
import { useOrganizations, useStaff } from './queries';
import { TagFilter } from './TagFilter';

function toggle<T>(values: T[], value: T, on: boolean, order: readonly T[]): T[] {
  const set = new Set(values);
  if (on) set.add(value);
  else set.delete(value);
  return order.filter((v) => set.has(v));
}

/** The queue's filters; every change goes straight to the URL, which the list follows. */
export function FilterBar({
  filters,
  onChange,
}: {
  filters: QueueFilters;
  onChange: (next: QueueFilters) => void;
}) {
  const { t } = useTranslation('console');
  const locale = useLocale();
  const { user } = useSession();
  const staff = useStaff();
  const organizations = useOrganizations();
  const headingId = useId();
  const set = (patch: Partial<QueueFilters>) => onChange({ ...filters, ...patch });
  const others = (staff.data ?? []).filter((s) => s.id !== user?.id);
  const dueLimit = filters.dueWithin
    ? t('filters.dueWithin', { time: humanizeSeconds(filters.dueWithin * 60, locale) })
    : filters.dueBefore
      ? t('filters.dueBefore', { time: formatDateTime(filters.dueBefore, locale) })
      : null;

  return (
    <section className="queue-filters card" aria-labelledby={headingId}>
      <h2 id={headingId} className="visually-hidden">
        {t('filters.heading')}
      </h2>
      <fieldset className="filter-group">
        <legend>{t('filters.status')}</legend>
        {STATUSES.map((s) => (
          <label key={s} className="check">
            <input
              type="checkbox"
              checked={filters.status.includes(s)}
              onChange={(e) => set({ status: toggle(filters.status, s, e.target.checked, STATUSES) })}
            />
            {t(`common:status.${s}`)}
          </label>
        ))}
      </fieldset>
      <fieldset className="filter-group">
        <legend>{t('filters.priority')}</legend>
        {PRIORITIES.map((p) => (
          <label key={p} className="check" title={t(`common:priority.${p}`)}>
            <input
              type="checkbox"
              checked={filters.priority.includes(p)}
              onChange={(e) => set({ priority: toggle(filters.priority, p, e.target.checked, PRIORITIES) })}
            />
            {p}
          </label>
        ))}
      </fieldset>
      <div className="filter-selects">
        <label className="field">
          <span className="field-label">{t('filters.tier')}</span>
          <select
            value={filters.tier ?? ''}
            onChange={(e) => set({ tier: (e.target.value || undefined) as Tier | undefined })}
          >
            <option value="">{t('filters.any')}</option>
            {TIERS.map((tier) => (
              <option key={tier} value={tier}>
                {t(`common:tier.${tier}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('filters.organization')}</span>
          <select
            value={filters.organizationId ?? ''}
            onChange={(e) => set({ organizationId: e.target.value || undefined })}
          >
            <option value="">{t('filters.any')}</option>
            {(organizations.data ?? []).map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('filters.assignee')}</span>
          <select
            value={filters.assigneeId ?? ''}
            onChange={(e) => set({ assigneeId: e.target.value || undefined })}
          >
            <option value="">{t('filters.any')}</option>
            <option value="none">{t('filters.unassigned')}</option>
            {user && <option value={user.id}>{t('filters.me')}</option>}
            {others.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('filters.channel')}</span>
          <select
            value={filters.channel ?? ''}
            onChange={(e) => set({ channel: (e.target.value || undefined) as Channel | undefined })}
          >
            <option value="">{t('filters.any')}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`common:channel.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <TagFilter tag={filters.tag} onChange={(tag) => set({ tag })} />
        <label className="field">
          <span className="field-label">{t('filters.breach')}</span>
          <select
            value={filters.breached === undefined ? '' : String(filters.breached)}
            onChange={(e) => set({ breached: e.target.value === '' ? undefined : e.target.value === 'true' })}
          >
            <option value="">{t('filters.breachAny')}</option>
            <option value="true">{t('filters.breached')}</option>
            <option value="false">{t('filters.notBreached')}</option>
          </select>
        </label>
        {dueLimit && (
          <span className="filter-chip">
            {dueLimit}
            <button
              type="button"
              className="link"
              aria-label={t('filters.removeLimit', { limit: dueLimit })}
              onClick={() => set({ dueWithin: undefined, dueBefore: undefined })}
            >
              ×
            </button>
          </span>
        )}
        <button type="button" onClick={() => onChange({ ...EMPTY_FILTERS, sort: filters.sort })}>
          {t('filters.clear')}
        </button>
      </div>
    </section>
  );
}
