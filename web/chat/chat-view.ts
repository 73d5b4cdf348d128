/**
 * The chat itself: the notice, the message log, the agent's typing, the composer and the end flow,
 * joined to the desk by one ChatClient.
 */
import { ChatClient } from './client';
import { composer } from './composer';
import type { ChatView, Conversation, Widget } from './context';
import { h } from './dom';
import { endFlow, lostView } from './end-flow';
import { messageList } from './messages';
import { queueNotice } from './notice';
import { presence } from './presence';
import { session, store, type Saved } from './storage';
import type { ChatConversation } from './types';

export function chatView(w: Widget, saved: Saved, initial: ChatConversation | null): ChatView {
  const { t, frame } = w;
  const id = saved.conversationId;
  const token = saved.visitorToken;
  const client = new ChatClient({ baseUrl: w.desk, storage: session });
  const convo: Conversation = {
    id,
    token,
    client,
    latest: null,
    lastSeq: 0,
    ended: false,
    status: h('div', { class: 'status', role: 'status' }),
    post: (path, body) => client.rest('POST', `/chat/conversations/${id}/${path}`, body, token),
  };
  const notice = queueNotice(w, convo, onConversation);
  const typing = presence(w, convo);
  const messages = messageList(w, convo, typing);
  const writer = composer(w, convo, messages);
  const ending = endFlow(w, convo, { input: writer.input, onConversation, onEnded: endedView, restart });

  frame.show(
    notice.el,
    messages.log,
    typing.typingLine,
    ending.confirm,
    convo.status,
    writer.count,
    writer.el,
    ending.endBox,
  );
  frame.endButton.hidden = false;
  frame.title.textContent = t.title;
  w.focusTarget = () => (convo.ended ? ending.endBox.querySelector('button') : writer.input);

  function onConversation(c: ChatConversation) {
    if (c.id !== id) return;
    convo.latest = c;
    messages.agentReceipt(c.agentReceipt);
    frame.title.textContent = c.agent ? t.withAgent(c.agent.name) : t.title;
    notice.render();
    if (c.status === 'ended') endedView(ending.endedText());
  }

  function endedView(text: string) {
    const focused = frame.focusInside();
    convo.ended = true;
    writer.el.hidden = writer.count.hidden = true;
    frame.endButton.hidden = true;
    typing.typingLine.textContent = '';
    client.typing(id, false);
    notice.render();
    ending.showEnded(text, focused);
  }

  /** Closes the connection and forgets the conversation, for this tab too. */
  function forget() {
    client.close();
    notice.dispose();
    typing.dispose();
    writer.dispose();
    store(null);
    w.saved = null;
  }

  function restart() {
    forget();
    w.expected = null;
    w.showForm();
    w.focusTarget()?.focus();
  }

  showConnection(w, client);
  client.on('conversation', onConversation);
  client.on('error', (f) => {
    if (f.ref === id) {
      forget();
      lostView(w, restart);
    }
  });

  client.join(id, { token, after: 0 });
  // Messages written before a reload and not yet stored are shown, and sent, again.
  for (const pm of client.pending(id)) messages.addPending(pm);
  if (initial) onConversation(initial);
  return {
    renderNotice: notice.render,
    scheduleReceipt: typing.scheduleReceipt,
    leaveTicket: notice.leaveTicket,
  };
}

/** The banner under the header while the connection is down: reconnecting, then offline. */
function showConnection(w: Widget, client: ChatClient) {
  const { banner } = w.frame;
  let timer: ReturnType<typeof setTimeout> | undefined;
  client.on('state', (state) => {
    clearTimeout(timer);
    if (state === 'open') {
      banner.hidden = true;
      return;
    }
    if (state !== 'reconnecting' || !banner.hidden) return;
    banner.textContent = navigator.onLine === false ? w.t.offline : w.t.reconnecting;
    banner.hidden = false;
    timer = setTimeout(() => (banner.textContent = w.t.offline), 8000);
  });
}
