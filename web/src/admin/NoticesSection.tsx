import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get } from '../api/client';
import type { Organization } from '../api/types';
import { ErrorMessage, Loading, Time } from '../shared/components';

interface OrganizationNotice {
  id: string;
  incident: { id: string; name: string } | null;
  subject: string;
  body: string;
  recipients: number;
  at: string;
  sentBy: { id: string; name: string } | null;
}

/** The organization's timeline of proactive notices: what its contacts were told, when and by whom. */
export function NoticesSection({ org }: { org: Organization }) {
  const { t } = useTranslation('admin');
  const query = useQuery({
    queryKey: ['admin', 'organization', org.id, 'notices'],
    queryFn: () => get<{ data: OrganizationNotice[] }>(`/organizations/${org.id}/notices`),
  });
  return (
    <section aria-labelledby="notices-title">
      <h2 id="notices-title">{t('notices.title')}</h2>
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorMessage error={query.error} />
      ) : query.data.data.length === 0 ? (
        <p className="muted">{t('notices.none')}</p>
      ) : (
        <ol className="notice-timeline">
          {query.data.data.map((n) => (
            <li key={n.id}>
              <p>
                <strong>{n.subject}</strong> · <Time iso={n.at} />
              </p>
              <p className="muted">
                {t('notices.sent', { count: n.recipients, by: n.sentBy?.name ?? '—' })}
                {n.incident && (
                  <>
                    {' · '}
                    <Link to={`/admin/status/incidents/${n.incident.id}`}>{n.incident.name}</Link>
                  </>
                )}
              </p>
              <p className="notice-body">{n.body}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
