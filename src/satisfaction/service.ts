import { createHash, randomBytes } from 'node:crypto';
import { isLeadOrAdmin, isStaff, type Principal } from '../auth/principal.js';
import type { TicketRow } from '../db/tables.js';
import { TIERS, type Tier } from '../policy/tiers.js';
import { conflict, forbidden, notFound, Problem } from '../shared/problem.js';
import { newId } from '../shared/ids.js';
import { toIso, type Clock } from '../shared/time.js';
import type { LedgerWriter, TicketHooks } from '../tickets/hooks.js';
import type { TicketLedger } from '../tickets/ledger.js';
import type { TicketsService } from '../tickets/service.js';
import type { SurveyMail } from './mail.js';
import { summarize, type Period } from './report.js';
import type { Rating, SatisfactionFilter, SatisfactionRepository, SurveyRow } from './repository.js';
import { satisfactionLocale } from './text.js';

/** How long the question can be answered after the ticket is resolved, by link or in the portal. */
export const SURVEY_TTL_MS = 14 * 86_400_000;
/** Answers shown under the report. */
const LATEST_ANSWERS = 20;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
/** A link token as the survey mail writes it: 32 random bytes, base64url. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface SatisfactionDeps {
  repo: SatisfactionRepository;
  ledger: TicketLedger;
  tickets: Pick<TicketsService, 'get'>;
  mail: SurveyMail;
  clock: Clock;
}

export type LinkState = { kind: 'unknown' } | { kind: 'expired' | 'answered' | 'open'; survey: SurveyRow };

export type SurveyStatus = 'pending' | 'answered' | 'expired';

const statusOf = (survey: SurveyRow, now: number): SurveyStatus =>
  survey.rating !== null ? 'answered' : Number(survey.expires_at) <= now ? 'expired' : 'pending';

const gone = (detail: string) => new Problem(410, 'Gone', detail);

/**
 * Satisfaction surveys (CSAT): when a ticket is first resolved, its requester is asked one question
 * (good or bad, with an optional comment) in the portal and, when they can be mailed, by a link that
 * works without signing in for 14 days. Each ticket is asked once: a reopened ticket resolved again
 * keeps its first survey. The first answer is kept, and recorded on the ticket's public event log.
 */
export class SatisfactionService {
  constructor(private readonly deps: SatisfactionDeps) {}

  /** The ledger's hooks: a ticket that becomes resolved, by a change or by a reply that resolves it. */
  ticketHooks(): TicketHooks {
    return {
      ticketChanged: async (tx, changed) => {
        if (changed.events.some((e) => e.type === 'status_changed' && e.data.to === 'resolved'))
          await this.ask(tx, changed.ticket.id, changed.at, changed.actorId);
      },
      messageAdded: async (tx, added) => {
        if (added.status.to === 'resolved') await this.ask(tx, added.ticket.id, added.at, added.author.id);
      },
    };
  }

  /**
   * Makes the ticket's survey, unless its tier is not asked or it has one, and mails the link. A
   * requester who resolved the ticket themselves is in the portal: they are asked there, not mailed.
   */
  private async ask(tx: LedgerWriter, ticketId: string, at: number, actorId: string | null): Promise<void> {
    const { repo, mail } = this.deps;
    const recipient = await mail.recipientOf(tx.trx, ticketId);
    if (!recipient) return;
    const ticket: TicketRow = recipient.ticket;
    if ((await repo.disabledTiers(tx.trx)).has(ticket.tier)) return;
    const token = randomBytes(32).toString('base64url');
    const locale = satisfactionLocale(recipient.requester.locale, recipient.organization.locale);
    const mailable = actorId !== ticket.requester_id && (await mail.mailable(tx.trx, recipient, at));
    const created = await repo.insertOnce(tx.trx, {
      id: newId(),
      ticket_id: ticket.id,
      organization_id: ticket.organization_id,
      requester_id: ticket.requester_id,
      tier: ticket.tier,
      priority: ticket.priority,
      agent_id: ticket.assignee_id,
      locale,
      token_hash: hashToken(token),
      mailed: mailable ? 1 : 0,
      created_at: at,
      expires_at: at + SURVEY_TTL_MS,
      rating: null,
      comment: null,
      answered_at: null,
      answered_via: null,
    });
    if (created && mailable) await mail.send(tx.trx, recipient, token, locale, at, at + SURVEY_TTL_MS);
  }

  /** What a link's token stands for; the token itself is never stored. */
  async linkState(token: string): Promise<LinkState> {
    const survey = await this.deps.repo.byTokenHash(hashToken(token));
    if (!survey) return { kind: 'unknown' };
    const status = statusOf(survey, this.deps.clock());
    return { kind: status === 'pending' ? 'open' : status, survey };
  }

  /** The answer from a mailed link; the first answer is kept. */
  async answerByLink(token: string, rating: Rating, comment: string | null) {
    const state = await this.linkState(token);
    if (state.kind !== 'open') return state;
    const recorded = await this.record(state.survey, rating, comment, 'link', state.survey.requester_id);
    const survey = (await this.deps.repo.byTicket(state.survey.ticket_id))!;
    if (recorded) return { kind: 'recorded' as const, survey };
    // Someone answered (or the time ran out) between the read and the write.
    return {
      kind: statusOf(survey, this.deps.clock()) === 'answered' ? 'answered' : 'expired',
      survey,
    } as const;
  }

