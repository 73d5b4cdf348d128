import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Evidence, Flag } from '../../api/fairuse';
import { Time } from '../../shared/components';
import { useFairUseWording } from './wording';
import './evidence.css';

function TicketLink({ ticket }: { ticket: { id: string; number: number; subject: string } }) {
  return (
    <Link to={`/console/tickets/${ticket.id}`}>
      #{ticket.number} {ticket.subject}
    </Link>
  );
}

/**
 * What a flag or a signal rests on, so that a lead judges the customer on facts: each ticket with
 * the resolved ones it repeats and how close they are, each article the customer was shown or sent,
 * in the reader's language.
 */
export function EvidenceList({ evidence, flag }: { evidence: Evidence[]; flag?: Flag }) {
  const { t } = useTranslation('fairuse');
  const wording = useFairUseWording();
  if (evidence.length === 0) return <p className="muted">{t('evidence.none')}</p>;
  return (
    <ul className="fairuse-evidence">
      {evidence.map((e, index) => {
        const sentence = wording.sentence(e, flag);
        return (
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
                        {t('evidence.similarity', { value: wording.share(m.similarity) })}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            )}
            {e.article ? (
              <p className="fairuse-evidence-article">
                {t('evidence.article')}{' '}
                <a href={e.article.url} target="_blank" rel="noreferrer">
                  {e.article.title}
                  <span className="visually-hidden"> {t('newTab')}</span>
                </a>
                {sentence && <span className="muted"> — {sentence}</span>}
              </p>
            ) : (
              sentence && <p className="fairuse-evidence-note">{sentence}</p>
            )}
            {!e.ticket && e.at && (
              <span className="muted">
                <Time iso={e.at} />
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
