import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useTicketSurvey } from '../api/satisfaction';
import type { Ticket } from '../api/types';
import { RatingText } from '../satisfaction/RatingText';
import '../satisfaction/satisfaction.css';
import { ErrorMessage, useLocale } from '../shared/components';
import { formatDateTime } from '../shared/format';

/** The requester's satisfaction with a resolved ticket: asked, answered (with the comment), or expired. */
export function SatisfactionCard({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('satisfaction');
  const headingId = useId();
  const locale = useLocale();
  const query = useTicketSurvey(ticket.id, ticket.status);
  const survey = query.data?.survey;
  // Nothing to show on a ticket never resolved: the card appears with the question.
  if (!survey && !query.error) return null;
  return (
    <section className="card satisfaction-card" aria-labelledby={headingId} data-testid="satisfaction-card">
      <h2 id={headingId}>{t('card.title')}</h2>
      <ErrorMessage error={query.error} />
      {survey?.status === 'answered' && survey.rating && survey.answeredAt && (
        <>
          <p>
            <RatingText rating={survey.rating} />{' '}
            <span className="muted">
              {t('card.answered', { date: formatDateTime(survey.answeredAt, locale) })}
              {survey.answeredVia && <> · {t(`card.via.${survey.answeredVia}`)}</>}
            </span>
          </p>
          {survey.comment && <p className="satisfaction-comment">{survey.comment}</p>}
        </>
      )}
      {survey && survey.status !== 'answered' && (
        <p className="muted">
          {t(
            survey.status === 'expired'
              ? 'card.expired'
              : survey.mailed
                ? 'card.pendingMailed'
                : 'card.pending',
            { date: formatDateTime(survey.sentAt, locale) },
          )}
        </p>
      )}
    </section>
  );
}
