import { useQuery } from '@tanstack/react-query';
import { get } from '../../api/client';
import {
  statusKeys,
  type Incident,
  type IncidentSummary,
  type IncidentTicket,
  type StatusComponent,
} from '../../api/status';

export { useStatusComponents as useComponents } from '../../shared/status';

export function useIncidents(filter: { kind?: 'incident' | 'maintenance'; open?: boolean; limit?: number }) {
  return useQuery({
    queryKey: statusKeys.incidents(filter),
    queryFn: async () =>
      (
        await get<{ data: IncidentSummary[] }>('/status/incidents', {
          kind: filter.kind,
          open: filter.open === undefined ? undefined : String(filter.open),
          limit: filter.limit,
        })
      ).data,
  });
}

export function useIncident(id: string) {
  return useQuery({
    queryKey: statusKeys.incident(id),
    queryFn: () => get<Incident>(`/status/incidents/${id}`),
  });
}

export function useIncidentTickets(id: string) {
  return useQuery({
    queryKey: statusKeys.incidentTickets(id),
    queryFn: async () => (await get<{ data: IncidentTicket[] }>(`/status/incidents/${id}/tickets`)).data,
  });
}

/** Components by group, groups in the order their first component comes; ungrouped ones last. */
export function groupComponents(components: StatusComponent[]): [string | null, StatusComponent[]][] {
  const groups = new Map<string | null, StatusComponent[]>();
  for (const c of components) {
    const key = c.group?.trim() || null;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : 0));
}

/** A datetime-local input's value (the viewer's zone) as an instant, and back. */
export const localToInstant = (value: string) => (value ? new Date(value).toISOString() : undefined);
export function instantToLocal(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
