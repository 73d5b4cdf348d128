import type { Priority } from '../policy/tiers.js';
import type { Channel } from './schema.js';

/** What a customer is about to do, for the support limits to allow or refuse. */
export interface FilingAttempt {
  organizationId: string;
  requesterId: string;
  channel: Channel;
  priority: Priority;
  now: number;
}

/** A limit that would have stopped a P0: the P0 is filed all the same, and a lead is told. */
export interface OverLimit {
  limitId: string;
  kind: string;
  reason: string;
}

/**
 * The support limits a lead applied to an organization (policy section 5), as the ticket rules see
 * them: every channel asks before it files or replies. What a P0 over a limit sets in motion is the
 * fair-use ticket hook's business (see Filing.overLimit).
 */
export interface SupportLimitsGate {
  /**
   * Refuses with a Problem (403) saying what is limited, why and until when; a P0 is never refused
   * and comes back as the limit it went over.
   */
  checkFiling(attempt: FilingAttempt): Promise<OverLimit | null>;
  /** A customer's reply to an existing ticket: refused only while support is suspended (a P0 excepted). */
  checkReply(attempt: FilingAttempt): Promise<void>;
}
