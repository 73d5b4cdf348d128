import type { Locale, SlaView, TargetTerm } from '../api/types';
import { humanizeDuration, humanizeSeconds } from '../shared/format';

/** The things a ticket can owe, in the words of console.json `due.*`. */
export type DueKind = 'firstResponse' | 'nextResponse' | 'resolution' | 'update' | 'escalation';

export interface NextDue {
  /** Which target the next due time belongs to; null when none of them matches it. */
  kind: DueKind | null;
  dueAt: string;
  warningSeconds: number;
}

/** Without a known target (the escalation schedule has no term in the view): a quarter of an hour. */
export const FALLBACK_WARNING_SECONDS = 15 * 60;

/** The warning window of a target: the policy warns when leadFraction of the target remains. */
export function warningSecondsFor(term: TargetTerm | null | undefined, leadFraction: number): number {
  if (!term || term.minutes <= 0) return FALLBACK_WARNING_SECONDS;
  return Math.round(leadFraction * term.minutes * 60);
}

/**
 * What the ticket's nextDueAt is for. The API gives only the instant, so it is matched against each
 * target still owed, in the order an agent would act on them.
 */
export function nextDue(sla: SlaView | null, leadFraction: number): NextDue | null {
  if (!sla?.nextDueAt) return null;
  const dueAt = sla.nextDueAt;
  const at = Date.parse(dueAt);
  const same = (iso: string | null | undefined) => iso != null && Date.parse(iso) === at;
  const candidates: [DueKind, boolean, TargetTerm | null][] = [
    ['firstResponse', !sla.firstResponse.metAt && same(sla.firstResponse.dueAt), sla.firstResponse.target],
    [
      'nextResponse',
      !!sla.nextResponse && !sla.nextResponse.metAt && same(sla.nextResponse.dueAt),
      sla.nextResponse?.target ?? null,
    ],
    ['update', same(sla.update?.dueAt), sla.update?.every ?? null],
    [
      'resolution',
      !!sla.resolution && !sla.resolution.metAt && same(sla.resolution.dueAt),
      sla.resolution?.target ?? null,
    ],
    ['escalation', same(sla.escalation?.nextDueAt), null],
  ];
  const match = candidates.find(([, matches]) => matches);
  if (!match) return { kind: null, dueAt, warningSeconds: FALLBACK_WARNING_SECONDS };
  return { kind: match[0], dueAt, warningSeconds: warningSecondsFor(match[2], leadFraction) };
}

/**
 * A target's length in the viewer's language. The policy writes labels in English ("1 business
 * day"); business days are kept as days, anything else is shown as its length in minutes.
 */
export function termText(term: TargetTerm, locale: Locale): string {
  const days = /^(\d+)\s+business\s+days?$/i.exec(term.label.trim());
  if (days)
    return humanizeDuration({ amount: Number(days[1]), unit: 'business_day', minutes: term.minutes }, locale);
  return humanizeSeconds(term.minutes * 60, locale);
}
