import { createHash, randomBytes } from 'node:crypto';
import { checkContent, cleanFilename } from '../../attachments/content-type.js';
import type { AttachmentStore } from '../../attachments/store.js';
import type { EmbedService } from '../in-app/embed.js';
import { sameSecret } from '../../auth/hook.js';
import { hashSecret } from '../../auth/secrets.js';
import { isCustomerRole, isStaff, type Principal } from '../../auth/principal.js';
import type { OrganizationsService } from '../../customers/organizations-service.js';
import type { CustomersRepository } from '../../customers/repository.js';
import { isUniqueViolation } from '../../db/dialect.js';
import type { ChatConversationRow } from '../../db/tables.js';
import type { SpamRecorder } from '../../fairuse/spam/service.js';
import { mailT } from '../../notifications/mail-text.js';
import type { Priority } from '../../policy/tiers.js';
import type { PolicyVersion } from '../../policy/versions.js';
import { newId } from '../../shared/ids.js';
import { badRequest, conflict, notFound, Problem, tooManyRequests } from '../../shared/problem.js';
import { WindowLimiter } from '../../shared/rate-limit.js';
import type { Clock } from '../../shared/time.js';
import type { PolicyTermsResolver } from '../../sla/terms.js';
import type { LedgerTransaction } from '../../tickets/ledger.js';
import type { FilingAttempt } from '../../tickets/support-limits.js';
import { ChatAvailability, type ChatLocale } from './availability.js';
import { appendMessage, systemMessage } from './messages.js';
import { MAX_CHAT_MESSAGE_CHARS, queueRank, type ChatMessageOut, type ChatSide } from './model.js';
import { presentMessage, visitorView } from './presenters.js';
import type { ChatPublisher } from './publisher.js';
import type { ChatRepository, ConversationView } from './repository.js';
import type { ChatTranscripts } from './transcript.js';
import type { ChatTickets } from './tickets.js';

/** Who is calling: a visitor holding a conversation's secret, or a member of staff. */
export type ChatCaller = { kind: 'visitor'; token: string } | { kind: 'staff'; principal: Principal };

export interface ChatAccess {
  conversation: ConversationView;
  side: ChatSide;
  principal: Principal | null;
}

export interface ChatLimits {
  /** Conversations one address may start per hour. */
  startsPerHour: number;
  /** Messages one side of a conversation may send per 10 seconds. */
  messagesPer10s: number;
  maxAttachmentBytes: number;
}

/** A chat still waiting this long after its visitor's page went away ends by itself. */
export const ABANDONED_AFTER_MS = 10 * 60_000;

export interface ChatServiceDeps {
  repo: ChatRepository;
  publisher: ChatPublisher;
  embed: EmbedService;
  customers: CustomersRepository;
  organizations: OrganizationsService;
  terms: PolicyTermsResolver;
  /** The support policy in force at an instant (the priority names the chat button shows). */
  policyAt: (at: number) => Promise<PolicyVersion>;
  /** The desk's support address, offered to visitors when no agent is online. */
  supportEmail: string | null;
  tickets: ChatTickets;
  transcripts: ChatTranscripts;
  attachments: AttachmentStore;
  clock: Clock;
  limits: ChatLimits;
  /** Support limits (fair use): an organization suspended, or restricted to other channels, does not chat. */
  supportLimits?: { checkChannel(attempt: FilingAttempt): Promise<void> };
  /** The spam folder: chat starts refused as automated or over the address's cap are held there. */
  spam?: SpamRecorder;
}

export interface StartInput {
  name?: string | undefined;
  email?: string | undefined;
  embedToken?: string | undefined;
  locale?: 'en' | 'fr' | undefined;
  priority?: Priority | undefined;
  message?: string | undefined;
  page?: string | undefined;
  website?: string | undefined;
}

export interface PostInput {
  clientId: string;
  body: string;
  attachmentId?: string | undefined;
}

/**
 * Live chat's rules for a conversation: who may read and write it, starting it (who the visitor is,
 * their organization, tier and place in line), its messages (stored once, numbered, then
 * announced), typing and receipts, files, and its end with the transcript.
 */
