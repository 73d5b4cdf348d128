import { useQuery } from '@tanstack/react-query';
import { fetchAll } from '../../api/client';
import type { Organization, User } from '../../api/types';

/** The organizations to filter a report by, by name. */
export function useReportOrganizations() {
  return useQuery({
    queryKey: ['reports', 'organizations'],
    queryFn: async () =>
      (await fetchAll<Organization>('/organizations')).sort((a, b) => a.name.localeCompare(b.name)),
    staleTime: 5 * 60_000,
  });
}

/** Everyone whose first responses a report can be narrowed to: agents, leads and admins. */
export function useReportAgents() {
  return useQuery({
    queryKey: ['reports', 'agents'],
    queryFn: async () => {
      const lists = await Promise.all(
        (['agent', 'lead', 'admin'] as const).map((role) => fetchAll<User>('/users', { role })),
      );
      return lists.flat().sort((a, b) => a.name.localeCompare(b.name));
    },
    staleTime: 5 * 60_000,
  });
}
