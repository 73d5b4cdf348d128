import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { fetchAll, get } from '../api/client';
import type {
  P0Ticket,
  ReportQuery,
  ResolutionReport,
  ResponseTimes,
  ResponseTimeTrend,
} from '../api/reports';
import type { Organization, PolicyVersion } from '../api/types';

/**
 * The reports' cache entries, all under ['reports']. Measured figures change as tickets are
 * answered, but not from one second to the next: a minute-old report is still an honest one.
 */
/** The response-time table's filters as the CSV link carries them. */
export const responseTimesQuery = (q: ReportQuery) =>
  scoped(q, ['tier', 'organizationId', 'channel', 'agentId']);

export const reportKeys = {
  all: ['reports'] as const,
  policy: ['reports', 'policy'] as const,
  organization: (id: string) => ['reports', 'organization', id] as const,
  responseTimes: (q: ReportQuery) => ['reports', 'response-times', q] as const,
  trend: (q: ReportQuery) => ['reports', 'trend', q] as const,
  p0: (q: ReportQuery, all: boolean) => ['reports', 'p0', q, all] as const,
  resolution: (q: ReportQuery) => ['reports', 'resolution', q] as const,
};

const STALE = 60_000;

type Scope = 'tier' | 'organizationId' | 'channel' | 'agentId';

/** The filters an endpoint reads; the API refuses any other parameter. */
function scoped(q: ReportQuery, scope: Scope[]): ReportQuery {
  const out: ReportQuery = { from: q.from, to: q.to };
  for (const key of scope) if (q[key]) Object.assign(out, { [key]: q[key] });
  return out;
}
const P0_PAGE_SIZE = 50;

/** The policy the figures are measured against: its wording, business day and warning lead. */
export function useReportPolicy() {
  return useQuery({
    queryKey: reportKeys.policy,
    queryFn: () => get<PolicyVersion>('/policy'),
    staleTime: 10 * 60_000,
  });
}

export function useReportOrganization(id: string | undefined) {
  return useQuery({
    queryKey: reportKeys.organization(id ?? ''),
    queryFn: () => get<Organization>(`/organizations/${id}`),
    enabled: !!id,
    staleTime: 5 * 60_000,
  });
}

export function useResponseTimes(query: ReportQuery, enabled = true) {
  const q = scoped(query, ['tier', 'organizationId', 'channel', 'agentId']);
  return useQuery({
    queryKey: reportKeys.responseTimes(q),
    queryFn: () => get<ResponseTimes>('/reports/response-times', { ...q }),
    staleTime: STALE,
    enabled,
  });
}

export function useTrend(query: ReportQuery) {
  const q = scoped(query, ['tier', 'organizationId']);
  return useQuery({
    queryKey: reportKeys.trend(q),
    queryFn: () => get<ResponseTimeTrend>('/reports/response-times/trend', { ...q }),
    staleTime: STALE,
  });
}

/** The period's P0 tickets a page at a time, for the screen. */
export function useP0Pages(query: ReportQuery) {
  const q = scoped(query, ['tier', 'organizationId']);
  return useInfiniteQuery({
    queryKey: reportKeys.p0(q, false),
    queryFn: ({ pageParam }) =>
      get<{ data: P0Ticket[]; nextCursor: string | null }>('/reports/p0', {
        ...q,
        limit: P0_PAGE_SIZE,
        cursor: pageParam,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: STALE,
  });
}

/** Every P0 ticket of the period, for a printed report that must not stop at a page. */
export function useAllP0(query: ReportQuery, enabled = true) {
  const q = scoped(query, ['tier', 'organizationId']);
  return useQuery({
    queryKey: reportKeys.p0(q, true),
    queryFn: () => fetchAll<P0Ticket>('/reports/p0', { ...q }),
    staleTime: STALE,
    enabled,
  });
}

export function useResolution(query: ReportQuery, enabled = true) {
  const q = scoped(query, ['tier', 'organizationId']);
  return useQuery({
    queryKey: reportKeys.resolution(q),
    queryFn: () => get<ResolutionReport>('/reports/resolution', { ...q }),
    staleTime: STALE,
    enabled,
  });
}
