/**
 * The live chat's connection, for the visitor's chat button and the agent console alike: a WebSocket
 * to the desk (or long polling where sockets cannot get through), joined conversations that survive
 * reconnects, and outgoing messages kept until the server has stored them.
 *
 * No dependencies: the chat button ships this to every page of a vendor's website.
 */
import type {
  ChatConversation,
  ChatErrorEvent,
  ChatMessage,
  ChatProblem,
  ChatQueueEvent,
  ChatReceiptEvent,
  ChatTypingEvent,
  ClientFrame,
  ServerFrame,
} from './types';

export type * from './types';

export type ChatTransport = 'websocket' | 'polling';
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ChatClientOptions {
  /** The desk's origin, like 'https://desk.example'; '' for the page's own origin. */
  baseUrl: string;
  /** auto: WebSocket first, long polling when the socket cannot open. */
  transport?: 'auto' | ChatTransport;
  /** Extra headers for REST calls (the console's CSRF header). */
  headers?: () => Record<string, string>;
  /** Where unacknowledged outgoing messages survive a reload; null keeps them in memory only. */
  storage?: Storage | null;
}

export interface PendingMessage {
  clientId: string;
  conversationId: string;
  body: string;
  attachmentId?: string;
  state: 'sending';
}

export interface ChatEvents {
  message: (conversationId: string, m: ChatMessage) => void;
  ack: (conversationId: string, clientId: string, m: ChatMessage) => void;
  typing: (f: ChatTypingEvent) => void;
  receipt: (f: ChatReceiptEvent) => void;
  conversation: (c: ChatConversation) => void;
  queue: (f: ChatQueueEvent) => void;
  state: (s: ConnectionState, transport: ChatTransport) => void;
  error: (f: ChatErrorEvent) => void;
}

/** A failed REST call: the problem the desk answered (status 0 when the desk could not be reached). */
export class ChatError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  /** Seconds to wait, from a 429's retry-after. */
  readonly retryAfter: number | null;
  constructor(
    readonly problem: ChatProblem,
    retryAfter: number | null = null,
  ) {
    super(problem.detail ?? problem.title);
    this.status = problem.status;
    this.title = problem.title;
    this.detail = problem.detail;
    this.retryAfter = retryAfter;
  }
}

/** The key under which unacknowledged messages are kept in the given storage. */
export const PENDING_KEY = 'accord.chat.pending';

const PING_EVERY = 25_000;
const SILENCE_LIMIT = 60_000;
const OPEN_TIMEOUT = 10_000;
const TYPING_EVERY = 3_000;
const GAP_WAIT = 2_000;
const POLL_WAIT = 25;

/** Exponential backoff, 0.5 s doubling up to 10 s, with jitter so that clients do not return in step. */
export function backoff(attempt: number): number {
  const ceiling = Math.min(10_000, 500 * 2 ** Math.min(attempt, 5));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** crypto.randomUUID exists only in secure contexts; a desk served over plain http still needs ids. */
function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * A JSON call to {baseUrl}/api/v1{path}: x-chat-token when a visitor's token is given, FormData sent as
 * multipart, problem+json answers thrown as ChatError. Usable before any connection is wanted.
 */
export async function chatRequest<T>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  init: { headers?: Record<string, string>; token?: string; signal?: AbortSignal; timeout?: number } = {},
): Promise<T> {
  const base = baseUrl.replace(/\/+$/, '');
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (init.token) headers['x-chat-token'] = init.token;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), init.timeout ?? 30_000);
  const onAbort = () => abort.abort();
  init.signal?.addEventListener('abort', onAbort, { once: true });
  let response: Response;
  try {
    response = await fetch(`${base}/api/v1${path}`, {
      method,
      headers,
      body: payload,
      // Cookies go only to the page's own desk: a vendor's website talks to the desk with tokens alone.
      credentials: sameOrigin(base) ? 'include' : 'omit',
      signal: abort.signal,
    });
  } catch {
    throw new ChatError({ status: 0, title: 'The desk could not be reached.' });
  } finally {
    clearTimeout(timer);
    init.signal?.removeEventListener('abort', onAbort);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text().catch(() => '');
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const problem =
      data && typeof data === 'object' && 'title' in data
        ? { ...(data as ChatProblem), status: response.status }
        : { status: response.status, title: response.statusText || `HTTP ${response.status}` };
    const retry = Number(response.headers.get('retry-after'));
    throw new ChatError(problem, Number.isFinite(retry) && retry > 0 ? retry : null);
  }
  return data as T;
}

