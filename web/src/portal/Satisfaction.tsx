import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAnswerSurvey, useTicketSurvey } from '../api/satisfaction';
import type { Ticket } from '../api/types';
import { useSession } from '../auth/session';
import { RatingText } from '../satisfaction/RatingText';
import '../satisfaction/satisfaction.css';
import { ErrorMessage, useLocale } from '../shared/components';
import { formatDate } from '../shared/format';

const MAX_COMMENT = 2000;
/** A reopened ticket's question waits, unanswered, until the ticket is resolved again. */
const ASKED_STATUSES = new Set(['resolved', 'closed']);

/**
 * The satisfaction question on a resolved request: the requester answers good or bad, with a
 * comment if they like, once; everyone who sees the ticket then sees the answer.
 */
export function Satisfaction({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('satisfaction');
  const locale = useLocale();
  const query = useTicketSurvey(ticket.id, ticket.status);
  const answer = useAnswerSurvey(ticket.id);
  const [rating, setRating] = useState<'good' | 'bad' | null>(null);
  const [comment, setComment] = useState('');
  // In the widget the session is a bearer token: having just answered says it is theirs.
  const mine = useSession().user?.id === ticket.requesterId || answer.isSuccess;
  const survey = query.data?.survey;
  if (!survey) return null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!rating) return;
    answer.mutate({ rating, ...(comment.trim() ? { comment: comment.trim() } : {}) });
  };

  let content;
  if (survey.status === 'answered' && survey.rating) {
    content = (
      <>
        {answer.isSuccess && <p role="status">{t('question.thanks')}</p>}
        <p>
          {t(mine ? 'question.answered' : 'question.othersAnswered')} <RatingText rating={survey.rating} />
        </p>
        {survey.comment && <p className="satisfaction-comment">{survey.comment}</p>}
      </>
    );
  } else if (survey.status === 'expired') {
    content = <p className="muted">{t('question.expired')}</p>;
  } else if (!ASKED_STATUSES.has(ticket.status)) {
    return null;
  } else if (!survey.canAnswer) {
    content = <p className="muted">{t('question.pendingOther')}</p>;
  } else {
    content = (
      <form onSubmit={submit}>
        <p>{t('question.text')}</p>
        <fieldset className="satisfaction-choices">
          <legend className="visually-hidden">{t('question.title')}</legend>
          {(['good', 'bad'] as const).map((r) => (
            <label key={r} className="satisfaction-choice">
              <input
                type="radio"
                name="satisfaction-rating"
                value={r}
                checked={rating === r}
                onChange={() => setRating(r)}
              />
              {t(`question.${r}`)}
            </label>
          ))}
        </fieldset>
        <label htmlFor="satisfaction-comment">{t('question.comment')}</label>
        <textarea
          id="satisfaction-comment"
          rows={3}
          maxLength={MAX_COMMENT}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
        <ErrorMessage error={answer.error} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={!rating || answer.isPending}>
            {t('question.send')}
          </button>
          <span className="muted">{t('question.until', { date: formatDate(survey.expiresAt, locale) })}</span>
        </div>
      </form>
    );
  }
  return (
    <section
      className="satisfaction-question"
      aria-labelledby="satisfaction-title"
      data-testid="satisfaction"
    >
      <h2 id="satisfaction-title">{t('question.title')}</h2>
      {content}
    </section>
  );
}
