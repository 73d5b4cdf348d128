import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../../shared/components';
import { CannedRepliesDialog } from './CannedRepliesDialog';
import { ChatList } from './ChatList';
import { ChatPanel } from './ChatPanel';
import { ChatProvider, useChat, useHasChatProvider } from './ChatProvider';
import { IncomingQueue } from './IncomingQueue';
import { PresenceBar } from './PresenceBar';
import './chat.css';

/** Says so while chat runs without its live connection: messages then arrive late, or not yet. */
function ConnectionBanner() {
  const { t } = useTranslation('chat');
  const { connection } = useChat();
  const lost = connection.state === 'reconnecting' || connection.state === 'closed';
  const polling = connection.state === 'open' && connection.transport === 'polling';
  return (
    <div role="status" className="chat-banner-slot">
      {(lost || polling) && (
        <p
          className="chat-banner"
          data-testid="chat-connection-banner"
          data-state={connection.state}
          data-transport={connection.transport}
        >
          {polling ? t('connection.polling') : t('connection.lost')}
        </p>
      )}
    </div>
  );
}

function SocketError() {
  const { t } = useTranslation('chat');
  const { socketError, dismissError } = useChat();
  if (!socketError) return null;
  return (
    <div role="alert" className="error chat-socket-error">
      <strong>{socketError.title}</strong>
      {socketError.detail && socketError.detail !== socketError.title && <p>{socketError.detail}</p>}
      <button type="button" className="link" onClick={dismissError}>
        {t('dialog.dismiss')}
      </button>
    </div>
  );
}

function ChatsView() {
  const { t } = useTranslation('chat');
  const { state, selectedId } = useChat();
  const [managing, setManaging] = useState(false);
  useDocumentTitle(t('page.heading'));
  const selected = selectedId ? state.chats[selectedId] : undefined;
  return (
    <div className="chats-page">
      <h1>{t('page.heading')}</h1>
      <ConnectionBanner />
      <SocketError />
      <PresenceBar onManageCanned={() => setManaging(true)} />
      <div className="chats-layout">
        <div className="chats-side">
          <IncomingQueue />
          <ChatList />
        </div>
        <div className="chats-main">
          {selected ? (
            <ChatPanel key={selected.conversation.id} chat={selected} />
          ) : (
            <p className="card muted chat-none">{t('active.noneSelected')}</p>
          )}
        </div>
      </div>
      {managing && <CannedRepliesDialog onClose={() => setManaging(false)} />}
    </div>
  );
}

/**
 * Live chat at /console/chats: the agent's availability, the chats waiting, and the chats they hold.
 * The console normally provides the chat connection for all its pages (so new chats ring anywhere in
 * it); on its own, the page opens one for itself.
 */
export function ChatsPage() {
  const provided = useHasChatProvider();
  return provided ? (
    <ChatsView />
  ) : (
    <ChatProvider>
      <ChatsView />
    </ChatProvider>
  );
}

export default ChatsPage;
