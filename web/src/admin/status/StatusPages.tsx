import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { ComponentsPage } from './ComponentsPage';
import { IncidentPage } from './IncidentPage';
import { IncidentsPage } from './IncidentsPage';
import { NewIncidentPage } from './NewIncidentPage';
import './status.css';

const PAGES = [
  ['', 'incidents'],
  ['components', 'components'],
  ['maintenance/new', 'maintenance'],
] as const;

/**
 * Admin → Status, at /admin/status, for every member of staff: incidents and maintenance with their
 * updates, the components the public page (/status) lists, and the tickets an incident holds.
 */
export default function StatusPages() {
  const { t } = useTranslation('admin');
  return (
    <div className="admin-section status-admin">
      <nav className="section-subnav" aria-label={t('status.nav.label')}>
        <ul>
          {PAGES.map(([path, key]) => (
            <li key={key}>
              <NavLink to={`/admin/status${path ? `/${path}` : ''}`} end>
                {t(`status.nav.${key}`)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<IncidentsPage />} />
        <Route path="components" element={<ComponentsPage />} />
        <Route path="incidents/new" element={<NewIncidentPage key="incident" kind="incident" />} />
        <Route path="maintenance/new" element={<NewIncidentPage key="maintenance" kind="maintenance" />} />
        <Route path="incidents/:id" element={<IncidentPage />} />
        <Route path="*" element={<Navigate to="/admin/status" replace />} />
      </Routes>
    </div>
  );
}
