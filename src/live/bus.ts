import { InProcessBroadcast, type Broadcast } from './broadcast.js';

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

/** Where services announce ticket activity and live connections listen for it. */
export type LiveBus = Broadcast<TicketActivity>;

/** The bus of one server process: every connection to this process hears every activity in it. */
export class InProcessLiveBus extends InProcessBroadcast<TicketActivity> {}
