import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Ticket } from '../api/types';

/** On a request merged into another: where the conversation continues. */
export function MergedRequest({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('collab');
  if (!ticket.mergedInto) return null;
  const { id, number } = ticket.mergedInto;
  return (
    <p className="notice" role="note" data-testid="merged-request">
      <Trans
        t={t}
        i18nKey="portal.continues"
        values={{ number }}
        components={{ ticket: <Link to={`/portal/tickets/${id}`} /> }}
      />
    </p>
  );
}
