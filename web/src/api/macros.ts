/** Macros and ticket tags (staff only): the library, previewing and applying one, a ticket's tags. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Placeholder } from '../../../src/macros/placeholders';
import type { macroCreate, macroOut, macroPreviewOut, macroUpdate } from '../../../src/macros/schema';
import { del, get, patch, post, put } from './client';

export type Macro = z.output<typeof macroOut>;
export type MacroInput = z.input<typeof macroCreate>;
export type MacroPatch = z.input<typeof macroUpdate>;
export type MacroPreview = z.output<typeof macroPreviewOut>;

export const MACROS_KEY = ['macros'] as const;

export function useMacros(enabled = true) {
  return useQuery({
    queryKey: MACROS_KEY,
    queryFn: async () => (await get<{ data: Macro[] }>('/macros')).data,
    enabled,
    staleTime: 60_000,
  });
}

export function useSaveMacro() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: MacroInput & { id?: string }) =>
      id ? patch<Macro>(`/macros/${id}`, body) : post<Macro>('/macros', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: MACROS_KEY }),
  });
}

export function useDeleteMacro() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => del<void>(`/macros/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: MACROS_KEY }),
  });
}

export function useMacroPreview(ticketId: string, macroId: string | null) {
  return useQuery({
    queryKey: ['ticket', ticketId, 'macro-preview', macroId],
    queryFn: () => post<MacroPreview>(`/tickets/${ticketId}/macros/${macroId}/preview`),
    enabled: macroId !== null,
  });
}

export function useApplyMacro(ticketId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (macroId: string) =>
      post<{ messageId: string | null; preview: MacroPreview }>(`/tickets/${ticketId}/macros/${macroId}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['ticket', ticketId] }),
  });
}

export function useSetTags(ticketId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (tags: string[]) => put<{ tags: string[] }>(`/tickets/${ticketId}/tags`, { tags }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['ticket', ticketId] }),
  });
}

/** A tag as the desk stores it (src/tickets/tags.ts), to show what will be saved while typing. */
export const normalizeTag = (raw: string) => raw.normalize('NFC').trim().toLowerCase().replace(/\s+/gu, '-');
export const TAG_PATTERN = /^[\p{L}\p{N}]+(?:[-_.:][\p{L}\p{N}]+)*$/u;
export const MAX_TAG_LENGTH = 50;
export const MAX_TAGS = 20;

/** The placeholders a macro's text may hold (src/macros/placeholders.ts). */
export const PLACEHOLDERS: readonly Placeholder[] = [
  'requester.firstName',
  'requester.name',
  'ticket.number',
  'ticket.subject',
  'organization.name',
  'sla.firstResponse',
  'agent.name',
];
