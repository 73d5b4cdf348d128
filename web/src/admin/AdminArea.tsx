import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { isAdminUser, useSession } from '../auth/session';
import { Loading } from '../shared/components';
import './admin.css';
import { CalendarsPage } from './CalendarsPage';
import { MailPage } from './MailPage';
import { OrganizationPage } from './OrganizationPage';
import { OrganizationsPage } from './OrganizationsPage';
import { PolicyPage } from './PolicyPage';
import { PolicyVersionsPage } from './PolicyVersionsPage';
import { UsersPage } from './UsersPage';

// The help center's editor and metrics are a chunk of their own, loaded when first opened.
const HelpCenterPages = lazy(() => import('./helpcenter/HelpCenterPages'));
// So are the reports, with the chart library only they use.
const ReportsPages = lazy(() => import('./reports/ReportsPages'));
// And the status page's incidents and components.
const StatusPages = lazy(() => import('./status/StatusPages'));
// And fair use: flags with their evidence, support limits, the audit log and the spam folder.
const FairUsePages = lazy(() => import('./fairuse/FairUsePages'));

const SECTIONS = [
  'organizations',
  'users',
  'policy',
  'versions',
  'calendars',
  'mail',
  'helpcenter',
  'reports',
  'status',
  'fairuse',
] as const;

/**
 * The admin area for leads and admins: customers, people, and the support policy the desk runs.
 * Agents come here for the help center, whose articles every member of staff writes, the reports,
 * which measure the promise every member of staff keeps, and the status page, whose incidents any
 * member of staff on a P0 may have to publish.
 */
export default function AdminArea() {
  const { t } = useTranslation('admin');
  const { user } = useSession();
  const admin = isAdminUser(user);
  const helpCenter = (
    <Suspense fallback={<Loading />}>
      <HelpCenterPages />
    </Suspense>
  );
  const reports = (
    <Suspense fallback={<Loading />}>
      <ReportsPages />
    </Suspense>
  );
  const status = (
    <Suspense fallback={<Loading />}>
      <StatusPages />
    </Suspense>
  );
  const fairUse = (
    <Suspense fallback={<Loading />}>
      <FairUsePages />
    </Suspense>
  );
  return (
    <div className="admin">
      {/* Agents reach the help center, the reports and the status page from the top bar: the sections open to them. */}
      {admin && (
        <nav className="admin-nav" aria-label={t('nav.label')}>
          <ul>
            {SECTIONS.map((section) => (
              <li key={section}>
                <NavLink to={`/admin/${section}`}>{t(`nav.${section}`)}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {admin ? (
        <Routes>
          <Route index element={<Navigate to="organizations" replace />} />
          <Route path="organizations" element={<OrganizationsPage />} />
          <Route path="organizations/:id" element={<OrganizationPage />} />
          <Route path="users" element={<UsersPage />} />
          <Route path="policy" element={<PolicyPage />} />
          <Route path="versions" element={<PolicyVersionsPage />} />
          <Route path="calendars" element={<CalendarsPage />} />
          <Route path="mail" element={<MailPage />} />
          <Route path="helpcenter/*" element={helpCenter} />
          <Route path="reports/*" element={reports} />
          <Route path="status/*" element={status} />
          <Route path="fairuse/*" element={fairUse} />
          <Route path="*" element={<Navigate to="organizations" replace />} />
        </Routes>
      ) : (
        <Routes>
          <Route path="helpcenter/*" element={helpCenter} />
          <Route path="reports/*" element={reports} />
          <Route path="status/*" element={status} />
          <Route path="*" element={<Navigate to="/admin/helpcenter" replace />} />
        </Routes>
      )}
    </div>
  );
}
