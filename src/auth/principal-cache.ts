import { randomUUID } from 'node:crypto';
import type { Principal } from './principal.js';

/** What a change forgets: everything a user signs in with, or one session or token by its hash. */
export type Forget = { userId: string } | { credential: string };

/**
 * What server processes tell each other about signed-in principals: a change to forget (`forget`,
 * numbered by its sender), that one was forgotten (`forgotten`, the answer of every other process),
 * and that a process listens (`here`, at start and every few seconds) or stops (`gone`).
 */
export type PrincipalNotice =
  | (Forget & { type: 'forget'; from: string; seq: number })
  | { type: 'forgotten'; to: string; seq: number; from: string }
  | { type: 'here'; from: string }
  | { type: 'gone'; from: string };

/** A resolved principal as the cache keeps it. */
export interface CachedPrincipal {
  principal: Principal;
  userId: string;
  /** A session's end on the desk's clock: past it the entry is not used. */
  sessionExpiresAt?: number;
  /** A token's id and when its use was last recorded (minute resolution), kept up to date by the caller. */
  token?: { id: string; lastUsedAt: number | null };
}

/**
 * Where notices are announced and heard, by every process on a shared database (the live context's
 * broadcast, LISTEN/NOTIFY on PostgreSQL) or by this process alone.
 */
export interface NoticeChannel<T> {
  publish(notice: T): void;
  subscribe(listener: (notice: T) => void): () => void;
}

/** The LISTEN side of a broadcast shared by several processes. */
export interface SharedListening {
  readonly listening: boolean;
  onListening(listener: (listening: boolean) => void): void;
}

export interface PrincipalCacheOptions {
  broadcast: NoticeChannel<PrincipalNotice>;
  /**
   * Present when the broadcast reaches other processes (PostgreSQL): entries are kept only while
   * this process hears it, and a change waits until every other process has forgotten it.
   */
  shared?: SharedListening;
  ttlMs?: number;
  maxEntries?: number;
  /** How long a change waits for the other processes before it is answered anyway. */
  confirmWithinMs?: number;
  /** How often a process says it is here; one not heard from for three times as long is gone. */
  heartbeatMs?: number;
  log?: { warn(obj: unknown, message: string): void };
  /** Monotonic milliseconds (tests move it); the desk's clock may stand still. */
  monotonic?: () => number;
}

interface Slot {
  value: CachedPrincipal;
  until: number;
}

interface Pending {
  /** The processes (this one included) that have not yet forgotten the change. */
  awaiting: Set<string>;
  done: () => void;
}

