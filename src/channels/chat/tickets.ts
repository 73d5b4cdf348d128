import type { Transaction } from 'kysely';
import type { Principal } from '../../auth/principal.js';
import { isCustomerRole } from '../../auth/principal.js';
import type { OrganizationsService } from '../../customers/organizations-service.js';
import type { CustomersRepository } from '../../customers/repository.js';
import type { UsersService } from '../../customers/users-service.js';
import type {
  AttachmentRow,
  TicketUpdate,
  ChatMessageRow,
  Database,
  TicketEventRow,
  TicketMessageRow,
  TicketRow,
} from '../../db/tables.js';
import type { LiveBus } from '../../live/bus.js';
import { mailT } from '../../notifications/mail-text.js';
import type { Priority } from '../../policy/tiers.js';
import { newId } from '../../shared/ids.js';
import { conflict, Problem, unprocessable } from '../../shared/problem.js';
import type { Clock } from '../../shared/time.js';
import { NO_SLA } from '../../sla/repository.js';
import type { SlaService } from '../../sla/service.js';
import { announceActivity } from '../../tickets/activity.js';
import { event } from '../../tickets/event-row.js';
import type { Status } from '../../tickets/schema.js';
import { statusAfterMessage, statusColumns } from '../../tickets/status.js';
import type { SupportLimitsGate } from '../../tickets/fair-use-hooks.js';
import type { TicketNotices } from '../../tickets/notices.js';
import { TicketsRepository } from '../../tickets/repository.js';
import { appendMessage, systemMessage } from './messages.js';
import { presentMessage } from './presenters.js';
import type { ChatPublisher } from './publisher.js';
import type { ChatRepository, ConversationView } from './repository.js';

export interface ChatTicketsDeps {
  tickets: TicketsRepository;
  chat: ChatRepository;
  sla: SlaService;
  organizations: OrganizationsService;
  customers: CustomersRepository;
  users: UsersService;
  notices?: TicketNotices;
  live?: LiveBus;
  publisher: ChatPublisher;
  clock: Clock;
  /** Support limits (fair use): a chat becomes a ticket only within the organization's limits (a P0 always). */
  limits?: SupportLimitsGate;
}

/** A transcript longer than this is cut in the ticket (the chat keeps every message). */
const MAX_TRANSCRIPT_MESSAGES = 5000;
const SUBJECT_CHARS = 120;

/**
 * Chats that become tickets: the transcript becomes the ticket's conversation at its own instants,
 * so the ticket opened when the chat started and the first agent message in the chat is the
 * ticket's first response. A chat that goes on after that keeps writing into its ticket.
 */
export class ChatTickets {
  constructor(private readonly deps: ChatTicketsDeps) {}

