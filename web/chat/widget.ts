/*
 * Accord live chat button: one script tag on any website adds a "Chat with us" button that talks to
 * the desk the script came from.
 *
 *   <script src="https://desk.example.com/chat.js" async data-locale="fr"></script>
 *
 * data-locale           "en" or "fr" (default: the page's lang, else English).
 * data-token-url        The vendor's own app only: a same-origin URL answering GET with {"token": "…"},
 *                       the signed-in user's embed token. The visitor is then known and not asked who
 *                       they are.
 * data-priority-picker  Ask the visitor how urgent it is (P0…P3), else the desk's default applies.
 * data-position         "left" puts the button bottom-left instead of bottom-right.
 *
 * Everything lives in a shadow root, styled from inside it; the only global is window.AccordChat.
 */
import { chatView } from './chat-view';
import { chatRequest } from './client';
import type { Widget } from './context';
import { STRINGS } from './i18n';
import { buildFrame, wireLauncher } from './launcher';
import { formView } from './start-form';
import { load, store } from './storage';
import type { ChatLocale, PublicAvailability } from './types';

interface Controls {
  open(): void;
  close(): void;
}

declare global {
  interface Window {
    AccordChat?: Controls;
  }
}

/** Adds the button to the page, showing the tab's conversation if it has one, else the start form. */
function mount(script: HTMLScriptElement): Controls {
  const desk = new URL(script.src, location.href).origin;
  const attr = (name: string) => script.getAttribute(name);
  const locale: ChatLocale = (attr('data-locale') || document.documentElement.lang || '')
    .toLowerCase()
    .startsWith('fr')
    ? 'fr'
    : 'en';
  const t = STRINGS[locale];
  const tokenUrl = attr('data-token-url');
  const picker = script.hasAttribute('data-priority-picker') && attr('data-priority-picker') !== 'false';
  const frame = buildFrame(t, attr('data-position') === 'left');
  const saved = load();

  const w: Widget = {
    desk,
    locale,
    t,
    tokenUrl,
    picker,
    frame,
    saved,
    availability: null,
    expected: saved?.expectedResponse ?? null,
    isOpen: false,
    unread: 0,
    focusTarget: () => null,
    chat: null,
    renderForm: null,
    api: (method, path, body) => chatRequest(desk, method, path, body),
    updateLauncher: () => frame.paintLauncher(!!w.availability?.agentsOnline, w.unread),
    refreshAvailability: () => refreshAvailability(w),
    remember() {
      if (w.saved) store({ ...w.saved, open: w.isOpen });
    },
    showForm() {
      w.chat = null;
      w.renderForm = formView(w);
    },
    showChat(s, initial) {
      w.renderForm = null;
      w.chat = chatView(w, s, initial);
    },
  };
  const { open, close } = wireLauncher(w);

  if (saved) w.showChat(saved, null);
  else w.showForm();
  w.updateLauncher();
  void w.refreshAvailability();
  if (saved?.open) open(false);

  return { open: () => open(), close };
}

async function refreshAvailability(w: Widget) {
  try {
    w.availability = await w.api<PublicAvailability>('GET', `/chat/availability?locale=${w.locale}`);
  } catch {
    return;
  }
  w.updateLauncher();
  w.chat?.renderNotice();
  w.renderForm?.();
}

// document.currentScript is only set while this script first runs.
const self =
  (document.currentScript as HTMLScriptElement | null) ??
  document.querySelector<HTMLScriptElement>('script[src*="chat.js"]');
if (self?.src && !window.AccordChat) {
  // The global exists at once, so that a second copy of the script stays idle; calls made before the
  // page's body exists take effect when it does.
  let ready: Controls | null = null;
  let wanted: 'open' | 'close' | null = null;
  window.AccordChat = {
    open: () => (ready ? ready.open() : (wanted = 'open')),
    close: () => (ready ? ready.close() : (wanted = 'close')),
  };
  const start = () => {
    ready = mount(self);
    if (wanted) ready[wanted]();
  };
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start, { once: true });
}
