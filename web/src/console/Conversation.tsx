import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../api/types';
import { ErrorMessage, Loading, Time } from '../shared/components';
import { useMessages } from './queries';

function MessageItem({ message }: { message: Message }) {
  const { t } = useTranslation('console');
  const internal = !message.public;
  return (
    <article className={internal ? 'message internal' : 'message'} data-testid="message">
      <header>
        <strong>{message.author.name}</strong>
        <span>{t(`common:role.${message.author.role}`, { defaultValue: message.author.role })}</span>
        {message.takenBy && (
          <span className="taken-by" data-testid="taken-by">
            {t('thread.takenBy', {
              context: message.takenBy.channel,
              name: message.takenBy.name,
              channel: t(`common:channel.${message.takenBy.channel}`),
            })}
          </span>
        )}
        <span className={internal ? 'badge message-kind internal' : 'badge message-kind public'}>
          {internal ? t('thread.internalNote') : t('thread.publicReply')}
        </span>
        <Time iso={message.createdAt} />
        {message.mergedFrom && (
          <span className="merged-from" data-testid="merged-from">
            {t('collab:merge.fromTicket', { number: message.mergedFrom.number })}
          </span>
        )}
        {message.mail && (
          <span
            className={`badge sender-auth ${message.mail.senderAuth}`}
            title={message.mail.results}
            data-testid="sender-auth"
          >
            {t(`thread.senderAuth.${message.mail.senderAuth}`)}
          </span>
        )}
      </header>
      {message.bodyFormat === 'html' ? (
        // The API sanitizes HTML bodies when they are written (email), and the page's CSP
        // forbids inline script, so the markup is shown as the customer sent it.
        <div className="body html" dangerouslySetInnerHTML={{ __html: message.body }} />
      ) : (
        <div className="body">{message.body}</div>
      )}
    </article>
  );
}

/** The conversation, oldest first: public replies and internal notes, each marked as what it is. */
export function Conversation({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation('console');
  const messages = useMessages(ticketId);
  const headingId = useId();
  return (
    <section className="conversation" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('thread.heading')}</h2>
      {messages.isPending && <Loading />}
      <ErrorMessage error={messages.error} />
      {messages.data?.length === 0 && <p className="muted">{t('thread.empty')}</p>}
      {messages.data?.map((m) => (
        <MessageItem key={m.id} message={m} />
      ))}
    </section>
  );
}
