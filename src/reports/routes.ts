import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principal } from '../auth/hook.js';
import { commonProblems } from '../http/problem-schema.js';
import { decodeCursor, encodeCursor } from '../shared/pagination.js';
import { badRequest } from '../shared/problem.js';
import { parseInstant } from '../shared/time.js';
import type { ReportFilter } from './repository.js';
import {
  filterQuery,
  p0TicketOut,
  periodQuery,
  resolutionOut,
  responseTimesOut,
  tagsReportOut,
  trendOut,
} from './schema.js';
import type { ReportsService } from './service.js';

const MAX_SPAN = 400 * 86_400_000;

function filterOf(
  request: FastifyRequest,
  query: { from: string; to: string } & Partial<Omit<ReportFilter, 'from' | 'to'>>,
  service: ReportsService,
) {
  const from = parseInstant(query.from);
  const to = parseInstant(query.to);
  if (to <= from || to - from > MAX_SPAN)
    throw badRequest('The period must end after it starts and span at most 400 days.', [
      { field: 'query.to', message: 'after from, within 400 days' },
    ]);
  return service.scope(principal(request), {
    from,
    to,
    tier: query.tier,
    organizationId: query.organizationId,
    channel: query.channel,
    agentId: query.agentId,
  });
}

const csvCell = (value: string | number | boolean | null) => {
  if (value === null) return '';
  const text = String(value);
  // Quoted when needed; a leading formula character is neutralized for spreadsheets.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** The response-time report and its companions under /reports. */
export function reportsRoutes(reports: ReportsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['reports'];

    app.get('/reports/response-times', {
      schema: {
        tags,
        summary:
          'The policy’s response-time table, measured: per tier and priority, the median first response on the target’s own clock (Kaplan–Meier, unanswered tickets counted at their age), whether the tickets already decide it, p90, share met and the median’s 95% interval',
        querystring: z.strictObject(filterQuery),
        response: { 200: responseTimesOut, ...commonProblems },
      },
      handler: async (request) => reports.responseTimes(filterOf(request, request.query, reports)),
    });

    app.get('/reports/response-times.csv', {
      schema: {
        tags,
        summary: 'The same table as CSV',
        querystring: z.strictObject(filterQuery),
        produces: ['text/csv'],
        response: { 200: z.string(), ...commonProblems },
      },
      handler: async (request, reply) => {
        const report = await reports.responseTimes(filterOf(request, request.query, reports));
        const header =
          'tier,priority,count,pending,median_seconds,p90_seconds,target_seconds,clock,median_met,share_met,ci_low_seconds,ci_high_seconds,low_sample,' +
          'answered,unanswered,unanswered_past_target,median_status,median_at_least_seconds';
        const lines = report.cells.map((c) =>
          [
            c.tier,
            c.priority,
            c.count,
            c.pending,
            c.median,
            c.p90,
            c.target,
            c.clock,
            c.medianMet,
            c.shareMet === null ? null : Math.round(c.shareMet * 10_000) / 10_000,
            c.ci?.low ?? null,
            c.ci?.high ?? null,
            c.lowSample,
            c.answered,
            c.unanswered,
            c.unansweredPastTarget,
            c.medianStatus,
            c.medianAtLeast,
          ]
            .map(csvCell)
            .join(','),
        );
        const name = `response-times-${report.from.slice(0, 10)}-${report.to.slice(0, 10)}.csv`;
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(`${[header, ...lines].join('\r\n')}\r\n`);
      },
    });

    app.get('/reports/response-times/trend', {
      schema: {
        tags,
        summary: 'Weekly medians per cell, and this month’s cells where more than 40% have already missed',
        querystring: z.strictObject(periodQuery),
        response: { 200: trendOut, ...commonProblems },
      },
      handler: async (request) => reports.trend(filterOf(request, request.query, reports)),
    });

    app.get('/reports/p0', {
      schema: {
        tags,
        summary:
          'Each P0 of the period: updates every 30 minutes (gaps over the cadence, the longest) and escalations on time',
        querystring: z.strictObject({
          ...periodQuery,
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(512).optional(),
        }),
        response: {
          200: z.object({ data: z.array(p0TicketOut), nextCursor: z.string().nullable() }),
          ...commonProblems,
        },
      },
      handler: async (request) => {
        const { limit, cursor } = request.query;
        const page = await reports.p0(
          filterOf(request, request.query, reports),
          limit,
          decodeCursor(cursor) as { k: number; id: string } | undefined,
        );
        return { data: page.data, nextCursor: page.nextCursor ? encodeCursor(page.nextCursor) : null };
      },
    });

    app.get('/reports/tags', {
      schema: {
        tags,
        summary: 'Tickets opened in the period per tag (staff only)',
        querystring: z.strictObject(periodQuery),
        response: { 200: tagsReportOut, ...commonProblems },
      },
      handler: async (request) => reports.tags(principal(request), filterOf(request, request.query, reports)),
    });

    app.get('/reports/resolution', {
      schema: {
        tags,
        summary:
          'Time to resolution per priority (calendar time) in buckets, and the share of P3 fixes shipped in a release',
        querystring: z.strictObject(periodQuery),
        response: { 200: resolutionOut, ...commonProblems },
      },
      handler: async (request) => reports.resolution(filterOf(request, request.query, reports)),
    });
  };
}
