import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { InProcessLiveBus, type ActivityListener, type LiveBus, type TicketActivity } from './bus.js';

const RECONNECT_MS = 2000;

export interface BusLogger {
  warn(obj: unknown, message: string): void;
}

/**
 * The bus of a desk whose server processes share one PostgreSQL database: activity is announced
 * with NOTIFY and every process (this one included) hears it through LISTEN, so a reply saved by
 * one process reaches the screens connected to any other. The channel is named after the schema,
 * so desks sharing a database server do not hear each other.
 */
export class PostgresLiveBus implements LiveBus {
  private readonly local = new InProcessLiveBus();
  private channel = 'accord_live';
  private stopListening: (() => Promise<void>) | undefined;
  private reconnect: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  private log: BusLogger = { warn: () => undefined };

  constructor(private readonly db: Db) {}

  /** Reports connection trouble through the server's log. */
  useLogger(log: BusLogger) {
    this.log = log;
  }

  async start() {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(this.db.kysely);
    this.channel = `accord_live_${rows[0]?.schema ?? 'public'}`.slice(0, 63);
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
    } catch (error) {
      this.lost(error as Error);
    }
  }

  private lost(error: Error) {
    this.log.warn({ err: error }, 'live updates: lost the LISTEN connection; reconnecting');
    const stop = this.stopListening;
    this.stopListening = undefined;
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
      this.local.publish(JSON.parse(payload) as TicketActivity);
    } catch (error) {
      this.log.warn({ err: error }, 'live updates: ignored a malformed notification');
    }
  }

  publish(activity: TicketActivity) {
    sql`select pg_notify(${this.channel}, ${JSON.stringify(activity)})`
      .execute(this.db.kysely)
      .catch((error: unknown) => this.log.warn({ err: error }, 'live updates: could not announce activity'));
  }

  subscribe(listener: ActivityListener) {
    return this.local.subscribe(listener);
  }

  get listenerCount() {
    return this.local.listenerCount;
  }

  async close() {
    this.closed = true;
    if (this.reconnect) clearTimeout(this.reconnect);
    await this.stopListening?.();
    this.stopListening = undefined;
  }
}
