import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import type { TicketEvent } from '../api/types';
import { Time } from '../shared/components';
import { useStaff } from './queries';

const SHOWN = 8;
const STAFF_ROLES = ['agent', 'lead', 'admin'];

/** The changes a 409 ticket-changed answer lists, when the reply was started before them. */
export function staleChanges(error: unknown): TicketEvent[] | null {
  if (!(error instanceof ApiError) || error.problem.type !== 'urn:accord:problem:ticket-changed') return null;
  const changes = (error.problem as { changes?: unknown }).changes;
  return Array.isArray(changes) ? (changes as TicketEvent[]) : [];
}

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

function useDescribeChange() {
  const { t } = useTranslation('collab');
  const staff = useStaff();
  const nameOf = (id: unknown) => staff.data?.find((s) => s.id === id)?.name ?? t('stale.someone');
  return (e: TicketEvent): string => {
    const actor = e.actor?.name ?? (e.actorId ? t('stale.someone') : t('stale.system'));
    const d = e.data;
    if (e.type === 'message_added') {
      if (d.visibility === 'internal') return t('stale.messageInternal', { actor });
      return STAFF_ROLES.includes(str(d.authorRole))
        ? t('stale.messagePublic', { actor })
        : t('stale.messageCustomer', { actor });
    }
    if (e.type === 'status_changed')
      return t('stale.status', { actor, to: t(`common:status.${str(d.to)}`, { defaultValue: str(d.to) }) });
    if (e.type === 'priority_changed') return t('stale.priority', { actor, to: str(d.to) });
    if (e.type === 'assignee_changed')
      return d.to ? t('stale.assigned', { actor, to: nameOf(d.to) }) : t('stale.unassigned', { actor });
    if (e.type === 'merged_from') return t('stale.mergedFrom', { actor, number: str(d.number) });
    return t('stale.other', { actor, type: e.type });
  };
}

/** What changed on the ticket since the reply was started, with the choice to send it anyway. */
export function StaleReply({
  changes,
  onSendAnyway,
  onReview,
  sending,
}: {
  changes: TicketEvent[];
  onSendAnyway: () => void;
  onReview: () => void;
  sending: boolean;
}) {
  const { t } = useTranslation('collab');
  const describe = useDescribeChange();
  return (
    <div className="stale-reply" role="alert" data-testid="stale-reply">
      <p>
        <strong>{t('stale.title')}</strong>
      </p>
      <p>{t('stale.intro')}</p>
      <ul>
        {changes.slice(0, SHOWN).map((c) => (
          <li key={c.id}>
            <Time iso={c.at} /> {describe(c)}
          </li>
        ))}
        {changes.length > SHOWN && <li>{t('stale.more', { count: changes.length - SHOWN })}</li>}
      </ul>
      <div className="action-row">
        <button type="button" className="primary" onClick={onSendAnyway} disabled={sending}>
          {t('stale.sendAnyway')}
        </button>
        <button type="button" onClick={onReview} disabled={sending}>
          {t('stale.review')}
        </button>
      </div>
    </div>
  );
}
