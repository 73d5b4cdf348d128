import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { ApiError, get, getBearerToken, post } from '../api/client';
import type { z } from 'zod';
import type { simulateOut } from '../../../src/sla/schema';
import type { ticketCreate } from '../../../src/tickets/schema';
import type {
  Attachment,
  Channel,
  Message,
  Organization,
  Page,
  PolicyVersion,
  Priority,
  Ticket,
} from '../api/types';

/** The published policy: the same document the desk computes every promise from. */
export function usePolicy() {
  return useQuery({
    queryKey: ['policy'],
    queryFn: async () => {
      const version = await get<PolicyVersion>('/policy');
      if (!version.policy) throw new Error('The policy document is missing.');
      return version.policy;
    },
    staleTime: 10 * 60_000,
  });
}

export function useOrganization(id: string | null | undefined) {
  return useQuery({
    queryKey: ['organization', id],
    queryFn: () => get<Organization>(`/organizations/${id}`),
    enabled: !!id,
    staleTime: 5 * 60_000,
  });
}

/** POST /policy/simulate as a customer: their own organization's tier and contract. */
export type Simulation = z.output<typeof simulateOut>;

export function useSimulation(priority: Priority | null) {
  return useQuery({
    queryKey: ['simulate', priority],
    queryFn: () => post<Simulation>('/policy/simulate', { priority, openedAt: new Date().toISOString() }),
    enabled: !!priority,
    // The due time moves with the clock; a minute-old preview is still an honest one.
    staleTime: 60_000,
    refetchInterval: 60_000,
  });
}

/** POST /tickets from the portal or the widget; suggestionSessionId records what the form showed. */
export type TicketDraft = z.input<typeof ticketCreate> & { channel: Extract<Channel, 'portal' | 'in_app'> };

export interface UploadFailure {
  filename: string;
  message: string;
}

export function uploadAttachment(ticketId: string, file: File) {
  const form = new FormData();
  form.append('file', file, file.name);
  return post<Attachment>(`/tickets/${ticketId}/attachments`, form);
}

/** Files one request, then its files one by one; a failed upload does not undo the ticket. */
export async function submitTicket(draft: TicketDraft, files: File[]) {
  const ticket = await post<Ticket>('/tickets', draft);
  const failures: UploadFailure[] = [];
  for (const file of files) {
    try {
      await uploadAttachment(ticket.id, file);
    } catch (error) {
      failures.push({ filename: file.name, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { ticket, failures };
}

export function useTicketPages(filter: { requesterId?: string; limit?: number } = {}) {
  return useInfiniteQuery({
    queryKey: ['tickets', 'customer', filter],
    queryFn: ({ pageParam }) =>
      get<Page<Ticket>>('/tickets', {
        sort: 'created',
        limit: filter.limit ?? 25,
        requesterId: filter.requesterId,
        cursor: pageParam,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useTicket(id: string) {
  return useQuery({ queryKey: ['ticket', id], queryFn: () => get<Ticket>(`/tickets/${id}`) });
}

export function useMessages(ticketId: string) {
  return useInfiniteQuery({
    queryKey: ['ticket', ticketId, 'messages'],
    queryFn: ({ pageParam }) =>
      get<Page<Message>>(`/tickets/${ticketId}/messages`, { limit: 100, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useAttachments(ticketId: string) {
  return useQuery({
    queryKey: ['ticket', ticketId, 'attachments'],
    queryFn: () => get<{ data: Attachment[] }>(`/tickets/${ticketId}/attachments`).then((r) => r.data),
  });
}

/**
 * Saves an attachment. Inside the embedded widget there is no cookie to send with a plain link, so
 * the file is fetched with the widget's bearer token and handed to the browser as a blob.
 */
export async function downloadAttachment(attachment: Attachment) {
  const response = await fetch(`/api/v1/attachments/${attachment.id}`, {
    headers: { authorization: `Bearer ${getBearerToken() ?? ''}` },
  });
  if (!response.ok)
    throw new ApiError({ title: response.statusText || 'Download failed', status: response.status });
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = attachment.filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
