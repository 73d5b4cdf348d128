import { useEffect, useId, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ChatMessage } from '../../../chat/types';
import type { Locale } from '../../api/types';
import { ErrorMessage, useLocale, useNow } from '../../shared/components';
import { formatBytes, formatDateTime } from '../../shared/format';
import { useChat } from './ChatProvider';
import { useChatStanding } from './ChatList';
import { Composer } from './Composer';
import { useDocumentVisible } from './hooks';
import { VisitorFacts, VisitorPage } from './IncomingQueue';
import { attachmentUrl, useEndChat, useTransferChat } from './queries';
import { deliveryOf, isWritable, type ActiveChat, type OutgoingMessage } from './store';
import { TicketDialog } from './TicketDialog';

function ChatTime({ iso, locale }: { iso: string; locale: Locale }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso, locale)}>
      {new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-US', { timeStyle: 'short' }).format(
        new Date(iso),
      )}
    </time>
  );
}

function MessageItem({ chat, message }: { chat: ActiveChat; message: ChatMessage }) {
  const { t } = useTranslation('chat');
  const locale = useLocale();
  const kind = message.author.kind;
  const delivery = kind === 'agent' ? deliveryOf(chat, message) : null;
  return (
    <article
      className={`chat-message from-${kind}`}
      data-testid="chat-message"
      data-author={kind}
      data-seq={message.seq}
    >
      <header>
        <strong>{kind === 'system' ? t('transcript.system') : message.author.name}</strong>
        <ChatTime iso={message.createdAt} locale={locale} />
      </header>
      {/* Plain text from the visitor or an agent: React puts it in as text, never as markup. */}
      {message.body && <p className="chat-body">{message.body}</p>}
      {message.attachment && (
        <p className="chat-attachment">
          <a
            href={attachmentUrl(chat.conversation.id, message.attachment.id)}
            download={message.attachment.filename}
            data-testid="chat-attachment"
          >
            {message.attachment.filename}
          </a>{' '}
          <span className="muted">({formatBytes(message.attachment.size, locale)})</span>
        </p>
      )}
      {delivery && (
        <p className={`chat-delivery delivery-${delivery}`} data-testid="chat-delivery" data-state={delivery}>
          {t(`delivery.${delivery}`)}
        </p>
      )}
    </article>
  );
}

function PendingItem({ chat, message }: { chat: ActiveChat; message: OutgoingMessage }) {
  const { t } = useTranslation('chat');
  const { discard, agentId } = useChat();
  const failed = message.state === 'failed';
  return (
    <article
      className={failed ? 'chat-message from-agent pending failed' : 'chat-message from-agent pending'}
      data-testid="chat-message"
      data-author="agent"
      data-pending="true"
    >
      <p className="chat-body">{message.body}</p>
      <p
        className={`chat-delivery delivery-${message.state}`}
        data-testid="chat-delivery"
        data-state={message.state}
      >
        {failed ? t('delivery.failed', { reason: message.error ?? '' }) : t('delivery.sending')}
      </p>
      {failed && (
        <div className="action-row">
          {isWritable(chat, agentId) && (
            <button
              type="button"
              className="link"
              onClick={() => discard(chat.conversation.id, message.clientId, message.body)}
            >
              {t('delivery.retry')}
            </button>
          )}
          <button
            type="button"
            className="link"
            onClick={() => discard(chat.conversation.id, message.clientId)}
          >
            {t('delivery.discard')}
          </button>
        </div>
      )}
    </article>
  );
}

// The transcript follows new messages only while the agent is reading its end, not scrolled back.
const STICK_TO_END_PX = 48;

function Transcript({ chat }: { chat: ActiveChat }) {
  const { t } = useTranslation('chat');
  const log = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);
  const count = chat.messages.length + chat.pending.length;

  useLayoutEffect(() => {
    const el = log.current;
    if (el && atEnd.current) el.scrollTop = el.scrollHeight;
  }, [count]);

  return (
    <div
      ref={log}
      className="chat-log"
      role="log"
      aria-label={t('transcript.label', { name: chat.conversation.visitor.name })}
      data-testid="chat-log"
      // The log scrolls: the keyboard must be able to reach it.
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        atEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_TO_END_PX;
      }}
    >
      {chat.messages.length === 0 && chat.pending.length === 0 && (
        <p className="muted">{t('transcript.empty')}</p>
      )}
      {chat.messages.map((m) => (
        <MessageItem key={m.id} chat={chat} message={m} />
      ))}
      {chat.pending.map((p) => (
        <PendingItem key={p.clientId} chat={chat} message={p} />
      ))}
    </div>
  );
}