function sameOrigin(base: string): boolean {
  try {
    return !base || new URL(base, location.href).origin === location.origin;
  } catch {
    return false;
  }
}

interface Joined {
  id: string;
  token?: string;
  /** The highest seq delivered: messages are handed out in seq order, each once. */
  after: number;
  /** Messages that arrived ahead of a missing one. */
  early: Map<number, ChatMessage>;
  gapTimer?: ReturnType<typeof setTimeout>;
  /** The server accepted the join (socket) or the conversation was read (polling). */
  ready: boolean;
  poll?: AbortController;
  posting?: boolean;
  typing: boolean;
  typingAt: number;
  /** Receipts asked for, and those the server was told. */
  want: { deliveredSeq: number; seenSeq: number };
  told: { deliveredSeq: number; seenSeq: number };
}

interface Outgoing {
  pm: PendingMessage;
  /** The socket it was last sent on: a new socket sends it again. */
  socket: WebSocket | null;
}

type Listeners = { [E in keyof ChatEvents]: Set<ChatEvents[E]> };

export class ChatClient {
  private readonly base: string;
  private readonly mode: 'auto' | ChatTransport;
  private readonly storage: Storage | null;
  private readonly convs = new Map<string, Joined>();
  private readonly outbox = new Map<string, Outgoing>();
  private readonly listeners: Listeners = {
    message: new Set(),
    ack: new Set(),
    typing: new Set(),
    receipt: new Set(),
    conversation: new Set(),
    queue: new Set(),
    state: new Set(),
    error: new Set(),
  };
  private current: ChatTransport;
  private status: ConnectionState = 'connecting';
  private started = false;
  private closed = false;
  private ws: WebSocket | null = null;
  private attempt = 0;
  private failedOpens = 0;
  private everOpened = false;
  private lastFrame = 0;
  private lastPing = 0;
  private tick?: ReturnType<typeof setInterval>;
  private reconnectTimer?: ReturnType<typeof setTimeout>;

  constructor(private readonly options: ChatClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.mode = options.transport ?? 'auto';
    this.current = this.mode === 'polling' || typeof WebSocket === 'undefined' ? 'polling' : 'websocket';
    this.storage = options.storage ?? null;
    this.loadPending();
    // Started after the caller's synchronous set-up, so its listeners see the first state.
    queueMicrotask(() => this.start());
  }

  get state(): ConnectionState {
    return this.status;
  }

  get transport(): ChatTransport {
    return this.current;
  }

  on<E extends keyof ChatEvents>(event: E, fn: ChatEvents[E]): () => void {
    const set = this.listeners[event] as Set<ChatEvents[E]>;
    set.add(fn);
    return () => void set.delete(fn);
  }

  join(conversationId: string, options: { token?: string; after?: number } = {}): void {
    if (this.closed) return;
    const known = this.convs.get(conversationId);
    if (known) {
      if (options.token) known.token = options.token;
      return;
    }
    const c: Joined = {
      id: conversationId,
      after: options.after ?? 0,
      early: new Map(),
      ready: false,
      typing: false,
      typingAt: 0,
      want: { deliveredSeq: 0, seenSeq: 0 },
      told: { deliveredSeq: 0, seenSeq: 0 },
      ...(options.token ? { token: options.token } : {}),
    };
    this.convs.set(conversationId, c);
    if (!this.started) return;
    if (this.current === 'polling') void this.pollLoop(c);
    else if (this.ws?.readyState === WebSocket.OPEN) this.sendJoin(c);
  }

  leave(conversationId: string): void {
    const c = this.convs.get(conversationId);
    if (!c) return;
    this.convs.delete(conversationId);
    c.poll?.abort();
    clearTimeout(c.gapTimer);
    if (this.current === 'websocket') this.frame({ type: 'leave', conversationId });
  }

