import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DialectName } from '../db/database.js';
import { forUpdate } from '../db/dialect.js';
import type {
  ComponentState,
  Database,
  StatusComponentStateTable,
  StatusComponentTable,
  StatusIncidentComponentTable,
  StatusIncidentTable,
} from '../db/tables.js';
import type { Cursor } from '../shared/pagination.js';
import type { StatusIncidentRow, StatusIncidentUpdateRow } from './model.js';

export type StatusExecutor = Kysely<Database> | Transaction<Database>;
export type StatusComponentRow = Selectable<StatusComponentTable>;
export type StatusComponentStateRow = Selectable<StatusComponentStateTable>;
export type StatusIncidentComponentRow = Selectable<StatusIncidentComponentTable>;
export type IncidentKind = StatusIncidentTable['kind'];

/** The status page's version: one row the status tables' triggers move in every write. */
export async function readStatusVersion(db: StatusExecutor): Promise<number> {
  const row = await db.selectFrom('status_version').select('version').where('id', '=', 1).executeTakeFirst();
  return Number(row?.version ?? 0);
}

async function bumpStatusVersion(db: StatusExecutor): Promise<void> {
  await db
    .updateTable('status_version')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', 1)
    .execute();
}

/** An incident's hold on a component, with the incident's status (to know whether it still holds). */
export interface ComponentHold {
  incident_id: string;
  component_id: string;
  state: ComponentState;
}

export interface IncidentFilter {
  kind?: IncidentKind;
  /** true: not resolved or completed yet; false: resolved or completed. */
  open?: boolean;
}

/** Statuses in which an incident or maintenance holds its components in the states it gives them. */
export const HOLDING_STATUSES = ['investigating', 'identified', 'monitoring', 'in_progress', 'verifying'];

