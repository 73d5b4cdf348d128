import type { TicketHooks } from '../tickets/hooks.js';
import type { SupportLimitsService } from './limits/service.js';
import type { FairUseSignalDetector } from './signals/detector.js';

/**
 * Fair use as the ticket ledger runs it, on every channel alike: a P0 filed over a support limit
 * goes to a lead, a new ticket is read for the signs of inappropriate use, and a customer's reply
 * that reopens a resolved ticket is read for whether it brings anything new.
 */
export function fairUseTicketHooks(deps: {
  detector: FairUseSignalDetector;
  limits: SupportLimitsService;
}): TicketHooks {
  return {
    ticketOpened: async (tx, ticket, filing) => {
      if (filing.overLimit) await deps.limits.recordOverLimit(tx, ticket, filing.overLimit);
      await deps.detector.ticketFiled(tx.trx, ticket, filing.body, filing.suggestionSessionId);
    },
    messageAdded: async (tx, added) => {
      if (added.byStaff || added.visibility !== 'public') return;
      await deps.detector.customerReplied(
        tx.trx,
        added.ticket,
        { id: added.messageId, body: added.body },
        added.ticket.status === 'resolved' && added.status.to === 'open',
      );
    },
  };
}
