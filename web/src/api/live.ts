import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { LiveActivity } from './types';

/**
 * Follows the desk's live stream (server-sent events at /api/v1/live): every ticket activity the
 * viewer may see refreshes the ticket lists and that ticket's views, so new tickets and replies
 * appear without reloading. The browser reconnects on its own after a network drop.
 */
export function useLiveUpdates(onActivity?: (activity: LiveActivity) => void) {
  const queryClient = useQueryClient();
  const callback = useRef(onActivity);
  callback.current = onActivity;
  useEffect(() => {
    const source = new EventSource('/api/v1/live');
    const handle = (event: MessageEvent<string>) => {
      const activity = JSON.parse(event.data) as LiveActivity;
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
      void queryClient.invalidateQueries({ queryKey: ['ticket', activity.ticketId] });
      callback.current?.(activity);
    };
    for (const kind of ['ticket.created', 'ticket.updated', 'message.created'])
      source.addEventListener(kind, handle);
    return () => source.close();
  }, [queryClient]);
}
