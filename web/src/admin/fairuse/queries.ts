import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchAll, get } from '../../api/client';
import {
  fairuseKeys,
  type AuditEntry,
  type Flag,
  type Limit,
  type SpamItem,
  type SpamStatus,
} from '../../api/fairuse';
import type { Organization, Page } from '../../api/types';

const AUDIT_PAGE = 50;

/** Open flags, most serious first: every organization's, or one organization's. */
export function useFlags(organizationId?: string) {
  return useQuery({
    queryKey: fairuseKeys.flags(organizationId),
    queryFn: async () => (await get<{ data: Flag[] }>('/fairuse/flags', { organizationId })).data,
  });
}

/** An organization's limits, active and past. */
export function useLimits(organizationId: string) {
  return useQuery({
    queryKey: fairuseKeys.limits(organizationId),
    queryFn: async () =>
      (await get<{ data: Limit[] }>(`/fairuse/organizations/${organizationId}/limits`)).data,
  });
}

/** An organization's fair-use audit log, newest first, a page at a time. */
export function useAudit(organizationId: string) {
  return useInfiniteQuery({
    queryKey: fairuseKeys.audit(organizationId),
    queryFn: ({ pageParam }) =>
      get<Page<AuditEntry>>('/audit', { organizationId, limit: AUDIT_PAGE, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useSpam(status: SpamStatus) {
  return useInfiniteQuery({
    queryKey: fairuseKeys.spam(status),
    queryFn: ({ pageParam }) => get<Page<SpamItem>>('/spam', { status, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Every organization by name, for reviewing one that no flag has brought up. */
export function useAllOrganizations() {
  return useQuery({
    queryKey: [...fairuseKeys.all, 'organizations'],
    queryFn: async () =>
      (await fetchAll<Organization>('/organizations')).sort((a, b) => a.name.localeCompare(b.name)),
    staleTime: 5 * 60_000,
  });
}

export function useOrganization(id: string) {
  return useQuery({
    queryKey: [...fairuseKeys.all, 'organization', id],
    queryFn: () => get<Organization>(`/organizations/${id}`),
  });
}

/**
 * After an action on an organization: its flags (and the overview's), limits and audit log, since
 * every action writes an audit entry and may settle a flag.
 */
export function useRefreshOrganization(organizationId: string) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: fairuseKeys.flagsAll });
    void queryClient.invalidateQueries({ queryKey: fairuseKeys.limits(organizationId) });
    void queryClient.invalidateQueries({ queryKey: fairuseKeys.audit(organizationId) });
    void queryClient.invalidateQueries({ queryKey: fairuseKeys.activeLimits(organizationId) });
  };
}

/** Flags grouped by organization, in the order the desk ranks them (most serious first). */
export function byOrganization(flags: Flag[]): { id: string; name: string; flags: Flag[] }[] {
  const groups = new Map<string, { id: string; name: string; flags: Flag[] }>();
  for (const flag of flags) {
    const group = groups.get(flag.organizationId) ?? {
      id: flag.organizationId,
      name: flag.organizationName,
      flags: [],
    };
    group.flags.push(flag);
    groups.set(flag.organizationId, group);
  }
  return [...groups.values()];
}

/** A datetime-local input's value (the viewer's zone) as an instant. */
export const localToInstant = (value: string) => (value ? new Date(value).toISOString() : undefined);
