import { isLeadOrAdmin, isStaff, type Principal } from '../../auth/principal.js';
import { percentileCont } from '../../reports/stats.js';
import { isHcLocale } from '../../helpcenter/model.js';
import { newId } from '../../shared/ids.js';
import { conflict, forbidden, notFound } from '../../shared/problem.js';
import { toIso, type Clock } from '../../shared/time.js';
import type { LiveBus } from '../../live/bus.js';
import { announceActivity } from '../../tickets/activity.js';
import type { AuditLog } from '../audit.js';
import { offTopicProbability, trainOffTopic } from './classifier.js';
import {
  answerEvidence,
  bySeriousness,
  DAY,
  FLAG_KINDS,
  FLAG_WINDOW_DAYS,
  helpCenterFlag,
  offTopicFlag,
  repeatFlag,
  signalEvidence,
  VOLUME_BASELINE_DAYS,
  VOLUME_MIN_TICKETS,
  volumeFlag,
  type Evidence,
  type Flag,
  type FlagKind,
  type FlagScope,
  type SignalKind,
  type VolumeCounts,
} from './flags.js';
import type { FairUseFlagsRepository } from './flags-repository.js';
import type { FairUseSignalsRepository } from './repository.js';
import { plainText } from './text.js';

/** The classifier's bounded training sample: the latest marks, and the latest other tickets. */
const TRAINING_MARKS = 200;
const TRAINING_OTHERS = 400;

export interface FairUseFlagsDeps {
  signals: FairUseSignalsRepository;
  flags: FairUseFlagsRepository;
  audit: AuditLog;
  clock: Clock;
  /** Tells the console's open ticket pages that a mark changed; absent where nobody listens. */
  live?: LiveBus;
}

/** One ticket's sign as the console shows it. */
export interface TicketSignal {
  id: string;
  kind: SignalKind;
  summary: string;
  score: number;
  /** The organization's open flag the sign counts towards; null while it is no pattern. */
  flag: { kind: FlagKind; score: number } | null;
  at: string;
  evidence: Evidence[];
}

/** The flag each kind of sign counts towards. */
const FLAG_OF_SIGNAL: Record<SignalKind, FlagKind> = {
  repeat_incident: 'repeat_incident',
  reopened_unchanged: 'repeat_incident',
  helpcenter_answered: 'helpcenter_answered',
  off_topic: 'off_topic',
};

/** The tiers' per-organization counts of one window, each read once per request. */
type TierCounts = (tier: string) => Promise<{ organizationId: string; count: number }[]>;

const median = (values: number[]) =>
  percentileCont(
    [...values].sort((a, b) => a - b),
    0.5,
  );

/**
 * Fair use as leads review it (policy section 5): flags per organization with their evidence,
 * dismissals, staff's off-topic marks, a ticket's signs, and the optional off-topic classifier.
 */
export class FairUseFlagsService {
  constructor(private readonly deps: FairUseFlagsDeps) {}

  private assertStaff(actor: Principal) {
    if (!isStaff(actor)) throw forbidden('Fair use is reviewed by staff.');
  }

  /** An organization's open flags, or every organization's, most serious first. */
  async flags(actor: Principal, organizationId?: string): Promise<Flag[]> {
    this.assertStaff(actor);
    const now = this.deps.clock();
    const windowStart = now - FLAG_WINDOW_DAYS * DAY;
    const cache = new Map<string, ReturnType<TierCounts>>();
    const tierCounts: TierCounts = (tier) => {
      let counts = cache.get(tier);
      if (!counts) cache.set(tier, (counts = this.deps.flags.tierCounts(tier, windowStart, now + 1)));
      return counts;
    };
    let ids: string[];
    if (organizationId) {
      ids = [organizationId];
    } else {
      const [signalled, answered, busy] = await Promise.all([
        this.deps.flags.organizationsWithSignals(windowStart),
        this.deps.flags.organizationsWithAnswers(windowStart),
        this.deps.flags.busyOrganizations(windowStart, now + 1, VOLUME_MIN_TICKETS),
      ]);
      ids = [...new Set([...signalled, ...answered, ...busy])];
    }
    const organizations = await this.deps.flags.organizations(ids);
    if (organizationId && organizations.length === 0) throw notFound('The organization');
    const dismissals = await this.deps.flags.dismissals(ids);
    const flags: Flag[] = [];
    for (const org of organizations) {
      const scope = (kind: FlagKind): FlagScope => {
        const until = dismissals.find((d) => d.organizationId === org.id && d.kind === kind)?.until;
        const dismissed = until !== undefined && until > windowStart;
        return {
          organizationId: org.id,
          organizationName: org.name,
          since: dismissed ? until : windowStart,
          now,
          dismissedAt: dismissed ? until : null,
        };
      };
      flags.push(...(await this.organizationFlags(scope, tierCounts)));
    }
    return flags.sort(bySeriousness);
  }

