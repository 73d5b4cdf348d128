import type { Kysely, Selectable } from 'kysely';
import type { ComponentState, Database, StatusComponentTable } from '../../db/tables.js';
import type { StatusIncidentRow, StatusIncidentUpdateRow } from '../model.js';
import { readStatusVersion } from '../repository.js';
import type { StateChange } from '../uptime.js';

export type StatusComponentRow = Selectable<StatusComponentTable>;

/** A component an incident affects, and the state it puts it in. */
export interface AffectedComponent {
  incidentId: string;
  componentId: string;
  name: string;
  state: ComponentState;
}

/** Where a page of the history starts: after this incident in (created_at, id) descending order. */
export interface HistoryCursor {
  createdAt: number;
  id: string;
}

export interface FeedEntry {
  update: StatusIncidentUpdateRow;
  incident: Pick<StatusIncidentRow, 'id' | 'kind' | 'name' | 'name_fr'>;
}

// A page never lists more than this many open incidents or maintenance windows.
const OPEN_LIMIT = 50;

/**
 * What the public status page reads, and only that: the components, the state history of the
 * window the bars show, the open incidents and maintenance, pages of the history, and the updates of
 * the incidents shown. Every query is bounded and follows an index of the status migration.
 */
export class StatusSiteRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The status page's version: what the rendered pages are kept against. */
  version(): Promise<number> {
    return readStatusVersion(this.db);
  }

  /** Every component, in the page's order. There are tens of them, not thousands. */
  components(): Promise<StatusComponentRow[]> {
    return this.db
      .selectFrom('status_components')
      .selectAll()
      .orderBy('position')
      .orderBy('name')
      .orderBy('id')
      .execute();
  }

  /**
   * Each component's state changes from `since` until now, preceded by the one in force at `since`
   * (status_component_states_idx: component, from_at).
   */
  async stateHistory(componentIds: string[], since: number): Promise<Map<string, StateChange[]>> {
    const history = new Map<string, StateChange[]>(componentIds.map((id) => [id, []]));
    if (componentIds.length === 0) return history;
    const [before, inside] = await Promise.all([
      Promise.all(
        componentIds.map((id) =>
          this.db
            .selectFrom('status_component_states')
            .select(['component_id', 'state', 'from_at'])
            .where('component_id', '=', id)
            .where('from_at', '<', since)
            .orderBy('from_at', 'desc')
            .limit(1)
            .executeTakeFirst(),
        ),
      ),
      this.db
        .selectFrom('status_component_states')
        .select(['component_id', 'state', 'from_at'])
        .where('component_id', 'in', componentIds)
        .where('from_at', '>=', since)
        .orderBy('component_id')
        .orderBy('from_at')
        .orderBy('id')
        .execute(),
    ]);
    for (const row of [...before.filter((r) => r !== undefined), ...inside])
      history.get(row.component_id)!.push({ state: row.state, fromAt: row.from_at });
    return history;
  }

  /** Incidents not yet resolved, newest first (status_incidents_open_idx). */
  openIncidents(): Promise<StatusIncidentRow[]> {
    return this.db
      .selectFrom('status_incidents')
      .selectAll()
      .where('kind', '=', 'incident')
      .where('resolved_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(OPEN_LIMIT)
      .execute();
  }

  /** Maintenance not yet completed: scheduled, in progress or being verified (status_incidents_open_idx). */
  async openMaintenance(): Promise<StatusIncidentRow[]> {
    const rows = await this.db
      .selectFrom('status_incidents')
      .selectAll()
      .where('kind', '=', 'maintenance')
      .where('resolved_at', 'is', null)
      .where('status', '!=', 'completed')
      .orderBy('created_at', 'desc')
      .limit(OPEN_LIMIT)
      .execute();
    return rows.sort(
      (a, b) =>
        (a.scheduled_for ?? a.created_at) - (b.scheduled_for ?? b.created_at) || a.id.localeCompare(b.id),
    );
  }

  /** A page of incidents and maintenance, newest first, after the cursor; one more than asked tells whether there are older ones. */
  history(limit: number, after: HistoryCursor | undefined): Promise<StatusIncidentRow[]> {
    let query = this.db.selectFrom('status_incidents').selectAll();
    if (after)
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '<', after.createdAt),
          eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
        ]),
      );
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  incident(id: string): Promise<StatusIncidentRow | undefined> {
    return this.db.selectFrom('status_incidents').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The updates of the incidents shown, newest first (status_incident_updates_idx). */
  async updatesOf(incidentIds: string[]): Promise<Map<string, StatusIncidentUpdateRow[]>> {
    const updates = new Map<string, StatusIncidentUpdateRow[]>(incidentIds.map((id) => [id, []]));
    if (incidentIds.length === 0) return updates;
    const rows = await this.db
      .selectFrom('status_incident_updates')
      .selectAll()
      .where('incident_id', 'in', incidentIds)
      .orderBy('incident_id')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    for (const row of rows) updates.get(row.incident_id)!.push(row);
    return updates;
  }

  /** The components each of the incidents shown affects, by name. */
  async affectedComponents(incidentIds: string[]): Promise<Map<string, AffectedComponent[]>> {
    const affected = new Map<string, AffectedComponent[]>(incidentIds.map((id) => [id, []]));
    if (incidentIds.length === 0) return affected;
    const rows = await this.db
      .selectFrom('status_incident_components as ic')
      .innerJoin('status_components as c', 'c.id', 'ic.component_id')
      .select(['ic.incident_id', 'ic.component_id', 'ic.state', 'c.name'])
      .where('ic.incident_id', 'in', incidentIds)
      .orderBy('c.position')
      .orderBy('c.name')
      .execute();
    for (const row of rows)
      affected.get(row.incident_id)!.push({
        incidentId: row.incident_id,
        componentId: row.component_id,
        name: row.name,
        state: row.state,
      });
    return affected;
  }

  /** The newest updates across incidents, for the feed (status_incident_updates_created_idx). */
  async latestUpdates(limit: number): Promise<FeedEntry[]> {
    const rows = await this.db
      .selectFrom('status_incident_updates as u')
      .innerJoin('status_incidents as i', 'i.id', 'u.incident_id')
      .selectAll('u')
      .select(['i.kind', 'i.name', 'i.name_fr'])
      .orderBy('u.created_at', 'desc')
      .orderBy('u.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(({ kind, name, name_fr, ...update }) => ({
      update,
      incident: { id: update.incident_id, kind, name, name_fr },
    }));
  }
}
