import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../api/types';
import { Time } from '../shared/components';
import './fairuse.css';

/**
 * A request the desk excluded from its promise (policy section 5: use not conforming to the
 * agreement or the documentation, or gross negligence): the customer reads which and the desk's
 * note; the promise box beneath says that no response time applies.
 */
export function TicketExclusion({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('fairuse');
  const id = useId();
  const exclusion = ticket.exclusion;
  if (!exclusion) return null;
  return (
    <section
      className="urgent-notice ticket-exclusion"
      aria-labelledby={`${id}-heading`}
      data-testid="ticket-exclusion"
    >
      <h2 id={`${id}-heading`}>{t('portal.excludedTitle')}</h2>
      <p>
        <strong>{t(`exclusion.reason.${exclusion.reason}`)}</strong>{' '}
        <span className="muted">
          (<Time iso={exclusion.at} />)
        </span>
      </p>
      {exclusion.note && <p className="ticket-exclusion-note">{exclusion.note}</p>}
      <p className="muted">{t('portal.excludedEffect')}</p>
    </section>
  );
}