/** All I/O of the status page's core: components, their state history, incidents and their updates. */
export class StatusRepository {
  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: DialectName,
  ) {}

  /**
   * A writing transaction. Its first statement moves the status version, which the status tables'
   * triggers move too: taken first, that row's lock orders concurrent status writers on PostgreSQL,
   * so that they queue rather than deadlock over it.
   */
  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      await bumpStatusVersion(trx);
      return work(trx);
    });
  }

  /** The status page's version (see StatusRenderCache). */
  version(): Promise<number> {
    return readStatusVersion(this.db);
  }

  // --- Components: a status page has tens of them, so they are read whole ----------------------

  listComponents(db: StatusExecutor = this.db): Promise<StatusComponentRow[]> {
    return db
      .selectFrom('status_components')
      .selectAll()
      .orderBy('position')
      .orderBy('name')
      .orderBy('id')
      .execute();
  }

  findComponent(id: string, db: StatusExecutor = this.db) {
    return db.selectFrom('status_components').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The components with these ids, locked for the state change about to be written. */
  componentsForUpdate(ids: readonly string[], db: StatusExecutor): Promise<StatusComponentRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return forUpdate(
      this.dialect,
      db.selectFrom('status_components').selectAll().where('id', 'in', ids).orderBy('id'),
    ).execute();
  }

  async insertComponent(row: StatusComponentRow, db: StatusExecutor = this.db) {
    await db.insertInto('status_components').values(row).execute();
  }

  async updateComponent(id: string, values: Partial<StatusComponentRow>, db: StatusExecutor = this.db) {
    await db.updateTable('status_components').set(values).where('id', '=', id).execute();
  }

  async deleteComponent(id: string, db: StatusExecutor = this.db) {
    await db.deleteFrom('status_components').where('id', '=', id).execute();
  }

  /**
   * Appends one interval start to a component's state history. `incident_id` names the incident
   * whose opening, update or resolution caused the change; null for creation and manual changes.
   */
  async appendState(row: StatusComponentStateRow, db: StatusExecutor) {
    await db.insertInto('status_component_states').values(row).execute();
  }

  /**
   * The state history of these components between two instants, oldest first, with the row in
   * force at `from` (the last one before it) so that each change's previous state is known.
   */
  async stateHistory(
    componentIds: readonly string[],
    from: number,
    to: number,
    db: StatusExecutor = this.db,
  ) {
    if (componentIds.length === 0) return [];
    const inWindow = await db
      .selectFrom('status_component_states')
      .selectAll()
      .where('component_id', 'in', componentIds)
      .where('from_at', '>=', from)
      .where('from_at', '<=', to)
      .orderBy('from_at')
      .orderBy('id')
      .execute();
    const before: StatusComponentStateRow[] = [];
    for (const componentId of componentIds) {
      const row = await db
        .selectFrom('status_component_states')
        .selectAll()
        .where('component_id', '=', componentId)
        .where('from_at', '<', from)
        .orderBy('from_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (row) before.push(row);
    }
    return [...before, ...inWindow];
  }

  // --- Incidents and maintenance ------------------------------------------------------------

  findIncident(id: string, db: StatusExecutor = this.db) {
    return db.selectFrom('status_incidents').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The incident, locked: two updates published at once are written one after the other. */
  findIncidentForUpdate(id: string, db: StatusExecutor) {
    return forUpdate(
      this.dialect,
      db.selectFrom('status_incidents').selectAll().where('id', '=', id),
    ).executeTakeFirst();
  }

  async insertIncident(row: StatusIncidentRow, db: StatusExecutor) {
    await db.insertInto('status_incidents').values(row).execute();
  }

  async updateIncident(id: string, values: Partial<StatusIncidentRow>, db: StatusExecutor) {
    await db.updateTable('status_incidents').set(values).where('id', '=', id).execute();
  }

  /** One keyset page of incidents, newest first (limit + 1 rows, to know whether more follow). */
  listIncidents(
    filter: IncidentFilter,
    limit: number,
    cursor: Cursor | undefined,
    db: StatusExecutor = this.db,
  ) {
    let query = db.selectFrom('status_incidents').selectAll();
    if (filter.kind) query = query.where('kind', '=', filter.kind);
    if (filter.open === true) query = query.where('resolved_at', 'is', null);
    if (filter.open === false) query = query.where('resolved_at', 'is not', null);
    if (cursor) {
      const k = Number(cursor.k);
      query = query.where((eb) =>
        eb.or([eb('created_at', '<', k), eb.and([eb('created_at', '=', k), eb('id', '<', cursor.id)])]),
      );
    }
    return query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
  }

  /** Of one kind, with these statuses, newest first: the public page's unresolved, upcoming and active lists. */
  incidentsWithStatus(
    kind: IncidentKind,
    statuses: readonly string[],
    limit: number,
    db: StatusExecutor = this.db,
  ) {
    return db
      .selectFrom('status_incidents')
      .selectAll()
      .where('kind', '=', kind)
      .where('resolved_at', 'is', null)
      .where('status', 'in', statuses)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  /** When the newest update was published (status_incident_updates_created_idx answers it). */
  async lastUpdateAt(db: StatusExecutor = this.db): Promise<number | null> {
    const row = await db
      .selectFrom('status_incident_updates')
      .select((eb) => eb.fn.max('created_at').as('at'))
      .executeTakeFirst();
    return row?.at === null || row?.at === undefined ? null : Number(row.at);
  }

  /** Scheduled windows due to start: read through status_incidents_schedule_idx. */
  dueStarts(now: number, limit: number, db: StatusExecutor = this.db) {
    return db
      .selectFrom('status_incidents')
      .select('id')
      .where('status', '=', 'scheduled')
      .where('scheduled_for', '<=', now)
      .where('auto_transition', '=', 1)
      .orderBy('scheduled_for')
      .limit(limit)
      .execute();
  }

  /** Windows under way due to end: read through status_incidents_schedule_idx, by status. */
  dueCompletions(now: number, limit: number, db: StatusExecutor = this.db) {
    return db
      .selectFrom('status_incidents')
      .select('id')
      .where('status', 'in', ['in_progress', 'verifying'])
      .where('scheduled_until', '<=', now)
      .where('auto_transition', '=', 1)
      .orderBy('scheduled_until')
      .limit(limit)
      .execute();
  }

  // --- An incident's components ---------------------------------------------------------------

  incidentComponents(incidentIds: readonly string[], db: StatusExecutor = this.db) {
    if (incidentIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('status_incident_components')
      .innerJoin('status_components', 'status_components.id', 'status_incident_components.component_id')
      .select([
        'status_incident_components.incident_id',
        'status_incident_components.component_id',
        'status_incident_components.state',
        'status_components.name',
        'status_components.position',
      ])
      .where('status_incident_components.incident_id', 'in', incidentIds)
      .orderBy('status_components.position')
      .orderBy('status_components.name')
      .execute();
  }

  async replaceIncidentComponents(
    incidentId: string,
    components: readonly { id: string; state: ComponentState }[],
    db: StatusExecutor,
  ) {
    await db.deleteFrom('status_incident_components').where('incident_id', '=', incidentId).execute();
    if (components.length === 0) return;
    await db
      .insertInto('status_incident_components')
      .values(components.map((c) => ({ incident_id: incidentId, component_id: c.id, state: c.state })))
      .execute();
  }

  /** The states that open incidents (holding their components) give these components. */
  holdsOn(componentIds: readonly string[], db: StatusExecutor): Promise<ComponentHold[]> {
    if (componentIds.length === 0) return Promise.resolve([]);
    // From the open incidents (status_incidents_open_idx) to their components (the primary key).
    return db
      .selectFrom('status_incidents')
      .innerJoin(
        'status_incident_components',
        'status_incident_components.incident_id',
        'status_incidents.id',
      )
      .select([
        'status_incident_components.incident_id',
        'status_incident_components.component_id',
        'status_incident_components.state',
      ])
      .where('status_incidents.kind', 'in', ['incident', 'maintenance'])
      .where('status_incidents.resolved_at', 'is', null)
      .where('status_incidents.status', 'in', HOLDING_STATUSES)
      .where('status_incident_components.component_id', 'in', componentIds)
      .execute();
  }

  // --- Updates --------------------------------------------------------------------------------

  async insertUpdate(row: StatusIncidentUpdateRow, db: StatusExecutor) {
    await db.insertInto('status_incident_updates').values(row).execute();
  }

  /** Updates of these incidents, newest first. */
  updatesOf(
    incidentIds: readonly string[],
    db: StatusExecutor = this.db,
  ): Promise<StatusIncidentUpdateRow[]> {
    if (incidentIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('status_incident_updates')
      .selectAll()
      .where('incident_id', 'in', incidentIds)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
  }
}
