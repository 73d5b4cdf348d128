import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  describeLimit,
  FLAG_KINDS,
  LIMIT_KINDS,
  type AuditEntry,
  type FlagKind,
  type LimitKind,
} from '../../api/fairuse';
import { ErrorMessage, Loading, Time } from '../../shared/components';
import { useAudit } from './queries';

/** What an entry's data adds to its action: the limit, the flags, the exclusion's reason. */
function useDetail() {
  const { t } = useTranslation('fairuse');
  return (entry: AuditEntry): string | null => {
    const { kind, settings, flagKinds, exclusion } = entry.data;
    const isLimit = typeof kind === 'string' && LIMIT_KINDS.includes(kind as LimitKind);
    const isFlag = typeof kind === 'string' && FLAG_KINDS.includes(kind as FlagKind);
    if (isLimit && settings && typeof settings === 'object')
      return describeLimit({ kind: kind as LimitKind, settings: settings }, t);
    // Lifting and P0 overrides name the kind of limit only.
    if (isLimit) return t(`limit.kind.${kind as LimitKind}`);
    if (isFlag) return t(`kind.${kind as FlagKind}`);
    if (Array.isArray(flagKinds) && flagKinds.length > 0)
      return flagKinds.map((k) => t(`kind.${String(k)}`, { defaultValue: String(k) })).join(', ');
    if (exclusion === 'nonconforming_use' || exclusion === 'gross_negligence')
      return t(`exclusion.reason.${exclusion}`);
    return null;
  };
}

/** The number a ticket entry names, when the desk recorded it. */
const ticketNumberOf = (entry: AuditEntry) => {
  const n = entry.data.ticketNumber ?? entry.data.number;
  return typeof n === 'number' ? n : null;
};

/** Every fair-use action on the organization: who did what, why and when, newest first. */
export function AuditLogSection({ organizationId }: { organizationId: string }) {
  const { t } = useTranslation('fairuse');
  const audit = useAudit(organizationId);
  const detail = useDetail();
  const entries = audit.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <section className="card" aria-labelledby="fairuse-audit-title">
      <h2 id="fairuse-audit-title">{t('audit.title')}</h2>
      {audit.isPending && <Loading />}
      <ErrorMessage error={audit.error} />
      {audit.isSuccess && entries.length === 0 && <p className="muted">{t('audit.none')}</p>}
      {entries.length > 0 && (
        <div className="table-wrap">
          <table className="responsive" data-testid="fairuse-audit">
            <caption className="visually-hidden">{t('audit.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.when')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.who')}</th>
                <th scope="col">{t('audit.reason')}</th>
                <th scope="col">{t('audit.ticket')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => {
                const more = detail(entry);
                const number = ticketNumberOf(entry);
                return (
                  <tr key={entry.id}>
                    <td data-label={t('audit.when')}>
                      <Time iso={entry.at} />
                    </td>
                    <th scope="row" data-label={t('audit.action')}>
                      {t(`audit.actions.${entry.action}`, { defaultValue: entry.action })}
                      {more && <span className="fairuse-audit-detail">{more}</span>}
                    </th>
                    <td data-label={t('audit.who')}>{entry.actor?.name ?? t('audit.system')}</td>
                    <td data-label={t('audit.reason')} className="fairuse-reason">
                      {entry.reason ?? '—'}
                    </td>
                    <td data-label={t('audit.ticket')}>
                      {entry.ticketId ? (
                        <Link to={`/console/tickets/${entry.ticketId}`}>
                          {number !== null ? `#${number}` : t('audit.openTicket')}
                        </Link>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {audit.hasNextPage && (
        <button type="button" onClick={() => void audit.fetchNextPage()} disabled={audit.isFetchingNextPage}>
          {t('audit.more')}
        </button>
      )}
    </section>
  );
}
