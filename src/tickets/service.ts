import { isCustomerRole, isStaff, isStaffRole, type Principal } from '../auth/principal.js';
import type { OrganizationsService } from '../customers/organizations-service.js';
import type { CustomersRepository } from '../customers/repository.js';
import type { Transaction } from 'kysely';
import type { Database, TicketRow, TicketUpdate as TicketRowUpdate } from '../db/tables.js';
import {
  REQUEST_TYPE_LABELS,
  REQUEST_TYPE_MINIMUM_TIER,
  TIER_LABELS,
  tierIncludes,
  type RequestType,
  type Tier,
} from '../policy/tiers.js';
import { sanitizeMessageHtml } from '../shared/html.js';
import { newId } from '../shared/ids.js';
import { decodeCursor, toPage } from '../shared/pagination.js';
import type { LiveBus, TicketActivity } from '../live/bus.js';
import type { TicketNotices } from './notices.js';
import { announceActivity } from './activity.js';
import { statusColumns } from './status.js';
import { badRequest, conflict, forbidden, notFound, unprocessable } from '../shared/problem.js';
import { NO_SLA } from '../sla/repository.js';
import type { SlaService, SlaView } from '../sla/service.js';
import type { Clock } from '../shared/time.js';
import { presentTicket } from './presenters.js';
import type { FairUseSignals, SupportLimitsGate } from './fair-use-hooks.js';
import type { TicketFilter, TicketsRepository, TicketWithNames } from './repository.js';
import {
  canSeeTicket,
  visibleTicket,
  writeTicketEvents,
  type PendingEvent,
  type Visibility,
} from './visibility.js';
import {
  CUSTOMER_CHANNELS,
  type Channel,
  type TicketCreate,
  type TicketListQuery,
  type TicketUpdate,
} from './schema.js';

export interface TicketsServiceDeps {
  tickets: TicketsRepository;
  sla: SlaService;
  customers: CustomersRepository;
  organizations: OrganizationsService;
  clock: Clock;
  /** Announces ticket activity to open screens; absent where nobody listens (CLI, benchmarks). */
  live?: LiveBus;
  /** Tells customers by mail, inside the change's transaction. */
  notices?: TicketNotices;
  /** Links a new ticket to the open incidents that affect every organization, inside the filing transaction. */
  incidents?: { linkNewTicket(trx: Transaction<Database>, ticket: TicketRow): Promise<void> };
  /** The support limits of the requester's organization (fair use); absent, nothing is limited. */
  limits?: SupportLimitsGate;
  /** Notes the signs of inappropriate use a new ticket shows (fair use). */
  signals?: FairUseSignals;
  /** Records which help center suggestions the writer saw before sending. */
  suggestions?: {
    attachTicket(
      db: Transaction<Database>,
      sessionId: string,
      ticketId: string,
      userId: string,
      at: number,
    ): Promise<void>;
  };
}

/** Cases: filing, triage and the conversation, with every change in the event log. */
export class TicketsService {
  constructor(private readonly deps: TicketsServiceDeps) {}

  private announce(
    kind: TicketActivity['kind'],
    t: Pick<TicketRow, 'id' | 'number' | 'organization_id' | 'requester_id'>,
    visibility: Visibility,
    at: number,
  ) {
    announceActivity(this.deps.live, kind, t, visibility, at);
  }

  private canSee(actor: Principal, t: Pick<TicketRow, 'organization_id' | 'requester_id'>): boolean {
    return canSeeTicket(actor, t);
  }

  private visibleTicket(actor: Principal, id: string) {
    return visibleTicket(this.deps.tickets, actor, id);
  }

