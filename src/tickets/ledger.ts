import type { Kysely, Transaction } from 'kysely';
import { isStaffRole } from '../auth/principal.js';
import type { DialectName } from '../db/database.js';
import type {
  AttachmentRow,
  Database,
  TicketEventRow,
  TicketMessageRow,
  TicketRow,
  TicketUpdate,
} from '../db/tables.js';
import type { TicketActivity } from '../live/bus.js';
import type { Priority, RequestType, Tier } from '../policy/tiers.js';
import { sanitizeMessageHtml } from '../shared/html.js';
import { newId } from '../shared/ids.js';
import { unprocessable } from '../shared/problem.js';
import type { Clock } from '../shared/time.js';
import { NO_SLA } from '../sla/repository.js';
import type { SlaEffect } from '../sla/engine.js';
import type { SlaEffectHook, SlaService } from '../sla/service.js';
import type {
  AddedMessage,
  Filing,
  LedgerWriter,
  PendingEvent,
  TicketHooks,
  Visibility,
  Writer,
} from './hooks.js';
import { activityOf } from './activity.js';
import { LedgerRepository } from './ledger-repository.js';
import type { Channel, EventType, Status } from './schema.js';
import { statusAfterMessage, statusColumns } from './status.js';
import { MAX_TAGS_PER_TICKET } from './tags.js';

/** A file already in the attachment store; the ledger writes its row beside the message. */
export type NewAttachment = Omit<AttachmentRow, 'id' | 'ticket_id' | 'message_id'>;

export interface NewMessage {
  author: Writer;
  visibility: Visibility;
  bodyFormat: 'text' | 'html';
  /** HTML is sanitized by the ledger. */
  body: string;
  at: number;
  /** Facts the message's events carry besides the message itself (chatMessageId, incidentId …). */
  facts?: Record<string, unknown>;
  attachments?: NewAttachment[];
}

export interface NewTicket {
  id?: string;
  subject: string;
  organizationId: string;
  requesterId: string;
  /** Who filed it: the customer, staff filing for them, or the author of an imported ticket's first message. */
  createdBy: Writer;
  priority: Priority;
  channel: Channel;
  requestType: RequestType;
  /** The organization's tier when the ticket opened. */
  tier: Tier;
  assigneeId?: string | null | undefined;
  reproduction?:
    | {
        steps?: string | null | undefined;
        expected?: string | null | undefined;
        actual?: string | null | undefined;
        environment?: string | null | undefined;
      }
    | undefined;
  externalId?: string | null | undefined;
  openedAt: number;
  /**
   * The message that opened it: the customer's words, written by the requester even when staff took
   * them down (createdBy says who did).
   */
  opening: NewMessage;
  /** Facts the created event carries besides the ticket's fields (chatId, externalId …). */
  facts?: Record<string, unknown>;
  /** Normalized tags (src/tickets/tags.ts) the ticket opens with, added by its filer. */
  tags?: string[];
}

/** What happened after the opening, for a ticket that arrives with its past (a chat, an import). */
export type PastEntry =
  | {
      kind: 'message';
      message: NewMessage;
      /** false: the message leaves the status alone (an import states every status change itself). */
      moveStatus?: boolean;
    }
  | { kind: 'status'; to: Status; at: number; actorId: string | null; facts?: Record<string, unknown> }
  | { kind: 'assignee'; to: string; at: number; actorId: string | null };

/** A ticket from another desk's history: no hook runs, and nothing that fell due before now fires. */
export const HISTORY = { history: true } as const;

export interface TicketLedgerDeps {
  db: Kysely<Database>;
  dialect: DialectName;
  sla: Pick<SlaService, 'refresh'>;
  clock: Clock;
}

/**
 * The ticket ledger: the only writer of tickets, their messages and their event log. Every channel
 * (portal, API, email, chat, in-app button, phone, incidents, import, seed) opens tickets, adds
 * messages and records changes through it. After each write it recomputes the ticket's SLA and runs
 * the hooks other contexts registered, in the same transaction; after the commit it tells open
 * screens.
 */
export class TicketLedger {
  private readonly hooks: TicketHooks[] = [];

  constructor(private readonly deps: TicketLedgerDeps) {}