  async convert(
    conversation: ConversationView,
    by: { kind: 'visitor' } | { kind: 'agent'; principal: Principal },
    input: { subject?: string | undefined; priority?: Priority | undefined },
  ): Promise<{ id: string; number: number }> {
    const { clock, chat } = this.deps;
    if (conversation.ticket_id)
      throw conflict('chat-ticketed', 'This chat is already a ticket.', {
        ticketId: conversation.ticket_id,
        number: conversation.ticket_number,
      });
    const requester = await this.requester(conversation);
    const now = clock();
    const ticketId = newId();
    const t = mailT(conversation.locale === 'fr' ? 'fr' : 'en');
    const openedAt = Number(conversation.created_at);
    // Read before the transaction: SQLite has one connection, which the transaction holds.
    const tier = await this.deps.organizations.tierAt(requester.organizationId, openedAt);
    const priority = input.priority ?? (conversation.priority as Priority);
    const overLimit =
      (await this.deps.limits?.checkFiling({
        organizationId: requester.organizationId,
        requesterId: requester.id,
        channel: 'chat',
        priority,
        now,
      })) ?? null;
    const result = await this.deps.tickets.transaction(async (repo, trx) => {
      const chatRepo = chat.withExecutor(trx);
      const messages = (await chatRepo.messagesAfter(conversation.id, 0, MAX_TRANSCRIPT_MESSAGES)).filter(
        (m) => m.author_kind !== 'system',
      );
      const firstVisitorText = messages.find(
        (m) => m.author_kind === 'visitor' && m.body.trim() !== '',
      )?.body;
      const subject =
        input.subject ??
        (firstVisitorText
          ? oneLine(firstVisitorText, SUBJECT_CHARS)
          : t('chat.ticketSubject', { name: conversation.visitor_name }));
      const number = await repo.nextTicketNumber();
      const row: TicketRow = {
        id: ticketId,
        number,
        subject,
        organization_id: requester.organizationId,
        requester_id: requester.id,
        created_by_id: by.kind === 'agent' ? by.principal.userId : requester.id,
        priority,
        status: 'new',
        channel: 'chat',
        request_type: 'question',
        tier,
        assignee_id: conversation.agent_id,
        repro_steps: null,
        repro_expected: null,
        repro_actual: null,
        repro_environment: null,
        created_at: openedAt,
        updated_at: now,
        resolved_at: null,
        closed_at: null,
        external_id: null,
        ...NO_SLA,
      };
      const ticketMessages: TicketMessageRow[] = [];
      const events: TicketEventRow[] = [
        event(ticketId, 'created', 'public', row.created_by_id, openedAt, {
          number,
          subject,
          priority: row.priority,
          status: 'new',
          channel: 'chat',
          requestType: row.request_type,
          tier,
          requesterId: requester.id,
          organizationId: requester.organizationId,
          chatId: conversation.id,
        }),
      ];
      // The ticket opens with the customer's words; a chat the agent spoke in first opens with a note of its start.
      if (messages[0]?.author_kind !== 'visitor') {
        const id = newId();
        ticketMessages.push({
          id,
          ticket_id: ticketId,
          author_id: requester.id,
          visibility: 'public',
          body_format: 'text',
          body: t('chat.ticketOpening', { page: conversation.page ?? '-' }),
          created_at: openedAt,
        });
        events.push(
          event(ticketId, 'message_added', 'public', requester.id, openedAt, {
            messageId: id,
            visibility: 'public',
            authorRole: requester.role,
            initial: true,
          }),
        );
      }
      const attachments: AttachmentRow[] = [];
      let status: 'new' | 'open' = 'new';
      for (const m of messages) {
        const written = this.ticketMessage(ticketId, requester, m, ticketMessages.length === 0);
        if (!written) continue;
        ticketMessages.push(written.message);
        events.push(written.event);
        if (m.attachment_id)
          attachments.push(await this.attachmentOf(chatRepo, ticketId, written.message, m));
        if (status === 'new' && m.author_kind === 'agent') {
          status = 'open';
          events.push(
            event(ticketId, 'status_changed', 'public', m.author_id, Number(m.created_at), {
              from: 'new',
              to: 'open',
              cause: 'message',
              messageId: written.message.id,
            }),
          );
        }
      }
      row.status = status;
      await repo.insertTicket(row);
      // Two agents turning the same chat into a ticket at once: the second is refused and rolled back.
      if (!(await chatRepo.setTicket(conversation.id, ticketId)))
        throw conflict('chat-ticketed', 'This chat is already a ticket.');
      for (const m of ticketMessages) await repo.insertMessage(m);
      for (const a of attachments) await repo.insertAttachment(a);
      await repo.insertEvents(events);
      await this.deps.sla.refresh(trx, ticketId, now);
      if (overLimit) await this.deps.limits?.recordOverLimit(trx, row, overLimit);
      await this.deps.notices?.ticketCreated(trx, ticketId, now);
      const notice = await appendMessage(
        chatRepo,
        conversation.id,
        systemMessage(t('chat.ticketCreated', { number })),
        now,
      );
      if (by.kind === 'visitor') await chatRepo.end(conversation.id, now);
      return {
        id: ticketId,
        number,
        row,
        notice: (await chatRepo.messageBySeq(conversation.id, notice!.seq))!,
      };
    });
    announceActivity(this.deps.live, 'ticket.created', result.row, 'public', now);
    this.deps.publisher.message(conversation.id, presentMessage(result.notice));
    await this.deps.publisher.conversation(conversation.id);
    if (by.kind === 'visitor') await this.deps.publisher.queue('ended', conversation.id);
    return { id: result.id, number: result.number };
  }

