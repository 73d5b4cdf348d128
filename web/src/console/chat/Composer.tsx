import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CannedReply, ChatLocale } from '../../../chat/types';
import { ErrorMessage } from '../../shared/components';
import { useChat } from './ChatProvider';
import { useDebounced } from './hooks';
import { useCannedReplies } from './queries';

// What the agent was writing in each chat survives moving between chats (not a reload).
const drafts = new Map<string, string>();

// Typing frames: one "started" at most this often while keys keep coming, "stopped" after a pause.
const TYPING_REPEAT_MS = 3000;
const TYPING_IDLE_MS = 4000;
const SEARCH_DEBOUNCE_MS = 150;

const SLASH = /^\/([^\n]*)$/;

/** The desk's canned replies matching `q`, the chat's language first, then those for any language. */
function useCannedChoices(q: string, locale: ChatLocale, enabled: boolean) {
  const wanted = q.trim();
  const settled = useDebounced(wanted, SEARCH_DEBOUNCE_MS);
  const query = useCannedReplies(settled, enabled);
  const rank = (r: CannedReply) => (r.locale === locale ? 0 : r.locale === null ? 1 : 2);
  // Until the desk answers for what is typed now, the previous answer is narrowed here, so that a
  // quick Enter never picks a reply the words typed had already ruled out.
  const stale = settled !== wanted || query.isPlaceholderData;
  const needle = wanted.toLocaleLowerCase();
  const replies = (query.data ?? [])
    .filter(
      (r) =>
        !stale || r.title.toLocaleLowerCase().includes(needle) || r.body.toLocaleLowerCase().includes(needle),
    )
    .sort((a, b) => rank(a) - rank(b) || a.title.localeCompare(b.title));
  return { query, replies };
}

function CannedOption({ reply }: { reply: CannedReply }) {
  return (
    <>
      <span className="chat-canned-title">{reply.title}</span>
      {reply.locale && <span className="badge chat-canned-locale">{reply.locale.toUpperCase()}</span>}
      <span className="chat-canned-body">{reply.body}</span>
    </>
  );
}

