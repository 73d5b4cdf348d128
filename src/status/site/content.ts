import type { Clock } from '../../shared/time.js';
import type { ComponentState } from '../../db/tables.js';
import { STATE_SEVERITY, type StatusIncidentRow, type StatusIncidentUpdateRow } from '../model.js';
import { dailyUptime, dayStart, localDay, type Uptime } from '../uptime.js';
import { zoneClock } from '../../calendar/zone.js';
import type {
  AffectedComponent,
  FeedEntry,
  HistoryCursor,
  StatusComponentRow,
  StatusSiteRepository,
} from './repository.js';

/** The bars show this many days, today included. */
export const UPTIME_DAYS = 90;
export const HISTORY_PAGE_SIZE = 20;
export const FEED_SIZE = 50;

export interface ComponentView {
  component: StatusComponentRow;
  uptime: Uptime;
}

/** Components under one heading; `name` null for those outside any group. */
export interface GroupView {
  name: string | null;
  components: ComponentView[];
}

export interface IncidentView {
  incident: StatusIncidentRow;
  /** Newest first. */
  updates: StatusIncidentUpdateRow[];
  affected: AffectedComponent[];
}

export interface HomeView {
  now: number;
  timeZone: string;
  overall: ComponentState;
  groups: GroupView[];
  incidents: IncidentView[];
  activeMaintenance: IncidentView[];
  upcomingMaintenance: IncidentView[];
}

export interface HistoryView {
  timeZone: string;
  incidents: StatusIncidentRow[];
  /** Where the next (older) page starts, if there is one. */
  older: HistoryCursor | null;
}

// An open incident's impact says how bad things are even when no component state says so.
const IMPACT_STATE: Record<StatusIncidentRow['impact'], ComponentState> = {
  none: 'operational',
  minor: 'degraded_performance',
  major: 'partial_outage',
  critical: 'major_outage',
  maintenance: 'under_maintenance',
};

const worse = (a: ComponentState, b: ComponentState) => (STATE_SEVERITY[b] > STATE_SEVERITY[a] ? b : a);

/** The page's one indicator: the worst of the components' states and of the open incidents' impacts. */
export function overallState(
  components: StatusComponentRow[],
  incidents: StatusIncidentRow[],
  activeMaintenance: StatusIncidentRow[],
): ComponentState {
  let overall: ComponentState = 'operational';
  for (const c of components) overall = worse(overall, c.state);
  for (const i of incidents) overall = worse(overall, IMPACT_STATE[i.impact]);
  if (activeMaintenance.length > 0) overall = worse(overall, 'under_maintenance');
  return overall;
}

/** Components in the page's order, under their groups in the order a group first appears. */
function grouped(components: ComponentView[]): GroupView[] {
  const groups = new Map<string | null, ComponentView[]>();
  for (const view of components) {
    const key = view.component.group_name || null;
    const list = groups.get(key) ?? [];
    list.push(view);
    groups.set(key, list);
  }
  return [...groups].map(([name, list]) => ({ name, components: list }));
}

/** The status page's content, read for one request at the clock's now, in the policy's time zone. */
export class StatusSiteContent {
  constructor(
    private readonly repo: StatusSiteRepository,
    private readonly timeZoneAt: (at: number) => Promise<string>,
    private readonly clock: Clock,
  ) {}

  async home(): Promise<HomeView> {
    const now = this.clock();
    const timeZone = await this.timeZoneAt(now);
    const zone = zoneClock(timeZone);
    const windowStart = dayStart(zone, localDay(zone, now) - UPTIME_DAYS + 1);
    const [components, incidents, maintenance] = await Promise.all([
      this.repo.components(),
      this.repo.openIncidents(),
      this.repo.openMaintenance(),
    ]);
    const history = await this.repo.stateHistory(
      components.map((c) => c.id),
      windowStart,
    );
    const views = components.map((component) => {
      const changes = history.get(component.id) ?? [];
      // A component without recorded states has been in its current one since it was created.
      if (changes.length === 0) changes.push({ state: component.state, fromAt: component.created_at });
      return { component, uptime: dailyUptime({ changes, timeZone, days: UPTIME_DAYS, now }) };
    });
    const active = maintenance.filter((m) => m.status !== 'scheduled');
    const upcoming = maintenance.filter((m) => m.status === 'scheduled');
    const shown = await this.incidentViews([...incidents, ...active, ...upcoming]);
    return {
      now,
      timeZone,
      overall: overallState(components, incidents, active),
      groups: grouped(views),
      incidents: shown.slice(0, incidents.length),
      activeMaintenance: shown.slice(incidents.length, incidents.length + active.length),
      upcomingMaintenance: shown.slice(incidents.length + active.length),
    };
  }

  async history(after: HistoryCursor | undefined): Promise<HistoryView> {
    const [timeZone, rows] = await Promise.all([
      this.timeZoneAt(this.clock()),
      this.repo.history(HISTORY_PAGE_SIZE + 1, after),
    ]);
    const incidents = rows.slice(0, HISTORY_PAGE_SIZE);
    const last = incidents.at(-1);
    return {
      timeZone,
      incidents,
      older: rows.length > HISTORY_PAGE_SIZE && last ? { createdAt: last.created_at, id: last.id } : null,
    };
  }

  async incident(id: string): Promise<{ view: IncidentView; timeZone: string } | null> {
    const incident = await this.repo.incident(id);
    if (!incident) return null;
    const [[view], timeZone] = await Promise.all([
      this.incidentViews([incident]),
      this.timeZoneAt(this.clock()),
    ]);
    return { view: view!, timeZone };
  }

  async feed(): Promise<{ entries: FeedEntry[]; now: number }> {
    return { entries: await this.repo.latestUpdates(FEED_SIZE), now: this.clock() };
  }

  private async incidentViews(incidents: StatusIncidentRow[]): Promise<IncidentView[]> {
    const ids = incidents.map((i) => i.id);
    const [updates, affected] = await Promise.all([
      this.repo.updatesOf(ids),
      this.repo.affectedComponents(ids),
    ]);
    return incidents.map((incident) => ({
      incident,
      updates: updates.get(incident.id) ?? [],
      affected: affected.get(incident.id) ?? [],
    }));
  }
}