  /** Adds a context's hooks; they run in the order they were registered. */
  register(hooks: TicketHooks): void {
    this.hooks.push(hooks);
  }

  /** Runs `work` in a new transaction, then announces what it changed. */
  async transaction<T>(work: (tx: LedgerTransaction) => Promise<T>): Promise<T> {
    let tx: LedgerTransaction | undefined;
    const result = await this.deps.db.transaction().execute((trx) => {
      tx = this.within(trx);
      return work(tx);
    });
    if (tx) this.announce(tx);
    return result;
  }

  /**
   * Joins a transaction another context opened (a chat message, an incident update). That context
   * calls announce(tx) once its transaction has committed, if open screens should hear of it.
   */
  within(trx: Transaction<Database>): LedgerTransaction {
    return new LedgerTransaction(trx, this.deps, this.hooks);
  }

  announce(tx: LedgerTransaction): void {
    for (const activity of tx.activity.splice(0)) for (const hook of this.hooks) hook.committed?.(activity);
  }

  /** The SLA engine's warnings, breaches and escalations, as internal events of the ticket's log. */
  slaHistory(): SlaEffectHook {
    const entry = (ticketId: string, effect: SlaEffect, now: number) => ({
      ticketId,
      actorId: null,
      at: now,
      event: {
        type: `sla_${effect.kind}` as const,
        visibility: 'internal' as const,
        data: {
          target: effect.target,
          dueAt: new Date(effect.dueAt).toISOString(),
          ...(effect.kind === 'escalation' ? { level: effect.level } : {}),
        },
      },
    });
    return {
      slaEffects: async (trx, fired, now) => {
        await this.within(trx).appendEvents(fired.map((f) => entry(f.ticket.id, f.effect, now)));
      },
    };
  }
}

/** The ledger inside one transaction. */
export class LedgerTransaction implements LedgerWriter {
  private readonly repo: LedgerRepository;
  /** What open screens will hear of once the transaction commits. */
  readonly activity: TicketActivity[] = [];

  constructor(
    readonly trx: Transaction<Database>,
    private readonly deps: TicketLedgerDeps,
    private readonly hooks: readonly TicketHooks[],
  ) {
    this.repo = new LedgerRepository(trx, deps.dialect);
  }

  /** Reads a ticket and, on PostgreSQL, locks it until the transaction ends. */
  lock(ticketId: string): Promise<TicketRow | undefined> {
    return this.repo.lockTicket(ticketId);
  }

