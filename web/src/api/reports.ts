/** The SLA reports as the API returns them (GET /api/v1/reports/…). Durations are seconds on the target's clock. */
import type { Channel, ClockKind, Priority, Tier } from './types';

export interface ReportFilterEcho {
  tier: Tier | null;
  organizationId: string | null;
  channel: Channel | null;
  agentId: string | null;
}

/** One cell of the policy's response-time table, measured over a period. */
export interface ResponseTimeCell {
  tier: Tier;
  priority: Priority;
  /** Tickets opened in the period and answered: those the median is taken over. */
  count: number;
  /** Tickets opened in the period not answered yet. */
  pending: number;
  median: number | null;
  p90: number | null;
  target: number | null;
  clock: ClockKind | null;
  medianMet: boolean | null;
  /** Of the tickets answered or already past due, the share answered within the target, 0 to 1. */
  shareMet: number | null;
  /** The confidence interval of the median at `confidence`. */
  ci: { low: number; high: number } | null;
  /** Fewer answered tickets than `minimumSample`: the median says little. */
  lowSample: boolean;
}

export interface ResponseTimes {
  from: string;
  to: string;
  filters: ReportFilterEcho;
  minimumSample: number;
  confidence: number;
  /** The policy in force over the period, whose targets the cells are measured against. */
  policyVersion: string;
  cells: ResponseTimeCell[];
}

export interface TrendCell {
  tier: Tier;
  priority: Priority;
  count: number;
  median: number | null;
  target: number | null;
  clock: ClockKind | null;
}

/** A cell whose month so far has missed its target often enough to threaten the month's median. */
export interface AtRiskCell {
  tier: Tier;
  priority: Priority;
  /** YYYY-MM */
  month: string;
  count: number;
  missed: number;
  missedShare: number;
}

export interface ResponseTimeTrend {
  weeks: { weekStart: string; cells: TrendCell[] }[];
  atRisk: AtRiskCell[];
}

export interface P0Escalation {
  level: number;
  dueAt: string;
  firedAt: string | null;
  onTime: boolean;
}

export interface P0Ticket {
  ticketId: string;
  number: number;
  subject: string;
  organizationId: string;
  organization: string;
  openedAt: string;
  resolvedAt: string | null;
  updates: number;
  gapsOver30: number;
  longestGapSeconds: number | null;
  escalations: P0Escalation[];
}

export interface ResolutionBucket {
  /** The bucket's upper bound; null for the last, open-ended bucket. */
  upToSeconds: number | null;
  count: number;
}

export interface ResolutionReport {
  priorities: {
    priority: Priority;
    count: number;
    median: number | null;
    p90: number | null;
    buckets: ResolutionBucket[];
  }[];
  p3: { resolved: number; fixedInRelease: number; share: number | null };
}

/** What every report reads: a period (from inclusive, to exclusive, ISO dates) and the filters. */
export interface ReportQuery {
  from: string;
  to: string;
  tier?: Tier | undefined;
  organizationId?: string | undefined;
  channel?: Channel | undefined;
  agentId?: string | undefined;
}

/** The response-time table as CSV, for a plain download link (the session cookie goes with it). */
export const RESPONSE_TIMES_CSV = '/api/v1/reports/response-times.csv';

/** GET /api/v1/reports/p0 in one gap: the minutes in the API's `gapsOver30`. */
export const P0_GAP_SECONDS = 30 * 60;
