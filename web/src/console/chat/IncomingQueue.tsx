import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatConversation } from '../../../chat/types';
import { ErrorMessage, PriorityBadge, TierBadge, useLocale, useNow } from '../../shared/components';
import { humanizeSeconds } from '../../shared/format';
import { useChat } from './ChatProvider';
import { useAcceptChat } from './queries';

/** The visitor's page as a link when it is a web address; anything else stays text. */
export function VisitorPage({ page }: { page: string }) {
  const { t } = useTranslation('chat');
  let url: URL | null = null;
  try {
    url = new URL(page);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    return <span className="chat-page-url">{page}</span>;
  return (
    <a className="chat-page-url" href={url.href} target="_blank" rel="noreferrer noopener">
      {page}
      <span className="visually-hidden"> {t('newTab')}</span>
    </a>
  );
}

/** Name, address (flagged when nobody confirmed it), organization and tier of a chat's visitor. */
export function VisitorFacts({ conversation }: { conversation: ChatConversation }) {
  const { t } = useTranslation('chat');
  const { visitor } = conversation;
  return (
    <>
      <span className="chat-visitor-email">{visitor.email}</span>
      {!visitor.verified && (
        <span
          className="badge chat-unverified"
          title={t('visitor.unverifiedHint')}
          data-testid="chat-unverified"
        >
          {t('visitor.unverified')}
        </span>
      )}
      <span className="chat-org">{conversation.organization?.name ?? t('visitor.noOrganization')}</span>
      {conversation.tier ? (
        <TierBadge tier={conversation.tier} />
      ) : (
        <span className="badge chat-tier-unknown">{t('visitor.unknownTier')}</span>
      )}
      <PriorityBadge priority={conversation.priority} />
    </>
  );
}

function QueueRow({
  conversation,
  now,
  blockedBy,
  accept,
}: {
  conversation: ChatConversation;
  now: number;
  blockedBy: string | undefined;
  accept: ReturnType<typeof useAcceptChat>;
}) {
  const { t } = useTranslation('chat');
  const locale = useLocale();
  const { open, accepting } = useChat();
  const waited = Math.max(0, Math.round((now - Date.parse(conversation.createdAt)) / 1000));
  const mine = accept.variables === conversation.id;
  return (
    <li className="chat-queue-row" data-testid="chat-queue-row" data-conversation-id={conversation.id}>
      <div className="chat-queue-who">
        <strong className="chat-visitor-name">{conversation.visitor.name}</strong>
        <VisitorFacts conversation={conversation} />
      </div>
      <div className="chat-queue-facts">
        <span data-testid="chat-waiting">
          {t('queue.waiting', { time: humanizeSeconds(waited, locale) })}
        </span>
        {conversation.queuePosition !== null && (
          <span className="muted">{t('queue.position', { position: conversation.queuePosition })}</span>
        )}
        {conversation.page && (
          <span className="chat-queue-page">
            <span className="muted">{t('visitor.page')} </span>
            <VisitorPage page={conversation.page} />
          </span>
        )}
      </div>
      <div className="chat-queue-accept">
        <button
          type="button"
          className="primary"
          data-testid="chat-accept"
          disabled={blockedBy !== undefined || accept.isPending}
          aria-describedby={blockedBy}
          onClick={() => {
            accepting(conversation.id);
            accept.mutate(conversation.id, { onSuccess: (accepted) => open(accepted) });
          }}
        >
          {t('queue.accept')}
          <span className="visually-hidden">
            {' '}
            {t('queue.acceptWho', { name: conversation.visitor.name })}
          </span>
        </button>
      </div>
      {mine && <ErrorMessage error={accept.error} />}
    </li>
  );
}

/** The chats waiting for an agent, in the desk's order (tier, then priority, then the oldest). */
export function IncomingQueue() {
  const { t } = useTranslation('chat');
  const { queue } = useChat();
  const accept = useAcceptChat();
  const now = useNow();
  const headingId = useId();
  const reasonId = useId();
  const queued = queue.data?.queued ?? [];
  const presence = queue.data?.presence;
  const atCapacity = !!presence && presence.activeChats >= presence.capacity;
  return (
    <section className="chat-incoming card" aria-labelledby={headingId} data-testid="chat-incoming">
      <h2 id={headingId}>
        {t('queue.heading')}{' '}
        <span className="badge chat-count" data-testid="chat-queue-count">
          {queued.length}
        </span>
      </h2>
      <ErrorMessage error={queue.error} />
      {atCapacity && (
        <p id={reasonId} className="chat-capacity-reason" data-testid="chat-capacity-reason">
          {t('queue.atCapacity', { count: presence.capacity })}
        </p>
      )}
      {queue.isPending ? null : queued.length === 0 ? (
        <p className="muted">{t('queue.empty')}</p>
      ) : (
        <ul className="chat-queue" aria-labelledby={headingId}>
          {queued.map((conversation) => (
            <QueueRow
              key={conversation.id}
              conversation={conversation}
              now={now}
              blockedBy={atCapacity ? reasonId : undefined}
              accept={accept}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
