import { useQuery } from '@tanstack/react-query';
import { fetchAll, get } from '../api/client';
import type {
  Attachment,
  Message,
  Organization,
  PolicyVersion,
  Ticket,
  TicketEvent,
  User,
} from '../api/types';

// Reference data the console reads beside tickets. Its keys start with 'console' so that they
// never collide with another area's cache entries of a different shape.
const STAFF_KEY = ['console', 'staff'] as const;
const ORGANIZATIONS_KEY = ['console', 'organizations'] as const;
const POLICY_KEY = ['console', 'policy'] as const;

/** Used when the policy cannot be read: the share of a target left when its warning starts. */
export const DEFAULT_LEAD_FRACTION = 0.25;

/** Everyone a ticket can be assigned to: agents, leads and admins, by name. */
export function useStaff() {
  return useQuery({
    queryKey: STAFF_KEY,
    queryFn: async () => {
      const lists = await Promise.all(
        (['agent', 'lead', 'admin'] as const).map((role) => fetchAll<User>('/users', { role })),
      );
      return lists
        .flat()
        .filter((u) => u.active)
        .sort((a, b) => a.name.localeCompare(b.name));
    },
    staleTime: 5 * 60_000,
  });
}

export function useOrganizations() {
  return useQuery({
    queryKey: ORGANIZATIONS_KEY,
    queryFn: async () =>
      (await fetchAll<Organization>('/organizations')).sort((a, b) => a.name.localeCompare(b.name)),
    staleTime: 5 * 60_000,
  });
}

/**
 * The policy's warning lead (the fraction of a target left when the desk starts warning), so that a
 * countdown turns amber when the scheduler's warning would fire.
 */
export function useLeadFraction(): number {
  const policy = useQuery({
    queryKey: POLICY_KEY,
    queryFn: () => get<PolicyVersion>('/policy'),
    staleTime: Infinity,
  });
  const fraction = policy.data?.policy?.warnings?.leadFraction;
  return typeof fraction === 'number' && fraction > 0 && fraction < 1 ? fraction : DEFAULT_LEAD_FRACTION;
}

// The ticket and everything under it share the ['ticket', id] prefix, which the live stream
// invalidates whenever that ticket changes.
export const ticketKey = (id: string) => ['ticket', id] as const;

export function useTicket(id: string) {
  return useQuery({ queryKey: ticketKey(id), queryFn: () => get<Ticket>(`/tickets/${id}`) });
}

export function useMessages(id: string) {
  return useQuery({
    queryKey: [...ticketKey(id), 'messages'],
    queryFn: () => fetchAll<Message>(`/tickets/${id}/messages`),
  });
}

export function useEvents(id: string) {
  return useQuery({
    queryKey: [...ticketKey(id), 'events'],
    queryFn: () => fetchAll<TicketEvent>(`/tickets/${id}/events`),
  });
}

export function useAttachments(id: string) {
  return useQuery({
    queryKey: [...ticketKey(id), 'attachments'],
    queryFn: async () => (await get<{ data: Attachment[] }>(`/tickets/${id}/attachments`)).data,
  });
}
