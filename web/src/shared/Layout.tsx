import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { ChatNavLink } from '../console/chat/ChatNavLink';
import { LanguageSwitch } from '../auth/LanguageSwitch';
import { SearchBox } from '../search/SearchBox';
import { isAdminUser, isStaffUser, useSession } from '../auth/session';

/** The frame around every signed-in screen: the areas the user may open, language, sign out. */
export function Layout() {
  const { t } = useTranslation();
  const { user, signOut } = useSession();
  const navigate = useNavigate();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="topbar">
        <span className="brand">Accord</span>
        {user && (
          <nav aria-label={t('nav.label')}>
            {isStaffUser(user) ? (
              <>
                <NavLink to="/console">{t('nav.console')}</NavLink>
                <ChatNavLink />
              </>
            ) : (
              <NavLink to="/portal">{t('nav.portal')}</NavLink>
            )}
            {isAdminUser(user) ? (
              <NavLink to="/admin">{t('nav.admin')}</NavLink>
            ) : (
              isStaffUser(user) && (
                <>
                  <NavLink to="/admin/helpcenter">{t('nav.helpCenter')}</NavLink>
                  <NavLink to="/admin/reports">{t('nav.reports')}</NavLink>
                  <NavLink to="/admin/status">{t('nav.status')}</NavLink>
                </>
              )
            )}
          </nav>
        )}
        <span className="spacer" />
        {user && <SearchBox />}
        <LanguageSwitch />
        {user && (
          <>
            <span className="whoami" title={user.email}>
              {user.name}
            </span>
            <button
              type="button"
              className="link"
              onClick={() => void signOut().then(() => navigate('/login'))}
            >
              {t('signOut')}
            </button>
          </>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
