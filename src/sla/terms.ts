import type { Kysely, Transaction } from 'kysely';
import { compileCalendar, type BusinessCalendar, type BusinessCalendarSpec } from '../calendar/calendar.js';
import type { Database, TicketRow } from '../db/tables.js';
import { formatDuration, type Duration } from '../policy/duration.js';
import { overrideDuration, policyOverridesSchema, type PolicyOverrides } from '../policy/overrides.js';
import type { Priority, Tier } from '../policy/tiers.js';
import type { PolicyVersion, PolicyVersions } from '../policy/versions.js';
import { PolicyVersionsRepository } from '../policy/versions-repository.js';
import type { SlaTerms, TargetTerm } from './engine.js';
import type { TermsResolver } from './service.js';

type Executor = Kysely<Database> | Transaction<Database>;

const term = (d: Duration, overridden: boolean): TargetTerm => ({
  minutes: d.minutes,
  clock: d.clock,
  label: formatDuration(d),
  overridden,
});

/** Compiled contract calendars, shared by every ticket of the organizations that have one. */
const contractCalendars = new Map<string, BusinessCalendar>();
function calendarFor(spec: BusinessCalendarSpec): BusinessCalendar {
  const key = JSON.stringify(spec);
  let calendar = contractCalendars.get(key);
  if (!calendar) {
    if (contractCalendars.size > 1000) contractCalendars.clear();
    calendar = compileCalendar(spec);
    contractCalendars.set(key, calendar);
  }
  return calendar;
}

/** The promise for one tier and priority under a policy version and an organization's contract. */
export function termsOf(
  version: PolicyVersion,
  tier: Tier,
  priority: Priority,
  overrides: PolicyOverrides | undefined,
): SlaTerms {
  const { policy } = version;
  const firstText = overrides?.targets?.[priority];
  const resolutionText = overrides?.resolutionTargets?.[priority];
  const policyResolution = policy.resolutionTargets[tier]?.[priority];
  const p0 = overrides?.p0;
  return {
    policyVersion: version.version,
    firstResponse: firstText
      ? term(overrideDuration(policy, firstText), true)
      : term(policy.targets[tier][priority], false),
    resolution: resolutionText
      ? term(overrideDuration(policy, resolutionText), true)
      : policyResolution
        ? term(policyResolution, false)
        : null,
    p0:
      priority === 'P0'
        ? {
            updateEvery: p0?.updateEvery
              ? term(overrideDuration(policy, p0.updateEvery), true)
              : term(policy.p0.updateEvery, false),
            escalationFirst: p0?.escalationFirst
              ? term(overrideDuration(policy, p0.escalationFirst), true)
              : term(policy.p0.escalation.first, false),
            escalationEvery: p0?.escalationEvery
              ? term(overrideDuration(policy, p0.escalationEvery), true)
              : term(policy.p0.escalation.every, false),
          }
        : null,
    warningLeadFraction: policy.warnings.leadFraction,
    calendar: overrides?.calendar
      ? calendarFor(overrides.calendar)
      : version.calendars.get(policy.defaultCalendar)!,
  };
}

/**
 * Finds each ticket's promise: the version it was opened under (its subscription's version, kept for
 * the whole term, or the version in force at opening without one), its tier and priority, and the
 * organization's contract overrides.
 */
export class PolicyTermsResolver implements TermsResolver {
  constructor(private readonly versions: PolicyVersions) {}

  async versionForTicket(
    ticket: Pick<TicketRow, 'policy_version_id' | 'organization_id' | 'created_at'>,
    executor: Executor,
  ): Promise<PolicyVersion> {
    if (ticket.policy_version_id) return this.versions.get(ticket.policy_version_id, executor);
    const subscription = await new PolicyVersionsRepository(executor).subscriptionAt(
      ticket.organization_id,
      ticket.created_at,
    );
    if (subscription?.policy_version_id) return this.versions.get(subscription.policy_version_id, executor);
    return this.versions.inForceAt(subscription ? subscription.term_start : ticket.created_at, executor);
  }

  async overrides(organizationIds: string[], executor: Executor): Promise<Map<string, PolicyOverrides>> {
    const rows = await new PolicyVersionsRepository(executor).overridesFor([...new Set(organizationIds)]);
    return new Map(
      rows.map((r) => [r.organization_id, policyOverridesSchema.parse(JSON.parse(r.overrides))]),
    );
  }

  async termsFor(tickets: TicketRow[], executor: Executor) {
    const overrides = await this.overrides(
      tickets.map((t) => t.organization_id),
      executor,
    );
    const result = new Map<string, { terms: SlaTerms; policyVersionId: string }>();
    for (const ticket of tickets) {
      const version = await this.versionForTicket(ticket, executor);
      result.set(ticket.id, {
        terms: termsOf(
          version,
          ticket.tier as Tier,
          ticket.priority as Priority,
          overrides.get(ticket.organization_id),
        ),
        policyVersionId: version.id,
      });
    }
    return result;
  }
}
