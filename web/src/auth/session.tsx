import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { ApiError, get, patch, post, setBearerToken, setCsrfToken } from '../api/client';
import type { Locale, Session, SessionUser } from '../api/types';
import { showLocale } from '../i18n';

interface SessionState {
  user: SessionUser | null;
  loading: boolean;
  signIn: (email: string, password: string) => Promise<SessionUser>;
  signOut: () => Promise<void>;
  refresh: () => Promise<unknown>;
  /**
   * Shows the app in another language; a signed-in user's profile keeps the choice, so that it
   * follows them to every page, tab and device. An anonymous visitor's stays on this device.
   */
  chooseLocale: (locale: Locale) => Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

/** The profile's language comes first; without one, the device's choice or the browser's stays. */
async function showProfileLocale(user: SessionUser) {
  if (user.locale) await showLocale(user.locale);
}

async function fetchSession(): Promise<Session | null> {
  try {
    const session = await get<Session>('/auth/session');
    setCsrfToken(session.csrfToken);
    await showProfileLocale(session.user);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/**
 * Holds who is signed in; every screen reads it through useSession(). Nothing renders before the
 * session is known, so that a reload, a new tab or a deep link opens in the profile's language
 * rather than flashing the browser's.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: ['session'], queryFn: fetchSession, staleTime: Infinity, retry: false });
  const user = query.data?.user ?? null;
  const state: SessionState = {
    user,
    loading: query.isPending,
    signIn: async (email, password) => {
      const session = await post<Session>('/auth/login', { email, password });
      setCsrfToken(session.csrfToken);
      await showProfileLocale(session.user);
      queryClient.setQueryData(['session'], session);
      return session.user;
    },
    signOut: async () => {
      try {
        await post('/auth/logout');
      } finally {
        setCsrfToken(null);
        setBearerToken(null);
        queryClient.clear();
        queryClient.setQueryData(['session'], null);
      }
    },
    refresh: () => query.refetch(),
    chooseLocale: async (locale) => {
      await showLocale(locale, true);
      if (!user || user.locale === locale) return;
      // Users may change their own profile (PATCH /users/{id}); what the server words (mail,
      // incident updates) follows the profile too, so what is on screen is fetched again.
      await patch(`/users/${user.id}`, { locale });
      queryClient.setQueryData<Session | null>(['session'], (session) =>
        session ? { ...session, user: { ...session.user, locale } } : session,
      );
      await queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
    },
  };
  if (query.isPending) return null;
  return <SessionContext.Provider value={state}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

export const isStaffUser = (u: SessionUser | null) => !!u && ['agent', 'lead', 'admin'].includes(u.role);
export const isAdminUser = (u: SessionUser | null) => !!u && (u.role === 'admin' || u.role === 'lead');

/** Where a user lands after signing in. */
export const homeFor = (u: SessionUser) => (isStaffUser(u) ? '/console' : '/portal');
