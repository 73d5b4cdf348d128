/** The status page's shapes as the API returns them (src/status/schema.ts, src/status/tickets/schema.ts). */
import type { z } from 'zod';
import type {
  IncidentStatus,
  MaintenanceStatus,
  P0_STAGES as SERVER_P0_STAGES,
} from '../../../src/status/model';
import type {
  componentOut,
  componentStateSchema,
  impactSchema,
  incidentKindSchema,
  incidentListItemOut,
  incidentOut,
  updateOut,
} from '../../../src/status/schema';
import type {
  linkedTicketOut,
  openIncidentOut,
  publicIncidentOut,
  ticketIncidentOut,
} from '../../../src/status/tickets/schema';
import type { Assert, NamesAll } from './types';

export type { IncidentStatus, MaintenanceStatus };
export type ComponentState = z.output<typeof componentStateSchema>;
export type IncidentKind = z.output<typeof incidentKindSchema>;
/** An incident's impact; maintenance has the impact maintenance. */
export type IncidentImpact = Exclude<z.output<typeof impactSchema>, 'maintenance'>;

export const COMPONENT_STATES = [
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
  'under_maintenance',
] satisfies ComponentState[];
export const INCIDENT_IMPACTS = ['none', 'minor', 'major', 'critical'] satisfies IncidentImpact[];
export const INCIDENT_STATUSES = [
  'investigating',
  'identified',
  'monitoring',
  'resolved',
] satisfies IncidentStatus[];
export const MAINTENANCE_STATUSES = [
  'scheduled',
  'in_progress',
  'verifying',
  'completed',
] satisfies MaintenanceStatus[];

/** The policy's stages of a P0 (src/status/model.ts P0_STAGES), offered as one-click update texts. */
export type P0Stage = keyof (typeof SERVER_P0_STAGES)['en'];
export const P0_STAGES = ['fix_tested', 'fix_deployed', 'restored'] satisfies P0Stage[];

type _ListsNameEveryMember = [
  Assert<NamesAll<typeof COMPONENT_STATES, ComponentState>>,
  Assert<NamesAll<typeof INCIDENT_IMPACTS, IncidentImpact>>,
  Assert<NamesAll<typeof INCIDENT_STATUSES, IncidentStatus>>,
  Assert<NamesAll<typeof MAINTENANCE_STATUSES, MaintenanceStatus>>,
  Assert<NamesAll<typeof P0_STAGES, P0Stage>>,
];

/** The statuses an incident of a kind moves through; the last one closes it. */
export const statusesOf = (kind: IncidentKind): Incident['status'][] =>
  kind === 'maintenance' ? MAINTENANCE_STATUSES : INCIDENT_STATUSES;
export const isClosingStatus = (status: string) => status === 'resolved' || status === 'completed';

/** The public status page, served by the desk outside the browser app. */
export const PUBLIC_STATUS_URL = '/status';

export type StatusComponent = z.output<typeof componentOut>;

export type IncidentSummary = z.output<typeof incidentListItemOut>;
export type IncidentComponent = IncidentSummary['components'][number];
export type IncidentUpdate = z.output<typeof updateOut>;
/** postmortemHtml is rendered from Markdown and sanitized by the desk; updates are newest first. */
export type Incident = z.output<typeof incidentOut>;

/** A ticket tied to an incident (GET /status/incidents/{id}/tickets). */
export type IncidentTicket = z.output<typeof linkedTicketOut>;

/** What a customer may know of an incident: what the public status page shows, in their language. */
export type PublicIncident = z.output<typeof publicIncidentOut>;
/** An incident a ticket is tied to (GET /tickets/{id}/incidents); how it was linked, for staff. */
export type TicketIncident = z.output<typeof ticketIncidentOut>;
/** An incident open now, for the customer's ticket form (GET /status/open-incidents). */
export type OpenIncident = z.output<typeof openIncidentOut>;

/** The incident's name in the viewer's language, else its English name. */
export const incidentName = (incident: { name: string; nameFr?: string | null }, locale: string) =>
  (locale === 'fr' && incident.nameFr) || incident.name;

/** The status page's cache entries; every ticket's incidents sit under its ['ticket', id] key. */
export const statusKeys = {
  all: ['status'] as const,
  components: ['status', 'components'] as const,
  incidents: (filter: Record<string, unknown>) => ['status', 'incidents', filter] as const,
  incident: (id: string) => ['status', 'incident', id] as const,
  incidentTickets: (id: string) => ['status', 'incident', id, 'tickets'] as const,
  open: ['status', 'open-incidents'] as const,
  ticketIncidents: (ticketId: string) => ['ticket', ticketId, 'incidents'] as const,
  ticketSuggestions: (ticketId: string) => ['ticket', ticketId, 'incidents', 'suggested'] as const,
};
