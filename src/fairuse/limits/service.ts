import type { Kysely } from 'kysely';
import { isLeadOrAdmin, isStaff, type Principal } from '../../auth/principal.js';
import type { Database, SupportLimitTable, TicketRow } from '../../db/tables.js';
import { mailLocale } from '../../notifications/mail-text.js';
import { newId } from '../../shared/ids.js';
import { badRequest, conflict, forbidden, notFound, Problem, unprocessable } from '../../shared/problem.js';
import { parseInstant, toIso, toIsoOrNull, type Clock } from '../../shared/time.js';
import { NotificationsRepository } from '../../notifications/repository.js';
import type { LedgerWriter } from '../../tickets/hooks.js';
import type { FilingAttempt, OverLimit, SupportLimitsGate } from '../../tickets/support-limits.js';
import type { Channel } from '../../tickets/schema.js';
import type { AuditLog } from '../audit.js';
import type { FairUseContactMail, FlagEvidence } from '../contact-mail.js';
import type { LimitRow, LimitsRepository } from './repository.js';
import type { ContactMessage, LimitCreate, LimitKind, LimitOut, LimitSettings } from './schema.js';
import { refusalSentences, type LimitFacts, type Refusal } from './text.js';

const DAY = 86_400_000;

export const SUPPORT_LIMITED = 'urn:accord:problem:support-limited';

/**
 * A filing a support limit refused (403): the detail says what is limited, why and until when; the
 * `limit` extension carries the same facts for a client to word in its own language.
 */
export class SupportLimited extends Problem {
  constructor(readonly refusal: Refusal) {
    super(403, 'Forbidden', refusalSentences(refusal, 'en').join(' '), SUPPORT_LIMITED, undefined, {
      limit: {
        id: refusal.limitId,
        kind: refusal.kind,
        endsAt: toIsoOrNull(refusal.endsAt),
        reason: refusal.reason,
        settings: refusal.settings,
        availableAt: toIsoOrNull(refusal.availableAt),
      },
    });
  }
}

/** The open flags of an organization with their evidence, for a lead's message (the flags of fair use). */
export interface OpenFlags {
  flags(actor: Principal, organizationId: string): Promise<FlagEvidence[]>;
}

export interface SupportLimitsDeps {
  db: Kysely<Database>;
  repo: LimitsRepository;
  audit: AuditLog;
  mail: FairUseContactMail;
  clock: Clock;
  /** Absent, a lead's message goes without evidence. */
  flags?: OpenFlags;
}

/** Which limits a check looks at: filing a ticket, starting a chat, replying to a ticket. */
type Scope = 'filing' | 'contact' | 'reply';

/** The strictest first: a suspension says more than a cap. */
const ORDER: Record<LimitKind, number> = {
  suspension: 0,
  channels: 1,
  open_tickets: 2,
  tickets_per_period: 3,
};

const factsOf = (row: SupportLimitTable): LimitFacts => ({
  kind: row.kind,
  settings: JSON.parse(row.settings) as LimitSettings,
  reason: row.reason,
  endsAt: row.ends_at === null ? null : Number(row.ends_at),
});

const isActive = (row: SupportLimitTable, now: number) =>
  row.lifted_at === null && row.starts_at <= now && (row.ends_at === null || row.ends_at > now);

/**
 * Support limits a lead applies to an organization (policy section 5): caps on open tickets or on
 * tickets per period, channel restrictions and suspensions, each with its reason, told to the
 * organization's contacts and kept in the audit log. As the ticket rules' gate, it refuses a filing
 * over a limit on every channel, except a P0, which is filed and goes to a lead.
 */
export class SupportLimitsService implements SupportLimitsGate {
  constructor(private readonly deps: SupportLimitsDeps) {}

  async list(actor: Principal, organizationId: string, activeOnly: boolean): Promise<LimitOut[]> {
    const now = this.deps.clock();
    const staff = isStaff(actor);
    // Customers read their own organization's limits in force, to know before they file.
    if (!staff && actor.organizationId !== organizationId) throw notFound('The organization');
    if (staff) await this.organization(organizationId);
    const rows = await this.deps.repo.list(organizationId, staff && !activeOnly ? undefined : now);
    return rows.map((row) => presentLimit(row, now, staff));
  }