  private async organizationFlags(
    scope: (kind: FlagKind) => FlagScope,
    tierCounts: TierCounts,
  ): Promise<Flag[]> {
    const scopes = Object.fromEntries(FLAG_KINDS.map((k) => [k, scope(k)])) as Record<FlagKind, FlagScope>;
    const { organizationId } = scopes.volume;
    const earliest = Math.min(...FLAG_KINDS.map((k) => scopes[k].since));
    const signals = await this.deps.flags.signals(organizationId, earliest);
    const after = (kind: FlagKind) => signals.filter((s) => s.at > scopes[kind].since);
    const answers = await this.deps.flags.answerLinks({
      organizationId,
      since: scopes.helpcenter_answered.since,
    });
    const volume = await this.volumeCounts(scopes.volume, tierCounts);
    return [
      repeatFlag(scopes.repeat_incident, after('repeat_incident')),
      helpCenterFlag(scopes.helpcenter_answered, after('helpcenter_answered'), answers),
      offTopicFlag(scopes.off_topic, after('off_topic')),
      volume ? volumeFlag(scopes.volume, volume) : null,
    ].filter((f): f is Flag => f !== null);
  }

  /** The counts behind the volume flag, or null when too few tickets were filed to matter. */
  private async volumeCounts(scope: FlagScope, tierCounts: TierCounts): Promise<VolumeCounts | null> {
    const from = scope.since + 1;
    const to = scope.now + 1;
    const recent = await this.deps.flags.organizationTickets(scope.organizationId, from, to);
    if (recent < VOLUME_MIN_TICKETS) return null;
    const windowStart = scope.now - FLAG_WINDOW_DAYS * DAY;
    const baselineFrom = windowStart - VOLUME_BASELINE_DAYS * DAY;
    const baseline = await this.deps.flags.organizationTickets(
      scope.organizationId,
      baselineFrom,
      windowStart,
    );
    // Its tier is the one its latest ticket was filed under.
    const tier = await this.deps.flags.latestTier(scope.organizationId, to);
    const tierMedian = tier
      ? median(
          (await tierCounts(tier))
            .filter((r) => r.organizationId !== scope.organizationId)
            .map((r) => r.count),
        )
      : null;
    const top = await this.deps.flags.topRequester(scope.organizationId, from, to);
    return {
      recent,
      baseline,
      tier,
      tierMedian,
      topRequester: top
        ? { ...top, baseline: await this.deps.flags.requesterTickets(top.id, baselineFrom, windowStart) }
        : null,
    };
  }

  /** A lead sets a flag's evidence aside; the flag comes back only with newer evidence. */
  async dismiss(actor: Principal, input: { organizationId: string; kind: FlagKind; reason: string }) {
    if (!isLeadOrAdmin(actor)) throw forbidden('Leads and admins dismiss fair-use flags.');
    const flag = (await this.flags(actor, input.organizationId)).find((f) => f.kind === input.kind);
    if (!flag)
      throw conflict(
        'no-open-flag',
        `The organization has no open ${input.kind} flag to dismiss; it may have been dismissed already.`,
      );
    const now = this.deps.clock();
    await this.deps.signals.db.transaction().execute(async (trx) => {
      await this.deps.flags.insertDismissal(trx, {
        id: newId(),
        organization_id: input.organizationId,
        kind: input.kind,
        evidence_until: now,
        reason: input.reason,
        dismissed_by: actor.userId,
        dismissed_at: now,
      });
      await this.deps.audit.record(
        {
          organizationId: input.organizationId,
          actorId: actor.userId,
          action: 'flag.dismissed',
          reason: input.reason,
          data: {
            kind: input.kind,
            score: flag.score,
            summary: flag.summary,
            evidence: flag.evidence.length,
          },
          at: now,
        },
        trx,
      );
    });
  }

  private async ticketOrThrow(ticketId: string) {
    const ticket = await this.deps.signals.findTicket(this.deps.signals.db, ticketId);
    if (!ticket) throw notFound('The ticket');
    return ticket;
  }

