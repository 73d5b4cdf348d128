import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../shared/components';
import { formatMonth } from './format';
import { recentMonths, todayUtc } from './period';

const MONTHS_OFFERED = 24;

/** Chooses a month among the last two years' (and the one chosen, if older). */
export function MonthPicker({ month, onChange }: { month: string; onChange: (month: string) => void }) {
  const { t } = useTranslation('reports');
  const locale = useLocale();
  const id = useId();
  const months = recentMonths(todayUtc(), MONTHS_OFFERED);
  if (!months.includes(month)) months.push(month);
  months.sort().reverse();
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {t('monthly.month')}
      </label>
      <select id={id} value={month} onChange={(e) => onChange(e.target.value)}>
        {months.map((m) => (
          <option key={m} value={m}>
            {formatMonth(m, locale)}
          </option>
        ))}
      </select>
    </div>
  );
}