  /** The ticket's survey as the ticket's viewer sees it; null when it has none. */
  async forTicket(actor: Principal, ticketId: string) {
    const ticket = await this.deps.tickets.get(actor, ticketId);
    const survey = await this.deps.repo.byTicket(ticket.id);
    return { survey: survey ? this.present(actor, survey) : null };
  }

  /** The requester's answer from the portal, under the same rules as the link. */
  async answerInPortal(
    actor: Principal,
    ticketId: string,
    answer: { rating: Rating; comment?: string | undefined },
  ) {
    const ticket = await this.deps.tickets.get(actor, ticketId);
    if (ticket.requesterId !== actor.userId)
      throw forbidden('Only the ticket’s requester answers its satisfaction question.');
    const survey = await this.deps.repo.byTicket(ticket.id);
    if (!survey) throw notFound('The ticket’s satisfaction question');
    const status = statusOf(survey, this.deps.clock());
    if (status === 'answered')
      throw conflict(
        'satisfaction-answered',
        'This question was already answered; the first answer is kept.',
      );
    if (status === 'expired')
      throw gone('The question could be answered for 14 days after the ticket was resolved.');
    const recorded = await this.record(
      survey,
      answer.rating,
      answer.comment?.trim() || null,
      'portal',
      actor.userId,
    );
    if (!recorded)
      throw conflict(
        'satisfaction-answered',
        'This question was already answered; the first answer is kept.',
      );
    return { survey: this.present(actor, (await this.deps.repo.byTicket(ticket.id))!) };
  }

  private record(
    survey: SurveyRow,
    rating: Rating,
    comment: string | null,
    via: 'link' | 'portal',
    actorId: string,
  ) {
    const now = this.deps.clock();
    return this.deps.ledger.transaction(async (tx) => {
      const recorded = await this.deps.repo.answer(tx.trx, survey.id, { rating, comment, via }, now);
      if (recorded)
        await tx.record(
          survey.ticket_id,
          actorId,
          now,
          { type: 'satisfaction_answered', visibility: 'public', data: { rating, comment, via } },
          { refreshSla: false },
        );
      return recorded;
    });
  }

  private present(actor: Principal, survey: SurveyRow) {
    const now = this.deps.clock();
    const status = statusOf(survey, now);
    return {
      status,
      sentAt: toIso(Number(survey.created_at)),
      expiresAt: toIso(Number(survey.expires_at)),
      mailed: survey.mailed === 1,
      canAnswer: status === 'pending' && actor.userId === survey.requester_id,
      rating: survey.rating,
      comment: survey.comment,
      answeredAt: survey.answered_at === null ? null : toIso(Number(survey.answered_at)),
      answeredVia: isStaff(actor) ? survey.answered_via : null,
    };
  }

  async settings(actor: Principal) {
    if (!isLeadOrAdmin(actor)) throw forbidden('Satisfaction settings are for leads and admins.');
    const disabled = await this.deps.repo.disabledTiers();
    return {
      enabledTiers: TIERS.filter((t) => !disabled.has(t)),
      tiers: TIERS.map((tier) => ({ tier, enabled: !disabled.has(tier) })),
    };
  }

  async saveSettings(actor: Principal, enabledTiers: Tier[]) {
    if (!isLeadOrAdmin(actor)) throw forbidden('Satisfaction settings are for leads and admins.');
    const enabled = new Set(enabledTiers);
    await this.deps.repo.saveSettings(
      TIERS.map((tier) => ({ tier, enabled: enabled.has(tier) })),
      actor.userId,
      this.deps.clock(),
    );
    return this.settings(actor);
  }

  /** Staff see any organization; a designated contact only their own (as the other reports). */
  scope(actor: Principal, filter: SatisfactionFilter): SatisfactionFilter {
    if (isStaff(actor)) return filter;
    if (actor.role !== 'contact' || !actor.organizationId)
      throw forbidden('Reports are for staff and for an organization’s designated contacts.');
    if (filter.organizationId && filter.organizationId !== actor.organizationId)
      throw forbidden('A contact sees the report of their own organization only.');
    return { ...filter, organizationId: actor.organizationId, agentId: undefined };
  }

  async report(actor: Principal, requested: SatisfactionFilter, period: Period) {
    const filter = this.scope(actor, requested);
    const [facts, latest] = await Promise.all([
      this.deps.repo.facts(filter),
      this.deps.repo.latestAnswers(filter, LATEST_ANSWERS),
    ]);
    const summary = summarize(facts, filter.from, filter.to, period);
    const staff = isStaff(actor);
    return {
      from: toIso(filter.from),
      to: toIso(filter.to),
      period,
      filters: {
        tier: filter.tier ?? null,
        priority: filter.priority ?? null,
        agentId: filter.agentId ?? null,
        organizationId: filter.organizationId ?? null,
      },
      totals: summary.totals,
      byTier: summary.byTier,
      byPriority: summary.byPriority,
      // A customer sees how their tickets were answered, not who on staff answered which.
      byAgent: staff ? summary.byAgent : [],
      byPeriod: summary.byPeriod.map((p) => ({ ...p, start: toIso(p.start), end: toIso(p.end) })),
      latest: latest.map((a) => ({ ...a, answeredAt: toIso(a.answeredAt) })),
    };
  }
}
