/** Where the visitor writes: the text box, its character count, sending, typing, and attaching a file. */
import { ChatError } from './client';
import { MAX_MESSAGE, type Conversation, type Widget } from './context';
import { ICONS, h, iconButton } from './dom';
import type { MessageList } from './messages';
import type { ChatAttachment } from './types';

export interface Composer {
  readonly el: HTMLElement;
  readonly count: HTMLElement;
  readonly input: HTMLTextAreaElement;
  dispose(): void;
}

export function composer(w: Widget, convo: Conversation, messages: MessageList): Composer {
  const { t } = w;
  const { client, id, status } = convo;
  const count = h('div', { class: 'count', hidden: true });
  const input = h('textarea', {
    rows: '1',
    maxlength: String(MAX_MESSAGE),
    'aria-label': t.input,
    placeholder: t.input,
  });
  const fileInput = h('input', { type: 'file', hidden: true, tabindex: '-1' });
  const attach = iconButton('ibtn', t.attach, ICONS.clip);
  const sendButton = iconButton('ibtn', t.send, ICONS.send);
  const el = h('div', { class: 'composer' }, attach, fileInput, input, sendButton);

  function send() {
    const text = input.value.trim();
    if (!text || convo.ended) return;
    messages.send(text);
    input.value = '';
    updateCount();
    client.typing(id, false);
  }

  function updateCount() {
    const n = input.value.length;
    count.hidden = n < MAX_MESSAGE - 400;
    count.textContent = t.chars(n, MAX_MESSAGE);
    count.classList.toggle('over', n >= MAX_MESSAGE);
  }

  let idle: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    updateCount();
    client.typing(id, input.value.trim() !== '');
    clearTimeout(idle);
    idle = setTimeout(() => client.typing(id, false), 4000);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    send();
  });
  sendButton.addEventListener('click', () => {
    send();
    input.focus();
  });

  async function upload(file: File) {
    status.textContent = t.uploading(file.name);
    attach.disabled = true;
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      const a = await convo.post<ChatAttachment>('attachments', form);
      // What the visitor had typed goes with the file, as its caption.
      const caption = input.value.trim();
      input.value = '';
      updateCount();
      messages.send(caption, a);
      status.textContent = '';
    } catch (error) {
      const code = error instanceof ChatError ? error.status : 0;
      status.textContent = code === 413 ? t.tooBig : code === 415 ? t.refusedType : t.uploadFailed;
    } finally {
      attach.disabled = convo.ended;
    }
  }
  attach.addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    fileInput.value = '';
    if (file) void upload(file);
  });

  return { el, count, input, dispose: () => clearTimeout(idle) };
}
