import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../api/types';

const FIELDS = ['steps', 'expected', 'actual', 'environment'] as const;

/** What the customer said happens, as they filed it; hidden when they gave none of it. */
export function Reproduction({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('console');
  const headingId = useId();
  const given = FIELDS.filter((f) => ticket.reproduction[f]?.trim());
  if (given.length === 0) return null;
  return (
    <section className="card reproduction" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('reproduction.heading')}</h2>
      <dl>
        {given.map((f) => (
          <div key={f}>
            <dt>{t(`reproduction.${f}`)}</dt>
            <dd className="preformatted">{ticket.reproduction[f]}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
