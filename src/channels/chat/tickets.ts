import type { Transaction } from 'kysely';
import type { Principal } from '../../auth/principal.js';
import { isCustomerRole } from '../../auth/principal.js';
import type { OrganizationsService } from '../../customers/organizations-service.js';
import type { CustomersRepository } from '../../customers/repository.js';
import type { UsersService } from '../../customers/users-service.js';
import type { ChatMessageRow, Database } from '../../db/tables.js';
import { mailT } from '../../notifications/mail-text.js';
import type { Priority } from '../../policy/tiers.js';
import { conflict, Problem, unprocessable } from '../../shared/problem.js';
import type { Clock } from '../../shared/time.js';
import type { Writer } from '../../tickets/hooks.js';
import type {
  LedgerTransaction,
  NewAttachment,
  NewMessage,
  PastEntry,
  TicketLedger,
} from '../../tickets/ledger.js';
import type { SupportLimitsGate } from '../../tickets/support-limits.js';
import { appendMessage, systemMessage } from './messages.js';
import { presentMessage } from './presenters.js';
import type { ChatPublisher } from './publisher.js';
import type { ChatRepository, ConversationView } from './repository.js';

export interface ChatTicketsDeps {
  ledger: TicketLedger;
  chat: ChatRepository;
  organizations: OrganizationsService;
  customers: CustomersRepository;
  users: UsersService;
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
    const result = await this.deps.ledger.transaction(async (tx) => {
      const chatRepo = chat.withExecutor(tx.trx);
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
      const transcript: NewMessage[] = [];
      for (const m of messages) {
        const message = await this.ticketMessage(chatRepo, requester, m);
        if (message) transcript.push(message);
      }
      // The ticket opens with the customer's words; a chat the agent spoke in first opens with a note of its start.
      const opening: NewMessage =
        messages[0]?.author_kind === 'visitor' && transcript[0]
          ? transcript.shift()!
          : {
              author: requester,
              visibility: 'public',
              bodyFormat: 'text',
              body: t('chat.ticketOpening', { page: conversation.page ?? '-' }),
              at: openedAt,
            };
      const createdBy: Writer =
        by.kind === 'agent' ? { id: by.principal.userId, role: by.principal.role } : requester;
      const row = await tx.open(
        {
          subject,
          organizationId: requester.organizationId,
          requesterId: requester.id,
          createdBy,
          priority,
          channel: 'chat',
          requestType: 'question',
          tier,
          assigneeId: conversation.agent_id,
          openedAt,
          opening,
          facts: { chatId: conversation.id },
        },
        { by: createdBy, body: transcriptText(opening, transcript), overLimit },
        transcript.map((message): PastEntry => ({ kind: 'message', message })),
      );
      // Two agents turning the same chat into a ticket at once: the second is refused and rolled back.
      if (!(await chatRepo.setTicket(conversation.id, row.id)))
        throw conflict('chat-ticketed', 'This chat is already a ticket.');
      const notice = await appendMessage(
        chatRepo,
        conversation.id,
        systemMessage(t('chat.ticketCreated', { number: row.number })),
        now,
      );
      if (by.kind === 'visitor') await chatRepo.end(conversation.id, now);
      return {
        id: row.id,
        number: row.number,
        notice: (await chatRepo.messageBySeq(conversation.id, notice!.seq))!,
      };
    });
    this.deps.publisher.message(conversation.id, presentMessage(result.notice));
    await this.deps.publisher.conversation(conversation.id);
    if (by.kind === 'visitor') await this.deps.publisher.queue('ended', conversation.id);
    return { id: result.id, number: result.number };
  }

  /**
   * A message written in a chat that is already a ticket, added to the ticket in the chat's
   * transaction. Returns the ledger's part of the transaction, for announce() once it committed.
   */
  async append(
    trx: Transaction<Database>,
    conversation: ConversationView,
    m: ChatMessageRow,
  ): Promise<LedgerTransaction | undefined> {
    const tx = this.deps.ledger.within(trx);
    const ticket = await tx.lock(conversation.ticket_id!);
    // A closed ticket takes no more messages; the chat itself keeps them.
    if (!ticket || ticket.status === 'closed') return undefined;
    const chat = this.deps.chat.withExecutor(trx);
    const requester = {
      id: ticket.requester_id,
      role: (await chat.userRole(ticket.requester_id)) ?? 'member',
    };
    const message = await this.ticketMessage(chat, requester, m);
    if (!message) return undefined;
    // The same moves as a reply on the ticket: an agent opens a new ticket, the customer reopens one.
    await tx.addMessage(ticket, message, { channel: 'chat' });
    return tx;
  }

  /** Tells open ticket screens that a chat message reached the ticket, once its transaction committed. */
  announce(tx: LedgerTransaction) {
    this.deps.ledger.announce(tx);
  }

  private async ticketMessage(
    chat: ChatRepository,
    requester: Writer,
    m: ChatMessageRow,
  ): Promise<NewMessage | undefined> {
    if (m.author_kind === 'system') return undefined;
    const author: Writer | undefined =
      m.author_kind === 'visitor'
        ? requester
        : m.author_id
          ? { id: m.author_id, role: (await chat.userRole(m.author_id)) ?? 'agent' }
          : undefined;
    if (!author) return undefined;
    const at = Number(m.created_at);
    return {
      author,
      visibility: 'public',
      bodyFormat: 'text',
      body: m.body.trim() === '' ? '\u{1F4CE}' : m.body,
      at,
      facts: { chatMessageId: m.id },
      ...(m.attachment_id ? { attachments: [await this.attachmentOf(chat, author, m)] } : {}),
    };
  }

  private async attachmentOf(
    chat: ChatRepository,
    author: Writer,
    m: ChatMessageRow,
  ): Promise<NewAttachment> {
    const file = (await chat.findAttachment(m.conversation_id, m.attachment_id!))!;
    return {
      filename: file.filename,
      content_type: file.content_type,
      size: Number(file.size),
      sha256: file.sha256,
      // The bytes stay where the chat stored them; the ticket's row points at them too.
      storage_key: file.storage_key,
      uploaded_by_id: author.id,
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

/** What the fair-use signals read of a chat turned ticket: the customer's words in it. */
function transcriptText(opening: NewMessage, transcript: NewMessage[]): string {
  return [opening, ...transcript]
    .filter((m) => m.author.id === opening.author.id)
    .map((m) => m.body)
    .join('\n\n');
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}\u2026` : line;
}
