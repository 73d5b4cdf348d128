import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../api/client';
import type { Message, Ticket } from '../api/types';
import { STAFF_ROLES } from '../api/types';
import { ErrorMessage, Loading, Time } from '../shared/components';
import { useMessages } from './api';

function MessageItem({ message }: { message: Message }) {
  const { t } = useTranslation('portal');
  const fromSupport = (STAFF_ROLES as string[]).includes(message.author.role);
  return (
    <li className={`message${fromSupport ? ' from-support' : ''}`}>
      <header>
        <strong>{message.author.name}</strong>
        {fromSupport && <span className="badge support-badge">{t('conversation.supportTeam')}</span>}
        <Time iso={message.createdAt} />
      </header>
      {message.bodyFormat === 'html' ? (
        // The desk sanitizes HTML bodies when it stores them (no scripts, no remote content).
        <div className="body html" dangerouslySetInnerHTML={{ __html: message.body }} />
      ) : (
        <div className="body">{message.body}</div>
      )}
    </li>
  );
}

function ReplyBox({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('portal');
  const queryClient = useQueryClient();
  const id = useId();
  const [body, setBody] = useState('');
  const reply = useMutation({
    mutationFn: () => post<Message>(`/tickets/${ticket.id}/messages`, { body }),
    onSuccess: () => {
      setBody('');
      void queryClient.invalidateQueries({ queryKey: ['ticket', ticket.id] });
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
    },
  });
  if (ticket.status === 'closed') return <p className="muted">{t('conversation.closed')}</p>;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (body.trim() && !reply.isPending) reply.mutate();
  };
  return (
    <form className="reply-box" onSubmit={onSubmit}>
      <label htmlFor={id} className="field-label">
        {t('conversation.reply')}
      </label>
      <textarea
        id={id}
        name="reply"
        value={body}
        onChange={(e) => setBody(e.target.value)}
        required
        rows={4}
      />
      {ticket.status === 'resolved' && <p className="field-hint">{t('conversation.reopens')}</p>}
      <ErrorMessage error={reply.error} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={reply.isPending || !body.trim()}>
          {t('conversation.send')}
        </button>
      </div>
    </form>
  );
}

/** The public conversation (the API never sends customers internal notes) and the reply box. */
export function Conversation({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('portal');
  const { t: tc } = useTranslation();
  const query = useMessages(ticket.id);
  return (
    <section className="conversation" aria-labelledby={`conversation-${ticket.id}`}>
      <h2 id={`conversation-${ticket.id}`}>{t('conversation.title')}</h2>
      {query.isError ? (
        <ErrorMessage error={query.error} />
      ) : !query.data ? (
        <Loading />
      ) : (
        <>
          <ol className="messages">
            {query.data.pages.flatMap((page) => page.data.map((m) => <MessageItem key={m.id} message={m} />))}
          </ol>
          {query.hasNextPage && (
            <button
              type="button"
              onClick={() => void query.fetchNextPage()}
              disabled={query.isFetchingNextPage}
            >
              {tc('more')}
            </button>
          )}
        </>
      )}
      <ReplyBox ticket={ticket} />
    </section>
  );
}
