import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Route, Routes, useLocation, useNavigate, useParams } from 'react-router';
import { useLiveUpdates } from '../api/live';
import { useSession } from '../auth/session';
import { Loading, TierBadge, useLocale } from '../shared/components';
import { localized } from '../shared/format';
import { useOrganization, usePolicy, type UploadFailure } from './api';
import { UploadFailures } from './Attachments';
import { TicketForm } from './TicketForm';
import { TicketTable } from './TicketList';
import { TicketView } from './TicketView';
import { SearchPage } from '../search/SearchPage';
import './portal.css';

// The service report and its code load only when a designated contact opens it.
const ServiceReportPage = lazy(() => import('./ServiceReportPage'));

function useTitle(title: string) {
  useEffect(() => {
    document.title = `${title} · Accord`;
  }, [title]);
}

interface ListState {
  /** Back from the form, whose suggested article answered the question: nothing was sent. */
  answered?: boolean;
}

function MyTicketsPage() {
  const { t } = useTranslation('portal');
  const { user } = useSession();
  const organization = useOrganization(user?.organizationId);
  useTitle(t('list.title'));
  const answered = !!(useLocation().state as ListState | null)?.answered;
  const isContact = user?.role === 'contact';
  return (
    <div className="portal-page">
      <div className="page-head">
        <h1>{t('list.title')}</h1>
        <div className="page-actions">
          {isContact && (
            <Link className="button" to="/portal/report">
              {t('list.serviceReport')}
            </Link>
          )}
          <Link className="button primary" to="/portal/new">
            {t('list.newRequest')}
          </Link>
        </div>
      </div>
      {answered && (
        <p className="notice" role="status">
          {t('suggestions.answeredNotice')}
        </p>
      )}
      {organization.data && (
        <p className="muted scope-note">
          {isContact
            ? t('list.scopeContact', { organization: organization.data.name })
            : t('list.scopeMember', { organization: organization.data.name })}{' '}
          <span className="support-level">
            {t('list.supportLevel')} <TierBadge tier={organization.data.tier} />
          </span>
        </p>
      )}
      <TicketTable showRequester={isContact} />
    </div>
  );
}

function NewTicketPage() {
  const { t } = useTranslation('portal');
  const locale = useLocale();
  const { user } = useSession();
  const navigate = useNavigate();
  const policy = usePolicy().data;
  useTitle(t('new.title'));
  return (
    <div className="portal-page narrow">
      <p>
        <Link to="/portal">← {t('ticket.back')}</Link>
      </p>
      <h1>{t('new.title')}</h1>
      {policy && (
        <p className="muted">
          {localized(policy.support.text, locale)}{' '}
          {/* The desk serves the help center and the status page itself; the policy's addresses are the vendor's own. */}
          <a href={`/hc/${locale}`} target="_blank" rel="noreferrer">
            {t('new.helpCenter')}
          </a>
          {' · '}
          <a href={locale === 'fr' ? '/status/fr' : '/status'} target="_blank" rel="noreferrer">
            {t('new.statusPage')}
          </a>
        </p>
      )}
      <TicketForm
        channel="portal"
        organizationId={user?.organizationId ?? null}
        onCreated={(ticket, failures) =>
          void navigate(`/portal/tickets/${ticket.id}`, { state: { created: true, failures } })
        }
        onAnswered={() => void navigate('/portal', { state: { answered: true } satisfies ListState })}
      />
    </div>
  );
}

interface CreatedState {
  created?: boolean;
  failures?: UploadFailure[];
}

function TicketPage() {
  const { t } = useTranslation('portal');
  const { id = '' } = useParams();
  const state = (useLocation().state ?? {}) as CreatedState;
  useTitle(t('ticket.title'));
  return (
    <div className="portal-page narrow">
      <TicketView
        id={id}
        back={
          <p>
            <Link to="/portal">← {t('ticket.back')}</Link>
          </p>
        }
        notice={
          state.created && (
            <>
              <p className="notice" role="status">
                {t('ticket.created')}
              </p>
              {state.failures && state.failures.length > 0 && <UploadFailures failures={state.failures} />}
            </>
          )
        }
      />
    </div>
  );
}

/**
 * The customer portal: their requests, a new request, one request's conversation, and for the
 * designated contact the organization's monthly service report.
 */
export default function PortalArea() {
  useLiveUpdates();
  const { pathname } = useLocation();
  // A new page starts at its top (the router keeps the window's scroll position).
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [pathname]);
  return (
    <div className="portal">
      <Routes>
        <Route index element={<MyTicketsPage />} />
        <Route path="new" element={<NewTicketPage />} />
        <Route path="tickets/:id" element={<TicketPage />} />
        <Route path="search" element={<SearchPage area="portal" />} />
        <Route
          path="report"
          element={
            <Suspense fallback={<Loading />}>
              <ServiceReportPage />
            </Suspense>
          }
        />
        <Route path="*" element={<Navigate to="/portal" replace />} />
      </Routes>
    </div>
  );
}
