import type { Principal } from '../auth/principal.js';
import type { PolicyVersions } from '../policy/versions.js';
import type { Cursor } from '../shared/pagination.js';
import type { Clock } from '../shared/time.js';
import { StatusComponents } from './components.js';
import { StatusIncidents, type IncidentDetail } from './incidents.js';
import type { StatusIncidentRow, StatusUpdateListener } from './model.js';
import type { IncidentFilter, IncidentKind, StatusComponentRow, StatusRepository } from './repository.js';
import type {
  ComponentCreate,
  ComponentUpdate,
  IncidentCreate,
  IncidentUpdate,
  UpdateCreate,
} from './schema.js';

export { worstState } from './components.js';
export { MAINTENANCE_TEXTS } from './incident-rules.js';
export type { IncidentDetail } from './incidents.js';

export interface StatusServiceDeps {
  repo: StatusRepository;
  clock: Clock;
  /** The page is named after the policy's vendor and shown in the policy's time zone. */
  policy: Pick<PolicyVersions, 'inForceAt'>;
  /** The status page's address: the desk's public URL + /status. */
  pageUrl: string;
  listeners?: StatusUpdateListener[];
}

export interface StatusPageInfo {
  name: string;
  url: string;
  timeZone: string;
  /** When a component changed or an update was published last; now when the page has neither. */
  updatedAt: number;
}

/**
 * The status page's one entry point, so routes, the maintenance runner, the ticket links and the
 * seed need not know how its rules are split: components in `components.ts`, incidents and
 * maintenance in `incidents.ts`. A component's state is written by those two only.
 */
export class StatusService {
  private readonly componentRules: StatusComponents;
  private readonly incidentRules: StatusIncidents;

  constructor(private readonly deps: StatusServiceDeps) {
    this.componentRules = new StatusComponents(deps);
    this.incidentRules = new StatusIncidents(deps);
  }

  /** The page's name, address and time zone, and when it last changed (given its components). */
  async page(components: readonly StatusComponentRow[]): Promise<StatusPageInfo> {
    const now = this.deps.clock();
    const { policy } = await this.deps.policy.inForceAt(now);
    const changes = [...components.map((c) => c.updated_at), (await this.deps.repo.lastUpdateAt()) ?? 0];
    const last = Math.max(...changes);
    return {
      name: policy.vendor,
      url: this.deps.pageUrl,
      timeZone: policy.support.timeZone,
      updatedAt: last > 0 ? last : now,
    };
  }

  /** The status data's version: moves in every write of what the public page shows. */
  version(): Promise<number> {
    return this.deps.repo.version();
  }

  // --- Components ----------------------------------------------------------------------------

  components() {
    return this.componentRules.components();
  }

  listComponents(actor: Principal) {
    return this.componentRules.listComponents(actor);
  }

  createComponent(actor: Principal, input: ComponentCreate) {
    return this.componentRules.createComponent(actor, input);
  }

  updateComponent(actor: Principal, id: string, input: ComponentUpdate) {
    return this.componentRules.updateComponent(actor, id, input);
  }

  deleteComponent(actor: Principal, id: string) {
    return this.componentRules.deleteComponent(actor, id);
  }

  // --- Incidents and maintenance -------------------------------------------------------------

  addListener(listener: StatusUpdateListener) {
    return this.incidentRules.addListener(listener);
  }

  listIncidents(actor: Principal, filter: IncidentFilter, limit: number, cursor: Cursor | undefined) {
    return this.incidentRules.listIncidents(actor, filter, limit, cursor);
  }

  getIncident(actor: Principal, id: string) {
    return this.incidentRules.getIncident(actor, id);
  }

  details(incidents: StatusIncidentRow[]) {
    return this.incidentRules.details(incidents);
  }

  publicIncidents(kind: IncidentKind, statuses: readonly string[] | 'recent', limit: number) {
    return this.incidentRules.publicIncidents(kind, statuses, limit);
  }

  stateChanges(details: IncidentDetail[]) {
    return this.incidentRules.stateChanges(details);
  }

  createIncident(actor: Principal, input: IncidentCreate) {
    return this.incidentRules.createIncident(actor, input);
  }

  updateIncident(actor: Principal, id: string, input: IncidentUpdate) {
    return this.incidentRules.updateIncident(actor, id, input);
  }

  addUpdate(actor: Principal, id: string, input: UpdateCreate) {
    return this.incidentRules.addUpdate(actor, id, input);
  }

  dueMaintenance(now: number, limit: number) {
    return this.incidentRules.dueMaintenance(now, limit);
  }

  advanceMaintenance(id: string, to: 'in_progress' | 'completed', now: number) {
    return this.incidentRules.advanceMaintenance(id, to, now);
  }
}