  send(conversationId: string, body: string, attachmentId?: string): PendingMessage {
    const pm: PendingMessage = {
      clientId: uuid(),
      conversationId,
      body,
      state: 'sending',
      ...(attachmentId ? { attachmentId } : {}),
    };
    this.outbox.set(pm.clientId, { pm, socket: null });
    this.savePending();
    const c = this.convs.get(conversationId);
    if (c) this.flush(c);
    return { ...pm };
  }

  typing(conversationId: string, active: boolean): void {
    const c = this.convs.get(conversationId);
    if (!c) return;
    const now = Date.now();
    // While typing goes on, the other side hears of it every few seconds, not on every key.
    if (active ? c.typing && now - c.typingAt < TYPING_EVERY : !c.typing) return;
    c.typing = active;
    c.typingAt = now;
    if (this.current === 'websocket') {
      if (c.ready) this.frame({ type: 'typing', conversationId, active });
    } else {
      this.request('POST', `/chat/conversations/${conversationId}/typing`, { active }, c.token).catch(
        () => undefined,
      );
    }
  }

  receipt(conversationId: string, r: { deliveredSeq?: number; seenSeq?: number }): void {
    const c = this.convs.get(conversationId);
    if (!c) return;
    c.want.deliveredSeq = Math.max(c.want.deliveredSeq, r.deliveredSeq ?? 0);
    c.want.seenSeq = Math.max(c.want.seenSeq, r.seenSeq ?? 0);
    this.pushReceipt(c);
  }

