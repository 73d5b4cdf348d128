import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useNow } from '../../shared/components';
import { useChat } from './ChatProvider';
import { isWritable, unreadCount, type ActiveChat } from './store';

/** What a held chat's entry says beside the visitor's name when the agent can no longer write in it. */
export function useChatStanding(chat: ActiveChat) {
  const { t } = useTranslation('chat');
  const { agentId } = useChat();
  if (chat.conversation.status === 'ended') return t('active.ended');
  if (!isWritable(chat, agentId))
    return chat.conversation.agent
      ? t('active.transferred', { name: chat.conversation.agent.name })
      : t('active.notYours');
  return null;
}

function ChatTab({ chat, selected }: { chat: ActiveChat; selected: boolean }) {
  const { t } = useTranslation('chat');
  const { select, close } = useChat();
  const now = useNow();
  const standing = useChatStanding(chat);
  const unread = selected ? 0 : unreadCount(chat);
  const typing = chat.visitorTyping && chat.visitorTyping.until > now;
  const name = chat.conversation.visitor.name;
  return (
    <li className={selected ? 'chat-tab-item selected' : 'chat-tab-item'}>
      <button
        type="button"
        className="chat-tab"
        aria-current={selected ? 'true' : undefined}
        data-testid="chat-tab"
        data-conversation-id={chat.conversation.id}
        data-unread={unread}
        onClick={() => select(chat.conversation.id)}
      >
        <span className="chat-tab-name">{name}</span>
        {unread > 0 && (
          <span className="badge chat-unread" data-testid="chat-unread">
            <span aria-hidden="true">{unread}</span>
            <span className="visually-hidden">{t('active.unread', { count: unread })}</span>
          </span>
        )}
        {standing ? (
          <span className="chat-tab-standing muted">{standing}</span>
        ) : (
          typing && <span className="chat-tab-standing muted">{t('active.typing')}</span>
        )}
      </button>
      {standing && (
        <button
          type="button"
          className="link chat-tab-close"
          data-testid="chat-close"
          onClick={() => close(chat.conversation.id)}
        >
          {t('active.close')}
          <span className="visually-hidden"> {t('active.closeWho', { name })}</span>
        </button>
      )}
    </li>
  );
}

/** The chats the agent holds, several at once; selecting one shows it beside the list. */
export function ChatList() {
  const { t } = useTranslation('chat');
  const { state, selectedId } = useChat();
  const headingId = useId();
  return (
    <section className="chat-active card" aria-labelledby={headingId} data-testid="chat-active">
      <h2 id={headingId}>{t('active.heading')}</h2>
      {state.order.length === 0 ? (
        <p className="muted">{t('active.empty')}</p>
      ) : (
        <ul className="chat-tabs" aria-labelledby={headingId}>
          {state.order.map((id) => {
            const chat = state.chats[id];
            return chat ? <ChatTab key={id} chat={chat} selected={id === selectedId} /> : null;
          })}
        </ul>
      )}
    </section>
  );
}
