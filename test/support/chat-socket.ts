import WebSocket from 'ws';
import type { ServerFrame } from '../../src/channels/chat/model.js';

export type FrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

/** A predicate for `next`: a frame of one type, optionally matching more. */
export function frame<T extends ServerFrame['type']>(
  type: T,
  match: (f: FrameOf<T>) => boolean = () => true,
): (f: ServerFrame) => f is FrameOf<T> {
  return (f: ServerFrame): f is FrameOf<T> => f.type === type && match(f as FrameOf<T>);
}

export interface Closed {
  code: number;
  reason: string;
}

/**
 * A chat WebSocket as a client holds it: every frame the desk sent is kept, and `next` waits for the
 * first one matching a predicate that an earlier `next` has not taken yet.
 */
export class ChatSocket {
  readonly frames: ServerFrame[] = [];
  readonly closed: Promise<Closed>;
  private readonly taken = new Set<number>();
  private readonly waiters = new Set<() => void>();
  private deaf = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      if (this.deaf) return;
      // Text frames arrive as one Buffer (the client's default binaryType).
      this.frames.push(JSON.parse((data as Buffer).toString('utf8')) as ServerFrame);
      for (const wake of [...this.waiters]) wake();
    });
    // Connection errors end in a close event; without a listener they would throw.
    ws.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const wake of [...this.waiters]) wake();
      }),
    );
  }

  /** Opens a socket; headers carry the bearer token, the session cookie or the Origin. */
  static open(url: string, headers: Record<string, string> = {}): Promise<ChatSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const socket = new ChatSocket(ws);
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_request, response) =>
        reject(new Error(`the upgrade was refused: HTTP ${response.statusCode}`)),
      );
      ws.once('error', reject);
    });
  }

  /** From now on, what the desk sends is lost on the way (a network that drops). */
  loseIncoming() {
    this.deaf = true;
  }

  get isOpen() {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(value: object) {
    this.ws.send(JSON.stringify(value));
  }

  sendRaw(data: string | Buffer, binary = false) {
    this.ws.send(data, { binary });
  }

  /** The first frame not taken yet that matches, received already or within `timeoutMs`. */
  next<F extends ServerFrame>(predicate: (f: ServerFrame) => f is F, timeoutMs = 5000): Promise<F> {
    return new Promise<F>((resolve, reject) => {
      // The frame, the reason it will never come, or undefined to keep waiting.
      const look = (): { frame: F } | { error: Error } | undefined => {
        const index = this.frames.findIndex((f, i) => !this.taken.has(i) && predicate(f));
        if (index >= 0) {
          this.taken.add(index);
          return { frame: this.frames[index] as F };
        }
        if (this.ws.readyState === WebSocket.CLOSED)
          return { error: new Error(`the socket closed before the frame came; received ${this.describe()}`) };
        return undefined;
      };
      const settle = (found: { frame: F } | { error: Error }) =>
        'frame' in found ? resolve(found.frame) : reject(found.error);
      const now = look();
      if (now) return settle(now);
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no such frame in ${timeoutMs} ms; received ${this.describe()}`));
      }, timeoutMs);
      const waiter = () => {
        const found = look();
        if (!found) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        settle(found);
      };
      this.waiters.add(waiter);
    });
  }

  /**
   * A ping answered: the desk writes a connection's frames in order, so whatever it sent this socket
   * before reading the ping has arrived by now.
   */
  async roundTrip() {
    this.send({ type: 'ping' });
    await this.next(frame('pong'));
  }

  /** The frames received so far that match (taken or not). */
  received<F extends ServerFrame>(predicate: (f: ServerFrame) => f is F): F[] {
    return this.frames.filter(predicate);
  }

  async close() {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close();
    await this.closed;
  }

  private describe() {
    const text = JSON.stringify(this.frames);
    return text.length > 3000 ? `${text.slice(0, 3000)}…` : text;
  }
}
