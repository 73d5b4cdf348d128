import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../api/client';
import { ticketKey } from './queries';
import './collab.css';

interface PresentPerson {
  userId: string;
  name: string;
  state: 'viewing' | 'replying';
  until: string;
}
interface PresenceList {
  data: PresentPerson[];
}
interface PresenceEvent {
  ticketId: string;
  userId: string;
}

/** Presence lapses on the server after 30 s; renewing every 10 s keeps it while the page is open. */
const RENEW_MS = 10_000;

const presenceKey = (ticketId: string) => [...ticketKey(ticketId), 'presence'] as const;

/**
 * Tells the desk that this agent has the ticket open (or is writing a reply on it), renews that while
 * the page stays open, leaves when it closes, and follows the live stream for the other staff on it.
 */
export function usePresence(ticketId: string, replying: boolean): PresentPerson[] {
  const queryClient = useQueryClient();
  const state = replying ? 'replying' : 'viewing';
  const others = useQuery({
    queryKey: presenceKey(ticketId),
    queryFn: async () => (await get<PresenceList>(`/tickets/${ticketId}/presence`)).data,
    refetchInterval: RENEW_MS,
  });

  useEffect(() => {
    const announce = () =>
      post<PresenceList>(`/tickets/${ticketId}/presence`, { state })
        .then((list) => queryClient.setQueryData(presenceKey(ticketId), list.data))
        .catch(() => undefined);
    void announce();
    const timer = setInterval(() => void announce(), RENEW_MS);
    return () => clearInterval(timer);
  }, [ticketId, state, queryClient]);

  useEffect(
    () => () => {
      void post(`/tickets/${ticketId}/presence`, { state: 'left' }).catch(() => undefined);
    },
    [ticketId],
  );

  useEffect(() => {
    const source = new EventSource('/api/v1/live');
    source.addEventListener('presence', (event: MessageEvent<string>) => {
      const signal = JSON.parse(event.data) as PresenceEvent;
      if (signal.ticketId === ticketId)
        void queryClient.invalidateQueries({ queryKey: presenceKey(ticketId) });
    });
    return () => source.close();
  }, [ticketId, queryClient]);

  return others.data ?? [];
}

/** "Mei is replying": the other staff on this ticket, so two people do not answer at once. */
export function PresenceBar({ people }: { people: PresentPerson[] }) {
  const { t } = useTranslation('collab');
  return (
    <div className="presence-bar" role="status" aria-label={t('presence.label')} data-testid="presence">
      {people.map((p) => (
        <span key={p.userId} className={`presence-chip presence-${p.state}`}>
          {t(p.state === 'replying' ? 'presence.replying' : 'presence.viewing', { name: p.name })}
        </span>
      ))}
    </div>
  );
}
