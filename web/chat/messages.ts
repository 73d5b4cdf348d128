/**
 * The message log: the stored messages in order, then the visitor's still on their way, each of the
 * visitor's with its delivery mark (sending, sent, delivered, seen, or failed with a retry).
 */
import { fileButton, openAttachment } from './attachments';
import type { PendingMessage } from './client';
import type { Conversation, Widget } from './context';
import { button, h } from './dom';
import type { Strings } from './i18n';
import type { Presence } from './presence';
import type { ChatAttachment, ChatMessage, ChatReceipt } from './types';

type Delivery = 'sending' | 'sent' | 'delivered' | 'seen' | 'failed';

interface Pending {
  el: HTMLElement;
  state: HTMLElement;
  pm: PendingMessage;
}

export interface MessageList {
  readonly log: HTMLElement;
  /** Sends a message, with the attachment the desk already holds, and shows it on its way. */
  send(body: string, attachment?: ChatAttachment): void;
  /** Shows a message written before a reload and not yet stored, which the client sends again. */
  addPending(pm: PendingMessage): void;
  /** Takes in how far the agent has received and seen, and repaints the marks. */
  agentReceipt(r: ChatReceipt): void;
}

/** The log, kept up to date from the connection: messages, acknowledgements, refusals and receipts. */
export function messageList(w: Widget, convo: Conversation, presence: Presence): MessageList {
  const { t } = w;
  const { client, id } = convo;
  // How far the agent has received and seen the visitor's messages.
  let seen = { deliveredSeq: 0, seenSeq: 0 };
  const own = new Map<number, HTMLElement>();
  const pending = new Map<string, Pending>();
  const files = new Map<string, ChatAttachment>();
  const log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': t.log });
  log.setAttribute('aria-relevant', 'additions');

  const nearBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  const toBottom = () => {
    log.scrollTop = log.scrollHeight;
  };
  const open = (a: ChatAttachment) => fileButton(a, () => void openAttachment(w, convo, a));
  const deliveryOf = (seq: number): Delivery =>
    seq <= seen.seenSeq ? 'seen' : seq <= seen.deliveredSeq ? 'delivered' : 'sent';

  function addPending(pm: PendingMessage) {
    const state = h('span');
    paint(t, state, 'sending');
    const el = bubble(
      {
        kind: 'visitor',
        body: pm.body,
        attachment: (pm.attachmentId && files.get(pm.attachmentId)) || null,
        meta: [state],
      },
      open,
    );
    log.append(el);
    pending.set(pm.clientId, { el, state, pm });
    toBottom();
  }

  const send = (body: string, attachmentId?: string) => addPending(client.send(id, body, attachmentId));

  const agentReceipt = (r: ChatReceipt) => {
    seen = {
      deliveredSeq: Math.max(seen.deliveredSeq, r.deliveredSeq),
      seenSeq: Math.max(seen.seenSeq, r.seenSeq),
    };
    for (const [seq, el] of own) paint(t, el, deliveryOf(seq));
  };

  function receive(m: ChatMessage) {
    const stick = nearBottom();
    const mine = m.clientId ? pending.get(m.clientId) : undefined;
    if (mine) {
      mine.el.remove();
      pending.delete(m.clientId!);
    }
    let mark: HTMLElement | null = null;
    if (m.author.kind === 'visitor') {
      mark = h('span');
      paint(t, mark, deliveryOf(m.seq));
      own.set(m.seq, mark);
    }
    const el = storedBubble(m, w.locale, mark, open);
    // Stored messages come before the ones still on their way.
    const firstPending = pending.values().next().value;
    log.insertBefore(el, firstPending?.el ?? null);
    convo.lastSeq = Math.max(convo.lastSeq, m.seq);
    if (m.author.kind === 'agent') presence.agentWrote(m);
    if (stick || mine) toBottom();
    presence.scheduleReceipt();
  }

  client.on('message', (conversationId, m) => {
    if (conversationId === id) receive(m);
  });
  client.on('ack', (conversationId, clientId) => {
    const p = pending.get(clientId);
    if (conversationId === id && p) paint(t, p.state, 'sent');
  });
  client.on('receipt', (f) => {
    if (f.conversationId === id && f.side === 'agent') agentReceipt(f);
  });
  client.on('error', (f) => {
    const p = f.ref ? pending.get(f.ref) : undefined;
    if (!p) return;
    p.state.title = f.detail ?? f.title;
    paint(t, p.state, 'failed', () => {
      if (convo.ended) return;
      p.el.remove();
      pending.delete(p.pm.clientId);
      send(p.pm.body, p.pm.attachmentId);
    });
  });

  return {
    log,
    send(body, attachment) {
      if (attachment) files.set(attachment.id, attachment);
      send(body, attachment?.id);
    },
    addPending,
    agentReceipt,
  };
}

function paint(t: Strings, el: HTMLElement, state: Delivery, retry?: () => void) {
  el.className = state === 'failed' ? 'failed' : '';
  const glyph = state === 'sent' ? '✓' : state === 'delivered' ? '✓✓' : null;
  el.replaceChildren(
    ...(glyph
      ? [h('span', { 'aria-hidden': 'true', title: t[state] }, glyph), h('span', { class: 'sr' }, t[state])]
      : [t[state]]),
  );
  if (retry) el.append(' ', button('linkbtn', t.retry, retry));
}

function bubble(
  m: {
    kind: ChatMessage['author']['kind'];
    name?: string;
    body: string;
    attachment: ChatAttachment | null;
    meta?: (Node | string)[];
  },
  file: (a: ChatAttachment) => HTMLElement,
) {
  if (m.kind === 'system') return h('div', { class: 'msg system' }, m.body);
  return h(
    'div',
    { class: `msg ${m.kind}` },
    m.kind === 'agent' && m.name ? h('span', { class: 'who' }, m.name) : null,
    m.body ? h('div', { class: 'b' }, m.body) : null,
    m.attachment ? file(m.attachment) : null,
    m.meta ? h('span', { class: 'meta' }, ...m.meta) : null,
  );
}

/** A stored message: the agent's and the visitor's show their time, the visitor's their delivery `mark`. */
function storedBubble(
  m: ChatMessage,
  locale: string,
  mark: HTMLElement | null,
  file: (a: ChatAttachment) => HTMLElement,
) {
  let meta: (Node | string)[] | undefined;
  if (mark) meta = [time(m.createdAt, locale), ' · ', mark];
  else if (m.author.kind === 'agent') meta = [time(m.createdAt, locale)];
  return bubble(
    {
      kind: m.author.kind,
      name: m.author.name,
      body: m.body,
      attachment: m.attachment,
      ...(meta ? { meta } : {}),
    },
    file,
  );
}

function time(iso: string, locale: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? ''
    : d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}