/** The canned replies picker opened by its button: a search, then one button per reply. */
function CannedPanel({
  locale,
  onChoose,
  onClose,
}: {
  locale: ChatLocale;
  onChoose: (reply: CannedReply) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation('chat');
  const [q, setQ] = useState('');
  const { query, replies } = useCannedChoices(q, locale, true);
  const headingId = useId();
  return (
    <div
      className="chat-canned-panel"
      role="group"
      aria-labelledby={headingId}
      data-testid="chat-canned-panel"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <div className="chat-canned-head">
        <h3 id={headingId}>{t('canned.heading')}</h3>
        <button type="button" className="link" onClick={onClose}>
          {t('canned.close')}
        </button>
      </div>
      <input
        type="search"
        aria-label={t('canned.search')}
        placeholder={t('canned.search')}
        value={q}
        // The panel opens on a click that asked for it; the search is where the agent goes next.
        autoFocus
        onChange={(e) => setQ(e.target.value)}
      />
      <ErrorMessage error={query.error} />
      {query.data && replies.length === 0 && <p className="muted">{t('canned.none')}</p>}
      <ul className="chat-canned-list">
        {replies.map((reply) => (
          <li key={reply.id}>
            <button type="button" className="chat-canned-option" onClick={() => onChoose(reply)}>
              <CannedOption reply={reply} />
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Where the agent writes: Enter sends, Shift+Enter starts a new line. A "/" at the start opens the
 * canned replies matching what follows it; choosing one puts its text in the box, to read and edit
 * before sending.
 */
export function Composer({ conversationId, locale }: { conversationId: string; locale: ChatLocale }) {
  const { t } = useTranslation('chat');
  const { send, typing, client } = useChat();
  const [body, setBodyState] = useState(() => drafts.get(conversationId) ?? '');
  const [panelOpen, setPanelOpen] = useState(false);
  const [slashDismissed, setSlashDismissed] = useState(false);
  const [active, setActive] = useState(0);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const typingState = useRef({
    on: false,
    sentAt: 0,
    idle: undefined as ReturnType<typeof setTimeout> | undefined,
  });
  const textareaId = useId();
  const hintId = useId();
  const listId = useId();

  const slash = SLASH.exec(body);
  const slashOpen = !!slash && !slashDismissed;
  const { replies } = useCannedChoices(slash?.[1] ?? '', locale, slashOpen);
  const shown = slashOpen ? replies : [];
  const activeIndex = Math.min(active, Math.max(0, shown.length - 1));

  const setBody = (next: string) => {
    setBodyState(next);
    if (next) drafts.set(conversationId, next);
    else drafts.delete(conversationId);
    if (!SLASH.test(next)) setSlashDismissed(false);
  };

  const stopTyping = () => {
    const state = typingState.current;
    clearTimeout(state.idle);
    if (state.on) typing(conversationId, false);
    state.on = false;
  };

  // Leaving the chat (another tab, another page) ends "typing" for the visitor.
  const stopTypingRef = useRef(stopTyping);
  stopTypingRef.current = stopTyping;
  useEffect(() => () => stopTypingRef.current(), []);

  const noteTyping = (text: string) => {
    const state = typingState.current;
    if (!text) {
      stopTyping();
      return;
    }
    const now = Date.now();
    if (!state.on || now - state.sentAt > TYPING_REPEAT_MS) {
      typing(conversationId, true);
      state.on = true;
      state.sentAt = now;
    }
    clearTimeout(state.idle);
    state.idle = setTimeout(stopTyping, TYPING_IDLE_MS);
  };

  const submit = () => {
    if (!body.trim() || !client) return;
    send(conversationId, body);
    setBody('');
    stopTyping();
  };

  const insert = (reply: CannedReply, replaceAll: boolean) => {
    const el = textarea.current;
    let next: string;
    let caret: number;
    if (replaceAll || !el) {
      next = reply.body;
      caret = next.length;
    } else {
      const start = el.selectionStart;
      const end = el.selectionEnd;
      next = body.slice(0, start) + reply.body + body.slice(end);
      caret = start + reply.body.length;
    }
    setBody(next);
    setActive(0);
    setPanelOpen(false);
    requestAnimationFrame(() => {
      textarea.current?.focus();
      textarea.current?.setSelectionRange(caret, caret);
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (slashOpen && shown.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive((activeIndex + step + shown.length) % shown.length);
        return;
      }
      if ((event.key === 'Enter' && !event.shiftKey) || event.key === 'Tab') {
        const reply = shown[activeIndex];
        if (reply) {
          event.preventDefault();
          insert(reply, true);
          return;
        }
      }
    }
    if (slashOpen && event.key === 'Escape') {
      event.preventDefault();
      setSlashDismissed(true);
      return;
    }
    // Enter sends, except while an input method is still composing a character.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  const optionId = (index: number) => `${listId}-${index}`;
  return (
    <form
      className="chat-composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label htmlFor={textareaId} className="field-label">
        {t('composer.label')}
      </label>
      <div className="chat-composer-box">
        {slashOpen && (
          <ul className="chat-slash-list" id={listId} role="listbox" aria-label={t('canned.heading')}>
            {shown.length === 0 ? (
              <li className="muted chat-slash-empty" role="presentation">
                {t('canned.none')}
              </li>
            ) : (
              shown.map((reply, index) => (
                <li
                  key={reply.id}
                  id={optionId(index)}
                  role="option"
                  aria-selected={index === activeIndex}
                  className="chat-canned-option"
                  // Keeps the focus in the box, where the agent goes on writing.
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => insert(reply, true)}
                >
                  <CannedOption reply={reply} />
                </li>
              ))
            )}
          </ul>
        )}
        <textarea
          id={textareaId}
          ref={textarea}
          rows={3}
          value={body}
          data-testid="chat-composer"
          aria-describedby={hintId}
          aria-autocomplete="list"
          aria-controls={slashOpen ? listId : undefined}
          aria-activedescendant={slashOpen && shown.length > 0 ? optionId(activeIndex) : undefined}
          onChange={(e) => {
            setBody(e.target.value);
            noteTyping(e.target.value);
          }}
          onKeyDown={onKeyDown}
          onBlur={stopTyping}
        />
      </div>
      <p id={hintId} className="field-hint">
        {t('composer.hint')}
      </p>
      <div className="action-row">
        <button type="submit" className="primary" data-testid="chat-send" disabled={!body.trim() || !client}>
          {t('composer.send')}
        </button>
        <button
          type="button"
          aria-expanded={panelOpen}
          data-testid="chat-canned-button"
          onClick={() => setPanelOpen(!panelOpen)}
        >
          {t('canned.pick')}
        </button>
      </div>
      {panelOpen && (
        <CannedPanel
          locale={locale}
          onChoose={(reply) => insert(reply, false)}
          onClose={() => {
            setPanelOpen(false);
            textarea.current?.focus();
          }}
        />
      )}
    </form>
  );
}