  /** `via` is set by a channel adapter (email, chat) that files on the customer's behalf. */
  async create(actor: Principal, input: TicketCreate, via?: { channel: Channel; inboundMessageId?: string }) {
    const { requesterId, organizationId } = await this.resolveRequester(actor, input);
    const channel = via?.channel ?? this.resolveChannel(actor, input.channel);
    const now = this.deps.clock();
    const tier = await this.deps.organizations.tierAt(organizationId, now);
    assertTierIncludes(tier, input.requestType);
    const overLimit =
      (await this.deps.limits?.checkFiling({
        organizationId,
        requesterId,
        channel,
        priority: input.priority,
        now,
      })) ?? null;
    const id = newId();
    await this.deps.tickets.transaction(async (repo, trx) => {
      const row: TicketRow = {
        id,
        number: await repo.nextTicketNumber(),
        subject: input.subject,
        organization_id: organizationId,
        requester_id: requesterId,
        created_by_id: actor.userId,
        priority: input.priority,
        status: 'new',
        channel,
        request_type: input.requestType,
        tier,
        assignee_id: null,
        repro_steps: input.reproduction?.steps ?? null,
        repro_expected: input.reproduction?.expected ?? null,
        repro_actual: input.reproduction?.actual ?? null,
        repro_environment: input.reproduction?.environment ?? null,
        created_at: now,
        updated_at: now,
        resolved_at: null,
        closed_at: null,
        external_id: null,
        ...NO_SLA,
      };
      await repo.insertTicket(row);
      const messageId = newId();
      await repo.insertMessage({
        id: messageId,
        ticket_id: id,
        author_id: actor.userId,
        visibility: 'public',
        body_format: input.bodyFormat,
        body: input.bodyFormat === 'html' ? sanitizeMessageHtml(input.body) : input.body,
        created_at: now,
      });
      await this.writeEvents(repo, id, actor.userId, now, [
        {
          type: 'created',
          visibility: 'public',
          data: {
            number: row.number,
            subject: row.subject,
            priority: row.priority,
            status: row.status,
            channel,
            requestType: row.request_type,
            tier,
            requesterId,
            organizationId,
          },
        },
        {
          type: 'message_added',
          visibility: 'public',
          data: { messageId, visibility: 'public', authorRole: actor.role, initial: true },
        },
      ]);
      await this.deps.sla.refresh(trx, id, now);
      if (overLimit) await this.deps.limits?.recordOverLimit(trx, row, overLimit);
      await this.deps.signals?.ticketFiled(trx, row, input.body, input.suggestionSessionId);
      await this.deps.incidents?.linkNewTicket(trx, row);
      if (input.suggestionSessionId)
        await this.deps.suggestions?.attachTicket(trx, input.suggestionSessionId, id, actor.userId, now);
      await this.deps.notices?.ticketCreated(
        trx,
        id,
        now,
        via?.inboundMessageId ? { inboundMessageId: via.inboundMessageId } : undefined,
      );
    });
    const created = (await this.deps.tickets.findTicket(id))!;
    this.announce('ticket.created', created, 'public', now);
    return this.present(actor, created);
  }

  async get(actor: Principal, id: string) {
    return this.present(actor, await this.visibleTicket(actor, id));
  }

  private async present(actor: Principal, ticket: TicketWithNames) {
    const sla = await this.deps.sla.present([ticket], this.deps.clock());
    return presentTicket(ticket, forViewer(actor, sla.get(ticket.id) ?? null));
  }

  async list(actor: Principal, query: TicketListQuery) {
    const filter: TicketFilter = {
      organizationId: query.organizationId,
      requesterId: query.requesterId,
      status: query.status,
      priority: query.priority,
      assigneeId: query.assigneeId === 'none' ? null : query.assigneeId,
      channel: query.channel,
      tier: query.tier,
    };
    if (query.breached || query.dueBefore) {
      // Due times include internal escalations, which customers do not see.
      if (!isStaff(actor)) throw forbidden('Filtering by due time is for staff.');
      const now = this.deps.clock();
      const dueBefore = query.dueBefore ? Date.parse(query.dueBefore) : now;
      filter.dueBefore = query.breached ? Math.min(dueBefore, now - 1) : dueBefore;
    }
    if (!isStaff(actor)) {
      if (query.organizationId && query.organizationId !== actor.organizationId)
        return { data: [], nextCursor: null };
      filter.organizationId = actor.organizationId ?? '';
      if (actor.role === 'member') {
        if (query.requesterId && query.requesterId !== actor.userId) return { data: [], nextCursor: null };
        filter.requesterId = actor.userId;
      }
    }
    const byDue = query.sort === 'due';
    const rows = await this.deps.tickets.listTickets(
      filter,
      query.limit,
      decodeCursor(query.cursor),
      byDue ? 'due' : 'created',
    );
    const slas = await this.deps.sla.present(rows.slice(0, query.limit), this.deps.clock());
    return toPage(
      rows,
      query.limit,
      (t) => presentTicket(t, forViewer(actor, slas.get(t.id) ?? null)),
      (t) => ({ k: byDue ? (t.sla_next_due_at ?? 0) : t.created_at, id: t.id }),
    );
  }