export class ChatService {
  private readonly messageLimiter: WindowLimiter;
  private readonly signalLimiter = new WindowLimiter(30, 10_000);
  private readonly availabilityOf: ChatAvailability;

  constructor(private readonly deps: ChatServiceDeps) {
    this.messageLimiter = new WindowLimiter(deps.limits.messagesPer10s, 10_000);
    this.availabilityOf = new ChatAvailability(deps);
  }

  /** The conversation and the caller's side in it; a wrong secret reads as an unknown conversation. */
  async access(caller: ChatCaller, conversationId: string): Promise<ChatAccess> {
    const conversation = await this.deps.repo.findConversation(conversationId);
    const missing = notFound('The conversation');
    if (!conversation) throw missing;
    if (caller.kind === 'visitor') {
      if (!sameSecret(hashSecret(caller.token), conversation.token_hash)) throw missing;
      return { conversation, side: 'visitor', principal: null };
    }
    if (!isStaff(caller.principal)) throw missing;
    return { conversation, side: 'agent', principal: caller.principal };
  }

  /** Whether agents are online, with the policy's priority names in the visitor's language. */
  async availability(locale: ChatLocale) {
    return this.availabilityOf.forVisitors(locale, this.deps.clock());
  }

  async start(input: StartInput, clientKey: string) {
    const { repo, clock, limits } = this.deps;
    const now = clock();
    if (input.website && input.website.trim() !== '') {
      await this.holdAsSpam(input, clientKey, 'honeypot: the hidden website field was filled in', now);
      throw badRequest('This chat request was refused as automated.');
    }
    const recent = await repo.startsSince(clientKey, now - 3600_000);
    if (recent >= limits.startsPerHour) {
      await this.holdAsSpam(
        input,
        clientKey,
        `rate_limited: more than ${limits.startsPerHour} chats started from one address in an hour`,
        now,
      );
      throw tooManyRequests('Too many chats were started from this address; try again later.', 600);
    }
    const visitor = await this.identify(input);
    const priority = input.priority ?? 'P2';
    if (visitor.organizationId)
      await this.deps.supportLimits?.checkChannel({
        organizationId: visitor.organizationId,
        requesterId: visitor.userId ?? '',
        channel: 'chat',
        priority,
        now,
      });
    const tier = visitor.organizationId
      ? await this.deps.organizations.tierAt(visitor.organizationId, now)
      : null;
    const token = randomBytes(32).toString('base64url');
    const row: ChatConversationRow = {
      id: newId(),
      status: 'queued',
      visitor_name: visitor.name,
      visitor_email: visitor.email,
      visitor_user_id: visitor.userId,
      verified: visitor.userId ? 1 : 0,
      organization_id: visitor.organizationId,
      tier,
      priority,
      locale: input.locale ?? visitor.locale ?? 'en',
      page: input.page ?? null,
      token_hash: hashSecret(token),
      client_key: clientKey,
      queue_rank: queueRank(tier, priority),
      agent_id: null,
      ticket_id: null,
      last_seq: 0,
      visitor_delivered_seq: 0,
      visitor_seen_seq: 0,
      agent_delivered_seq: 0,
      agent_seen_seq: 0,
      first_agent_message_at: null,
      created_at: now,
      accepted_at: null,
      ended_at: null,
      transcript_sent_at: null,
      visitor_seen_at: now,
    };
    await repo.transaction(async (trx) => {
      await trx.insertConversation(row);
      if (input.message)
        await appendMessage(
          trx,
          row.id,
          {
            clientId: null,
            authorKind: 'visitor',
            authorId: visitor.userId,
            authorName: visitor.name,
            body: input.message,
            attachmentId: null,
          },
          now,
        );
    });
    await this.deps.publisher.queue('queued', row.id);
    const view = (await repo.findConversation(row.id))!;
    const expectedResponse = await this.availabilityOf.promise(
      {
        verified: row.verified === 1,
        organizationId: visitor.organizationId,
        tier,
        priority,
        locale: row.locale as ChatLocale,
      },
      now,
    );
    return {
      // An unverified visitor is not told which organization or tier their typed address matched.
      conversation: visitorView(await this.deps.publisher.present(view)),
      visitorToken: token,
      availability: { ...(await this.availabilityOf.counts(now)), expectedResponse },
    };
  }

