import type { TicketHooks } from '../tickets/hooks.js';
import type { HelpCenterEngagement } from './engagement.js';

/**
 * The ticket ledger's hook for the help center: a ticket written in a form that showed suggestions
 * keeps what its writer was shown and opened, for the agent and for the deflection figures.
 */
export function helpCenterTicketHooks(engagement: Pick<HelpCenterEngagement, 'attachTicket'>): TicketHooks {
  return {
    ticketOpened: async (tx, ticket, filing) => {
      if (filing.suggestionSessionId)
        await engagement.attachTicket(
          tx.trx,
          filing.suggestionSessionId,
          ticket.id,
          filing.by.id,
          ticket.created_at,
        );
    },
  };
}
