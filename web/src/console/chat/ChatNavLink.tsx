import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { useChatAlerts } from './alerts';
import './chat-nav.css';

/** The "Chats" entry of the top navigation, with how many chats wait and how many messages are unread. */
export function ChatNavLink() {
  const { t } = useTranslation('chat');
  const { waiting, unread, ringing } = useChatAlerts();
  const total = waiting + unread;
  return (
    <NavLink to="/console/chats" data-testid="chat-nav-link">
      {t('nav.chats')}
      {total > 0 && (
        <span
          className={ringing ? 'badge chat-nav-badge ringing' : 'badge chat-nav-badge'}
          data-testid="chat-nav-badge"
          data-waiting={waiting}
          data-unread={unread}
        >
          <span aria-hidden="true">{total}</span>
          <span className="visually-hidden">
            {[
              waiting > 0 && t('nav.waiting', { count: waiting }),
              unread > 0 && t('nav.unread', { count: unread }),
            ]
              .filter(Boolean)
              .join(', ')}
          </span>
        </span>
      )}
    </NavLink>
  );
}
