import {
  CHANNELS,
  PRIORITIES,
  STATUSES,
  TIERS,
  type Channel,
  type Priority,
  type Status,
  type Tier,
} from '../api/types';
import { MAX_TAG_LENGTH, normalizeTag, TAG_PATTERN } from '../api/macros';

/**
 * The queue's filters, as they live in the URL so that every view can be linked to. A link carries
 * `dueWithin` (minutes) rather than an instant, so "breaching soon" stays "within the next hour"
 * whenever the link is opened; an explicit `dueBefore` instant is honoured as given.
 *
 * The queue is ordered by urgency unless the link says otherwise: every P0 and P1 before any P2 and
 * P3, soonest due first within each. `due` (soonest due first, whatever the priority) is kept for
 * links that ask for it.
 */
export interface QueueFilters {
  sort: 'urgency' | 'due' | 'created';
  status: Status[];
  priority: Priority[];
  tier?: Tier;
  organizationId?: string;
  /** A staff user id, or 'none' for unassigned tickets. */
  assigneeId?: string;
  channel?: Channel;
  /** Only tickets with this tag (normalized as the desk stores tags). */
  tag?: string;
  /** true: only tickets whose next due time has passed; false: only those not yet breached. */
  breached?: boolean;
  dueWithin?: number;
  dueBefore?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function one<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === value);
}

function list<T extends string>(value: string | null, allowed: readonly T[]): T[] {
  if (!value) return [];
  const wanted = new Set(value.split(','));
  // Kept in the canonical order, so that equal filters give equal URLs and equal cache keys.
  return allowed.filter((a) => wanted.has(a));
}

const readTag = (value: string | null) => {
  const tag = value ? normalizeTag(value) : '';
  return tag && TAG_PATTERN.test(tag) && [...tag].length <= MAX_TAG_LENGTH ? tag : undefined;
};

/** Reads filters from the URL, dropping whatever the API would refuse, so an edited link still works. */
export function readFilters(params: URLSearchParams): QueueFilters {
  const assignee = params.get('assigneeId');
  const organization = params.get('organizationId');
  const within = Number(params.get('dueWithin'));
  const before = params.get('dueBefore');
  const breached = params.get('breached');
  return {
    sort: one(params.get('sort'), ['created', 'due'] as const) ?? 'urgency',
    status: list(params.get('status'), STATUSES),
    priority: list(params.get('priority'), PRIORITIES),
    tier: one(params.get('tier'), TIERS),
    organizationId: organization && UUID.test(organization) ? organization : undefined,
    assigneeId: assignee && (assignee === 'none' || UUID.test(assignee)) ? assignee : undefined,
    channel: one(params.get('channel'), CHANNELS),
    tag: readTag(params.get('tag')),
    breached: breached === 'true' || breached === 'false' ? breached === 'true' : undefined,
    dueWithin: Number.isInteger(within) && within > 0 ? within : undefined,
    dueBefore: before && !Number.isNaN(Date.parse(before)) ? before : undefined,
  };
}

/** The URL form of filters; the default (sort by urgency) is left out to keep links short. */
export function writeFilters(f: QueueFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (f.sort !== 'urgency') params.set('sort', f.sort);
  if (f.status.length) params.set('status', f.status.join(','));
  if (f.priority.length) params.set('priority', f.priority.join(','));
  if (f.tier) params.set('tier', f.tier);
  if (f.organizationId) params.set('organizationId', f.organizationId);
  if (f.assigneeId) params.set('assigneeId', f.assigneeId);
  if (f.channel) params.set('channel', f.channel);
  if (f.tag) params.set('tag', f.tag);
  if (f.breached !== undefined) params.set('breached', String(f.breached));
  if (f.dueWithin) params.set('dueWithin', String(f.dueWithin));
  if (f.dueBefore) params.set('dueBefore', f.dueBefore);
  return params;
}

/** The list API's query for these filters at the given moment. */
export function apiQuery(f: QueueFilters, now: number): Record<string, string | undefined> {
  const dueBefore = f.dueWithin ? new Date(now + f.dueWithin * 60_000).toISOString() : f.dueBefore;
  return {
    sort: f.sort,
    status: f.status.join(',') || undefined,
    priority: f.priority.join(',') || undefined,
    tier: f.tier,
    organizationId: f.organizationId,
    assigneeId: f.assigneeId,
    channel: f.channel,
    tag: f.tag,
    breached: f.breached === undefined ? undefined : String(f.breached),
    dueBefore,
  };
}

export const EMPTY_FILTERS: QueueFilters = { sort: 'urgency', status: [], priority: [] };

export type SavedViewId = 'mine' | 'unassignedUrgent' | 'breachingSoon' | 'breached';

/** The one-click presets; their names are console.json `views.*`. */
export function savedViews(userId: string): { id: SavedViewId; filters: QueueFilters }[] {
  return [
    {
      id: 'mine',
      filters: { ...EMPTY_FILTERS, assigneeId: userId, status: ['new', 'open', 'waiting_on_customer'] },
    },
    { id: 'unassignedUrgent', filters: { ...EMPTY_FILTERS, assigneeId: 'none', priority: ['P0', 'P1'] } },
    // Due within the next hour and not yet breached; the breached ones have a view of their own.
    { id: 'breachingSoon', filters: { ...EMPTY_FILTERS, dueWithin: 60, breached: false } },
    { id: 'breached', filters: { ...EMPTY_FILTERS, breached: true } },
  ];
}

export const sameFilters = (a: QueueFilters, b: QueueFilters) =>
  writeFilters(a).toString() === writeFilters(b).toString();
