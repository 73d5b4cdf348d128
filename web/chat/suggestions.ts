import type { Widget } from './context';
import { h } from './dom';

interface Suggestion {
  articleId: string;
  title: string;
  url: string;
}

/** Help-center articles that may answer what the visitor is typing into `message`, before they ask. */
export function articleSuggestions(
  w: Widget,
  message: HTMLTextAreaElement,
): { box: HTMLElement; stop(): void } {
  const { t, api } = w;
  const box = h('div', { class: 'sugg', 'aria-live': 'polite' });
  let sessionId: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;

  const suggest = async () => {
    const text = message.value.trim();
    const mine = ++asked;
    if (text.length < 3) return box.replaceChildren();
    try {
      const r = await api<{ sessionId: string | null; suggestions: Suggestion[] }>(
        'POST',
        '/helpcenter/suggestions',
        { ...(sessionId ? { sessionId } : {}), locale: w.locale, channel: 'chat', body: text },
      );
      if (mine !== asked) return;
      sessionId = r.sessionId;
      const items = r.suggestions
        .flatMap((s) => {
          const href = safeUrl(s.url, w.desk);
          if (!href) return [];
          const link = h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, s.title);
          link.addEventListener('click', () => {
            // Counted by the help center as an answer found before asking.
            if (sessionId)
              api('POST', `/helpcenter/suggestions/${sessionId}/opened`, {
                articleId: s.articleId,
              }).catch(() => undefined);
          });
          return [h('li', {}, link)];
        })
        .slice(0, 3);
      box.replaceChildren(
        ...(items.length ? [h('p', { class: 'muted' }, t.suggestions), h('ul', {}, ...items)] : []),
      );
    } catch {
      // Suggestions help; the chat does not depend on them.
    }
  };
  message.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void suggest(), 300);
  });

  return {
    box,
    /** Drops a pending or unanswered request: the chat is starting. */
    stop() {
      clearTimeout(timer);
      asked++;
    },
  };
}

/** An http(s) link resolved against the desk, or null for any other kind. */
function safeUrl(url: string, desk: string): string | null {
  try {
    const u = new URL(url, desk);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}
