import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { embedOut } from '../../../src/channels/in-app/schema';
import { ApiError, get, getBearerToken, post, setBearerToken } from '../api/client';
import type { Locale, Session, SessionUser } from '../api/types';
import { setLocale } from '../i18n';
import { ErrorMessage, Loading } from '../shared/components';
import type { UploadFailure } from './api';
import { UploadFailures } from './Attachments';
import { TicketForm } from './TicketForm';
import { CompactTicketList } from './TicketList';
import { TicketView } from './TicketView';
import './portal.css';

/** POST /api/v1/auth/embed: the vendor's signed token traded for a session of the widget's own. */
type EmbedSession = z.output<typeof embedOut>;

class NoToken extends Error {}

interface Launch {
  token: string | null;
  locale: Locale | null;
}
let launch: Launch | undefined;

/**
 * What the support button opened the widget with, read once: the signed token leaves the address
 * bar at once, so it is neither kept in history nor sent on as a referrer.
 */
function readLaunch(): Launch {
  if (!launch) {
    const url = new URL(window.location.href);
    const token = url.searchParams.get('token');
    const locale = url.searchParams.get('locale');
    launch = { token, locale: locale === 'fr' || locale === 'en' ? locale : null };
    if (token) {
      url.searchParams.delete('token');
      window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    }
  }
  return launch;
}

async function openSession(): Promise<SessionUser> {
  const { token } = readLaunch();
  if (token) {
    // A session token left from an earlier visit would be sent along and refused before the exchange.
    setBearerToken(null);
    const session = await post<EmbedSession>('/auth/embed', { token });
    setBearerToken(session.sessionToken);
    return session.user;
  }
  // A reload inside the panel: the tab still holds the session token it was given.
  if (getBearerToken()) return (await get<Session>('/auth/session')).user;
  throw new NoToken();
}

/** The host page closes the panel; keys pressed inside the frame never reach it, so Escape is relayed. */
function useEscapeClosesPanel() {
  useEffect(() => {
    if (window.parent === window) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented)
        window.parent.postMessage({ type: 'accord-support:close' }, '*');
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

type View =
  | { kind: 'new' }
  | { kind: 'answered' }
  | { kind: 'list' }
  | { kind: 'ticket'; id: string; created?: boolean; failures?: UploadFailure[] };

function Widget({ user }: { user: SessionUser }) {
  const { t } = useTranslation('portal');
  const [view, setView] = useState<View>({ kind: 'new' });
  const tab = view.kind === 'new' || view.kind === 'answered' ? 'new' : 'list';
  // Each view starts at its top, where a newly sent request's confirmation is.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [view]);
  return (
    <div className="widget">
      <header className="widget-head">
        <h1 className="visually-hidden">{t('widget.title')}</h1>
        <nav aria-label={t('widget.sections')} className="widget-tabs">
          <button
            type="button"
            aria-current={tab === 'new' ? 'page' : undefined}
            onClick={() => setView({ kind: 'new' })}
          >
            {t('widget.newRequest')}
          </button>
          <button
            type="button"
            aria-current={tab === 'list' ? 'page' : undefined}
            onClick={() => setView({ kind: 'list' })}
          >
            {t('widget.myRequests')}
          </button>
        </nav>
        <p className="widget-user muted">{t('widget.signedInAs', { name: user.name })}</p>
      </header>
      <main className="widget-body" id="main">
        {view.kind === 'new' && (
          <TicketForm
            channel="in_app"
            organizationId={user.organizationId}
            onCreated={(ticket, failures) =>
              setView({ kind: 'ticket', id: ticket.id, created: true, failures })
            }
            onAnswered={() => setView({ kind: 'answered' })}
          />
        )}
        {view.kind === 'answered' && (
          <div className="widget-answered">
            <p className="notice" role="status">
              {t('suggestions.thanks')}
            </p>
            <p>
              <button type="button" onClick={() => setView({ kind: 'new' })}>
                {t('suggestions.askAnother')}
              </button>
            </p>
          </div>
        )}
        {view.kind === 'list' && (
          <CompactTicketList requesterId={user.id} onOpen={(id) => setView({ kind: 'ticket', id })} />
        )}
        {view.kind === 'ticket' && (
          <TicketView
            id={view.id}
            back={
              <p>
                <button type="button" className="link" onClick={() => setView({ kind: 'list' })}>
                  ← {t('widget.myRequests')}
                </button>
              </p>
            }
            notice={
              view.created && (
                <>
                  <p className="notice" role="status">
                    {t('ticket.created')}
                  </p>
                  {view.failures && view.failures.length > 0 && <UploadFailures failures={view.failures} />}
                </>
              )
            }
          />
        )}
      </main>
    </div>
  );
}

/**
 * The support widget inside the vendor's app: opened by embed.js with a token the vendor's server
 * signed, it runs on a bearer session of its own (a third-party frame gets no cookies to rely on).
 */
export default function WidgetArea() {
  const { t } = useTranslation('portal');
  const queryClient = useQueryClient();
  const session = useQuery({
    queryKey: ['embed-session'],
    queryFn: openSession,
    retry: false,
    staleTime: Infinity,
    gcTime: Infinity,
  });
  useEscapeClosesPanel();

  const user = session.data;
  useEffect(() => {
    const locale = readLaunch().locale ?? user?.locale;
    if (locale) setLocale(locale, false);
  }, [user]);

  useEffect(() => {
    document.title = t('widget.title');
  }, [t]);

  useEffect(() => {
    // The next click on the support button then fetches a new token instead of showing this message.
    if (session.isError && window.parent !== window)
      window.parent.postMessage({ type: 'accord-support:expired' }, '*');
  }, [session.isError]);

  useEffect(() => {
    // The live stream authenticates by cookie, which the frame does not have: poll instead.
    queryClient.setQueryDefaults(['tickets'], { refetchInterval: 30_000 });
    queryClient.setQueryDefaults(['ticket'], { refetchInterval: 30_000 });
  }, [queryClient]);

  if (session.isPending)
    return (
      <div className="widget widget-message">
        <Loading />
      </div>
    );
  if (session.isError) {
    const error = session.error;
    const refused = error instanceof ApiError && error.status === 401;
    return (
      <div className="widget widget-message">
        <h1>{t('widget.title')}</h1>
        {error instanceof NoToken ? (
          <p role="alert">{t('widget.noToken')}</p>
        ) : refused ? (
          <p role="alert">{t('widget.expired')}</p>
        ) : (
          <ErrorMessage error={error} />
        )}
      </div>
    );
  }
  return <Widget user={session.data} />;
}
