import { useQuery } from '@tanstack/react-query';
import { get } from '../api/client';
import { statusKeys, type PublicIncident, type StatusComponent, type TicketIncident } from '../api/status';

/** Every status page component (staff), in the order the public page lists them. */
export function useStatusComponents() {
  return useQuery({
    queryKey: statusKeys.components,
    queryFn: async () =>
      (await get<{ data: StatusComponent[] }>('/status/components')).data.sort(
        (a, b) => a.position - b.position || a.name.localeCompare(b.name),
      ),
    staleTime: 30_000,
  });
}

/** The incidents a ticket is tied to, refreshed with the ticket (the live stream's ['ticket', id]). */
export function useTicketIncidents(ticketId: string) {
  return useQuery({
    queryKey: statusKeys.ticketIncidents(ticketId),
    queryFn: async () => (await get<{ data: TicketIncident[] }>(`/tickets/${ticketId}/incidents`)).data,
  });
}

/** Open incidents a ticket was filed during and is not linked to (GET /tickets/{id}/incidents/suggested). */
export function useSuggestedIncidents(ticketId: string) {
  return useQuery({
    queryKey: statusKeys.ticketSuggestions(ticketId),
    queryFn: async () =>
      (await get<{ data: PublicIncident[] }>(`/tickets/${ticketId}/incidents/suggested`)).data,
    staleTime: 30_000,
  });
}
