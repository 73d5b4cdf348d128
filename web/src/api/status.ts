/** The status page's shapes as the API returns them (src/status/schema.ts). */

export type ComponentState =
  'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage' | 'under_maintenance';
export type IncidentKind = 'incident' | 'maintenance';
export type IncidentImpact = 'none' | 'minor' | 'major' | 'critical';
export type IncidentStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved';
export type MaintenanceStatus = 'scheduled' | 'in_progress' | 'verifying' | 'completed';

export const COMPONENT_STATES: ComponentState[] = [
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
  'under_maintenance',
];
export const INCIDENT_IMPACTS: IncidentImpact[] = ['none', 'minor', 'major', 'critical'];
export const INCIDENT_STATUSES: IncidentStatus[] = ['investigating', 'identified', 'monitoring', 'resolved'];
export const MAINTENANCE_STATUSES: MaintenanceStatus[] = [
  'scheduled',
  'in_progress',
  'verifying',
  'completed',
];

/** The policy's stages of a P0 (src/status/model.ts P0_STAGES), offered as one-click update texts. */
export const P0_STAGES = ['fix_tested', 'fix_deployed', 'restored'] as const;
export type P0Stage = (typeof P0_STAGES)[number];

/** The statuses an incident of a kind moves through; the last one closes it. */
export const statusesOf = (kind: IncidentKind): string[] =>
  kind === 'maintenance' ? MAINTENANCE_STATUSES : INCIDENT_STATUSES;
export const isClosingStatus = (status: string) => status === 'resolved' || status === 'completed';

/** The public status page, served by the desk outside the browser app. */
export const PUBLIC_STATUS_URL = '/status';

export interface StatusComponent {
  id: string;
  name: string;
  group: string | null;
  description: string;
  position: number;
  state: ComponentState;
  createdAt?: string;
  updatedAt?: string;
}

export interface IncidentComponent {
  id: string;
  name: string;
  state: ComponentState;
}

export interface IncidentUpdate {
  id: string;
  status: string;
  body: string;
  bodyFr: string | null;
  authorId: string | null;
  createdAt: string;
}

export interface IncidentSummary {
  id: string;
  kind: IncidentKind;
  name: string;
  nameFr: string | null;
  impact: IncidentImpact | 'maintenance';
  status: string;
  scheduledFor: string | null;
  scheduledUntil: string | null;
  autoTransition: boolean;
  postmortemMarkdown: string | null;
  /** Rendered from Markdown and sanitized by the desk. */
  postmortemHtml: string | null;
  originTicketId: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  resolvedAt: string | null;
  components: IncidentComponent[];
}

export interface Incident extends IncidentSummary {
  /** Newest first. */
  updates: IncidentUpdate[];
}

/** A ticket tied to an incident (GET /status/incidents/{id}/tickets). */
export interface IncidentTicket {
  ticketId: string;
  number: number;
  subject: string;
  priority: string;
  status: string;
  organization: { id: string; name: string };
  how: 'manual' | 'automatic';
  linkedAt: string;
  linkedBy: { id: string; name: string } | null;
}

/** What a customer may know of an incident: what the public status page shows, in their language. */
export interface PublicIncident {
  id: string;
  name: string;
  status: string;
  impact: string;
  /** The incident on the public status page. */
  url: string;
  createdAt: string;
  resolvedAt: string | null;
  components: { id: string; name: string; state: string }[];
  latestUpdate: { status: string; body: string; createdAt: string } | null;
}

/** An incident a ticket is tied to (GET /tickets/{id}/incidents); how it was linked, for staff. */
export interface TicketIncident extends PublicIncident {
  link: {
    how: 'manual' | 'automatic';
    at: string;
    by: { id: string; name: string } | null;
  } | null;
}

/** An incident open now, for the customer's ticket form (GET /status/open-incidents). */
export interface OpenIncident extends PublicIncident {
  /** A ticket about a problem filed now is linked to this incident and gets its updates. */
  linksNewTickets: boolean;
}

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
};
