import type { TicketHooks } from '../tickets/hooks.js';
import type { TicketSearch } from './service.js';

/** Events after which a ticket's row is rebuilt whole: its subject changed. */
const REBUILT_AFTER = new Set(['subject_changed']);

/**
 * The ticket ledger's hooks for search: each write's index row is written in the write's own
 * transaction, so a search never misses a committed ticket or message, nor finds a rolled-back one.
 */
export function searchTicketHooks(search: Pick<TicketSearch, 'reindex' | 'addMessage'>): TicketHooks {
  return {
    ticketOpened: (tx, ticket) => search.reindex(tx.trx, ticket.id),
    messageAdded: (tx, added) => search.addMessage(tx.trx, added.ticket.id, added.visibility, added.body),
    ticketChanged: async (tx, changed) => {
      if (changed.events.some((e) => REBUILT_AFTER.has(e.type)))
        await search.reindex(tx.trx, changed.ticket.id);
    },
    // An import's history, or a merge's moved messages: the whole row again.
    conversationWritten: (tx, ticketId) => search.reindex(tx.trx, ticketId),
  };
}
