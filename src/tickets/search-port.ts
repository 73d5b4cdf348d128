import { z } from 'zod';
import type { TicketFilter, TicketOrder } from './repository.js';

/** Text with the words a search matched marked: render each segment as text, never as HTML. */
export const highlightedText = z.array(z.object({ text: z.string(), highlight: z.boolean() }));

/** Why a ticket is in a search's results, for the list to show. */
export const ticketMatchOut = z.object({
  subject: highlightedText.describe('The subject, matching words marked.'),
  snippet: highlightedText.describe(
    'About two dozen words of the message that matches best (empty when only the head matched).',
  ),
  messageId: z.string().nullable().describe('The message quoted by the snippet.'),
  internal: z.boolean().describe('True when the snippet quotes an internal note (staff only).'),
});
export type TicketMatch = z.infer<typeof ticketMatchOut>;

export interface TicketSearchRequest {
  q: string;
  /** Customers search the head and public messages only. */
  reader: 'staff' | 'customer';
  /** The list's filter, already limited to what the reader may see. */
  filter: TicketFilter;
  /** Absent: by relevance. */
  order: TicketOrder | undefined;
  limit: number;
  cursor: string | undefined;
}

/** Full-text search over tickets, provided by the search context (GET /tickets?q=). */
export interface TicketSearchPort {
  search(request: TicketSearchRequest): Promise<{
    hits: { id: string; match: TicketMatch }[];
    nextCursor: string | null;
  }>;
}
