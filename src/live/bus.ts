import { EventEmitter } from 'node:events';

/** Something happened to a ticket that open screens should show without reloading. */
export interface TicketActivity {
  kind: 'ticket.created' | 'ticket.updated' | 'message.created';
  ticketId: string;
  number: number;
  organizationId: string;
  requesterId: string;
  /** internal: only staff hear of it (an internal note). */
  visibility: 'public' | 'internal';
  at: number;
}

export type ActivityListener = (activity: TicketActivity) => void;

/** Where services announce ticket activity and live connections listen for it. */
export interface LiveBus {
  publish(activity: TicketActivity): void;
  subscribe(listener: ActivityListener): () => void;
  /** Live connections open now. */
  readonly listenerCount: number;
  /** Stops listening (the server is shutting down). */
  close(): Promise<void>;
}

/** The bus of one server process: every connection to this process hears every activity in it. */
export class InProcessLiveBus implements LiveBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open browser tab; the connection limit lives in the route, not here.
    this.emitter.setMaxListeners(0);
  }

  publish(activity: TicketActivity) {
    this.emitter.emit('activity', activity);
  }

  subscribe(listener: ActivityListener) {
    this.emitter.on('activity', listener);
    return () => {
      this.emitter.off('activity', listener);
    };
  }

  get listenerCount() {
    return this.emitter.listenerCount('activity');
  }

  async close() {
    this.emitter.removeAllListeners();
  }
}
