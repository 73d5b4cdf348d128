import type { Transaction } from 'kysely';
import type { Principal } from '../auth/principal.js';
import type { ComponentState, Database } from '../db/tables.js';
import { renderMarkdown } from '../helpcenter/markdown.js';
import { newId } from '../shared/ids.js';
import type { Cursor } from '../shared/pagination.js';
import { badRequest, conflict, notFound } from '../shared/problem.js';
import type { Clock } from '../shared/time.js';
import { requireStaff, settleComponents } from './components.js';
import { MAINTENANCE_TEXTS, TERMINAL, checkImpact, checkStatus, transitioned } from './incident-rules.js';
import type { StatusIncidentRow, StatusIncidentUpdateRow, StatusUpdateListener } from './model.js';
import {
  HOLDING_STATUSES,
  type IncidentFilter,
  type IncidentKind,
  type StatusComponentStateRow,
  type StatusExecutor,
  type StatusRepository,
} from './repository.js';
import type { AffectedComponentsInput, IncidentCreate, IncidentUpdate, UpdateCreate } from './schema.js';

/** An incident with what it affects and its updates, newest first. */
export interface IncidentDetail {
  incident: StatusIncidentRow;
  components: { id: string; name: string; state: ComponentState }[];
  updates: StatusIncidentUpdateRow[];
}

/**
 * Incidents and scheduled maintenance with their updates. While an incident (or a maintenance under
 * way) is open, it holds its components in the states it gives them, and a component held by several
 * takes the worst; when none holds it any more it returns to operational.
 */
export class StatusIncidents {
  private readonly listeners: StatusUpdateListener[];

  constructor(
    private readonly deps: { repo: StatusRepository; clock: Clock; listeners?: StatusUpdateListener[] },
  ) {
    this.listeners = [...(deps.listeners ?? [])];
  }

  /** Adds a listener told of every update from now on; the returned function removes it. */
  addListener(listener: StatusUpdateListener): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  // --- Reading ----------------------------------------------------------------------------------

  async listIncidents(actor: Principal, filter: IncidentFilter, limit: number, cursor: Cursor | undefined) {
    requireStaff(actor);
    const rows = await this.deps.repo.listIncidents(filter, limit, cursor);
    const components = await this.deps.repo.incidentComponents(rows.slice(0, limit).map((r) => r.id));
    return { rows, components };
  }

  async getIncident(actor: Principal, id: string): Promise<IncidentDetail> {
    requireStaff(actor);
    const incident = await this.deps.repo.findIncident(id);
    if (!incident) throw notFound('The incident');
    return (await this.details([incident]))[0]!;
  }

  /** Incidents with their components and updates, in the order given. */
  async details(incidents: StatusIncidentRow[]): Promise<IncidentDetail[]> {
    const ids = incidents.map((i) => i.id);
    const [components, updates] = await Promise.all([
      this.deps.repo.incidentComponents(ids),
      this.deps.repo.updatesOf(ids),
    ]);
    return incidents.map((incident) => ({
      incident,
      components: components
        .filter((c) => c.incident_id === incident.id)
        .map((c) => ({ id: c.component_id, name: c.name, state: c.state })),
      updates: updates.filter((u) => u.incident_id === incident.id),
    }));
  }

  /** The public page's lists: recent (the newest first), or those in some statuses. */
  async publicIncidents(kind: IncidentKind, statuses: readonly string[] | 'recent', limit: number) {
    const rows =
      statuses === 'recent'
        ? (await this.deps.repo.listIncidents({ kind }, limit, undefined)).slice(0, limit)
        : await this.deps.repo.incidentsWithStatus(kind, statuses, limit);
    return this.details(rows);
  }

  /** The state changes around these incidents' updates: which components each update changed, from what. */
  async stateChanges(details: IncidentDetail[]): Promise<StatusComponentStateRow[]> {
    const times = details.flatMap((d) => d.updates.map((u) => u.created_at));
    if (times.length === 0) return [];
    const componentIds = [...new Set(details.flatMap((d) => d.components.map((c) => c.id)))];
    return this.deps.repo.stateHistory(componentIds, Math.min(...times), Math.max(...times));
  }

  // --- Writing ----------------------------------------------------------------------------------

