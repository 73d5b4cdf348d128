import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isClosingStatus, PUBLIC_STATUS_URL, type Incident } from '../../api/status';
import { isAdminUser, useSession } from '../../auth/session';
import {
  ComponentStateBadge,
  ErrorMessage,
  IncidentStatusBadge,
  Loading,
  Time,
} from '../../shared/components';
import { useDocumentTitle } from '../common';
import { LinkedTickets } from './LinkedTickets';
import { NoticeForm } from './NoticeForm';
import { PostmortemEditor } from './PostmortemEditor';
import { useIncident } from './queries';
import { UpdateComposer } from './UpdateComposer';

function Updates({ incident }: { incident: Incident }) {
  const { t } = useTranslation('admin');
  return (
    <section aria-labelledby="status-updates" className="card">
      <h2 id="status-updates">{t('status.updates.title')}</h2>
      <ol className="status-updates" data-testid="incident-updates">
        {incident.updates.map((u) => (
          <li key={u.id}>
            <p className="status-update-head">
              <IncidentStatusBadge status={u.status} /> <Time iso={u.createdAt} />
            </p>
            <p className="status-update-body">{u.body}</p>
            {u.bodyFr && (
              <p className="status-update-body muted" lang="fr">
                {u.bodyFr}
              </p>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

function IncidentView({ incident }: { incident: Incident }) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const { user } = useSession();
  useDocumentTitle(incident.name);
  const closed = isClosingStatus(incident.status);
  return (
    <>
      <div className="page-head">
        <h1 id="status-incident-title">{incident.name}</h1>
        <a href={`${PUBLIC_STATUS_URL}/incidents/${incident.id}`} target="_blank" rel="noreferrer">
          {t('status.onPublicPage')}
          <span className="visually-hidden"> {t('status.newTab')}</span>
        </a>
      </div>
      {incident.nameFr && (
        <p className="muted" lang="fr">
          {incident.nameFr}
        </p>
      )}
      <dl className="summary status-facts">
        <div>
          <dt>{t('status.incidents.kind')}</dt>
          <dd>{t(`status.kind.${incident.kind}`)}</dd>
        </div>
        <div>
          <dt>{t('status.incidents.status')}</dt>
          <dd>
            <IncidentStatusBadge status={incident.status} />
          </dd>
        </div>
        {incident.kind === 'incident' && (
          <div>
            <dt>{t('status.incidents.impact')}</dt>
            <dd>{tc(`statusPage.impact.${incident.impact}`, { defaultValue: incident.impact })}</dd>
          </div>
        )}
        {incident.scheduledFor && (
          <div>
            <dt>{t('status.maintenance.window')}</dt>
            <dd>
              <Time iso={incident.scheduledFor} />
              {incident.scheduledUntil && (
                <>
                  {' – '}
                  <Time iso={incident.scheduledUntil} />
                </>
              )}
              {incident.autoTransition && <span className="muted"> {t('status.maintenance.autoShort')}</span>}
            </dd>
          </div>
        )}
        <div>
          <dt>{t('status.incidents.opened')}</dt>
          <dd>
            <Time iso={incident.startedAt ?? incident.createdAt} />
          </dd>
        </div>
        {incident.resolvedAt && (
          <div>
            <dt>{t('status.incidents.closed')}</dt>
            <dd>
              <Time iso={incident.resolvedAt} />
            </dd>
          </div>
        )}
        {incident.originTicketId && (
          <div>
            <dt>{t('status.incidents.origin')}</dt>
            <dd>
              <Link to={`/console/tickets/${incident.originTicketId}`}>
                {t('status.incidents.originLink')}
              </Link>
            </dd>
          </div>
        )}
        <div>
          <dt>{t('status.form.components')}</dt>
          <dd>
            {incident.components.length === 0 ? (
              <span className="muted">{tc('none')}</span>
            ) : (
              <ul className="plain">
                {incident.components.map((c) => (
                  <li key={c.id}>
                    {c.name} <ComponentStateBadge state={c.state} />
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
      <div className="status-incident-layout">
        <div>
          <UpdateComposer key={incident.updatedAt} incident={incident} />
          <Updates incident={incident} />
          {closed && incident.kind === 'incident' && <PostmortemEditor incident={incident} />}
        </div>
        <div>
          <LinkedTickets key={incident.status} incident={incident} />
          {isAdminUser(user) && <NoticeForm incident={incident} />}
        </div>
      </div>
    </>
  );
}

/** One incident or maintenance: its facts, the update composer, its story, and the tickets it holds. */
export function IncidentPage() {
  const { t } = useTranslation('admin');
  const { id = '' } = useParams();
  const query = useIncident(id);
  return (
    <section aria-labelledby="status-incident-title">
      <p className="breadcrumb">
        <Link to="/admin/status">{t('status.back')}</Link>
      </p>
      {query.isPending && <Loading />}
      <ErrorMessage error={query.error} />
      {query.data && <IncidentView incident={query.data} />}
    </section>
  );
}