  async apply(actor: Principal, organizationId: string, input: LimitCreate): Promise<LimitOut> {
    assertLead(actor, 'apply support limits');
    const now = this.deps.clock();
    const endsAt = input.endsAt === undefined ? null : parseInstant(input.endsAt);
    if (endsAt !== null && endsAt <= now)
      throw badRequest('The end date must be in the future.', [
        { field: 'body.endsAt', message: 'must be in the future' },
      ]);
    // Read before the transaction: SQLite has one connection, which the transaction holds.
    const audience = await this.deps.mail.audience(organizationId, now);
    if (!audience) throw notFound('The organization');
    const row: SupportLimitTable = {
      id: newId(),
      organization_id: organizationId,
      kind: input.kind,
      settings: JSON.stringify(settingsFor(input.kind, input.settings)),
      reason: input.reason,
      starts_at: now,
      ends_at: endsAt,
      created_by: actor.userId,
      created_at: now,
      lifted_at: null,
      lifted_by: null,
    };
    await this.deps.db.transaction().execute(async (trx) => {
      await this.deps.repo.withExecutor(trx).insert(row);
      await this.deps.audit.record(
        {
          organizationId,
          actorId: actor.userId,
          action: 'limit.applied',
          reason: input.reason,
          data: {
            limitId: row.id,
            kind: row.kind,
            settings: JSON.parse(row.settings) as unknown,
            endsAt: toIsoOrNull(endsAt),
            contactsTold: audience.contacts.length,
          },
          at: now,
        },
        trx,
      );
      await this.deps.mail.limitApplied(trx, audience, factsOf(row), now);
    });
    return presentLimit({ ...row, created_by_name: actor.name }, now, true);
  }

  async lift(actor: Principal, organizationId: string, limitId: string, reason: string): Promise<LimitOut> {
    assertLead(actor, 'lift support limits');
    const now = this.deps.clock();
    const row = await this.deps.repo.find(organizationId, limitId);
    if (!row) throw notFound('The limit');
    if (row.lifted_at !== null) throw conflict('limit-lifted', 'This limit was already lifted.');
    if (!isActive(row, now)) throw conflict('limit-ended', 'This limit has already ended.');
    const audience = await this.deps.mail.audience(organizationId, now);
    if (!audience) throw notFound('The organization');
    await this.deps.db.transaction().execute(async (trx) => {
      if (!(await this.deps.repo.withExecutor(trx).lift(row.id, actor.userId, now)))
        throw conflict('limit-lifted', 'This limit was already lifted.');
      await this.deps.audit.record(
        {
          organizationId,
          actorId: actor.userId,
          action: 'limit.lifted',
          reason,
          data: { limitId: row.id, kind: row.kind, contactsTold: audience.contacts.length },
          at: now,
        },
        trx,
      );
      await this.deps.mail.limitLifted(trx, audience, factsOf(row), reason, now);
    });
    return presentLimit({ ...row, lifted_at: now, lifted_by: actor.userId }, now, true);
  }

  /** A lead's message to the organization's contacts, with the evidence of the flags named. */
  async message(actor: Principal, organizationId: string, input: ContactMessage): Promise<void> {
    assertLead(actor, 'message customers about fair use');
    const now = this.deps.clock();
    const audience = await this.deps.mail.audience(organizationId, now);
    if (!audience) throw notFound('The organization');
    if (audience.contacts.length === 0)
      throw unprocessable('no-contact', 'This organization has no active contact to write to.');
    const kinds = new Set<string>(input.flagKinds ?? []);
    const flags =
      kinds.size > 0 && this.deps.flags
        ? (await this.deps.flags.flags(actor, organizationId)).filter((f) => kinds.has(f.kind))
        : [];
    await this.deps.db.transaction().execute(async (trx) => {
      await this.deps.audit.record(
        {
          organizationId,
          actorId: actor.userId,
          action: 'contact.messaged',
          reason: input.message,
          data: { flagKinds: [...kinds], contactsTold: audience.contacts.length },
          at: now,
        },
        trx,
      );
      await this.deps.mail.message(trx, audience, { author: actor.name, message: input.message, flags }, now);
    });
  }

  async checkFiling(attempt: FilingAttempt): Promise<OverLimit | null> {
    const refusal = await this.refusalFor(attempt, 'filing');
    if (!refusal) return null;
    if (attempt.priority === 'P0')
      return { limitId: refusal.limitId, kind: refusal.kind, reason: refusal.reason };
    throw new SupportLimited(refusal);
  }

  async checkReply(attempt: FilingAttempt): Promise<void> {
    if (attempt.priority === 'P0') return;
    const refusal = await this.refusalFor(attempt, 'reply');
    if (refusal) throw new SupportLimited(refusal);
  }

  /** Starting a chat: refused while support is suspended or restricted to other channels (a P0 passes). */
  async checkChannel(attempt: FilingAttempt): Promise<void> {
    if (attempt.priority === 'P0') return;
    const refusal = await this.refusalFor(attempt, 'contact');
    if (refusal) throw new SupportLimited(refusal);
  }