  /**
   * Opens a ticket: its number, the tier it opened at, the created event, the opening message and
   * any past that came with it (a chat's transcript, an import's history), then its SLA.
   */
  async open(spec: NewTicket, origin: Filing | typeof HISTORY, past: PastEntry[] = []): Promise<TicketRow> {
    const id = spec.id ?? newId();
    const row: TicketRow = {
      id,
      number: await this.repo.nextTicketNumber(),
      subject: spec.subject,
      organization_id: spec.organizationId,
      requester_id: spec.requesterId,
      created_by_id: spec.createdBy.id,
      priority: spec.priority,
      status: 'new',
      channel: spec.channel,
      request_type: spec.requestType,
      tier: spec.tier,
      assignee_id: spec.assigneeId ?? null,
      repro_steps: spec.reproduction?.steps ?? null,
      repro_expected: spec.reproduction?.expected ?? null,
      repro_actual: spec.reproduction?.actual ?? null,
      repro_environment: spec.reproduction?.environment ?? null,
      created_at: spec.openedAt,
      updated_at: spec.openedAt,
      resolved_at: null,
      closed_at: null,
      external_id: spec.externalId ?? null,
      merged_into_id: null,
      ...NO_SLA,
    };
    const written = new Written(id);
    written.event('created', 'public', spec.createdBy.id, spec.openedAt, {
      number: row.number,
      subject: row.subject,
      priority: row.priority,
      status: 'new',
      channel: row.channel,
      requestType: row.request_type,
      tier: row.tier,
      requesterId: row.requester_id,
      organizationId: row.organization_id,
      ...spec.facts,
    });
    if (row.assignee_id)
      written.event('assignee_changed', 'internal', null, spec.openedAt, { from: null, to: row.assignee_id });
    // Filed by someone other than its author (staff on the phone, an agent turning a chat into a
    // ticket): the words stay the customer's, and their event names who took them down.
    written.message(spec.opening, {
      initial: true,
      ...(spec.createdBy.id !== spec.opening.author.id
        ? { takenBy: { id: spec.createdBy.id, channel: spec.channel } }
        : {}),
    });
    const setStatus = (to: Status, at: number, actorId: string | null, facts: Record<string, unknown>) => {
      written.event('status_changed', 'public', actorId, at, { from: row.status, to, ...facts });
      Object.assign(row, statusColumns(to, at));
    };
    for (const entry of past) {
      switch (entry.kind) {
        case 'message': {
          const messageId = written.message(entry.message);
          const { author, visibility, at } = entry.message;
          const next =
            entry.moveStatus === false
              ? undefined
              : statusAfterMessage(row.status as Status, isStaffRole(author.role), visibility === 'public');
          if (next) setStatus(next, at, author.id, { cause: 'message', messageId });
          row.updated_at = Math.max(row.updated_at, at);
          break;
        }
        case 'status':
          setStatus(entry.to, entry.at, entry.actorId, entry.facts ?? {});
          row.updated_at = Math.max(row.updated_at, entry.at);
          break;
        case 'assignee':
          written.event('assignee_changed', 'internal', entry.actorId, entry.at, {
            from: row.assignee_id,
            to: entry.to,
          });
          row.assignee_id = entry.to;
          break;
      }
    }
    const tags = [...new Set(spec.tags ?? [])];
    if (tags.length > MAX_TAGS_PER_TICKET) throw tooManyTags();
    for (const tag of tags) written.event('tag_added', 'internal', spec.createdBy.id, spec.openedAt, { tag });
    await this.repo.insertTicket(row);
    await written.save(this.repo);
    await this.repo.insertTags(
      tags.map((tag) => ({ ticket_id: id, tag, added_by_id: spec.createdBy.id, added_at: spec.openedAt })),
    );
    if ('history' in origin) {
      await this.refreshSla(id, { wakeForPastDue: false });
      for (const hook of this.hooks) await hook.conversationWritten?.(this, id);
      return row;
    }
    await this.refreshSla(id);
    for (const hook of this.hooks) await hook.ticketOpened?.(this, row, origin);
    this.announce('ticket.created', row, 'public', spec.openedAt);
    return row;
  }

  /**
   * Adds a message to a ticket the caller locked and may write on. The status moves as a reply
   * moves it (staff's first public reply opens a new ticket, a customer's reply reopens a waiting or
   * resolved one) unless `status` says where it goes.
   */
  async addMessage(
    ticket: TicketRow,
    message: NewMessage,
    options: { channel?: Channel | undefined; status?: { to: Status; cause: string } } = {},
  ): Promise<AddedMessage> {
    const written = new Written(ticket.id);
    const messageId = written.message(message);
    const from = ticket.status as Status;
    const byStaff = isStaffRole(message.author.role);
    const next = options.status?.to ?? statusAfterMessage(from, byStaff, message.visibility === 'public');
    const to = next !== undefined && next !== from ? next : undefined;
    const changes: TicketUpdate = { updated_at: message.at };
    if (to) {
      Object.assign(changes, statusColumns(to, message.at));
      written.event('status_changed', 'public', message.author.id, message.at, {
        from,
        to,
        cause: options.status?.cause ?? 'message',
        messageId,
        ...message.facts,
      });
    }
    await this.repo.updateTicket(ticket.id, changes);
    await written.save(this.repo);
    await this.refreshSla(ticket.id);
    const added: AddedMessage = {
      ticket,
      messageId,
      author: message.author,
      byStaff,
      visibility: message.visibility,
      body: message.body,
      at: message.at,
      channel: options.channel,
      status: { from, to },
    };
    for (const hook of this.hooks) await hook.messageAdded?.(this, added);
    this.announce('message.created', ticket, message.visibility, message.at);
    return added;
  }

