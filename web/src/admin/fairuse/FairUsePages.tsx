import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router';
import './fairuse.css';
import { FlagsPage } from './FlagsPage';
import { OrganizationReviewPage } from './OrganizationReviewPage';
import { SpamPage } from './SpamPage';

const PAGES = [
  ['', 'flags'],
  ['spam', 'spam'],
] as const;

/**
 * Admin → Fair use, at /admin/fairuse, for leads and admins (policy section 5): the organizations
 * whose use shows the signs the policy names, each with its evidence, the limits applied and the
 * audit log of every action; and the spam folder of what the public doors refused.
 */
export default function FairUsePages() {
  const { t } = useTranslation('fairuse');
  const { pathname } = useLocation();
  const onSpam = pathname.startsWith('/admin/fairuse/spam');
  return (
    <div className="admin-section fairuse-admin">
      <nav className="section-subnav" aria-label={t('nav.label')}>
        <ul>
          {PAGES.map(([path, key]) => (
            <li key={key}>
              {/* The flags page holds the organizations' reviews: it stays current while one is open. */}
              <NavLink
                to={`/admin/fairuse${path ? `/${path}` : ''}`}
                className={() => ((key === 'spam') === onSpam ? 'active' : '')}
                end
              >
                {t(`nav.${key}`)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<FlagsPage />} />
        <Route path="organizations/:id" element={<OrganizationReviewPage />} />
        <Route path="spam" element={<SpamPage />} />
        <Route path="*" element={<Navigate to="/admin/fairuse" replace />} />
      </Routes>
    </div>
  );
}
