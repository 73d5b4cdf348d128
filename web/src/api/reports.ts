/** The SLA reports as the API returns them (GET /api/v1/reports/…). Durations are seconds on the target's clock. */
import type { z } from 'zod';
import type {
  filterQuery,
  p0TicketOut,
  resolutionOut,
  responseTimesOut,
  trendOut,
} from '../../../src/reports/schema';

export type ResponseTimes = z.output<typeof responseTimesOut>;
/** The filters the report was computed for, as the API echoes them. */
export type ReportFilterEcho = ResponseTimes['filters'];
/** One cell of the policy's response-time table, measured over a period. */
export type ResponseTimeCell = ResponseTimes['cells'][number];

export type ResponseTimeTrend = z.output<typeof trendOut>;
export type TrendCell = ResponseTimeTrend['weeks'][number]['cells'][number];
/** A cell whose month so far has missed its target often enough to threaten the month's median. */
export type AtRiskCell = ResponseTimeTrend['atRisk'][number];

export type P0Ticket = z.output<typeof p0TicketOut>;
export type P0Escalation = P0Ticket['escalations'][number];

export type ResolutionReport = z.output<typeof resolutionOut>;
export type ResolutionBucket = ResolutionReport['priorities'][number]['buckets'][number];

/** What every report reads: a period (from inclusive, to exclusive, ISO dates) and the filters. */
export type ReportQuery = z.input<z.ZodObject<typeof filterQuery>>;

/** The response-time table as CSV, for a plain download link (the session cookie goes with it). */
export const RESPONSE_TIMES_CSV = '/api/v1/reports/response-times.csv';

/** GET /api/v1/reports/p0 in one gap: the minutes in the API's `gapsOver30`. */
export const P0_GAP_SECONDS = 30 * 60;