/**
 * The principals resolved from sessions and API tokens, kept briefly so that a request does not
 * read them again: at most `maxEntries` (least recently used out first), each for at most `ttlMs`,
 * keyed by the credential's hash (never the secret). A change to a user or a credential forgets the
 * entries in every process through the broadcast; a lookup that ran while a change was heard is not
 * kept, whatever order the two finish in.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, Slot>();
  private readonly keysOfUser = new Map<string, Set<string>>();
  /** Other processes on the broadcast, with when each was last heard from. */
  private readonly peers = new Map<string, number>();
  private readonly pending = new Map<number, Pending>();
  private readonly id = randomUUID();
  private seq = 0;
  private generation = 0;
  private usable: boolean;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly confirmWithinMs: number;
  private readonly heartbeatMs: number;
  private readonly monotonic: () => number;
  private log: { warn(obj: unknown, message: string): void };

  constructor(private readonly options: PrincipalCacheOptions) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.confirmWithinMs = options.confirmWithinMs ?? 2_000;
    this.heartbeatMs = options.heartbeatMs ?? 10_000;
    this.monotonic = options.monotonic ?? (() => performance.now());
    this.log = options.log ?? { warn: () => undefined };
    this.usable = options.shared ? options.shared.listening : true;
    options.broadcast.subscribe((notice) => this.heard(notice));
    options.shared?.onListening((listening) => this.listeningChanged(listening));
  }

  /** Reports changes the other processes did not confirm in time through the server's log. */
  useLogger(log: { warn(obj: unknown, message: string): void }) {
    this.log = log;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Taken before a lookup and handed to `set`: a lookup that raced a change is not kept. */
  mark(): number {
    return this.generation;
  }

  get(key: string): CachedPrincipal | undefined {
    const slot = this.entries.get(key);
    if (!slot) return undefined;
    if (slot.until <= this.monotonic()) {
      this.drop(key);
      return undefined;
    }
    // Most recently used last: the first entry is the one to evict.
    this.entries.delete(key);
    this.entries.set(key, slot);
    return slot.value;
  }

  set(key: string, value: CachedPrincipal, mark: number) {
    if (!this.usable || mark !== this.generation) return;
    this.drop(key);
    while (this.entries.size >= this.maxEntries) this.drop(this.entries.keys().next().value!);
    this.entries.set(key, { value, until: this.monotonic() + this.ttlMs });
    let keys = this.keysOfUser.get(value.userId);
    if (!keys) this.keysOfUser.set(value.userId, (keys = new Set()));
    keys.add(key);
  }

  /** Forgets everything `userId` signs in with, in every process; resolves once they have. */
  forgetUser(userId: string): Promise<void> {
    return this.announce({ userId });
  }

  /** Forgets one session or token (`key`, as `set` was given it), in every process. */
  forgetCredential(key: string): Promise<void> {
    return this.announce({ credential: key });
  }

  /** Stops the heartbeat and tells the other processes not to wait for this one. */
  close() {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    if (this.options.shared?.listening) this.options.broadcast.publish({ type: 'gone', from: this.id });
  }

  /**
   * Forgets here at once, then announces. Across processes, the change is answered once every
   * other process known to listen has answered that it forgot it (and this process has heard its
   * own announcement); past `confirmWithinMs` it is answered anyway, the others forget within the
   * entries' lifetime, and the delay is logged.
   */
  private async announce(forget: Forget) {
    const seq = ++this.seq;
    this.apply(forget);
    const shared = this.options.shared;
    const notice: PrincipalNotice = { ...forget, type: 'forget', from: this.id, seq };
    if (!shared) {
      this.options.broadcast.publish(notice);
      return;
    }
    if (!shared.listening) {
      this.options.broadcast.publish(notice);
      this.log.warn(
        { forget },
        'auth: announced a sign-in change while not listening; other processes forget it within the cache lifetime',
      );
      return;
    }
    const awaiting = new Set([this.id, ...this.livePeers()]);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const confirmed = new Promise<boolean>((resolve) => {
      this.pending.set(seq, { awaiting, done: () => resolve(true) });
      timer = setTimeout(() => resolve(false), this.confirmWithinMs);
    });
    this.options.broadcast.publish(notice);
    const ok = await confirmed;
    clearTimeout(timer);
    this.pending.delete(seq);
    if (!ok) {
      this.log.warn(
        { forget, unanswered: [...awaiting], waitedMs: this.confirmWithinMs },
        'auth: a sign-in change was not confirmed by every server process in time; they forget it within the cache lifetime',
      );
    }
  }

  private livePeers(): string[] {
    const since = this.monotonic() - 3 * this.heartbeatMs;
    for (const [peer, at] of this.peers) if (at < since) this.peers.delete(peer);
    return [...this.peers.keys()];
  }

  private heard(notice: PrincipalNotice) {
    if (typeof notice !== 'object' || notice === null || typeof notice.from !== 'string') {
      // Something unexpected on the channel: forgetting everything is always safe.
      this.forgetAll();
      return;
    }
    if (notice.from !== this.id) this.peers.set(notice.from, this.monotonic());
    switch (notice.type) {
      case 'forget':
        this.apply(notice);
        if (notice.from === this.id) this.answered(notice.seq, this.id);
        else
          this.options.broadcast.publish({
            type: 'forgotten',
            to: notice.from,
            seq: notice.seq,
            from: this.id,
          });
        return;
      case 'forgotten':
        if (notice.to === this.id) this.answered(notice.seq, notice.from);
        return;
      case 'here':
        return;
      case 'gone':
        this.peers.delete(notice.from);
        for (const seq of [...this.pending.keys()]) this.answered(seq, notice.from);
        return;
      default:
        this.forgetAll();
    }
  }

  private answered(seq: number, by: string) {
    const pending = this.pending.get(seq);
    if (!pending) return;
    pending.awaiting.delete(by);
    if (pending.awaiting.size === 0) pending.done();
  }

  /** Whatever was announced while LISTEN was down went unheard: start again from nothing. */
  private listeningChanged(listening: boolean) {
    this.forgetAll();
    this.usable = listening;
    if (listening) {
      this.options.broadcast.publish({ type: 'here', from: this.id });
      if (!this.heartbeat) {
        this.heartbeat = setInterval(() => {
          if (this.options.shared?.listening) this.options.broadcast.publish({ type: 'here', from: this.id });
        }, this.heartbeatMs);
        this.heartbeat.unref();
      }
    } else {
      if (this.heartbeat) clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }

  private apply(forget: Forget) {
    this.generation += 1;
    if ('userId' in forget) {
      for (const key of [...(this.keysOfUser.get(forget.userId) ?? [])]) this.drop(key);
    } else {
      this.drop(forget.credential);
    }
  }

  private forgetAll() {
    this.generation += 1;
    this.entries.clear();
    this.keysOfUser.clear();
  }

  private drop(key: string) {
    const slot = this.entries.get(key);
    if (!slot) return;
    this.entries.delete(key);
    const keys = this.keysOfUser.get(slot.value.userId);
    keys?.delete(key);
    if (keys?.size === 0) this.keysOfUser.delete(slot.value.userId);
  }
}