  pending(conversationId: string): PendingMessage[] {
    return [...this.outbox.values()]
      .filter((o) => o.pm.conversationId === conversationId)
      .map((o) => ({ ...o.pm }));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.tick);
    for (const c of this.convs.values()) {
      c.poll?.abort();
      clearTimeout(c.gapTimer);
    }
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onclose = ws.onmessage = ws.onopen = null;
      ws.close(1000);
    }
    this.setState('closed');
  }

  /** A JSON call to /api/v1{path}, with x-chat-token when a visitor's token is given. */
  rest<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    return this.request<T>(method, path, body, token);
  }

  private request<T>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    signal?: AbortSignal,
    timeout?: number,
  ): Promise<T> {
    return chatRequest<T>(this.base, method, path, body, {
      headers: this.options.headers?.(),
      token,
      signal,
      timeout,
    });
  }

  // --- events -----------------------------------------------------------------------------------

  private emit<E extends keyof ChatEvents>(event: E, ...args: Parameters<ChatEvents[E]>): void {
    for (const fn of this.listeners[event]) {
      try {
        (fn as (...a: Parameters<ChatEvents[E]>) => void)(...args);
      } catch (error) {
        // One listener's failure must not stop the others, nor the connection.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  private setState(state: ConnectionState, transport: ChatTransport = this.current): void {
    if (state === this.status && transport === this.current) return;
    this.status = state;
    this.current = transport;
    this.emit('state', state, transport);
  }

  // --- frames, from the socket or the long poll -------------------------------------------------

  private onFrame(f: ServerFrame, pollConversation?: string): void {
    // The long poll is per conversation: its frames may leave the conversation implicit.
    const conv = (id: string | undefined) => id || pollConversation || '';
    switch (f.type) {
      case 'joined': {
        const c = this.convs.get(f.conversation.id);
        if (c) {
          c.ready = true;
          this.emit('conversation', f.conversation);
          this.flush(c);
          this.pushReceipt(c);
        }
        break;
      }
      case 'message':
        this.ingest(conv(f.conversationId), f.message);
        break;
      case 'ack':
        this.ingest(conv(f.conversationId), f.message, f.clientId);
        break;
      case 'typing':
        this.emit('typing', {
          conversationId: conv(f.conversationId),
          side: f.side,
          name: f.name,
          active: f.active,
        });
        break;
      case 'receipt':
        this.emit('receipt', {
          conversationId: conv(f.conversationId),
          side: f.side,
          deliveredSeq: f.deliveredSeq,
          seenSeq: f.seenSeq,
        });
        break;
      case 'conversation':
        this.emit('conversation', f.conversation);
        break;
      case 'queue':
        this.emit('queue', {
          reason: f.reason,
          ...(f.conversationId ? { conversationId: f.conversationId } : {}),
          ...(f.agentId ? { agentId: f.agentId } : {}),
        });
        break;
      case 'error':
        this.onServerError(f);
        break;
      case 'pong':
        break;
    }
  }

  /** A stored message: handed out once, in seq order; it also settles our own send. */
  private ingest(conversationId: string, m: ChatMessage, ackFor?: string): void {
    const c = this.convs.get(conversationId);
    if (c && m.seq > c.after && !c.early.has(m.seq)) {
      if (m.seq === c.after + 1) {
        this.deliver(c, m);
        this.drain(c);
      } else {
        c.early.set(m.seq, m);
        c.gapTimer ??= setTimeout(() => void this.fillGap(c), GAP_WAIT);
      }
    }
    const clientId = ackFor ?? m.clientId;
    if (clientId && this.outbox.delete(clientId)) {
      this.savePending();
      this.emit('ack', conversationId, clientId, m);
    }
  }

  private deliver(c: Joined, m: ChatMessage): void {
    c.after = m.seq;
    this.emit('message', c.id, m);
  }

  private drain(c: Joined): void {
    for (let next = c.early.get(c.after + 1); next; next = c.early.get(c.after + 1)) {
      c.early.delete(next.seq);
      this.deliver(c, next);
    }
    if (!c.early.size) {
      clearTimeout(c.gapTimer);
      c.gapTimer = undefined;
    }
  }

  /** Seqs have no gaps: a missing one is read from storage, or skipped rather than holding up the rest. */
  private async fillGap(c: Joined): Promise<void> {
    c.gapTimer = undefined;
    if (!c.early.size || this.convs.get(c.id) !== c) return;
    try {
      const { data } = await this.request<{ data: ChatMessage[] }>(
        'GET',
        `/chat/conversations/${c.id}/messages?after=${c.after}&limit=200`,
        undefined,
        c.token,
      );
      for (const m of data) this.ingest(c.id, m);
    } catch {
      // Skipped below.
    }
    if (c.early.size && this.convs.get(c.id) === c) {
      c.after = Math.min(...c.early.keys()) - 1;
      this.drain(c);
    }
  }

  private onServerError(f: ChatErrorEvent & { type: 'error' }): void {
    const problem: ChatErrorEvent = {
      status: f.status,
      title: f.title,
      ...(f.ref ? { ref: f.ref } : {}),
      ...(f.detail ? { detail: f.detail } : {}),
    };
    const out = f.ref ? this.outbox.get(f.ref) : undefined;
    if (out) {
      if (f.status === 429 || f.status >= 500) {
        // Sent too fast, or a passing failure: the same clientId goes again shortly.
        out.socket = null;
        setTimeout(() => {
          const c = this.convs.get(out.pm.conversationId);
          if (c) this.flush(c);
        }, backoff(2));
        return;
      }
      this.outbox.delete(out.pm.clientId);
      this.savePending();
    } else if (f.status === 401 || f.status === 403 || f.status === 404) {
      // A refused join: joining again after each reconnect would only be refused again. Without a ref,
      // it is the join still waiting for an answer, when there is just one.
      const waiting = [...this.convs.values()].filter((c) => !c.ready);
      const c = f.ref ? this.convs.get(f.ref) : waiting.length === 1 ? waiting[0] : undefined;
      if (c && !c.ready) {
        this.convs.delete(c.id);
        problem.ref = c.id;
      }
    }
    this.emit('error', problem);
  }

  // --- sending ------------------------------------------------------------------------------------

  private flush(c: Joined): void {
    if (this.closed || !c.ready) return;
    if (this.current === 'polling') {
      if (!c.posting) void this.postLoop(c);
      return;
    }
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    for (const out of this.outbox.values()) {
      if (out.pm.conversationId !== c.id || out.socket === ws) continue;
      out.socket = ws;
      const { clientId, body, attachmentId } = out.pm;
      this.frame({
        type: 'send',
        conversationId: c.id,
        clientId,
        body,
        ...(attachmentId ? { attachmentId } : {}),
      });
    }
  }

  /** Polling: one POST at a time per conversation, in order, retried with the same clientId. */
  private async postLoop(c: Joined): Promise<void> {
    c.posting = true;
    let failures = 0;
    try {
      while (!this.closed && this.current === 'polling' && this.convs.get(c.id) === c) {
        const out = [...this.outbox.values()].find((o) => o.pm.conversationId === c.id);
        if (!out) break;
        const { clientId, body, attachmentId } = out.pm;
        try {
          const m = await this.request<ChatMessage>(
            'POST',
            `/chat/conversations/${c.id}/messages`,
            { clientId, body, ...(attachmentId ? { attachmentId } : {}) },
            c.token,
          );
          failures = 0;
          this.ingest(c.id, m, clientId);
        } catch (error) {
          const e = error instanceof ChatError ? error : new ChatError({ status: 0, title: String(error) });
          if (e.status >= 400 && e.status < 500 && e.status !== 408 && e.status !== 429) {
            this.outbox.delete(clientId);
            this.savePending();
            this.emit('error', {
              ref: clientId,
              status: e.status,
              title: e.title,
              ...(e.detail ? { detail: e.detail } : {}),
            });
            continue;
          }
          await sleep(e.retryAfter ? e.retryAfter * 1000 : backoff(failures++), c.poll?.signal);
        }
      }
    } finally {
      c.posting = false;
    }
  }

  private pushReceipt(c: Joined): void {
    if (!c.ready) return;
    const { want, told } = c;
    const delivered = want.deliveredSeq > told.deliveredSeq ? want.deliveredSeq : undefined;
    const seen = want.seenSeq > told.seenSeq ? want.seenSeq : undefined;
    if (delivered === undefined && seen === undefined) return;
    const r = {
      ...(delivered !== undefined ? { deliveredSeq: delivered } : {}),
      ...(seen !== undefined ? { seenSeq: seen } : {}),
    };
    if (this.current === 'websocket') {
      if (!this.frame({ type: 'receipt', conversationId: c.id, ...r })) return;
      c.told = { ...want };
    } else {
      c.told = { ...want };
      this.request('POST', `/chat/conversations/${c.id}/receipts`, r, c.token).catch(() => {
        // Told again with the next receipt.
        c.told = { deliveredSeq: 0, seenSeq: 0 };
      });
    }
  }

  // --- the socket ---------------------------------------------------------------------------------

  private start(): void {
    if (this.closed || this.started) return;
    this.started = true;
    if (this.current === 'websocket') this.connect();
    else this.usePolling();
  }

  private frame(f: ClientFrame): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(f));
    return true;
  }

  private sendJoin(c: Joined): void {
    c.ready = false;
    this.frame({
      type: 'join',
      conversationId: c.id,
      ...(c.token ? { token: c.token } : {}),
      after: c.after,
    });
  }

  private socketUrl(): string {
    const url = new URL(`${this.base}/api/v1/chat/socket`, location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.href;
  }

  private connect(): void {
    if (this.closed) return;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.socketUrl());
    } catch {
      this.dropped(null, false, 0);
      return;
    }
    this.ws = ws;
    let opened = false;
    const openTimer = setTimeout(() => this.dropped(ws, false, 0), OPEN_TIMEOUT);
    ws.onopen = () => {
      clearTimeout(openTimer);
      opened = true;
      this.everOpened = true;
      this.failedOpens = 0;
      this.attempt = 0;
      this.lastFrame = this.lastPing = Date.now();
      this.tick = setInterval(() => this.heartbeat(ws), 5_000);
      this.setState('open');
      for (const c of this.convs.values()) this.sendJoin(c);
    };
    ws.onmessage = (event) => {
      this.lastFrame = Date.now();
      if (typeof event.data !== 'string') return;
      let f: unknown;
      try {
        f = JSON.parse(event.data);
      } catch {
        return;
      }
      if (f && typeof f === 'object' && typeof (f as { type?: unknown }).type === 'string')
        this.onFrame(f as ServerFrame);
    };
    ws.onclose = (event) => {
      clearTimeout(openTimer);
      this.dropped(ws, opened, event.code);
    };
  }

  private heartbeat(ws: WebSocket): void {
    const now = Date.now();
    // A connection that went quiet (a sleeping laptop, a proxy that dropped it) is replaced.
    if (now - this.lastFrame > SILENCE_LIMIT) return this.dropped(ws, true, 0);
    if (now - this.lastPing >= PING_EVERY) {
      this.lastPing = now;
      this.frame({ type: 'ping' });
    }
  }

  /** The socket is gone, or never opened: reconnect with backoff, or fall back to long polling. */
  private dropped(ws: WebSocket | null, opened: boolean, code: number): void {
    if (ws && ws !== this.ws) return;
    this.ws = null;
    clearInterval(this.tick);
    if (ws) {
      ws.onclose = ws.onmessage = ws.onopen = null;
      if (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN) ws.close();
    }
    if (this.closed) return;
    const waiting = [...this.convs.values()].filter((c) => !c.ready);
    for (const c of this.convs.values()) c.ready = false;
    if (code === 4401) {
      // A join's token was refused: that join is dropped, the others go on after the reconnect.
      for (const c of waiting) {
        this.convs.delete(c.id);
        this.emit('error', { ref: c.id, status: 401, title: 'This chat could not be joined.' });
      }
    }
    if (!opened) this.failedOpens++;
    if (this.mode === 'auto' && !this.everOpened && this.failedOpens >= 2) return this.usePolling();
    this.setState('reconnecting');
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.connect(), backoff(this.attempt++));
  }

  // --- long polling -------------------------------------------------------------------------------

  private usePolling(): void {
    this.setState(this.convs.size ? 'connecting' : 'open', 'polling');
    for (const c of this.convs.values()) void this.pollLoop(c);
  }

  private async pollLoop(c: Joined): Promise<void> {
    c.poll?.abort();
    const stop = new AbortController();
    c.poll = stop;
    let failures = 0;
    let fresh = true;
    while (!stop.signal.aborted && !this.closed && this.convs.get(c.id) === c) {
      const started = Date.now();
      try {
        if (fresh) {
          // What a socket's `joined` frame would say; read again after every failure.
          const conversation = await this.request<ChatConversation>(
            'GET',
            `/chat/conversations/${c.id}`,
            undefined,
            c.token,
            stop.signal,
          );
          fresh = false;
          c.ready = true;
          this.emit('conversation', conversation);
          this.flush(c);
          this.pushReceipt(c);
        }
        const { frames } = await this.request<{ frames: ServerFrame[] }>(
          'GET',
          `/chat/conversations/${c.id}/events?after=${c.after}&wait=${POLL_WAIT}`,
          undefined,
          c.token,
          stop.signal,
          (POLL_WAIT + 15) * 1000,
        );
        failures = 0;
        this.setState('open');
        for (const f of frames) this.onFrame(f, c.id);
        // An answer without news that came at once would otherwise make a busy loop.
        if (!frames.length && Date.now() - started < 1000) await sleep(2000, stop.signal);
      } catch (error) {
        if (stop.signal.aborted || this.closed) return;
        const status = error instanceof ChatError ? error.status : 0;
        if (status === 401 || status === 403 || status === 404) {
          if (this.convs.get(c.id) === c) this.convs.delete(c.id);
          const e = error as ChatError;
          this.emit('error', {
            ref: c.id,
            status,
            title: e.title,
            ...(e.detail ? { detail: e.detail } : {}),
          });
          return;
        }
        c.ready = false;
        fresh = true;
        this.setState('reconnecting');
        await sleep(backoff(failures++), stop.signal);
      }
    }
  }

  // --- unacknowledged messages across reloads -----------------------------------------------------

  private loadPending(): void {
    try {
      const saved: unknown = JSON.parse(this.storage?.getItem(PENDING_KEY) ?? '[]');
      if (!Array.isArray(saved)) return;
      for (const item of saved as Partial<PendingMessage>[]) {
        if (typeof item?.clientId !== 'string' || typeof item.conversationId !== 'string') continue;
        if (typeof item.body !== 'string') continue;
        const pm: PendingMessage = {
          clientId: item.clientId,
          conversationId: item.conversationId,
          body: item.body,
          state: 'sending',
          ...(typeof item.attachmentId === 'string' ? { attachmentId: item.attachmentId } : {}),
        };
        this.outbox.set(pm.clientId, { pm, socket: null });
      }
    } catch {
      // Unreadable storage: nothing to resend.
    }
  }

  private savePending(): void {
    if (!this.storage) return;
    try {
      if (this.outbox.size)
        this.storage.setItem(PENDING_KEY, JSON.stringify([...this.outbox.values()].map((o) => o.pm)));
      else this.storage.removeItem(PENDING_KEY);
    } catch {
      // Full or refused storage: the messages are still kept in memory.
    }
  }
}
