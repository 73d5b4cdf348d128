import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { homeFor, isStaffUser, useSession } from './auth/session';
import { LoginPage } from './auth/LoginPage';
import { ForgotPasswordPage, ResetPasswordPage } from './auth/PasswordResetPages';
import { Layout } from './shared/Layout';
import { Loading } from './shared/components';

// Each area is its own chunk: a customer's browser never downloads the agent console or admin.
const ConsoleArea = lazy(() => import('./console/ConsoleArea'));
const PortalArea = lazy(() => import('./portal/PortalArea'));
const AdminArea = lazy(() => import('./admin/AdminArea'));
const WidgetArea = lazy(() => import('./portal/WidgetArea'));

function RequireUser({
  allow,
  children,
}: {
  allow: (u: NonNullable<ReturnType<typeof useSession>['user']>) => boolean;
  children: ReactNode;
}) {
  const { user, loading } = useSession();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!user)
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (!allow(user)) return <Navigate to={homeFor(user)} replace />;
  return children;
}

function Home() {
  const { user, loading } = useSession();
  if (loading) return <Loading />;
  return <Navigate to={user ? homeFor(user) : '/login'} replace />;
}

export function App() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/widget/*" element={<WidgetArea />} />
        <Route element={<Layout />}>
          <Route path="/" element={<Home />} />
          <Route path="/login" element={<LoginPage />} />
          <Route path="/forgot-password" element={<ForgotPasswordPage />} />
          <Route path="/reset-password" element={<ResetPasswordPage />} />
          <Route
            path="/console/*"
            element={
              <RequireUser allow={isStaffUser}>
                <ConsoleArea />
              </RequireUser>
            }
          />
          <Route
            path="/portal/*"
            element={
              <RequireUser allow={(u) => !isStaffUser(u)}>
                <PortalArea />
              </RequireUser>
            }
          />
          {/* Leads and admins; agents too, for the help center, reports and status (AdminArea routes them). */}
          <Route
            path="/admin/*"
            element={
              <RequireUser allow={isStaffUser}>
                <AdminArea />
              </RequireUser>
            }
          />
          <Route path="*" element={<Home />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
