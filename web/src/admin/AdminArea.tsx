import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import './admin.css';
import { CalendarsPage } from './CalendarsPage';
import { MailPage } from './MailPage';
import { OrganizationPage } from './OrganizationPage';
import { OrganizationsPage } from './OrganizationsPage';
import { PolicyPage } from './PolicyPage';
import { PolicyVersionsPage } from './PolicyVersionsPage';
import { UsersPage } from './UsersPage';

const SECTIONS = ['organizations', 'users', 'policy', 'versions', 'calendars', 'mail'] as const;

/** The admin area for leads and admins: customers, people, and the support policy the desk runs. */
export default function AdminArea() {
  const { t } = useTranslation('admin');
  return (
    <div className="admin">
      <nav className="admin-nav" aria-label={t('nav.label')}>
        <ul>
          {SECTIONS.map((section) => (
            <li key={section}>
              <NavLink to={`/admin/${section}`}>{t(`nav.${section}`)}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<Navigate to="organizations" replace />} />
        <Route path="organizations" element={<OrganizationsPage />} />
        <Route path="organizations/:id" element={<OrganizationPage />} />
        <Route path="users" element={<UsersPage />} />
        <Route path="policy" element={<PolicyPage />} />
        <Route path="versions" element={<PolicyVersionsPage />} />
        <Route path="calendars" element={<CalendarsPage />} />
        <Route path="mail" element={<MailPage />} />
        <Route path="*" element={<Navigate to="organizations" replace />} />
      </Routes>
    </div>
  );
}