  /** A message written in a chat that is already a ticket, added to the ticket in the same transaction. */
  async append(trx: Transaction<Database>, conversation: ConversationView, m: ChatMessageRow) {
    const ticketId = conversation.ticket_id!;
    const repo = new TicketsRepository(trx, this.deps.tickets.dialect);
    const ticket = await repo.lockTicket(ticketId);
    // A closed ticket takes no more messages; the chat itself keeps them.
    if (!ticket || ticket.status === 'closed') return;
    const requester = { id: ticket.requester_id, role: 'member' };
    const written = this.ticketMessage(ticketId, requester, m, false);
    if (!written) return;
    const at = Number(m.created_at);
    await repo.insertMessage(written.message);
    if (m.attachment_id)
      await repo.insertAttachment(
        await this.attachmentOf(this.deps.chat.withExecutor(trx), ticketId, written.message, m),
      );
    const events = [written.event];
    // The same moves as a reply on the ticket: an agent opens a new ticket, the customer reopens one.
    const next = statusAfterMessage(ticket.status as Status, m.author_kind === 'agent', true);
    const patch: TicketUpdate = { updated_at: at, ...(next ? statusColumns(next, at) : {}) };
    if (next)
      events.push(
        event(ticketId, 'status_changed', 'public', m.author_id, at, {
          from: ticket.status,
          to: next,
          cause: 'message',
          messageId: written.message.id,
        }),
      );
    await repo.updateTicket(ticketId, patch);
    await repo.insertEvents(events);
    await this.deps.sla.refresh(trx, ticketId, at);
  }

  /** Tells open ticket screens that a chat message reached the ticket. */
  announce(ticketId: string, at: number) {
    void this.deps.tickets.findTicket(ticketId).then(
      (t) => t && announceActivity(this.deps.live, 'message.created', t, 'public', at),
      () => undefined,
    );
  }

  private ticketMessage(
    ticketId: string,
    requester: { id: string; role: string },
    m: ChatMessageRow,
    initial: boolean,
  ): { message: TicketMessageRow; event: TicketEventRow } | undefined {
    if (m.author_kind === 'system') return undefined;
    const authorId = m.author_kind === 'visitor' ? requester.id : m.author_id;
    if (!authorId) return undefined;
    const at = Number(m.created_at);
    const message: TicketMessageRow = {
      id: newId(),
      ticket_id: ticketId,
      author_id: authorId,
      visibility: 'public',
      body_format: 'text',
      body: m.body.trim() === '' ? '\u{1F4CE}' : m.body,
      created_at: at,
    };
    return {
      message,
      event: event(ticketId, 'message_added', 'public', authorId, at, {
        messageId: message.id,
        visibility: 'public',
        authorRole: m.author_kind === 'visitor' ? requester.role : 'agent',
        chatMessageId: m.id,
        ...(initial ? { initial: true } : {}),
      }),
    };
  }

  private async attachmentOf(
    chat: ChatRepository,
    ticketId: string,
    message: TicketMessageRow,
    m: ChatMessageRow,
  ): Promise<AttachmentRow> {
    const file = (await chat.findAttachment(m.conversation_id, m.attachment_id!))!;
    return {
      id: newId(),
      ticket_id: ticketId,
      message_id: message.id,
      filename: file.filename,
      content_type: file.content_type,
      size: Number(file.size),
      sha256: file.sha256,
      // The bytes stay where the chat stored them; the ticket's row points at them too.
      storage_key: file.storage_key,
      uploaded_by_id: message.author_id,
      created_at: Number(file.created_at),
    };
  }

  /** The ticket's requester: the signed-in visitor, the customer with that address, or a new authorized user. */
  private async requester(
    c: ConversationView,
  ): Promise<{ id: string; role: string; organizationId: string }> {
    const { customers, users } = this.deps;
    if (c.visitor_user_id) {
      const user = await customers.findUser(c.visitor_user_id);
      if (user?.organization_id && user.deactivated_at === null)
        return { id: user.id, role: user.role, organizationId: user.organization_id };
    }
    const known = await customers.findUserByEmail(c.visitor_email);
    if (known) {
      if (known.deactivated_at === null && isCustomerRole(known.role) && known.organization_id)
        return { id: known.id, role: known.role, organizationId: known.organization_id };
      throw unprocessable(
        'chat-requester',
        `${c.visitor_email} cannot file tickets (staff or deactivated user).`,
      );
    }
    // As for email: only an organization that accepts unknown senders gains a user this way.
    const organization = c.organization_id ? await customers.findOrganization(c.organization_id) : undefined;
    if (!organization || Number(organization.email_signup) !== 1)
      throw unprocessable(
        'chat-no-organization',
        `${c.visitor_email} is not a known customer, and no organization accepts it as a new authorized user; the visitor should sign in or write from a known address.`,
      );
    try {
      await users.create(null, {
        email: c.visitor_email,
        name: c.visitor_name,
        role: 'member',
        organizationId: organization.id,
        ...(c.locale === 'fr' || c.locale === 'en' ? { locale: c.locale } : {}),
      });
    } catch (error) {
      if (!(error instanceof Problem && error.status === 409)) throw error;
    }
    const user = (await customers.findUserByEmail(c.visitor_email))!;
    return { id: user.id, role: user.role, organizationId: user.organization_id! };
  }
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}\u2026` : line;
}
