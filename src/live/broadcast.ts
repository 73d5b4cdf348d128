import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/** Where one kind of event is announced and the connections of this process listen for it. */
export interface Broadcast<T> {
  publish(event: T): void;
  subscribe(listener: (event: T) => void): () => void;
  /** Listeners subscribed now (open connections, for the most part). */
  readonly listenerCount: number;
  /** Stops listening (the server is shutting down). */
  close(): Promise<void>;
}

/** The broadcast of one server process: every listener in it hears every event published in it. */
export class InProcessBroadcast<T> implements Broadcast<T> {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open connection; connection limits live in the routes, not here.
    this.emitter.setMaxListeners(0);
  }

  publish(event: T) {
    this.emitter.emit('event', event);
  }

  subscribe(listener: (event: T) => void) {
    this.emitter.on('event', listener);
    return () => {
      this.emitter.off('event', listener);
    };
  }

  get listenerCount() {
    return this.emitter.listenerCount('event');
  }

  async close() {
    this.emitter.removeAllListeners();
  }
}

const RECONNECT_MS = 2000;

export interface BroadcastLogger {
  warn(obj: unknown, message: string): void;
}

/**
 * The broadcast of server processes that share one PostgreSQL database: an event is announced with
 * NOTIFY and every process (this one included) hears it through LISTEN. The channel is named after
 * its prefix and the schema, so desks sharing a database server do not hear each other. NOTIFY
 * carries at most 8000 bytes: events must stay small (ids, not content).
 */
export class PostgresBroadcast<T> implements Broadcast<T> {
  private readonly local = new InProcessBroadcast<T>();
  private channel: string;
  private stopListening: (() => Promise<void>) | undefined;
  private reconnect: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private readonly listeningListeners: ((listening: boolean) => void)[] = [];

  private log: BroadcastLogger = { warn: () => undefined };

  constructor(
    private readonly db: Db,
    private readonly prefix: string,
  ) {
    this.channel = `${prefix}_public`;
  }

  /** Reports connection trouble through the server's log. */
  useLogger(log: BroadcastLogger) {
    this.log = log;
  }

  /** Whether LISTEN is established: while it is not, events published by other processes go unheard. */
  get listening(): boolean {
    return this.stopListening !== undefined;
  }

  /** Told each time LISTEN is established (true) or lost (false). */
  onListening(listener: (listening: boolean) => void) {
    this.listeningListeners.push(listener);
  }

  private setListening(listening: boolean) {
    for (const listener of this.listeningListeners) listener(listening);
  }

  async start() {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(this.db.kysely);
    this.channel = `${this.prefix}_${rows[0]?.schema ?? 'public'}`.slice(0, 63);
    await this.connect();
  }

  private async connect() {
    if (this.closed || !this.db.listen) return;
    try {
      this.stopListening = await this.db.listen(
        this.channel,
        (payload) => this.deliver(payload),
        (error) => this.lost(error),
      );
      this.setListening(true);
    } catch (error) {
      this.lost(error as Error);
    }
  }

  private lost(error: Error) {
    this.log.warn(
      { err: error, channel: this.channel },
      'broadcast: lost the LISTEN connection; reconnecting',
    );
    const stop = this.stopListening;
    this.stopListening = undefined;
    this.setListening(false);
    void stop?.().catch(() => undefined);
    if (!this.closed && !this.reconnect) {
      this.reconnect = setTimeout(() => {
        this.reconnect = undefined;
        void this.connect();
      }, RECONNECT_MS);
      this.reconnect.unref();
    }
  }

  private deliver(payload: string) {
    try {
      this.local.publish(JSON.parse(payload) as T);
    } catch (error) {
      this.log.warn({ err: error, channel: this.channel }, 'broadcast: ignored a malformed notification');
    }
  }

  publish(event: T) {
    sql`select pg_notify(${this.channel}, ${JSON.stringify(event)})`
      .execute(this.db.kysely)
      .catch((error: unknown) =>
        this.log.warn({ err: error, channel: this.channel }, 'broadcast: could not announce an event'),
      );
  }

  subscribe(listener: (event: T) => void) {
    return this.local.subscribe(listener);
  }

  get listenerCount() {
    return this.local.listenerCount;
  }

  async close() {
    this.closed = true;
    if (this.reconnect) clearTimeout(this.reconnect);
    const stop = this.stopListening;
    this.stopListening = undefined;
    this.setListening(false);
    await stop?.();
  }
}
