/** Satisfaction surveys as the API returns them (GET /api/v1/tickets/:id/satisfaction, /reports/satisfaction …). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  answerBody,
  reportOut,
  reportQuery,
  settingsOut,
  surveyOut,
  ticketSurveyOut,
} from '../../../src/satisfaction/schema';
import { get, post, put } from './client';
import type { Status, Tier } from './types';

export type Survey = z.output<typeof surveyOut>;
export type TicketSurvey = z.output<typeof ticketSurveyOut>;
export type SurveyAnswer = z.input<typeof answerBody>;
export type SatisfactionReport = z.output<typeof reportOut>;
export type SatisfactionQuery = z.input<typeof reportQuery>;
export type SatisfactionSettings = z.output<typeof settingsOut>;
/** The counts every row of the report carries. */
export type Tally = SatisfactionReport['totals'];

export const satisfactionKeys = {
  all: ['satisfaction'] as const,
  ticket: (id: string) => ['satisfaction', 'ticket', id] as const,
  report: (q: SatisfactionQuery) => ['satisfaction', 'report', q] as const,
  settings: ['satisfaction', 'settings'] as const,
};

/**
 * The ticket's question and answer. The ticket's status is part of the key: the question appears
 * when the ticket is resolved, which the ticket's own query hears of first.
 */
export function useTicketSurvey(ticketId: string, status: Status) {
  return useQuery({
    queryKey: [...satisfactionKeys.ticket(ticketId), status],
    queryFn: () => get<TicketSurvey>(`/tickets/${ticketId}/satisfaction`),
  });
}

export function useAnswerSurvey(ticketId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (answer: SurveyAnswer) => post<TicketSurvey>(`/tickets/${ticketId}/satisfaction`, answer),
    onSettled: () => client.invalidateQueries({ queryKey: satisfactionKeys.ticket(ticketId) }),
  });
}

export function useSatisfactionReport(query: SatisfactionQuery, enabled = true) {
  return useQuery({
    queryKey: satisfactionKeys.report(query),
    queryFn: () => get<SatisfactionReport>('/reports/satisfaction', { ...query }),
    enabled,
    staleTime: 60_000,
  });
}

export function useSatisfactionSettings(enabled: boolean) {
  return useQuery({
    queryKey: satisfactionKeys.settings,
    queryFn: () => get<SatisfactionSettings>('/satisfaction/settings'),
    enabled,
  });
}

export function useSaveSatisfactionSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (enabledTiers: Tier[]) =>
      put<SatisfactionSettings>('/satisfaction/settings', { enabledTiers }),
    onSuccess: (settings) => client.setQueryData(satisfactionKeys.settings, settings),
  });
}
