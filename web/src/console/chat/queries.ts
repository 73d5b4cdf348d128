import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { del, get, patch, post, put } from '../../api/client';
import type { Locale, Priority } from '../../api/types';
import type {
  AgentPresence,
  CannedReply,
  ChatConversation,
  ChatMessage,
  ChatQueue,
} from '../../../chat/types';

export type { ChatQueue };

export type PresenceStatus = AgentPresence['status'];

// Every chat cache entry starts with 'chat', so one invalidation refreshes them all after a reconnect.
export const chatKeys = {
  all: ['chat'] as const,
  queue: ['chat', 'queue'] as const,
  canned: ['chat', 'canned'] as const,
  cannedSearch: (q: string) => ['chat', 'canned', q] as const,
};

// The socket pushes a queue frame on every change; the interval covers a socket that is down or
// has fallen back to polling, which carries no queue frames.
const QUEUE_REFRESH_MS = 15_000;

export function useChatQueue() {
  return useQuery({
    queryKey: chatKeys.queue,
    queryFn: () => get<ChatQueue>('/chat/queue'),
    refetchInterval: QUEUE_REFRESH_MS,
    staleTime: 0,
  });
}

export function useSetPresence() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { status: PresenceStatus; capacity?: number }) =>
      put<AgentPresence>('/chat/presence', body),
    onSuccess: (presence) => {
      queryClient.setQueryData<ChatQueue>(chatKeys.queue, (queue) => queue && { ...queue, presence });
      void queryClient.invalidateQueries({ queryKey: chatKeys.queue });
    },
  });
}

export function useAcceptChat() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (conversationId: string) =>
      post<ChatConversation>(`/chat/conversations/${conversationId}/accept`),
    // Taken or not, the queue has changed (a 409 means someone else was faster).
    onSettled: () => queryClient.invalidateQueries({ queryKey: chatKeys.queue }),
  });
}

export function useTransferChat() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ conversationId, agentId }: { conversationId: string; agentId: string }) =>
      post<ChatConversation>(`/chat/conversations/${conversationId}/transfer`, { agentId }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: chatKeys.queue }),
  });
}

export function useEndChat() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (conversationId: string) =>
      post<ChatConversation>(`/chat/conversations/${conversationId}/end`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: chatKeys.queue }),
  });
}

export interface ChatTicket {
  id: string;
  number: number;
}

export function useChatToTicket() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      conversationId,
      ...body
    }: {
      conversationId: string;
      subject?: string;
      priority?: Priority;
    }) => post<{ ticket: ChatTicket }>(`/chat/conversations/${conversationId}/ticket`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tickets'] }),
  });
}

/** A chat's stored messages after a seq, oldest first (one page of up to 200). */
export async function fetchChatMessages(conversationId: string, after = 0): Promise<ChatMessage[]> {
  const page = await get<{ data: ChatMessage[] }>(`/chat/conversations/${conversationId}/messages`, {
    after,
    limit: 200,
  });
  return page.data;
}

export const attachmentUrl = (conversationId: string, attachmentId: string) =>
  `/api/v1/chat/conversations/${encodeURIComponent(conversationId)}/attachments/${encodeURIComponent(attachmentId)}`;

export function useCannedReplies(q: string, enabled = true) {
  return useQuery({
    queryKey: chatKeys.cannedSearch(q),
    queryFn: async () => (await get<{ data: CannedReply[] }>('/chat/canned-replies', { q })).data,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    enabled,
  });
}

export interface CannedReplyInput {
  title: string;
  body: string;
  locale: Locale | null;
}

export function useSaveCannedReply() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: CannedReplyInput & { id?: string }) =>
      id
        ? patch<CannedReply>(`/chat/canned-replies/${id}`, body)
        : post<CannedReply>('/chat/canned-replies', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: chatKeys.canned }),
  });
}

export function useDeleteCannedReply() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => del<void>(`/chat/canned-replies/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: chatKeys.canned }),
  });
}
