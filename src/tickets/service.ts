import type { Transaction } from 'kysely';
import { isCustomerRole, isStaff, isStaffRole, type Principal } from '../auth/principal.js';
import type { OrganizationsService } from '../customers/organizations-service.js';
import type { CustomersRepository } from '../customers/repository.js';
import type { Database, TicketRow, TicketUpdate as TicketRowUpdate } from '../db/tables.js';
import {
  REQUEST_TYPE_LABELS,
  REQUEST_TYPE_MINIMUM_TIER,
  TIER_LABELS,
  tierIncludes,
  type RequestType,
  type Tier,
} from '../policy/tiers.js';
import { decodeCursor, toPage, type Cursor } from '../shared/pagination.js';
import { badRequest, conflict, forbidden, notFound, unprocessable } from '../shared/problem.js';
import type { Clock } from '../shared/time.js';
import type { SlaService, SlaView } from '../sla/service.js';
import type { PendingEvent } from './hooks.js';
import type { TicketLedger } from './ledger.js';
import { presentTicket } from './presenters.js';
import {
  parseUrgencyKey,
  urgencyKey,
  type TicketFilter,
  type TicketOrder,
  type TicketsRepository,
  type TicketWithNames,
} from './repository.js';
import {
  CUSTOMER_CHANNELS,
  type Channel,
  type TicketCreate,
  type TicketListQuery,
  type TicketOut,
  type TicketUpdate,
} from './schema.js';
import { statusColumns } from './status.js';
import type { SupportLimitsGate } from './support-limits.js';
import type { TicketSearchPort } from './search-port.js';
import { canSeeTicket, visibleTicket } from './visibility.js';

export interface TicketsServiceDeps {
  tickets: TicketsRepository;
  ledger: TicketLedger;
  sla: SlaService;
  customers: CustomersRepository;
  organizations: OrganizationsService;
  clock: Clock;
  /** The support limits of the requester's organization (fair use); absent, nothing is limited. */
  limits?: SupportLimitsGate;
  /** Full-text search (GET /tickets?q=); absent, the list ignores q. */
  search?: TicketSearchPort;
}

/** Cases: filing, triage and the conversation, with every change in the event log. */
export class TicketsService {
  constructor(private readonly deps: TicketsServiceDeps) {}

  private canSee(actor: Principal, t: Pick<TicketRow, 'organization_id' | 'requester_id'>): boolean {
    return canSeeTicket(actor, t);
  }

  private visibleTicket(actor: Principal, id: string) {
    return visibleTicket(this.deps.tickets, actor, id);
  }

  /**
   * `via` is set by a channel adapter (email, chat) that files on the customer's behalf.
   * `inTransaction` runs in the ledger's transaction once the ticket is written (an Idempotency-Key's
   * record): it commits or rolls back with the ticket.
   */
  async create(
    actor: Principal,
    input: TicketCreate,
    via?: { channel: Channel; inboundMessageId?: string },
    inTransaction?: (trx: Transaction<Database>, ticketId: string) => Promise<void>,
  ) {
    const { requesterId, requesterRole, organizationId } = await this.resolveRequester(actor, input);
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
    const by = { id: actor.userId, role: actor.role };
    const { id } = await this.deps.ledger.transaction(async (tx) => {
      const ticket = await tx.open(
        {
          subject: input.subject,
          organizationId,
          requesterId,
          createdBy: by,
          priority: input.priority,
          channel,
          requestType: input.requestType,
          tier,
          reproduction: input.reproduction,
          openedAt: now,
          // The customer's request, also when staff write it down for them (a phone call): the
          // ledger records who took it, and it is never a first response.
          opening: {
            author: { id: requesterId, role: requesterRole },
            visibility: 'public',
            bodyFormat: input.bodyFormat,
            body: input.body,
            at: now,
          },
        },
        {
          by,
          body: input.body,
          inboundMessageId: via?.inboundMessageId,
          suggestionSessionId: input.suggestionSessionId,
          overLimit,
          incidentId: input.incidentId,
        },
      );
      await inTransaction?.(tx.trx, ticket.id);
      return ticket;
    });
    return this.present(actor, (await this.deps.tickets.findTicket(id))!);
  }

  async get(actor: Principal, id: string) {
    return this.present(actor, await this.visibleTicket(actor, id));
  }

  private async present(actor: Principal, ticket: TicketWithNames) {
    const sla = await this.deps.sla.present([ticket], this.deps.clock());
    const tags = await this.staffTags(actor, [ticket.id]);
    return withTags(presentTicket(ticket, forViewer(actor, sla.get(ticket.id) ?? null)), tags);
  }

