/**
 * The launcher button and the dialog it opens, in their own shadow root: the frame every view renders
 * into.
 */
import type { Widget } from './context';
import { ICONS, h, icon, iconButton } from './dom';
import type { Strings } from './i18n';
import { CSS } from './styles';

export interface Frame {
  readonly root: HTMLElement;
  readonly launcher: HTMLButtonElement;
  readonly panel: HTMLElement;
  readonly title: HTMLElement;
  readonly endButton: HTMLButtonElement;
  readonly closeButton: HTMLButtonElement;
  /** The connection's state, when it is not open. */
  readonly banner: HTMLElement;
  /** Puts a view under the panel's header. */
  show(...nodes: Node[]): void;
  /** Whether the focus is inside the panel. */
  focusInside(): boolean;
  /** Labels the launcher and shows on it whether agents are online and how many messages are unread. */
  paintLauncher(online: boolean, unread: number): void;
}

/** Adds the button to the page, with its panel closed. */
export function buildFrame(t: Strings, left: boolean): Frame {
  const host = document.createElement('accord-chat');
  const shadow = host.attachShadow({ mode: 'open' });
  const root = h('div', { class: left ? 'root left' : 'root' });
  shadow.append(h('style', {}, CSS), root);

  const dot = h('span', { class: 'dot', hidden: true });
  const badge = h('span', { class: 'badge', 'aria-hidden': 'true', hidden: true });
  const launcher = h(
    'button',
    { type: 'button', class: 'launcher', 'aria-haspopup': 'dialog', 'aria-expanded': 'false' },
    icon(ICONS.chat),
    dot,
    badge,
  );
  const title = h('h2', { id: 'ac-title' }, t.title);
  const endButton = h('button', { type: 'button', class: 'hbtn', hidden: true }, t.end);
  const closeButton = iconButton('hbtn', t.close, ICONS.close);
  const banner = h('div', { class: 'banner', role: 'status', hidden: true });
  const body = h('div', { class: 'body' });
  const panel = h(
    'section',
    { class: 'panel', id: 'ac-panel', role: 'dialog', 'aria-labelledby': 'ac-title', hidden: true },
    h('div', { class: 'head' }, title, endButton, closeButton),
    banner,
    body,
  );
  launcher.setAttribute('aria-controls', 'ac-panel');
  root.append(launcher, panel);
  document.body.append(host);

  return {
    root,
    launcher,
    panel,
    title,
    endButton,
    closeButton,
    banner,
    show: (...nodes) => body.replaceChildren(...nodes),
    focusInside: () => shadow.activeElement !== null && panel.contains(shadow.activeElement),
    paintLauncher(online, unread) {
      const label = online ? t.launcherOnline : t.launcher;
      const full = unread ? `${label}, ${t.unread(unread)}` : label;
      launcher.setAttribute('aria-label', full);
      launcher.title = full;
      dot.hidden = !online;
      badge.textContent = String(unread);
      badge.hidden = !unread;
    },
  };
}

/** Opens and closes the panel from the launcher, the close button and Escape. */
export function wireLauncher(w: Widget): { open: (focus?: boolean) => void; close: () => void } {
  const { launcher, panel, closeButton } = w.frame;

  /** Opened by the visitor, focus moves in; reopened after a page change, it stays where the page put it. */
  function open(focus = true) {
    if (w.isOpen) return;
    w.isOpen = true;
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    w.unread = 0;
    w.updateLauncher();
    w.remember();
    void w.refreshAvailability();
    if (focus) w.focusTarget()?.focus();
    w.chat?.scheduleReceipt();
  }

  function close() {
    if (!w.isOpen) return;
    const inside = w.frame.focusInside();
    w.isOpen = false;
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    w.remember();
    if (inside) launcher.focus();
  }

  launcher.addEventListener('click', () => (w.isOpen ? close() : open()));
  closeButton.addEventListener('click', close);
  panel.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    close();
  });
  return { open, close };
}