function TransferForm({ chat }: { chat: ActiveChat }) {
  const { t } = useTranslation('chat');
  const { queue, agentId, update } = useChat();
  const transfer = useTransferChat();
  const [target, setTarget] = useState('');
  const selectId = useId();
  const agents = (queue.data?.agents ?? []).filter((a) => a.status === 'online' && a.agentId !== agentId);
  const chosen = agents.some((a) => a.agentId === target) ? target : '';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    transfer.mutate({ conversationId: chat.conversation.id, agentId: chosen }, { onSuccess: update });
  };

  return (
    <form className="chat-transfer" onSubmit={submit}>
      <label htmlFor={selectId} className="field-label">
        {t('actions.transferTo')}
      </label>
      <div className="action-row">
        <select
          id={selectId}
          value={chosen}
          disabled={agents.length === 0}
          data-testid="chat-transfer-agent"
          onChange={(e) => setTarget(e.target.value)}
        >
          <option value="">{agents.length === 0 ? t('actions.noAgents') : t('actions.chooseAgent')}</option>
          {agents.map((a) => (
            <option key={a.agentId} value={a.agentId} disabled={a.activeChats >= a.capacity}>
              {a.activeChats >= a.capacity
                ? t('actions.agentFull', { name: a.name })
                : t('actions.agentLoad', { name: a.name, active: a.activeChats, capacity: a.capacity })}
            </option>
          ))}
        </select>
        <button type="submit" disabled={!chosen || transfer.isPending} data-testid="chat-transfer">
          {t('actions.transfer')}
        </button>
      </div>
      <ErrorMessage error={transfer.error} />
    </form>
  );
}

/** One held chat: who the visitor is, what can be done with the chat, the transcript and the reply box. */
export function ChatPanel({ chat }: { chat: ActiveChat }) {
  const { t } = useTranslation('chat');
  const { agentId, markSeen, update, setTicket } = useChat();
  const visible = useDocumentVisible();
  const now = useNow();
  const end = useEndChat();
  const [ticketOpen, setTicketOpen] = useState(false);
  const headingId = useId();
  const standing = useChatStanding(chat);
  const { conversation } = chat;
  const writable = isWritable(chat, agentId);
  const newest = chat.messages.at(-1)?.seq ?? 0;
  const typing = chat.visitorTyping && chat.visitorTyping.until > now ? chat.visitorTyping : null;

  // The selected chat on a visible tab is being read: tell the visitor.
  useEffect(() => {
    if (visible && newest > 0) markSeen(conversation.id);
  }, [visible, newest, conversation.id, markSeen]);

  return (
    <section
      className="chat-panel card"
      aria-labelledby={headingId}
      data-testid="chat-panel"
      data-conversation-id={conversation.id}
      data-status={conversation.status}
    >
      <header className="chat-panel-head">
        <h2 id={headingId}>{conversation.visitor.name}</h2>
        <p className="chat-panel-facts">
          <VisitorFacts conversation={conversation} />
        </p>
        {conversation.page && (
          <p className="chat-panel-page">
            <span className="muted">{t('visitor.page')} </span>
            <VisitorPage page={conversation.page} />
          </p>
        )}
        {conversation.ticket && (
          <p className="chat-panel-ticket">
            <Link
              to={`/console/tickets/${conversation.ticket.id}`}
              data-testid="chat-ticket-link"
              data-ticket-number={conversation.ticket.number}
            >
              {t('ticket.link', { number: conversation.ticket.number })}
            </Link>
          </p>
        )}
      </header>

      {standing && (
        <p className="chat-standing" role="status" data-testid="chat-standing">
          {conversation.status === 'ended' ? t('transcript.endedNotice') : standing}
        </p>
      )}

      <div className="chat-actions" role="group" aria-label={t('actions.label')}>
        {writable && <TransferForm chat={chat} />}
        <div className="action-row">
          {/* The agent who has (or had, until it ended) the chat turns it into a ticket. */}
          {!conversation.ticket && conversation.agent?.id === agentId && (
            <button type="button" data-testid="chat-to-ticket" onClick={() => setTicketOpen(true)}>
              {t('actions.toTicket')}
            </button>
          )}
          {conversation.status !== 'ended' && writable && (
            <button
              type="button"
              className="danger"
              data-testid="chat-end"
              disabled={end.isPending}
              onClick={() => end.mutate(conversation.id, { onSuccess: update })}
            >
              {t('actions.end')}
            </button>
          )}
        </div>
        <ErrorMessage error={end.error} />
      </div>

      <Transcript chat={chat} />
      <p className="chat-typing" aria-live="polite" data-testid="chat-typing">
        {typing ? t('transcript.typing', { name: typing.name || conversation.visitor.name }) : ''}
      </p>

      {writable && (
        <Composer key={conversation.id} conversationId={conversation.id} locale={conversation.locale} />
      )}

      {ticketOpen && (
        <TicketDialog
          chat={chat}
          onClose={() => setTicketOpen(false)}
          onCreated={(ticket) => setTicket(conversation.id, ticket)}
        />
      )}
    </section>
  );
}