  async change(
    ticket: TicketRow,
    actorId: string | null,
    at: number,
    events: PendingEvent[],
    columns: TicketUpdate,
  ): Promise<void> {
    if (events.length === 0) return;
    await this.repo.updateTicket(ticket.id, { ...columns, updated_at: at });
    const written = new Written(ticket.id);
    for (const e of events) written.event(e.type, e.visibility, actorId, at, e.data);
    await written.save(this.repo);
    await this.refreshSla(ticket.id);
    for (const hook of this.hooks) await hook.ticketChanged?.(this, { ticket, actorId, at, events });
    const visibility = events.every((e) => e.visibility === 'internal') ? 'internal' : 'public';
    this.announce('ticket.updated', ticket, visibility, at);
  }

  /** A ticket's tags, in alphabetical order. */
  tags(ticketId: string): Promise<string[]> {
    return this.repo.ticketTags(ticketId);
  }

  /**
   * Adds and removes tags (already normalized) of a ticket the caller locked: one tag_added or
   * tag_removed event per tag that changed, as a change of the ticket. Refuses to go past the
   * most tags a ticket carries.
   */
  async tag(
    ticket: TicketRow,
    actorId: string | null,
    at: number,
    tags: { add?: readonly string[]; remove?: readonly string[] },
  ): Promise<{ added: string[]; removed: string[] }> {
    const current = await this.repo.ticketTags(ticket.id);
    const removed = [...new Set(tags.remove ?? [])].filter((t) => current.includes(t));
    const added = [...new Set(tags.add ?? [])].filter((t) => !current.includes(t) && !removed.includes(t));
    if (current.length - removed.length + added.length > MAX_TAGS_PER_TICKET) throw tooManyTags();
    if (added.length === 0 && removed.length === 0) return { added, removed };
    await this.repo.deleteTags(ticket.id, removed);
    await this.repo.insertTags(
      added.map((tag) => ({ ticket_id: ticket.id, tag, added_by_id: actorId, added_at: at })),
    );
    await this.change(
      ticket,
      actorId,
      at,
      [
        ...removed.map((tag): PendingEvent => ({
          type: 'tag_removed',
          visibility: 'internal',
          data: { tag },
        })),
        ...added.map((tag): PendingEvent => ({ type: 'tag_added', visibility: 'internal', data: { tag } })),
      ],
      {},
    );
    return { added, removed };
  }

  async record(
    ticketId: string,
    actorId: string | null,
    at: number,
    event: PendingEvent,
    options: { refreshSla?: boolean } = {},
  ): Promise<void> {
    const written = new Written(ticketId);
    written.event(event.type, event.visibility, actorId, at, event.data);
    await written.save(this.repo);
    if (options.refreshSla !== false) await this.refreshSla(ticketId);
    const ticket = await this.repo.ticketRef(ticketId);
    if (ticket) this.announce('ticket.updated', ticket, event.visibility, at);
  }

  /**
   * Appends events to several tickets' logs in one statement per chunk, without record()'s SLA
   * refresh or announcement: for the SLA pass, which stores the deadlines itself and whose events
   * are internal.
   */
  async appendEvents(
    entries: { ticketId: string; actorId: string | null; at: number; event: PendingEvent }[],
  ): Promise<void> {
    const rows = entries.flatMap(({ ticketId, actorId, at, event }) => {
      const written = new Written(ticketId);
      written.event(event.type, event.visibility, actorId, at, event.data);
      return written.events;
    });
    await this.repo.insertEvents(rows);
  }

  /** A file stored beside a ticket (on one of its messages, or on the ticket itself). */
  async addAttachment(
    ticket: TicketRow,
    attachment: NewAttachment & { id: string; message_id: string | null },
    visibility: Visibility,
  ): Promise<void> {
    const at = attachment.created_at;
    await this.repo.insertAttachments([{ ...attachment, ticket_id: ticket.id }]);
    await this.repo.updateTicket(ticket.id, { updated_at: at });
    const written = new Written(ticket.id);
    written.event('attachment_added', visibility, attachment.uploaded_by_id, at, {
      attachmentId: attachment.id,
      filename: attachment.filename,
      size: attachment.size,
      contentType: attachment.content_type,
    });
    await written.save(this.repo);
    this.announce('ticket.updated', ticket, visibility, at);
  }