  /** Keeps a refused start in the spam folder, with what the visitor typed (never their token). */
  private async holdAsSpam(input: StartInput, clientKey: string, reason: string, at: number) {
    const who = input.email ?? (input.embedToken ? 'signed-in visitor' : 'anonymous');
    await this.deps.spam?.hold({
      channel: 'chat',
      source: input.email ?? `address ${clientKey}`,
      summary: `${input.name ?? who}: ${input.message ?? '(no message)'}`,
      reason,
      payload: {
        name: input.name ?? null,
        email: input.email ?? null,
        message: input.message ?? null,
        page: input.page ?? null,
        priority: input.priority ?? null,
        website: input.website ?? null,
        clientKey,
      },
      at,
    });
  }

  /** The visitor: the signed-in user a vendor's token names, or the name and address typed in (unverified). */
  private async identify(input: StartInput) {
    if (input.embedToken) {
      const user = await this.deps.embed.identify(input.embedToken);
      return {
        name: user.name,
        email: user.email,
        userId: user.id as string | null,
        organizationId: user.organization_id,
        locale: user.locale as 'en' | 'fr' | null,
      };
    }
    if (!input.name || !input.email)
      throw badRequest('Give your name and email to start a chat.', [
        ...(input.name ? [] : [{ field: 'body.name', message: 'required' }]),
        ...(input.email ? [] : [{ field: 'body.email', message: 'required' }]),
      ]);
    const email = input.email.toLowerCase();
    const known = await this.deps.customers.findUserByEmail(email);
    let organizationId: string | null = null;
    if (known && known.deactivated_at === null && isCustomerRole(known.role))
      organizationId = known.organization_id;
    else if (!known) {
      const domain = email.slice(email.lastIndexOf('@') + 1);
      const [owner] = await this.deps.customers.findDomainOwners([domain]);
      organizationId = owner?.organization_id ?? null;
    }
    return { name: input.name, email, userId: null, organizationId, locale: null };
  }

  /** The conversation as the caller may see it: a visitor only what is theirs to know. */
  async get(caller: ChatCaller, id: string) {
    const { conversation, side } = await this.access(caller, id);
    const presented = await this.deps.publisher.present(conversation);
    return side === 'visitor' ? visitorView(presented) : presented;
  }

  async messages(caller: ChatCaller, id: string, after: number, limit: number) {
    await this.access(caller, id);
    return (await this.deps.repo.messagesAfter(id, after, limit)).map(presentMessage);
  }

  /**
   * Stores a message, then announces it: what the sender is told was received is already kept. A
   * message resent with the same client id is the one stored the first time.
   */
  async post(
    caller: ChatCaller,
    id: string,
    input: PostInput,
  ): Promise<{ message: ChatMessageOut; created: boolean }> {
    const { repo, clock } = this.deps;
    const { conversation, side, principal } = await this.access(caller, id);
    const existing = await repo.findByClientId(id, input.clientId);
    if (existing) return { message: presentMessage(existing), created: false };
    const body = input.body.trim();
    if (body.length > MAX_CHAT_MESSAGE_CHARS)
      throw badRequest(`A chat message holds at most ${MAX_CHAT_MESSAGE_CHARS} characters.`);
    if (body === '' && !input.attachmentId) throw badRequest('The message is empty.');
    if (side === 'agent') this.assertAgentOf(conversation, principal!);
    const now = clock();
    const wait = this.messageLimiter.hit(`${id}:${side}`, now);
    if (wait > 0) throw tooManyRequests('Messages are being sent too fast; wait a moment.', wait);
    if (input.attachmentId && !(await repo.findAttachment(id, input.attachmentId)))
      throw notFound('The attachment');
    let stored;
    let ticketWrite: LedgerTransaction | undefined;
    try {
      stored = await repo.transaction(async (trx, db) => {
        const row = await appendMessage(
          trx,
          id,
          {
            clientId: input.clientId,
            authorKind: side,
            authorId: side === 'agent' ? principal!.userId : conversation.visitor_user_id,
            authorName: side === 'agent' ? principal!.name : conversation.visitor_name,
            body,
            attachmentId: input.attachmentId ?? null,
          },
          now,
        );
        if (!row) throw conflict('chat-ended', 'This chat has ended; start a new one.');
        if (conversation.ticket_id) ticketWrite = await this.deps.tickets.append(db, conversation, row);
        return (await trx.messageBySeq(id, row.seq))!;
      });
    } catch (error) {
      // The same message sent twice at once: the other attempt stored it.
      const raced = isUniqueViolation(error) ? await repo.findByClientId(id, input.clientId) : undefined;
      if (raced) return { message: presentMessage(raced), created: false };
      throw error;
    }
    const message = presentMessage(stored);
    this.deps.publisher.message(id, message);
    if (ticketWrite) this.deps.tickets.announce(ticketWrite);
    return { message, created: true };
  }