  async recordOverLimit(tx: LedgerWriter, ticket: TicketRow, over: OverLimit): Promise<void> {
    const { trx } = tx;
    const at = this.deps.clock();
    const lead = await this.deps.repo.withExecutor(trx).firstLead();
    if (lead) {
      await tx.change(
        ticket,
        null,
        at,
        [
          {
            type: 'assignee_changed',
            visibility: 'internal',
            data: { from: ticket.assignee_id, to: lead.id, cause: 'p0_over_limit', limitId: over.limitId },
          },
        ],
        { assignee_id: lead.id },
      );
      await new NotificationsRepository(trx).insert([
        {
          userId: lead.id,
          ticketId: ticket.id,
          kind: 'fairuse_p0_over_limit',
          title: `P0 over a support limit: #${ticket.number} ${ticket.subject}`,
          body: `Filed over a ${over.kind.replace(/_/g, ' ')} limit (${over.reason}); a P0 is never refused and it is yours.`,
          at,
        },
      ]);
    }
    await this.deps.audit.record(
      {
        organizationId: ticket.organization_id,
        ticketId: ticket.id,
        actorId: null,
        action: 'limit.overridden_p0',
        reason: over.reason,
        data: { limitId: over.limitId, kind: over.kind, number: ticket.number, assigneeId: lead?.id ?? null },
        at,
      },
      trx,
    );
  }

  /**
   * Answers an inbound mail a limit refused with the same explanation, in the sender's language,
   * through the outbox. Returns false for any other refusal.
   */
  async answerRefusal(
    error: unknown,
    mail: { from: string; subject: string; messageId: string | null },
  ): Promise<boolean> {
    if (!(error instanceof SupportLimited)) return false;
    const now = this.deps.clock();
    const sender = await this.deps.db
      .selectFrom('users as u')
      .innerJoin('organizations as o', 'o.id', 'u.organization_id')
      .select(['u.name', 'u.locale', 'o.locale as organization_locale'])
      .where('u.email', '=', mail.from)
      .executeTakeFirst();
    const { policy } = await this.deps.mail.policyOf(error.refusal.organizationId, now);
    await this.deps.mail.refusal(
      this.deps.db,
      {
        email: mail.from,
        name: sender?.name ?? mail.from,
        locale: mailLocale(sender?.locale, sender?.organization_locale),
      },
      mail,
      error.refusal,
      policy,
      now,
    );
    return true;
  }

  private async refusalFor(attempt: FilingAttempt, scope: Scope): Promise<Refusal | null> {
    const { repo } = this.deps;
    const { organizationId, now } = attempt;
    const limits = (await repo.list(organizationId, now)).sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
    for (const row of limits) {
      const facts = factsOf(row);
      const refusal = (count: number | null, availableAt: number | null = null): Refusal => ({
        ...facts,
        limitId: row.id,
        organizationId,
        channel: attempt.channel,
        count,
        availableAt,
      });
      switch (facts.kind) {
        case 'suspension':
          return refusal(null);
        case 'channels':
          if (scope !== 'reply' && !(facts.settings.channels ?? []).includes(attempt.channel))
            return refusal(null);
          break;
        case 'open_tickets': {
          if (scope !== 'filing') break;
          const open = await repo.openTickets(organizationId);
          if (open >= (facts.settings.max ?? 0)) return refusal(open);
          break;
        }
        case 'tickets_per_period': {
          if (scope !== 'filing') break;
          const max = facts.settings.max ?? 0;
          const period = (facts.settings.periodDays ?? 0) * DAY;
          const filed = await repo.filedSince(organizationId, now - period);
          if (filed < max) break;
          // A filing is possible again once enough of the window's oldest tickets have left it.
          const leaving = await repo.nthFiledSince(organizationId, now - period, filed - max);
          const availableAt = leaving === undefined ? null : leaving + period;
          return refusal(
            filed,
            availableAt !== null && (facts.endsAt === null || availableAt < facts.endsAt)
              ? availableAt
              : null,
          );
        }
      }
    }
    return null;
  }

  private async organization(id: string) {
    const row = await this.deps.db
      .selectFrom('organizations')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('The organization');
  }
}

function assertLead(actor: Principal, what: string) {
  if (!isLeadOrAdmin(actor)) throw forbidden(`Only leads and admins ${what}.`);
}

/** Only the settings a kind uses are kept (a suspension has none). */
function settingsFor(kind: LimitKind, settings: LimitSettings): LimitSettings {
  switch (kind) {
    case 'open_tickets':
      return { max: settings.max! };
    case 'tickets_per_period':
      return { max: settings.max!, periodDays: settings.periodDays! };
    case 'channels':
      return { channels: [...new Set<Channel>(settings.channels)] };
    case 'suspension':
      return {};
  }
}

function presentLimit(row: LimitRow, now: number, staff: boolean): LimitOut {
  return {
    id: row.id,
    organizationId: row.organization_id,
    kind: row.kind,
    settings: JSON.parse(row.settings) as LimitSettings,
    reason: row.reason,
    startsAt: toIso(Number(row.starts_at)),
    endsAt: row.ends_at === null ? null : toIso(Number(row.ends_at)),
    createdBy: staff && row.created_by ? { id: row.created_by, name: row.created_by_name ?? '' } : null,
    createdAt: toIso(Number(row.created_at)),
    liftedAt: row.lifted_at === null ? null : toIso(Number(row.lifted_at)),
    active: isActive(row, now),
  };
}