  async createIncident(actor: Principal, input: IncidentCreate): Promise<IncidentDetail> {
    requireStaff(actor);
    const now = this.deps.clock();
    const kind = input.kind;
    const status = input.status ?? (kind === 'incident' ? 'investigating' : 'scheduled');
    checkStatus(kind, status);
    const impact = checkImpact(kind, input.impact, true)!;
    const scheduledFor = input.scheduledFor ? Date.parse(input.scheduledFor) : null;
    const scheduledUntil = input.scheduledUntil ? Date.parse(input.scheduledUntil) : null;
    if (kind === 'maintenance' && (scheduledFor === null || scheduledUntil === null))
      throw badRequest('Maintenance is scheduled: give scheduledFor and scheduledUntil.', [
        { field: scheduledFor === null ? 'body.scheduledFor' : 'body.scheduledUntil', message: 'required' },
      ]);
    if (kind === 'incident' && (scheduledFor !== null || scheduledUntil !== null))
      throw badRequest('Only maintenance is scheduled.', [
        { field: 'body.scheduledFor', message: 'only for maintenance' },
      ]);
    const components = await this.checkComponents(kind, input.components);
    const holding = HOLDING_STATUSES.includes(status);
    const incident: StatusIncidentRow = {
      id: newId(),
      kind,
      name: input.name,
      name_fr: input.nameFr ?? null,
      impact,
      status,
      scheduled_for: scheduledFor,
      scheduled_until: scheduledUntil,
      auto_transition: input.autoTransition ? 1 : 0,
      postmortem_md: null,
      postmortem_html: null,
      origin_ticket_id: null,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
      started_at: kind === 'incident' || holding || TERMINAL.has(status) ? now : null,
      resolved_at: TERMINAL.has(status) ? now : null,
    };
    await this.deps.repo.transaction(async (trx) => {
      await this.deps.repo.insertIncident(incident, trx);
      await this.deps.repo.replaceIncidentComponents(incident.id, components, trx);
      await this.publish(trx, incident, {
        status,
        body: input.body,
        bodyFr: input.bodyFr ?? null,
        authorId: actor.userId,
        now,
        touched: components.map((c) => c.id),
      });
    });
    return (await this.details([incident]))[0]!;
  }

