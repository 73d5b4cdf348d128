import { useInfiniteQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { ticketMatchOut } from '../../../src/tickets/search-port';
import { api, withQuery } from '../api/client';
import type { Ticket } from '../api/types';

export type TicketMatch = z.output<typeof ticketMatchOut>;
export type Segment = TicketMatch['snippet'][number];
export type SearchHit = Ticket & { match?: TicketMatch };

interface SearchPage {
  data: SearchHit[];
  nextCursor: string | null;
}

/** Tickets matching q that the signed-in user may read, by relevance, a page at a time. */
export function useTicketSearch(q: string) {
  return useInfiniteQuery({
    queryKey: ['tickets', 'search', q],
    queryFn: ({ pageParam }) =>
      api<SearchPage>('GET', withQuery('/tickets', { q, limit: 25, cursor: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: q.trim().length > 0,
  });
}
