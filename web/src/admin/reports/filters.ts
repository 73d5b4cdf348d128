import type { ReportQuery } from '../../api/reports';
import { CHANNELS, PRIORITIES, TIERS, type Channel, type Priority, type Tier } from '../../api/types';
import { isDay, periodQuery, presetPeriod, type Period } from '../../reports/period';

/**
 * Admin → Reports' filters, kept in the URL so that a report can be linked to and comes back as
 * it was: the period (days included), tier, organization, channel, agent, and the trend shown.
 */
export interface ReportFilters {
  period: Period;
  tier?: Tier;
  organizationId?: string;
  channel?: Channel;
  agentId?: string;
  trend?: TrendChoice;
}

/** The trend of one cell, or of each priority of one tier. */
export type TrendChoice = { tier: Tier; priority?: Priority };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const one = <T extends string>(value: string | null, allowed: readonly T[]): T | undefined =>
  allowed.find((a) => a === value);
const id = (value: string | null) => (value && UUID.test(value) ? value : undefined);

export const trendParam = (choice: TrendChoice) =>
  choice.priority ? `${choice.tier}-${choice.priority}` : choice.tier;

function readTrend(value: string | null): TrendChoice | undefined {
  const [tier, priority] = (value ?? '').split('-');
  const t = one(tier ?? null, TIERS);
  if (!t) return undefined;
  const p = one(priority ?? null, PRIORITIES);
  return p ? { tier: t, priority: p } : { tier: t };
}

/** Reads the filters, falling back to the last 30 days; a period typed backwards is kept to be shown. */
export function readFilters(params: URLSearchParams, today: string): ReportFilters {
  const from = params.get('from');
  const to = params.get('to');
  const period = isDay(from) && isDay(to) ? { from, to } : presetPeriod('last30Days', today);
  return {
    period,
    tier: one(params.get('tier'), TIERS),
    organizationId: id(params.get('organizationId')),
    channel: one(params.get('channel'), CHANNELS),
    agentId: id(params.get('agentId')),
    trend: readTrend(params.get('trend')),
  };
}

export function writeFilters(filters: ReportFilters): URLSearchParams {
  const params = new URLSearchParams({ from: filters.period.from, to: filters.period.to });
  if (filters.tier) params.set('tier', filters.tier);
  if (filters.organizationId) params.set('organizationId', filters.organizationId);
  if (filters.channel) params.set('channel', filters.channel);
  if (filters.agentId) params.set('agentId', filters.agentId);
  if (filters.trend) params.set('trend', trendParam(filters.trend));
  return params;
}

export const validPeriod = (period: Period) => period.from <= period.to;

/** The filters as the API reads them. */
export const reportQuery = (filters: ReportFilters): ReportQuery => ({
  ...periodQuery(filters.period),
  tier: filters.tier,
  organizationId: filters.organizationId,
  channel: filters.channel,
  agentId: filters.agentId,
});