  /** Changes an incident's name, impact or components without an update; adds its postmortem once closed. */
  async updateIncident(actor: Principal, id: string, input: IncidentUpdate): Promise<IncidentDetail> {
    requireStaff(actor);
    const now = this.deps.clock();
    await this.deps.repo.transaction(async (trx) => {
      const row = await this.deps.repo.findIncidentForUpdate(id, trx);
      if (!row) throw notFound('The incident');
      const closed = row.resolved_at !== null;
      if (input.postmortem !== undefined && !closed)
        throw conflict('not-resolved', 'A postmortem is written once the incident is resolved.');
      if (input.components !== undefined && closed)
        throw conflict('resolved', 'A resolved incident no longer affects components.');
      const next: StatusIncidentRow = {
        ...row,
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.nameFr !== undefined ? { name_fr: input.nameFr } : {}),
        ...(input.impact !== undefined ? { impact: checkImpact(row.kind, input.impact, false)! } : {}),
        ...(input.postmortem !== undefined
          ? {
              postmortem_md: input.postmortem,
              postmortem_html: input.postmortem === null ? null : renderMarkdown(input.postmortem),
            }
          : {}),
        updated_at: now,
      };
      await this.deps.repo.updateIncident(id, next, trx);
      if (input.components !== undefined) {
        const components = await this.checkComponents(row.kind, input.components, trx);
        const before = await this.deps.repo.incidentComponents([id], trx);
        await this.deps.repo.replaceIncidentComponents(id, components, trx);
        await settleComponents(
          this.deps.repo,
          trx,
          [...before.map((c) => c.component_id), ...components.map((c) => c.id)],
          id,
          now,
        );
      }
    });
    return this.getIncident(actor, id);
  }

  /** Publishes an update: a status (perhaps the same), its words, and perhaps the affected components. */
  async addUpdate(actor: Principal, id: string, input: UpdateCreate): Promise<IncidentDetail> {
    requireStaff(actor);
    const now = this.deps.clock();
    await this.deps.repo.transaction(async (trx) => {
      const row = await this.deps.repo.findIncidentForUpdate(id, trx);
      if (!row) throw notFound('The incident');
      checkStatus(row.kind, input.status);
      if (row.resolved_at !== null)
        throw conflict(
          'resolved',
          `This ${row.kind} is ${row.status}: it takes no more updates (a postmortem is added with PATCH).`,
        );
      if (row.status !== 'scheduled' && input.status === 'scheduled')
        throw conflict('started', 'Maintenance under way cannot go back to scheduled.');
      const before = await this.deps.repo.incidentComponents([id], trx);
      let touched = before.map((c) => c.component_id);
      if (input.components !== undefined) {
        const components = await this.checkComponents(row.kind, input.components, trx);
        await this.deps.repo.replaceIncidentComponents(id, components, trx);
        touched = [...touched, ...components.map((c) => c.id)];
      }
      await this.publish(trx, transitioned(row, input.status, now), {
        status: input.status,
        body: input.body,
        bodyFr: input.bodyFr ?? null,
        authorId: actor.userId,
        now,
        touched,
      });
    });
    return this.getIncident(actor, id);
  }

  /** The ids of the self-transitioning maintenance windows due to start, and of those due to end. */
  async dueMaintenance(now: number, limit: number) {
    const [starts, completions] = await Promise.all([
      this.deps.repo.dueStarts(now, limit),
      this.deps.repo.dueCompletions(now, limit),
    ]);
    return { starts: starts.map((r) => r.id), completions: completions.map((r) => r.id) };
  }

  /**
   * Starts or completes a maintenance window that transitions by itself, if it is still due (another
   * process may have done it, or staff moved it by hand). True when this call published the update.
   */
  async advanceMaintenance(id: string, to: 'in_progress' | 'completed', now: number): Promise<boolean> {
    return this.deps.repo.transaction(async (trx) => {
      const row = await this.deps.repo.findIncidentForUpdate(id, trx);
      if (!row || row.kind !== 'maintenance' || row.auto_transition !== 1) return false;
      const due =
        to === 'in_progress'
          ? row.status === 'scheduled' && row.scheduled_for !== null && row.scheduled_for <= now
          : (row.status === 'in_progress' || row.status === 'verifying') &&
            row.scheduled_until !== null &&
            row.scheduled_until <= now;
      if (!due) return false;
      const touched = (await this.deps.repo.incidentComponents([id], trx)).map((c) => c.component_id);
      await this.publish(trx, transitioned(row, to, now), {
        status: to,
        body: MAINTENANCE_TEXTS[to].en,
        bodyFr: MAINTENANCE_TEXTS[to].fr,
        authorId: null,
        now,
        touched,
      });
      return true;
    });
  }

  // --- Rules shared by the writes ----------------------------------------------------------------

  /**
   * Writes the incident as it now is and its update, settles the states of the components it
   * touched, and tells every listener, all in the caller's transaction.
   */
  private async publish(
    trx: Transaction<Database>,
    incident: StatusIncidentRow,
    update: {
      status: string;
      body: string;
      bodyFr: string | null;
      authorId: string | null;
      now: number;
      touched: string[];
    },
  ) {
    await this.deps.repo.updateIncident(incident.id, incident, trx);
    const row: StatusIncidentUpdateRow = {
      id: newId(),
      incident_id: incident.id,
      status: update.status,
      body: update.body,
      body_fr: update.bodyFr,
      author_id: update.authorId,
      created_at: update.now,
    };
    await this.deps.repo.insertUpdate(row, trx);
    await settleComponents(this.deps.repo, trx, update.touched, incident.id, update.now);
    for (const listener of this.listeners) await listener.updatePublished(trx, incident, row);
  }

  /** The components named exist; an incident says which state it gives each, maintenance defaults. */
  private async checkComponents(
    kind: IncidentKind,
    input: AffectedComponentsInput,
    db: StatusExecutor | undefined = undefined,
  ) {
    const known = new Set((await this.deps.repo.listComponents(db)).map((c) => c.id));
    const unknown = input.filter((c) => !known.has(c.id));
    if (unknown.length > 0)
      throw badRequest(`No such component: ${unknown.map((c) => c.id).join(', ')}.`, [
        { field: 'body.components', message: 'unknown component' },
      ]);
    return input.map((c, index) => {
      const state = c.state ?? (kind === 'maintenance' ? 'under_maintenance' : undefined);
      if (!state)
        throw badRequest('An incident gives each affected component a state.', [
          { field: `body.components.${index}.state`, message: 'required' },
        ]);
      return { id: c.id, state };
    });
  }
}