  async update(actor: Principal, id: string, patch: TicketUpdate) {
    if (!isStaff(actor)) this.assertCustomerUpdate(patch);
    // Checked before the transaction: inside it, only the transaction's own connection may be used.
    if (patch.assigneeId) await this.assertAssignable(patch.assigneeId);
    const now = this.deps.clock();
    const changed = await this.deps.tickets.transaction(async (repo, trx) => {
      const ticket = await repo.lockTicket(id);
      if (!ticket || !this.canSee(actor, ticket)) throw notFound('The ticket');
      if (ticket.status === 'closed')
        throw conflict('ticket-closed', 'This ticket is closed; open a new ticket instead.');
      const changes: TicketRowUpdate = {};
      const events: PendingEvent[] = [];

      if (patch.subject !== undefined && patch.subject !== ticket.subject) {
        changes.subject = patch.subject;
        events.push({
          type: 'subject_changed',
          visibility: 'public',
          data: { from: ticket.subject, to: patch.subject },
        });
      }
      if (patch.priority !== undefined && patch.priority !== ticket.priority) {
        if (!patch.priorityReason) {
          throw badRequest('A priority change needs a reason, kept in the ticket\u2019s history.', [
            { field: 'body.priorityReason', message: 'required when the priority changes' },
          ]);
        }
        changes.priority = patch.priority;
        events.push({
          type: 'priority_changed',
          visibility: 'public',
          data: { from: ticket.priority, to: patch.priority, reason: patch.priorityReason },
        });
      }
      if (patch.requestType !== undefined && patch.requestType !== ticket.request_type) {
        assertTierIncludes(ticket.tier as Tier, patch.requestType);
        changes.request_type = patch.requestType;
        events.push({
          type: 'request_type_changed',
          visibility: 'public',
          data: { from: ticket.request_type, to: patch.requestType },
        });
      }
      if (patch.assigneeId !== undefined && patch.assigneeId !== ticket.assignee_id) {
        changes.assignee_id = patch.assigneeId;
        events.push({
          type: 'assignee_changed',
          visibility: 'internal',
          data: { from: ticket.assignee_id, to: patch.assigneeId },
        });
      }
      if (patch.reproduction !== undefined) {
        const r = patch.reproduction;
        const next = {
          repro_steps: r.steps === undefined ? ticket.repro_steps : r.steps,
          repro_expected: r.expected === undefined ? ticket.repro_expected : r.expected,
          repro_actual: r.actual === undefined ? ticket.repro_actual : r.actual,
          repro_environment: r.environment === undefined ? ticket.repro_environment : r.environment,
        };
        const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== ticket[k]);
        if (changed.length > 0) {
          Object.assign(changes, next);
          events.push({
            type: 'reproduction_changed',
            visibility: 'public',
            data: { fields: changed.map((k) => k.replace('repro_', '')) },
          });
        }
      }
      if (patch.status !== undefined && patch.status !== ticket.status) {
        if (patch.status === 'new')
          throw unprocessable('invalid-transition', 'A ticket cannot go back to new.');
        Object.assign(changes, statusColumns(patch.status, now));
        events.push({
          type: 'status_changed',
          visibility: 'public',
          data: { from: ticket.status, to: patch.status },
        });
      }
      if (events.length === 0) return undefined;
      changes.updated_at = now;
      await repo.updateTicket(id, changes);
      await this.writeEvents(repo, id, actor.userId, now, events);
      await this.deps.sla.refresh(trx, id, now);
      if (patch.status !== undefined && patch.status !== ticket.status)
        await this.deps.notices?.statusChanged(trx, id, ticket.status, patch.status, now);
      return { ticket, internalOnly: events.every((e) => e.visibility === 'internal') };
    });
    if (changed)
      this.announce('ticket.updated', changed.ticket, changed.internalOnly ? 'internal' : 'public', now);
    return this.get(actor, id);
  }

  private async resolveRequester(actor: Principal, input: TicketCreate) {
    if (!isStaff(actor)) {
      if (input.requesterId && input.requesterId !== actor.userId)
        throw forbidden('Customers file tickets as themselves.');
      if (input.organizationId && input.organizationId !== actor.organizationId)
        throw notFound('The organization');
      if (!actor.organizationId) throw forbidden('Your account does not belong to an organization.');
      return { requesterId: actor.userId, organizationId: actor.organizationId };
    }
    if (!input.requesterId) {
      throw badRequest('Staff filing a ticket name the customer it is for.', [
        { field: 'body.requesterId', message: 'required when staff file a ticket' },
      ]);
    }
    const requester = await this.deps.customers.findUser(input.requesterId);
    if (
      !requester ||
      requester.deactivated_at !== null ||
      !isCustomerRole(requester.role) ||
      !requester.organization_id
    ) {
      throw unprocessable('invalid-requester', 'The requester must be an active customer user.');
    }
    if (input.organizationId && input.organizationId !== requester.organization_id) {
      throw unprocessable(
        'requester-organization-mismatch',
        'The requester does not belong to this organization.',
      );
    }
    return { requesterId: requester.id, organizationId: requester.organization_id };
  }

  private resolveChannel(actor: Principal, channel: Channel | undefined): Channel {
    if (isStaff(actor)) return channel ?? 'api';
    if (channel === undefined) return actor.via === 'session' ? 'portal' : 'api';
    if (!(CUSTOMER_CHANNELS as readonly string[]).includes(channel)) {
      throw unprocessable(
        'channel-not-allowed',
        `Customers file through ${CUSTOMER_CHANNELS.join(', ')}; ${channel} is set by its own channel.`,
      );
    }
    return channel;
  }

  private assertCustomerUpdate(patch: TicketUpdate) {
    const fields = Object.keys(patch).filter((k) => patch[k as keyof TicketUpdate] !== undefined);
    if (fields.some((f) => f !== 'status') || (patch.status !== undefined && patch.status !== 'resolved')) {
      throw forbidden(
        'Customers can mark their ticket resolved; staff handle other changes. To reopen, reply to the ticket.',
      );
    }
  }

  private async assertAssignable(userId: string) {
    const user = await this.deps.customers.findUser(userId);
    if (!user || user.deactivated_at !== null || !isStaffRole(user.role)) {
      throw unprocessable('invalid-assignee', 'Tickets are assigned to active staff users only.');
    }
  }

  private writeEvents(
    repo: TicketsRepository,
    ticketId: string,
    actorId: string,
    at: number,
    events: PendingEvent[],
  ) {
    return writeTicketEvents(repo, ticketId, actorId, at, events);
  }
}

/** Internal escalation is the desk's business: customers see the promises made to them, not it. */
function forViewer(actor: Principal, sla: SlaView | null): SlaView | null {
  return sla && !isStaff(actor) ? { ...sla, escalation: null } : sla;
}

/** Request types outside a tier are refused with the tier that includes them (policy section 1). */
export function assertTierIncludes(tier: Tier, requestType: RequestType) {
  if (tierIncludes(tier, requestType)) return;
  const required = REQUEST_TYPE_MINIMUM_TIER[requestType];
  throw unprocessable(
    'request-type-not-in-tier',
    `${REQUEST_TYPE_LABELS[requestType]} is included from the ${TIER_LABELS[required]} tier up; this organization is served at the ${TIER_LABELS[tier]} tier.`,
    { requestType, tier, requiredTier: required },
  );
}