  private assertAgentOf(conversation: ConversationView, principal: Principal) {
    if (conversation.status === 'queued')
      throw conflict('chat-not-accepted', 'Accept the chat before writing in it.');
    if (conversation.agent_id !== principal.userId && principal.role === 'agent')
      throw conflict('chat-not-yours', 'Another agent is in this chat; ask them to transfer it to you.');
  }

  async typing(caller: ChatCaller, id: string, active: boolean, origin?: string) {
    const { conversation, side, principal } = await this.access(caller, id);
    if (conversation.status === 'ended') return;
    if (this.signalLimiter.hit(`${id}:${side}:signal`, this.deps.clock()) > 0) return;
    const name = side === 'agent' ? principal!.name : conversation.visitor_name;
    this.deps.publisher.frame(id, { type: 'typing', conversationId: id, side, name, active }, origin);
  }

  /** Raises what one side has received and seen; the other side's screen shows it as delivery state. */
  async receipt(caller: ChatCaller, id: string, marks: { deliveredSeq?: number; seenSeq?: number }) {
    const { conversation, side } = await this.access(caller, id);
    const last = Number(conversation.last_seq);
    const seen = Math.min(marks.seenSeq ?? 0, last);
    const delivered = Math.max(Math.min(marks.deliveredSeq ?? 0, last), seen);
    // Stored whatever the pace (a no-op unless it raises a mark); only the announcement is limited.
    if (!(await this.deps.repo.raiseReceipt(id, side, delivered, seen))) return;
    if (this.signalLimiter.hit(`${id}:${side}:signal`, this.deps.clock()) > 0) return;
    const view = (await this.deps.repo.findConversation(id))!;
    const mark = side === 'visitor' ? view.visitor_delivered_seq : view.agent_delivered_seq;
    const seenMark = side === 'visitor' ? view.visitor_seen_seq : view.agent_seen_seq;
    this.deps.publisher.frame(id, {
      type: 'receipt',
      conversationId: id,
      side,
      deliveredSeq: Number(mark),
      seenSeq: Number(seenMark),
    });
  }

  /** Ends the chat (either side); the visitor may ask for the transcript by email. */
  async end(caller: ChatCaller, id: string, transcript: boolean) {
    const { repo, clock } = this.deps;
    const { conversation, side, principal } = await this.access(caller, id);
    if (side === 'agent' && conversation.status === 'active') this.assertAgentOf(conversation, principal!);
    const now = clock();
    const t = mailT(conversation.locale === 'fr' ? 'fr' : 'en');
    // Read before the transaction: SQLite has one connection, which the transaction holds.
    // The transcript goes to a signed-in visitor, or to a typed-in address once an agent has written:
    // an unanswered chat would only mail an address back what was typed at it.
    const mailable = conversation.visitor_user_id !== null || conversation.first_agent_message_at !== null;
    const context = transcript && mailable ? await this.deps.transcripts.context(now) : undefined;
    let closing: ChatMessageOut | undefined;
    await repo.transaction(async (trx, db) => {
      if (!(await trx.end(id, now))) return;
      const by = side === 'agent' ? principal!.name : conversation.visitor_name;
      const row = await appendMessage(trx, id, systemMessage(t('chat.ended', { name: by })), now);
      closing = presentMessage((await trx.messageBySeq(id, row!.seq))!);
      if (context) await this.deps.transcripts.queue(db, trx, id, now, context);
    });
    if (closing) {
      this.deps.publisher.message(id, closing);
      await this.deps.publisher.conversation(id);
      await this.deps.publisher.queue('ended', id, conversation.agent_id ?? undefined);
    } else if (context) {
      await repo.transaction((trx, db) => this.deps.transcripts.queue(db, trx, id, now, context));
    }
    return this.get(caller, id);
  }

