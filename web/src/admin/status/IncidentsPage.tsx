import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { incidentName, PUBLIC_STATUS_URL, type IncidentSummary } from '../../api/status';
import { ErrorMessage, IncidentStatusBadge, Loading, Time, useLocale } from '../../shared/components';
import { useDocumentTitle } from '../common';
import { useIncidents } from './queries';

const RECENT = 25;

function IncidentTable({ incidents, caption }: { incidents: IncidentSummary[]; caption: string }) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const locale = useLocale();
  return (
    <div className="table-wrap">
      <table className="responsive">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('status.incidents.name')}</th>
            <th scope="col">{t('status.incidents.kind')}</th>
            <th scope="col">{t('status.incidents.impact')}</th>
            <th scope="col">{t('status.incidents.status')}</th>
            <th scope="col">{t('status.incidents.when')}</th>
          </tr>
        </thead>
        <tbody>
          {incidents.map((i) => (
            <tr key={i.id}>
              <td>
                <Link to={`/admin/status/incidents/${i.id}`}>{incidentName(i, locale)}</Link>
              </td>
              <td data-label={t('status.incidents.kind')}>{t(`status.kind.${i.kind}`)}</td>
              <td data-label={t('status.incidents.impact')}>
                {tc(`statusPage.impact.${i.impact}`, { defaultValue: i.impact })}
              </td>
              <td data-label={t('status.incidents.status')}>
                <IncidentStatusBadge status={i.status} />
              </td>
              <td data-label={t('status.incidents.when')}>
                <Time iso={i.scheduledFor ?? i.createdAt} />
                {i.scheduledUntil && (
                  <>
                    {' – '}
                    <Time iso={i.scheduledUntil} />
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Admin → Status: what is open now (incidents and maintenance), then what happened lately. */
export function IncidentsPage() {
  const { t } = useTranslation('admin');
  useDocumentTitle(t('status.incidents.title'));
  const open = useIncidents({ open: true, limit: 100 });
  const recent = useIncidents({ open: false, limit: RECENT });
  const past = recent.data ?? [];
  return (
    <section aria-labelledby="status-incidents-title">
      <div className="page-head">
        <h1 id="status-incidents-title">{t('status.incidents.title')}</h1>
        <div className="action-row">
          <Link className="button primary" to="/admin/status/incidents/new">
            {t('status.incidents.new')}
          </Link>
          <Link className="button" to="/admin/status/maintenance/new">
            {t('status.maintenance.new')}
          </Link>
          <a href={PUBLIC_STATUS_URL} target="_blank" rel="noreferrer">
            {t('status.publicPage')}
            <span className="visually-hidden"> {t('status.newTab')}</span>
          </a>
        </div>
      </div>
      <h2>{t('status.incidents.open')}</h2>
      {open.isPending && <Loading />}
      <ErrorMessage error={open.error} />
      {open.isSuccess &&
        (open.data.length === 0 ? (
          <p className="muted">{t('status.incidents.noneOpen')}</p>
        ) : (
          <IncidentTable incidents={open.data} caption={t('status.incidents.open')} />
        ))}
      <h2>{t('status.incidents.recent')}</h2>
      {recent.isPending && <Loading />}
      <ErrorMessage error={recent.error} />
      {recent.isSuccess &&
        (past.length === 0 ? (
          <p className="muted">{t('status.incidents.noneRecent')}</p>
        ) : (
          <IncidentTable incidents={past} caption={t('status.incidents.recent')} />
        ))}
    </section>
  );
}
