import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { MonthlyReport } from '../../reports/MonthlyReport';
import { MonthPicker } from '../../reports/MonthPicker';
import { isMonth, monthStart, todayUtc } from '../../reports/period';
import { FormField, useDocumentTitle } from '../common';
import { useReportOrganizations } from './queries';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** /admin/reports/monthly?organizationId=…&month=YYYY-MM: an organization's printable month. */
export function MonthlyReportPage() {
  const { t } = useTranslation('reports');
  const [params, setParams] = useSearchParams();
  const organizations = useReportOrganizations();
  const organizationParam = params.get('organizationId');
  const organizationId = organizationParam && UUID.test(organizationParam) ? organizationParam : '';
  const monthParam = params.get('month');
  // Last month by default: the last one complete.
  const month = isMonth(monthParam) ? monthParam : monthStart(todayUtc(), -1).slice(0, 7);
  const choose = (next: { organizationId?: string; month?: string }) => {
    const query = new URLSearchParams({ month: next.month ?? month });
    const org = next.organizationId ?? organizationId;
    if (org) query.set('organizationId', org);
    setParams(query, { replace: true });
  };
  useDocumentTitle(t('monthly.heading'));

  const controls = (
    <>
      <p className="report-back">
        <Link to="/admin/reports">← {t('monthly.back')}</Link>
      </p>
      <div className="toolbar">
        <FormField label={t('filters.organization')}>
          {(p) => (
            <select
              {...p}
              value={organizationId}
              onChange={(e) => choose({ organizationId: e.target.value })}
            >
              <option value="" disabled>
                {t('monthly.chooseOrganization')}
              </option>
              {(organizations.data ?? []).map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <MonthPicker month={month} onChange={(m) => choose({ month: m })} />
      </div>
    </>
  );

  return organizationId ? (
    <MonthlyReport
      organizationId={organizationId}
      month={month}
      ticketPath={(id) => `/console/tickets/${id}`}
      controls={controls}
    />
  ) : (
    <section aria-labelledby="monthly-title" className="monthly-report">
      <div className="report-controls">{controls}</div>
      <h1 id="monthly-title">{t('monthly.heading')}</h1>
      <p>{t('monthly.pickOrganization')}</p>
    </section>
  );
}
