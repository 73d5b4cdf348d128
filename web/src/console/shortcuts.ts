import { useEffect, useRef } from 'react';

/** True while the user is typing somewhere a letter key means a letter. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Single-key shortcuts for the page (r, n, j, k, ?). They stay silent while a form control has
 * the focus and when a modifier is held, so typing and the browser's own shortcuts are untouched.
 */
export function useShortcuts(handlers: Record<string, () => void>) {
  const current = useRef(handlers);
  useEffect(() => {
    current.current = handlers;
  });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing)
        return;
      if (isTypingTarget(event.target)) return;
      const handler = current.current[event.key];
      if (!handler) return;
      // Keeps the key from being typed into the reply box that the shortcut is about to focus.
      event.preventDefault();
      handler();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
