/*
 * Accord support button: one script tag in the vendor's app adds a "Support" button that opens the
 * desk's support widget in a panel.
 *
 *   <script src="https://desk.example.com/embed.js" data-token-url="/support-token" async></script>
 *
 * data-token-url  Required. A URL of the vendor's own site (same origin as the page) answering GET
 *                 with JSON {"token": "<signed token>"} for the signed-in user. It is fetched each
 *                 time the panel needs a new session, with the page's cookies.
 * data-label      Optional. The button's text (default "Support").
 * data-locale     Optional. "en" or "fr" (default: the page's lang, else English). Changing the
 *                 attribute later takes effect at once.
 *
 * The only global is window.AccordSupport, with open() and close().
 * The widget is served by the desk the script came from: <origin of this script>/widget/.
 */
(function () {
  'use strict';
  if (window.AccordSupport) return;
  const script = document.currentScript || document.querySelector('script[src*="embed.js"][data-token-url]');
  if (!script || !script.src) return;

  const DESK = new URL(script.src, window.location.href).origin;
  const TEXT = {
    en: {
      label: 'Support',
      close: 'Close support',
      loading: 'Connecting to support…',
      failed: 'Support could not be reached. Try again in a moment.',
      retry: 'Try again',
    },
    fr: {
      label: 'Support',
      close: 'Fermer le support',
      loading: 'Connexion au support…',
      failed: "Le support n'a pas pu être joint. Réessayez dans un instant.",
      retry: 'Réessayer',
    },
  };
  const Z = '2147483000';

  const locale = () => {
    const asked = (script.getAttribute('data-locale') || document.documentElement.lang || '').toLowerCase();
    return asked.startsWith('fr') ? 'fr' : 'en';
  };
  const text = () => TEXT[locale()];
  const tokenUrl = () => script.getAttribute('data-token-url');

  const el = (tag, attrs, style) => {
    const node = document.createElement(tag);
    for (const name of Object.keys(attrs || {})) node.setAttribute(name, attrs[name]);
    Object.assign(node.style, style || {});
    return node;
  };

  // Styles go on the elements (allowed under a strict style-src); the sheet only adds refinements.
  const button = el(
    'button',
    {
      id: 'accord-support-button',
      type: 'button',
      'aria-haspopup': 'dialog',
      'aria-expanded': 'false',
      'aria-controls': 'accord-support-panel',
    },
    {
      position: 'fixed',
      right: '20px',
      bottom: '20px',
      zIndex: Z,
      display: 'inline-flex',
      alignItems: 'center',
      gap: '8px',
      padding: '10px 18px',
      border: '0',
      borderRadius: '999px',
      background: '#0b5cad',
      color: '#fff',
      font: '600 15px/1.2 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      boxShadow: '0 4px 14px rgba(0, 0, 0, 0.25)',
      cursor: 'pointer',
    },
  );
  button.innerHTML =
    '<svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 24 24" fill="none" ' +
    'stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">' +
    '<path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/></svg>';
  const buttonLabel = el('span');
  button.appendChild(buttonLabel);

  const panel = el(
    'div',
    { id: 'accord-support-panel', role: 'dialog', 'aria-labelledby': 'accord-support-title' },
    {
      position: 'fixed',
      right: '20px',
      bottom: '76px',
      zIndex: Z,
      width: 'min(420px, calc(100vw - 24px))',
      height: 'min(680px, calc(100vh - 100px))',
      display: 'none',
      flexDirection: 'column',
      background: '#fff',
      border: '1px solid #d0d5dc',
      borderRadius: '10px',
      boxShadow: '0 12px 40px rgba(0, 0, 0, 0.3)',
      overflow: 'hidden',
      font: '15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      color: '#1b1f24',
    },
  );
  panel.hidden = true;
  const header = el(
    'div',
    {},
    {
      display: 'flex',
      alignItems: 'center',
      justifyContent: 'space-between',
      padding: '8px 8px 8px 14px',
      background: '#132a45',
      color: '#fff',
      flex: 'none',
    },
  );
  const title = el('span', { id: 'accord-support-title' }, { fontWeight: '700' });
  const closeButton = el(
    'button',
    { type: 'button' },
    {
      border: '0',
      background: 'transparent',
      color: '#fff',
      font: '400 24px/1 system-ui, sans-serif',
      width: '36px',
      height: '36px',
      borderRadius: '6px',
      cursor: 'pointer',
    },
  );
  closeButton.textContent = '×';
  header.appendChild(title);
  header.appendChild(closeButton);

  const status = el('div', { role: 'status' }, { padding: '16px', display: 'none' });
  const frame = el(
    'iframe',
    { id: 'accord-support-frame', title: 'Support' },
    { flex: '1', width: '100%', border: '0', display: 'none', background: '#f6f7f9' },
  );
  panel.appendChild(header);
  panel.appendChild(status);
  panel.appendChild(frame);

  const sheet = el('style');
  sheet.textContent =
    '#accord-support-button:focus-visible,#accord-support-panel button:focus-visible' +
    '{outline:3px solid #f0a500;outline-offset:2px}' +
    '#accord-support-button:hover{background:#094a8c!important}' +
    '@media (max-width:480px){#accord-support-panel{inset:0!important;width:100%!important;' +
    'height:100%!important;border-radius:0!important;border:0!important}' +
    // On a phone the panel fills the screen; its own close button replaces the floating one.
    '#accord-support-button[aria-expanded="true"]{display:none!important}}';

  let isOpen = false;
  let sessionLocale = null; // the locale the frame was opened in; null until it has a session
  let attempt = 0;

  const applyText = () => {
    const t = text();
    buttonLabel.textContent = script.getAttribute('data-label') || t.label;
    title.textContent = t.label;
    closeButton.setAttribute('aria-label', t.close);
    closeButton.title = t.close;
  };

  const showStatus = (message, retry) => {
    status.textContent = message;
    if (retry) {
      const again = el(
        'button',
        { type: 'button' },
        { display: 'block', marginTop: '10px', padding: '6px 12px' },
      );
      again.textContent = text().retry;
      again.addEventListener('click', () => void startSession());
      status.appendChild(again);
    }
    status.style.display = 'block';
  };

  async function startSession() {
    const current = ++attempt;
    sessionLocale = null;
    frame.style.display = 'none';
    frame.removeAttribute('src');
    showStatus(text().loading, false);
    try {
      const response = await fetch(tokenUrl(), {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      });
      if (!response.ok) throw new Error('token endpoint answered ' + response.status);
      const body = await response.json();
      if (!body || typeof body.token !== 'string') throw new Error('token endpoint gave no token');
      if (current !== attempt) return;
      sessionLocale = locale();
      frame.src =
        DESK +
        '/widget/?token=' +
        encodeURIComponent(body.token) +
        '&locale=' +
        encodeURIComponent(sessionLocale);
    } catch (error) {
      if (current !== attempt) return;
      showStatus(text().failed, true);
      if (window.console) console.warn('Accord support:', error);
    }
  }

  frame.addEventListener('load', () => {
    if (!frame.getAttribute('src')) return;
    status.style.display = 'none';
    frame.style.display = 'block';
    // Into the widget, unless the user has already moved elsewhere.
    if (isOpen && (document.activeElement === closeButton || document.activeElement === document.body))
      frame.focus();
  });

  function open() {
    if (!tokenUrl()) {
      if (window.console) console.warn('Accord support: the script tag needs a data-token-url attribute.');
      return;
    }
    if (!isOpen) {
      isOpen = true;
      panel.hidden = false;
      panel.style.display = 'flex';
      button.setAttribute('aria-expanded', 'true');
    }
    if (sessionLocale !== locale()) void startSession();
    if (frame.style.display === 'block') frame.focus();
    else closeButton.focus();
  }

  function close() {
    if (!isOpen) return;
    const hadFocus = panel.contains(document.activeElement) || document.activeElement === document.body;
    isOpen = false;
    panel.hidden = true;
    panel.style.display = 'none';
    button.setAttribute('aria-expanded', 'false');
    if (hadFocus) button.focus();
  }

  button.addEventListener('click', () => (isOpen ? close() : open()));
  closeButton.addEventListener('click', close);
  document.addEventListener('keydown', (event) => {
    if (isOpen && event.key === 'Escape') close();
  });
  // Keys pressed inside the frame stay there; the widget relays Escape, and asks for a fresh session
  // when its own has expired.
  window.addEventListener('message', (event) => {
    if (event.origin !== DESK || event.source !== frame.contentWindow || !event.data) return;
    if (event.data.type === 'accord-support:close') close();
    if (event.data.type === 'accord-support:expired') sessionLocale = null;
  });
  new MutationObserver(() => {
    applyText();
    if (isOpen && sessionLocale && sessionLocale !== locale()) void startSession();
  }).observe(script, { attributes: true, attributeFilter: ['data-label', 'data-locale'] });

  const mount = () => {
    applyText();
    document.head.appendChild(sheet);
    document.body.appendChild(panel);
    document.body.appendChild(button);
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);

  window.AccordSupport = Object.freeze({ open: open, close: close });
})();
