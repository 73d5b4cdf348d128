import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Evidence } from '../../api/fairuse';
import { Time } from '../../shared/components';
import './evidence.css';

/** A share 0..1 in words a lead reads at a glance: "84%". */
export const percent = (share: number) => `${Math.round(Math.max(0, Math.min(1, share)) * 100)}%`;

function TicketLink({ ticket }: { ticket: { id: string; number: number; subject: string } }) {
  return (
    <Link to={`/console/tickets/${ticket.id}`}>
      #{ticket.number} {ticket.subject}
    </Link>
  );
}

/**
 * What a flag or a signal rests on, so that a lead judges the customer on facts: each ticket with
 * the resolved ones it repeats and how close they are, each article the customer was shown or sent.
 */
export function EvidenceList({ evidence }: { evidence: Evidence[] }) {
  const { t } = useTranslation('fairuse');
  if (evidence.length === 0) return <p className="muted">{t('evidence.none')}</p>;
  return (
    <ul className="fairuse-evidence">
      {evidence.map((e, index) => (
        <li key={`${e.ticket?.id ?? e.article?.id ?? 'note'}-${index}`}>
          {e.ticket && (
            <>
              <TicketLink ticket={e.ticket} />{' '}
              <span className="muted">
                (<Time iso={e.ticket.createdAt} />)
              </span>
            </>
          )}
          {e.matches && e.matches.length > 0 && (
            <>
              <span className="fairuse-evidence-label"> {t('evidence.repeats')}</span>
              <ul>
                {e.matches.map((m) => (
                  <li key={m.id}>
                    <TicketLink ticket={m} />{' '}
                    <span className="muted">
                      {t('evidence.similarity', { value: percent(m.similarity) })}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {e.article && (
            <p className="fairuse-evidence-article">
              {t('evidence.article')}{' '}
              <a href={e.article.url} target="_blank" rel="noreferrer">
                {e.article.title}
                <span className="visually-hidden"> {t('newTab')}</span>
              </a>{' '}
              <span className="muted">
                {e.article.opened ? t('evidence.articleOpened') : t('evidence.articleNotOpened')}
              </span>
            </p>
          )}
          {e.note && <p className="fairuse-evidence-note">{e.note}</p>}
          {!e.ticket && e.at && (
            <span className="muted">
              <Time iso={e.at} />
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