  /**
   * Ends the chats left waiting by visitors who went away (no page connected for `afterMs`), so the
   * queue shows people who are still there. Any process may run it; ending twice is harmless.
   */
  async endAbandoned(afterMs = ABANDONED_AFTER_MS, limit = 100): Promise<number> {
    const { repo, clock, publisher } = this.deps;
    const now = clock();
    const ids = await repo.abandoned(now - afterMs, limit);
    for (const id of ids) {
      const conversation = await repo.findConversation(id);
      if (!conversation) continue;
      const t = mailT(conversation.locale === 'fr' ? 'fr' : 'en');
      const closing = await repo.transaction(async (trx) => {
        if (!(await trx.end(id, now))) return undefined;
        const row = await appendMessage(
          trx,
          id,
          systemMessage(t('chat.abandoned', { name: conversation.visitor_name })),
          now,
        );
        return (await trx.messageBySeq(id, row!.seq))!;
      });
      if (closing) publisher.message(id, presentMessage(closing));
    }
    if (ids.length > 0) await publisher.queue('ended');
    return ids.length;
  }

  async touchVisitors(ids: string[]) {
    await this.deps.repo.touchVisitors(ids, this.deps.clock());
  }

  async addAttachment(
    caller: ChatCaller,
    id: string,
    file: { filename: string; declaredType: string; data: Buffer },
  ) {
    const { conversation, side } = await this.access(caller, id);
    if (conversation.status === 'ended')
      throw conflict('chat-ended', 'This chat has ended; start a new one.');
    if (file.data.length === 0)
      throw badRequest('The file is empty.', [{ field: 'file', message: 'empty file' }]);
    const max = this.deps.limits.maxAttachmentBytes;
    if (file.data.length > max)
      throw new Problem(413, 'Content Too Large', `Attachments are limited to ${max} bytes.`);
    const wait = this.messageLimiter.hit(`${id}:${side}`, this.deps.clock());
    if (wait > 0) throw tooManyRequests('Files are being sent too fast; wait a moment.', wait);
    const filename = cleanFilename(file.filename);
    const check = await checkContent(file.data, file.declaredType, filename);
    if (!check.ok)
      throw new Problem(415, 'Unsupported Media Type', `This attachment was refused: ${check.reason}.`);
    const attachmentId = newId();
    const storageKey = `chat/${attachmentId.slice(-2)}/${attachmentId}`;
    await this.deps.attachments.put(storageKey, file.data);
    const row = {
      id: attachmentId,
      conversation_id: id,
      filename,
      content_type: check.contentType,
      size: file.data.length,
      sha256: createHash('sha256').update(file.data).digest('hex'),
      storage_key: storageKey,
      uploaded_by: side,
      created_at: this.deps.clock(),
    };
    try {
      await this.deps.repo.insertAttachment(row);
    } catch (error) {
      await this.deps.attachments.delete(storageKey);
      throw error;
    }
    return { id: row.id, filename, contentType: row.content_type, size: row.size };
  }

  async openAttachment(caller: ChatCaller, id: string, attachmentId: string) {
    await this.access(caller, id);
    const row = await this.deps.repo.findAttachment(id, attachmentId);
    if (!row) throw notFound('The attachment');
    return { attachment: row, stream: await this.deps.attachments.get(row.storage_key) };
  }
}