  /** Tags are the desk's own: read for staff only. */
  private async staffTags(actor: Principal, ticketIds: string[]) {
    return isStaff(actor) ? this.deps.tickets.tagsOf(ticketIds) : undefined;
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
      tags: query.tag,
    };
    if (query.tag && !isStaff(actor)) throw forbidden('Filtering by tag is for staff.');
    if (query.breached || query.dueBefore) {
      // Due times include internal escalations, which customers do not see.
      if (!isStaff(actor)) throw forbidden('Filtering by due time is for staff.');
      const now = this.deps.clock();
      const dueBefore = query.dueBefore ? Date.parse(query.dueBefore) : undefined;
      // Breached: the next due time has passed (before now); not breached: it is now or later.
      if (query.breached === 'true') filter.dueBefore = Math.min(dueBefore ?? now, now - 1);
      else filter.dueBefore = dueBefore;
      if (query.breached === 'false') filter.dueAfter = now;
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
    // A blank q (an emptied search box) is the list itself.
    if (query.q?.trim() && this.deps.search) return this.search(actor, filter, query, this.deps.search);
    const order = query.sort ?? 'created';
    const rows = await this.deps.tickets.listTickets(
      filter,
      query.limit,
      listCursor(order, query.cursor),
      order,
    );
    const slas = await this.deps.sla.present(rows.slice(0, query.limit), this.deps.clock());
    const tags = await this.staffTags(
      actor,
      rows.slice(0, query.limit).map((t) => t.id),
    );
    return toPage(
      rows,
      query.limit,
      (t) => withTags(presentTicket(t, forViewer(actor, slas.get(t.id) ?? null)), tags),
      (t) => ({
        k: order === 'urgency' ? urgencyKey(t) : order === 'due' ? (t.sla_next_due_at ?? 0) : t.created_at,
        id: t.id,
      }),
    );
  }

  /** A list with q: the search's hits, presented as the list presents tickets, each with its match. */
  private async search(
    actor: Principal,
    filter: TicketFilter,
    query: TicketListQuery,
    search: TicketSearchPort,
  ) {
    const { hits, nextCursor } = await search.search({
      q: query.q ?? '',
      reader: isStaff(actor) ? 'staff' : 'customer',
      filter,
      order: query.sort,
      limit: query.limit,
      cursor: query.cursor,
    });
    const rows = await this.deps.tickets.findTickets(hits.map((h) => h.id));
    const byId = new Map(rows.map((t) => [t.id, t]));
    const slas = await this.deps.sla.present(rows, this.deps.clock());
    const tags = await this.staffTags(
      actor,
      rows.map((t) => t.id),
    );
    const data = hits.flatMap(({ id, match }) => {
      const t = byId.get(id);
      if (!t) return [];
      return [{ ...withTags(presentTicket(t, forViewer(actor, slas.get(t.id) ?? null)), tags), match }];
    });
    return { data, nextCursor };
  }

  async update(actor: Principal, id: string, patch: TicketUpdate) {
    if (!isStaff(actor)) this.assertCustomerUpdate(patch);
    // Checked before the transaction: inside it, only the transaction's own connection may be used.
    if (patch.assigneeId) await this.assertAssignable(patch.assigneeId);
    const now = this.deps.clock();
    await this.deps.ledger.transaction(async (tx) => {
      const ticket = await tx.lock(id);
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
      await tx.change(ticket, actor.userId, now, events, changes);
    });
    return this.get(actor, id);
  }

  private async resolveRequester(actor: Principal, input: TicketCreate) {
    if (!isStaff(actor)) {
      if (input.requesterId && input.requesterId !== actor.userId)
        throw forbidden('Customers file tickets as themselves.');
      if (input.organizationId && input.organizationId !== actor.organizationId)
        throw notFound('The organization');
      if (!actor.organizationId) throw forbidden('Your account does not belong to an organization.');
      return { requesterId: actor.userId, requesterRole: actor.role, organizationId: actor.organizationId };
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
    return {
      requesterId: requester.id,
      requesterRole: requester.role,
      organizationId: requester.organization_id,
    };
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
}

/** The cursor of a ticket list in its order: an instant, or for urgency the band and the due time. */
function listCursor(order: TicketOrder, raw: string | undefined): Cursor | undefined {
  if (order !== 'urgency') return decodeCursor(raw);
  const cursor = decodeCursor(raw, 'string');
  if (cursor && !parseUrgencyKey(cursor.k))
    throw badRequest('The cursor is not one this API issued.', [
      { field: 'query.cursor', message: 'invalid cursor' },
    ]);
  return cursor;
}

const withTags = (ticket: TicketOut, tags: Map<string, string[]> | undefined): TicketOut =>
  tags ? { ...ticket, tags: tags.get(ticket.id) ?? [] } : ticket;

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
