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

export const PRESENCE_STATES = ['viewing', 'replying', 'left'] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];

/** A staff member has a ticket open, is writing a reply on it, or has left it: only staff hear of it. */
export interface PresenceSignal {
  kind: 'presence';
  ticketId: string;
  userId: string;
  name: string;
  state: PresenceState;
  at: number;
}

/** What travels on the live bus: ticket activity, and who is on a ticket. */
export type LiveMessage = TicketActivity | PresenceSignal;

/** Where services announce ticket activity and presence, and live connections listen for them. */
export type LiveBus = Broadcast<LiveMessage>;

/** The bus of one server process: every connection to this process hears every message in it. */
export class InProcessLiveBus extends InProcessBroadcast<LiveMessage> {}
