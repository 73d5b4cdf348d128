import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { isAdminUser, useSession } from '../../auth/session';
import { EditArticlePage, NewArticlePage } from './ArticlePage';
import { ArticlesPage } from './ArticlesPage';
import { CategoriesPage } from './CategoriesPage';
import './helpcenter.css';
import { MetricsPage } from './MetricsPage';

/**
 * Admin → Help center, at /admin/helpcenter: articles and known issues (any member of staff writes
 * them), the categories and sections they are filed in (leads and admins), and how customers use it.
 */
export default function HelpCenterPages() {
  const { t } = useTranslation('admin');
  const { user } = useSession();
  const manager = isAdminUser(user);
  const pages = manager
    ? (['articles', 'categories', 'metrics'] as const)
    : (['articles', 'metrics'] as const);
  return (
    <div className="admin-section hc-admin">
      <nav className="section-subnav" aria-label={t('hc.nav.label')}>
        <ul>
          {pages.map((page) => (
            <li key={page}>
              <NavLink to={`/admin/helpcenter/${page}`}>{t(`hc.nav.${page}`)}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<Navigate to="articles" replace />} />
        <Route path="articles" element={<ArticlesPage />} />
        <Route path="articles/new" element={<NewArticlePage />} />
        <Route path="articles/:id" element={<EditArticlePage />} />
        {manager && <Route path="categories" element={<CategoriesPage />} />}
        <Route path="metrics" element={<MetricsPage />} />
        <Route path="*" element={<Navigate to="/admin/helpcenter/articles" replace />} />
      </Routes>
    </div>
  );
}
