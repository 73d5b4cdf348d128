import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router';
import { useSession } from '../auth/session';
import { MonthlyReport } from '../reports/MonthlyReport';
import { MonthPicker } from '../reports/MonthPicker';
import { isMonth, monthStart, todayUtc } from '../reports/period';

/**
 * /portal/report?month=YYYY-MM: the designated contact's service report, how the policy's promise
 * was kept for their own organization over a month, ready to print. Its own chunk, with the
 * report's code, loaded when a contact opens it.
 */
export default function ServiceReportPage() {
  const { t } = useTranslation('portal');
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const monthParam = params.get('month');
  const month = isMonth(monthParam) ? monthParam : monthStart(todayUtc(), -1).slice(0, 7);
  if (user?.role !== 'contact' || !user.organizationId) return <Navigate to="/portal" replace />;
  return (
    <div className="portal-page">
      <MonthlyReport
        organizationId={user.organizationId}
        month={month}
        ticketPath={(id) => `/portal/tickets/${id}`}
        controls={
          <>
            <p className="report-back">
              <Link to="/portal">← {t('ticket.back')}</Link>
            </p>
            <MonthPicker month={month} onChange={(m) => setParams({ month: m }, { replace: true })} />
          </>
        }
      />
    </div>
  );
}