  /** Staff find a request unrelated to support: one action, kept with who and why, and a signal. */
  async markOffTopic(actor: Principal, ticketId: string, note: string | undefined) {
    this.assertStaff(actor);
    const ticket = await this.ticketOrThrow(ticketId);
    const now = this.deps.clock();
    await this.deps.signals.db.transaction().execute(async (trx) => {
      await this.deps.signals.saveOffTopicMark(trx, {
        ticket_id: ticketId,
        note: note ?? null,
        marked_by: actor.userId,
        marked_at: now,
      });
      await this.deps.signals.saveSignal(trx, {
        id: newId(),
        organization_id: ticket.organization_id,
        ticket_id: ticketId,
        kind: 'off_topic',
        score: 1,
        evidence: JSON.stringify({ note: note ?? null }),
        at: now,
      });
      await this.deps.audit.record(
        {
          organizationId: ticket.organization_id,
          ticketId,
          actorId: actor.userId,
          action: 'ticket.off_topic',
          reason: note ?? null,
          data: { number: Number(ticket.number) },
          at: now,
        },
        trx,
      );
    });
    announceActivity(this.deps.live, 'ticket.updated', ticket, 'internal', now);
  }

  /** Takes a mark back; nothing happens (and nothing is logged) when there was none. */
  async unmarkOffTopic(actor: Principal, ticketId: string) {
    this.assertStaff(actor);
    const ticket = await this.ticketOrThrow(ticketId);
    const now = this.deps.clock();
    const removed = await this.deps.signals.db.transaction().execute(async (trx) => {
      if (!(await this.deps.signals.deleteOffTopicMark(trx, ticketId))) return false;
      await this.deps.signals.deleteSignal(trx, ticketId, 'off_topic');
      await this.deps.audit.record(
        {
          organizationId: ticket.organization_id,
          ticketId,
          actorId: actor.userId,
          action: 'ticket.on_topic',
          data: { number: Number(ticket.number) },
          at: now,
        },
        trx,
      );
      return true;
    });
    if (removed) announceActivity(this.deps.live, 'ticket.updated', ticket, 'internal', now);
  }

  /**
   * A ticket's off-topic mark and signs, for the console's ticket page. Each sign names the open
   * flag of the organization it counts towards, if any: one ticket alone is not a pattern.
   */
  async forTicket(actor: Principal, ticketId: string) {
    this.assertStaff(actor);
    const ticket = await this.ticketOrThrow(ticketId);
    const [mark, signals, answers, flags] = await Promise.all([
      this.deps.signals.offTopicMark(ticketId),
      this.deps.flags.ticketSignals(ticketId),
      this.deps.flags.answerLinks({ ticketId }),
      this.flags(actor, ticket.organization_id),
    ]);
    // A sign counts towards an open flag when it is newer than the flag's window start (the last
    // dismissal sets the earlier evidence aside).
    const flagOf = (kind: FlagKind, at: number) => {
      const flag = flags.find((f) => f.kind === kind && Date.parse(f.window.from) < at);
      return flag ? { kind: flag.kind, score: flag.score } : null;
    };
    const stored: TicketSignal[] = signals.map((s) => {
      const evidence = signalEvidence(s);
      return {
        id: s.id,
        kind: s.kind,
        summary: evidence[0]?.note ?? '',
        score: s.score,
        flag: flagOf(FLAG_OF_SIGNAL[s.kind], s.at),
        at: toIso(s.at),
        evidence,
      };
    });
    const answered: TicketSignal[] = answers.map((a) => {
      const evidence = answerEvidence(a);
      return {
        id: `answer:${a.article.id}`,
        kind: 'helpcenter_answered',
        summary: `Staff answered with the article “${a.article.title}”.`,
        score: 1,
        flag: flagOf('helpcenter_answered', a.at),
        at: toIso(a.at),
        evidence: [evidence],
      };
    });
    return {
      offTopic: mark
        ? {
            note: mark.note,
            markedBy:
              mark.marked_by && mark.marked_by_name
                ? { id: mark.marked_by, name: mark.marked_by_name }
                : null,
            markedAt: toIso(Number(mark.marked_at)),
          }
        : null,
      signals: [...stored, ...answered].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)),
    };
  }

  /** How much a ticket reads like those staff marked off-topic; null until enough were marked. */
  async classify(actor: Principal, ticketId: string) {
    this.assertStaff(actor);
    const ticket = await this.deps.signals.ticketText(ticketId);
    if (!ticket) throw notFound('The ticket');
    const locale = await this.deps.signals.requesterLocale(
      this.deps.signals.db,
      ticket.requester_id,
      ticket.organization_id,
    );
    const hcLocale = isHcLocale(locale) ? locale : 'en';
    const [marked, others] = await Promise.all([
      this.deps.signals.offTopicTexts(TRAINING_MARKS, ticketId),
      this.deps.signals.otherTexts(TRAINING_OTHERS, ticketId),
    ]);
    const model = trainOffTopic(hcLocale, marked, others);
    if (!model) return { offTopicProbability: null, trainedOn: 0 };
    const text = `${ticket.subject}\n${plainText(ticket.body ?? '', 'html')}`;
    const probability = offTopicProbability(model, hcLocale, text);
    return { offTopicProbability: Math.round(probability * 1000) / 1000, trainedOn: model.trainedOn };
  }
}