  /**
   * Merges `source` into `target`, both locked by the caller: the source's messages and files move
   * into the target's history at their own times, the source closes pointing at the target, and the
   * target's promise starts at the earlier opening of the two (a reply given on either counts as its
   * first response). The merge is recorded on both. Of the hooks only conversationWritten runs, for
   * both: the source is not closed for its requester, who is told in its log that the request
   * continues in the target.
   */
  async merge(source: TicketRow, target: TicketRow, actor: Writer, at: number): Promise<void> {
    await this.repo.moveConversation(source.id, target.id);
    const from = source.status as Status;
    await this.repo.updateTicket(source.id, {
      ...statusColumns('closed', at),
      merged_into_id: target.id,
      updated_at: at,
    });
    const closing = new Written(source.id);
    if (from !== 'closed')
      closing.event('status_changed', 'public', actor.id, at, { from, to: 'closed', cause: 'merge' });
    closing.event('merged_into', 'public', actor.id, at, { ticketId: target.id, number: target.number });
    await closing.save(this.repo);
    await this.repo.updateTicket(target.id, {
      created_at: Math.min(source.created_at, target.created_at),
      updated_at: at,
    });
    const continuing = new Written(target.id);
    continuing.event('merged_from', 'public', actor.id, at, {
      ticketId: source.id,
      number: source.number,
      subject: source.subject,
      openedAt: new Date(source.created_at).toISOString(),
    });
    await continuing.save(this.repo);
    await this.refreshSla(source.id);
    await this.refreshSla(target.id);
    for (const hook of this.hooks) {
      await hook.conversationWritten?.(this, source.id);
      await hook.conversationWritten?.(this, target.id);
    }
    this.announce('ticket.updated', source, 'public', at);
    this.announce('message.created', target, 'public', at);
  }

  private refreshSla(ticketId: string, options?: { wakeForPastDue: boolean }) {
    return this.deps.sla.refresh(this.trx, ticketId, this.deps.clock(), options);
  }

  private announce(
    kind: TicketActivity['kind'],
    t: Pick<TicketRow, 'id' | 'number' | 'organization_id' | 'requester_id'>,
    visibility: Visibility,
    at: number,
  ) {
    this.activity.push(activityOf(kind, t, visibility, at));
  }
}

const tooManyTags = () =>
  unprocessable('too-many-tags', `A ticket carries at most ${MAX_TAGS_PER_TICKET} tags.`, {
    max: MAX_TAGS_PER_TICKET,
  });

/** The rows one write adds, built in one place and inserted together. */
class Written {
  readonly messages: TicketMessageRow[] = [];
  readonly events: TicketEventRow[] = [];
  readonly attachments: AttachmentRow[] = [];

  constructor(private readonly ticketId: string) {}

  event(
    type: EventType,
    visibility: Visibility,
    actorId: string | null,
    at: number,
    data: Record<string, unknown>,
  ) {
    this.events.push({
      id: newId(),
      ticket_id: this.ticketId,
      type,
      visibility,
      actor_id: actorId,
      at,
      data: JSON.stringify(data),
    });
  }

  /** The message, its message_added event and its files; returns the message's id. */
  message(
    m: NewMessage,
    options: { initial?: boolean; takenBy?: { id: string; channel: Channel } } = {},
  ): string {
    const id = newId();
    this.messages.push({
      id,
      ticket_id: this.ticketId,
      author_id: m.author.id,
      visibility: m.visibility,
      body_format: m.bodyFormat,
      body: m.bodyFormat === 'html' ? sanitizeMessageHtml(m.body) : m.body,
      created_at: m.at,
      merged_from_ticket_id: null,
    });
    this.event('message_added', m.visibility, m.author.id, m.at, {
      messageId: id,
      visibility: m.visibility,
      authorRole: m.author.role,
      ...(options.initial ? { initial: true } : {}),
      ...(options.takenBy ? { takenById: options.takenBy.id, channel: options.takenBy.channel } : {}),
      ...m.facts,
    });
    for (const a of m.attachments ?? [])
      this.attachments.push({ ...a, id: newId(), ticket_id: this.ticketId, message_id: id });
    return id;
  }

  async save(repo: LedgerRepository) {
    await repo.insertMessages(this.messages);
    await repo.insertAttachments(this.attachments);
    await repo.insertEvents(this.events);
  }
}
