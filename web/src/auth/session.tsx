import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { ApiError, get, post, setBearerToken, setCsrfToken } from '../api/client';
import type { Session, SessionUser } from '../api/types';
import { setLocale } from '../i18n';

interface SessionState {
  user: SessionUser | null;
  loading: boolean;
  signIn: (email: string, password: string) => Promise<SessionUser>;
  signOut: () => Promise<void>;
  refresh: () => Promise<unknown>;
}

const SessionContext = createContext<SessionState | null>(null);

async function fetchSession(): Promise<Session | null> {
  try {
    const session = await get<Session>('/auth/session');
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** Holds who is signed in; every screen reads it through useSession(). */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: ['session'], queryFn: fetchSession, staleTime: Infinity, retry: false });
  const state: SessionState = {
    user: query.data?.user ?? null,
    loading: query.isPending,
    signIn: async (email, password) => {
      const session = await post<Session>('/auth/login', { email, password });
      setCsrfToken(session.csrfToken);
      if (session.user.locale && !localStorage.getItem('accord.locale'))
        setLocale(session.user.locale, false);
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
  };
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
