import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { isStaff, isCustomerRole, principalOf, type Principal } from '../../auth/principal.js';
import type { MailConfig } from '../../config.js';
import type { OrganizationsService } from '../../customers/organizations-service.js';
import type { CustomersRepository } from '../../customers/repository.js';
import type { UsersService } from '../../customers/users-service.js';
import type { SpamRecorder } from '../../fairuse/spam/service.js';
import { newId } from '../../shared/ids.js';
import { conflict, Problem } from '../../shared/problem.js';
import type { Clock } from '../../shared/time.js';
import type { TicketAttachmentsService } from '../../tickets/attachments-service.js';
import { MAX_BODY_CHARS } from '../../tickets/schema.js';
import type { TicketsService } from '../../tickets/service.js';
import type { TicketConversationService } from '../../tickets/conversation-service.js';
import { canSeeTicket } from '../../tickets/visibility.js';
import { TicketsRepository } from '../../tickets/repository.js';
import type { NotificationsRepository } from '../../notifications/repository.js';
import type { OutboxRepository } from '../../notifications/outbox.js';
import type { MailAuthenticator, SenderVerdict } from './authentication.js';
import { automaticMail, referencedMessageIds } from './loop.js';
import { MailParseError, parseMail, type ParsedMail } from './parse.js';
import { priorityFromMail } from './priority.js';
import { latestReply, latestReplyHtml } from './quote.js';
import {
  isDeskAddress,
  staffOfReplyToken,
  ticketOfReplyToken,
  tokenOfAddress,
} from '../../notifications/reply-tokens.js';
import type { MailRepository } from './repository.js';

export type Disposition =
  | 'ticket_created'
  | 'reply_added'
  | 'duplicate'
  | 'loop'
  | 'bounce'
  | 'rate_limited'
  | 'rejected'
  | 'limited'
  /** Claims a staff sender without proof: held in the spam folder, staff told. */
  | 'unverified_staff';

export interface IngestResult {
  disposition: Disposition;
  mailId: string;
  ticketId?: string;
  ticketNumber?: number;
  reason?: string;
}

export interface Envelope {
  /** The SMTP MAIL FROM (empty for bounces). */
  from?: string;
  /** The SMTP RCPT TO addresses. */
  to?: string[];
  /** The address of the SMTP client that handed the mail over (for SPF); none for IMAP. */
  clientIp?: string | undefined;
  /** The client's HELO/EHLO name. */
  helo?: string | undefined;
}

export interface IngestLog {
  warn(obj: unknown, msg?: string): void;
}

export interface EmailIngestDeps {
  mail: MailRepository;
  tickets: TicketsService;
  conversation: TicketConversationService;
  ticketsRepo: TicketsRepository;
  attachments: TicketAttachmentsService;
  users: UsersService;
  organizations: OrganizationsService;
  customers: CustomersRepository;
  config: MailConfig;
  /** Raw messages are kept under DATA_DIR/mail-raw for inspection. */
  dataDir: string;
  maxAttachmentBytes: number;
  clock: Clock;
  log?: IngestLog;
  /**
   * Support limits (fair use): a mail a limit refused is answered with what is limited, why and
   * until when. Returns false for any other refusal.
   */
  limits?: {
    answerRefusal(
      error: unknown,
      mail: { from: string; subject: string; messageId: string | null },
    ): Promise<boolean>;
  };
  /** The spam folder: a mail over the sender's cap is held there for staff to release or discard. */
  spam?: SpamRecorder;
  /** DKIM, SPF and DMARC: who the sender is, as far as the desk can tell. */
  authenticator: MailAuthenticator;
  /** What the desk mailed, so that a bounce counts only for mail really sent to its recipient. */
  sentMail: Pick<OutboxRepository, 'mailedTo'>;
  /** Tells staff of a mail that claimed one of them without proof. */
  notifications: Pick<NotificationsRepository, 'toStaff'>;
}

interface ProcessContext {
  mailId: string;
  from: string;
  recipients: string[];
  now: number;
  /** False for a mail staff released from the spam folder: the sender's cap no longer applies to it. */
  capped: boolean;
  /** How the sender was authenticated when the mail arrived. */
  verdict: SenderVerdict | null;
}

const SUBJECT_TOKEN = /\[#(\d{1,12})\]/;
/** Merges form no chains (a merged ticket is closed and takes no merge), but a pointer is followed warily. */
const MAX_MERGE_HOPS = 5;
const HOUR = 3600_000;
const MAX_HTML_ELEMENTS = 5_000;

/**
 * Turns one inbound mail into a ticket or a reply, the same way whichever way it came in (the SMTP
 * listener or the IMAP poller): kept raw, parsed, de-duplicated by Message-ID, screened for loops
 * and bounces, capped per sender, routed to its ticket (reply address, then In-Reply-To and
 * References, then the [#number] in the subject), and filed through the same ticket rules as the
 * portal. A mail never posts into a ticket its sender could not read in the portal.
 *
 * Resolves once the outcome is stored; rejects only on a transient failure (the database), so the
 * MTA or the poller tries again later.
 */
export class EmailIngestService {
  constructor(private readonly deps: EmailIngestDeps) {}

  async ingest(raw: Buffer, envelope: Envelope = {}): Promise<IngestResult> {
    const { mail, clock } = this.deps;
    const now = clock();
    const mailId = newId();
    const rawPath = await this.keepRaw(mailId, raw, now);

    let parsed: ParsedMail;
    try {
      parsed = await parseMail(raw, { maxAttachmentBytes: this.deps.maxAttachmentBytes });
    } catch (error) {
      if (!(error instanceof MailParseError)) throw error;
      const reason = `unreadable MIME: ${error.message}`.slice(0, 500);
      await mail.recordInbound(
        {
          id: mailId,
          messageId: `unparsed-${sha256(raw)}`,
          from: (envelope.from ?? '').toLowerCase(),
          to: envelope.to ?? [],
          subject: '',
          rawPath,
          size: raw.length,
          at: now,
        },
        'rejected',
        reason,
      );
      this.deps.log?.warn({ mailId, rawPath, reason }, 'inbound mail rejected');
      return { disposition: 'rejected', mailId, reason };
    }

    // Without a Message-ID the bytes themselves identify the mail, so a redelivery is still a duplicate.
    const messageId = parsed.messageId ?? `no-id-${sha256(raw)}`;
    const from = parsed.from?.address ?? (envelope.from ?? '').toLowerCase();
    const recipients = [...parsed.to, ...parsed.cc, ...parsed.deliveredTo, ...(envelope.to ?? [])].map((a) =>
      a.toLowerCase(),
    );
    const auth = await this.deps.authenticator.check(raw, {
      sender: envelope.from,
      clientIp: envelope.clientIp,
      helo: envelope.helo,
    });
    const claim = await mail.claimInbound({
      id: mailId,
      messageId,
      from,
      to: recipients,
      subject: parsed.subject,
      rawPath,
      size: raw.length,
      at: now,
      auth,
    });
    if (!claim.claimed) return { disposition: 'duplicate', mailId, reason: `already ${claim.disposition}` };
    return this.settle(parsed, {
      mailId: claim.id,
      from,
      recipients,
      now,
      capped: true,
      verdict: auth.verdict,
    });
  }

  /**
   * Ingests a mail the sender's cap held back, once staff released it from the spam folder: as if
   * the cap had not held it. Only a mail still held is taken, by one caller.
   */
  async release(mailId: string): Promise<IngestResult> {
    const { mail, clock } = this.deps;
    const held = await mail.findInbound(mailId);
    if (held?.disposition === 'unverified_staff')
      throw conflict(
        'mail-unverified-staff',
        'This mail claims to come from a member of staff without proof, and cannot be let through: they answer in the desk, or by mail to their own reply address for the ticket.',
      );
    if (!held || held.disposition !== 'rate_limited' || !held.raw_path)
      throw conflict('mail-not-held', 'This mail is not held back by the rate cap any more.');
    const raw = await fs.readFile(path.join(this.deps.dataDir, held.raw_path));
    const parsed = await parseMail(raw, { maxAttachmentBytes: this.deps.maxAttachmentBytes });
    if (!(await mail.retake(held.id, 'rate_limited')))
      throw conflict('mail-not-held', 'This mail is not held back by the rate cap any more.');
    const recipients = (JSON.parse(held.to_addresses) as string[]).map((a) => a.toLowerCase());
    return this.settle(parsed, {
      mailId: held.id,
      from: held.from_address,
      recipients,
      now: clock(),
      capped: false,
      verdict: isVerdict(held.auth_verdict) ? held.auth_verdict : null,
    });
  }

  /** Processes a claimed mail and stores its outcome. */
  private async settle(parsed: ParsedMail, ctx: ProcessContext): Promise<IngestResult> {
    const { mail } = this.deps;
    try {
      const result = await this.process(parsed, ctx);
      if (!result.recorded)
        await mail.finishInbound(ctx.mailId, {
          disposition: result.disposition,
          reason: result.reason ?? null,
          ticketId: result.ticketId ?? null,
          ticketMessageId: result.ticketMessageId ?? null,
        });
      return {
        disposition: result.disposition,
        mailId: ctx.mailId,
        ...(result.ticketId ? { ticketId: result.ticketId } : {}),
        ...(result.ticketNumber ? { ticketNumber: result.ticketNumber } : {}),
        ...(result.reason ? { reason: result.reason } : {}),
      };
    } catch (error) {
      // A refusal by the ticket rules is an answer, not a failure: record it and stop. A support
      // limit's refusal is answered by mail, so the sender learns what is limited and until when.
      if (error instanceof Problem && error.status < 500) {
        const reason = `${error.title}: ${error.detail}`.slice(0, 500);
        const answered = await this.deps.limits?.answerRefusal(error, {
          from: ctx.from,
          subject: parsed.subject,
          messageId: parsed.messageId,
        });
        const disposition: Disposition = answered ? 'limited' : 'rejected';
        await mail.finishInbound(ctx.mailId, { disposition, reason });
        return { disposition, mailId: ctx.mailId, reason };
      }
      await mail
        .finishInbound(ctx.mailId, { disposition: 'failed', reason: String(error).slice(0, 500) })
        .catch(() => undefined);
      throw error;
    }
  }

  private async process(
    parsed: ParsedMail,
    ctx: ProcessContext,
  ): Promise<{
    disposition: Disposition;
    reason?: string;
    ticketId?: string;
    ticketNumber?: number;
    ticketMessageId?: string;
    /** The outcome was stored with the ticket, in its transaction. */
    recorded?: boolean;
  }> {
    const { config } = this.deps;
    const automatic = automaticMail(parsed);
    if (automatic?.kind === 'bounce') return this.bounce(parsed, ctx, automatic);
    if (automatic) return { disposition: 'loop', reason: `${automatic.kind}: ${automatic.reason}` };
    if (!ctx.from) return { disposition: 'rejected', reason: 'no sender address' };
    if (isDeskAddress(config.supportEmail, ctx.from))
      return { disposition: 'loop', reason: `mail from the desk's own address ${ctx.from}` };

    const accepted = ctx.capped ? await this.deps.mail.acceptedSince(ctx.from, ctx.now - HOUR) : 0;
    if (accepted >= config.ratePerHour) {
      const reason = `more than ${config.ratePerHour} mails in an hour`;
      await this.deps.spam?.hold({
        channel: 'email',
        source: ctx.from,
        summary: parsed.subject.trim() || '(no subject)',
        reason: `rate_limited: ${reason}`,
        payload: { mailId: ctx.mailId },
        at: ctx.now,
      });
      return { disposition: 'rate_limited', reason };
    }

    const sender = await this.sender(parsed, ctx.from);
    if ('refused' in sender) return { disposition: 'rejected', reason: sender.refused };
    const actor = sender.principal;
    if (isStaff(actor)) return this.staffMail(parsed, ctx, actor);

    // A mail without attachments is done when its message is: its outcome is stored in the same
    // transaction. Attachments are filed after it, and the outcome waits for them.
    const recorded = parsed.attachments.length === 0;
    const answered = await this.thread(parsed, ctx.recipients, actor);
    if (answered) {
      const message = await this.deps.conversation.addMessage(
        actor,
        answered.id,
        { ...this.body(parsed, true), public: true },
        recorded
          ? (trx, messageId) =>
              this.deps.mail.finishInbound(
                ctx.mailId,
                { disposition: 'reply_added', ticketId: answered.id, ticketMessageId: messageId },
                trx,
              )
          : undefined,
      );
      await this.attach(actor, answered.id, parsed, message.id);
      return {
        disposition: 'reply_added',
        ticketId: answered.id,
        ticketMessageId: message.id,
        ticketNumber: answered.number,
        recorded,
      };
    }
    const stated = priorityFromMail(parsed.subject, parsed.text);
    let opening: string | undefined;
    const created = await this.deps.tickets.create(
      actor,
      {
        subject: (stated.subject.trim() || parsed.subject.trim() || '(no subject)').slice(0, 300),
        ...this.body(parsed, false),
        // Mail states no urgency unless the customer writes one; staff re-triage.
        priority: stated.priority ?? 'P3',
        requestType: 'question',
      },
      { channel: 'email', ...(parsed.messageId ? { inboundMessageId: parsed.messageId } : {}) },
      async (trx, ticketId) => {
        opening = await new TicketsRepository(trx, this.deps.ticketsRepo.dialect).openingMessageId(ticketId);
        if (recorded)
          await this.deps.mail.finishInbound(
            ctx.mailId,
            { disposition: 'ticket_created', ticketId, ticketMessageId: opening ?? null },
            trx,
          );
      },
    );
    await this.attach(actor, created.id, parsed, undefined);
    return {
      disposition: 'ticket_created',
      ticketId: created.id,
      ticketNumber: created.number,
      ...(opening ? { ticketMessageId: opening } : {}),
      recorded,
    };
  }

  /**
   * A mail from a staff address. A From header is no proof of who wrote: staff answer by mail only
   * through their own secret reply address for the ticket (shown to them in the console), and not
   * when the sender's domain fails DMARC. Anything else is held in the spam folder, and the member
   * of staff it claims to be and the leads are told.
   */
  private async staffMail(parsed: ParsedMail, ctx: ProcessContext, actor: Principal) {
    const { config, ticketsRepo } = this.deps;
    let ticketId: string | undefined;
    for (const recipient of ctx.recipients) {
      const token = tokenOfAddress(config.supportEmail, recipient);
      const owner = token ? await staffOfReplyToken(ticketsRepo.db, token) : undefined;
      if (owner?.user_id === actor.userId) ticketId = owner.ticket_id;
    }
    const claim = `the mail claims to come from ${actor.name} (${ctx.from})`;
    const missing = [
      ...(!ticketId ? ['was not sent to their own reply address for a ticket'] : []),
      ...(ctx.verdict === 'failed' ? ["the sender's domain failed DMARC"] : []),
    ];
    const unproven = missing.length > 0 ? `${claim}, but ${missing.join(', and ')}` : undefined;
    if (unproven) {
      const summary = parsed.subject.trim() || '(no subject)';
      await this.deps.spam?.hold({
        channel: 'email',
        source: ctx.from,
        summary,
        reason: `unverified_staff: ${unproven}`,
        payload: { mailId: ctx.mailId },
        at: ctx.now,
      });
      await this.deps.notifications.toStaff(
        { ids: [actor.userId], roles: ['lead', 'admin'] },
        {
          ticketId: null,
          kind: 'mail_unverified_staff',
          title: `Mail held: it claims to come from ${actor.name}`,
          body: `“${summary.slice(0, 120)}” was held in the spam folder: ${unproven}. Staff answer in the desk, or by mail to their own reply address shown on the ticket.`,
          at: ctx.now,
        },
      );
      return { disposition: 'unverified_staff' as const, reason: unproven };
    }
    const message = await this.deps.conversation.addMessage(actor, ticketId!, {
      ...this.body(parsed, true),
      public: true,
    });
    await this.attach(actor, ticketId!, parsed, message.id);
    const ticket = await ticketsRepo.findTicket(ticketId!);
    return {
      disposition: 'reply_added' as const,
      ticketId: ticketId!,
      ticketMessageId: message.id,
      ...(ticket ? { ticketNumber: ticket.number } : {}),
    };
  }

  /**
   * A delivery failure. It silences an address (no mail to it for a while) only for the
   * recipients the desk really mailed: a Message-ID the bounce returns, or a reply address of a
   * ticket on which the desk wrote to them. Anyone can forge a bounce naming anyone.
   */
  private async bounce(
    parsed: ParsedMail,
    ctx: ProcessContext,
    automatic: { reason: string; failedRecipients: string[] },
  ) {
    const messageIds = referencedMessageIds(parsed);
    const ticketIds: string[] = [];
    for (const recipient of ctx.recipients) {
      const token = tokenOfAddress(this.deps.config.supportEmail, recipient);
      const ticketId = token ? await ticketOfReplyToken(this.deps.ticketsRepo.db, token) : undefined;
      if (ticketId) ticketIds.push(ticketId);
    }
    const ignored: string[] = [];
    for (const email of automatic.failedRecipients) {
      if (!(await this.deps.sentMail.mailedTo(email, { messageIds, ticketIds }))) {
        ignored.push(email);
        continue;
      }
      await this.deps.mail.recordBounce({
        email,
        reason: automatic.reason,
        messageId: parsed.messageId,
        at: ctx.now,
      });
    }
    const reason =
      ignored.length > 0
        ? `${automatic.reason}; not counted for ${ignored.slice(0, 5).join(', ')}: it names no mail the desk sent to them`
        : automatic.reason;
    return { disposition: 'bounce' as const, reason };
  }

  /**
   * Who wrote: a known, active user; an unknown sender from the domain of an organization that
   * lets its people join by mail becomes one of its authorized users; anyone else gets an
   * organization of their own at the basic tier.
   */
  private async sender(
    parsed: ParsedMail,
    from: string,
  ): Promise<{ principal: Principal } | { refused: string }> {
    const { customers, users, organizations } = this.deps;
    const known = await customers.findUserByEmail(from);
    if (known) {
      if (known.deactivated_at !== null) return { refused: 'the sender\u2019s access has ended' };
      return { principal: principalOf(known, 'token') };
    }
    const name = (parsed.from?.name || from.slice(0, from.indexOf('@'))).slice(0, 200) || from;
    const domain = from.slice(from.lastIndexOf('@') + 1);
    const [owner] = await customers.findDomainOwners([domain]);
    let organizationId: string;
    let role: 'member' | 'contact' = 'member';
    if (owner) {
      const org = await customers.findOrganization(owner.organization_id);
      if (!org || Number(org.email_signup) !== 1)
        return { refused: `${domain} belongs to an organization that does not accept unknown senders` };
      organizationId = org.id;
    } else {
      organizationId = (
        await organizations.create(null, {
          name: `${name} <${from}>`.slice(0, 200),
          domains: [],
          locale: 'en',
        })
      ).id;
      // The only person of their own organization answers for it.
      role = 'contact';
    }
    try {
      await users.create(null, { email: from, name, role, organizationId });
    } catch (error) {
      // The same sender's two first mails at once: the other created the user.
      if (!(error instanceof Problem && error.status === 409)) throw error;
    }
    const created = await customers.findUserByEmail(from);
    if (!created || !isCustomerRole(created.role)) return { refused: 'the sender could not be registered' };
    return { principal: principalOf(created, 'token') };
  }

  /** The ticket a mail answers, if it answers one its sender may read and that is still open. */
  private async thread(
    parsed: ParsedMail,
    recipients: string[],
    actor: Principal,
  ): Promise<{ id: string; number: number } | undefined> {
    const { mail, config, ticketsRepo } = this.deps;
    const candidates: string[] = [];
    for (const recipient of recipients) {
      const token = tokenOfAddress(config.supportEmail, recipient);
      const id = token ? await ticketOfReplyToken(ticketsRepo.db, token) : undefined;
      if (id) candidates.push(id);
    }
    candidates.push(
      ...(await mail.ticketsOfMessageIds([...parsed.inReplyTo, ...[...parsed.references].reverse()])),
    );
    const number = SUBJECT_TOKEN.exec(parsed.subject)?.[1];
    if (number) {
      const id = await mail.ticketIdOfNumber(Number(number));
      if (id) candidates.push(id);
    }
    for (const id of candidates) {
      let ticket = await ticketsRepo.findTicket(id);
      // A reply to a merged ticket continues in the ticket it was merged into.
      for (let hops = 0; ticket?.merged_into_id && hops < MAX_MERGE_HOPS; hops++)
        ticket = await ticketsRepo.findTicket(ticket.merged_into_id);
      // A forged reference to another organization's ticket falls through to a new ticket.
      if (ticket && ticket.status !== 'closed' && canSeeTicket(actor, ticket))
        return { id: ticket.id, number: ticket.number };
    }
    return undefined;
  }

  private body(parsed: ParsedMail, reply: boolean): { body: string; bodyFormat: 'text' | 'html' } {
    const text = (reply ? latestReply(parsed.text) : parsed.text).trim();
    // HTML with a pathological number of elements costs the sanitizer seconds; its text serves.
    if (parsed.html && (parsed.html.match(/</g)?.length ?? 0) <= MAX_HTML_ELEMENTS) {
      const html = (reply ? latestReplyHtml(parsed.html) : parsed.html).trim();
      if (html && html.length <= MAX_BODY_CHARS) return { body: html, bodyFormat: 'html' };
    }
    const body = text.slice(0, MAX_BODY_CHARS) || parsed.subject.trim() || '(empty message)';
    return { body, bodyFormat: 'text' };
  }

  /** Files each attachment the desk accepts; one it refuses (an executable, say) is noted and skipped. */
  private async attach(
    actor: Principal,
    ticketId: string,
    parsed: ParsedMail,
    messageId: string | undefined,
  ) {
    for (const file of parsed.attachments) {
      try {
        await this.deps.attachments.addAttachment(actor, ticketId, {
          filename: file.filename,
          declaredType: file.contentType,
          data: file.content,
          messageId,
        });
      } catch (error) {
        if (!(error instanceof Problem) || error.status >= 500) throw error;
        this.deps.log?.warn(
          { ticketId, filename: file.filename, reason: error.detail },
          'mail attachment refused',
        );
      }
    }
  }

  /** Keeps the raw message under DATA_DIR/mail-raw/YYYY-MM, for inspection and audit. */
  private async keepRaw(mailId: string, raw: Buffer, now: number): Promise<string> {
    const month = new Date(now).toISOString().slice(0, 7);
    const relative = path.join('mail-raw', month, `${mailId}.eml`);
    const file = path.join(this.deps.dataDir, relative);
    try {
      await writeRaw(file, raw);
    } catch (error) {
      // The month's folder is made by its first mail (or again, if someone removed it).
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await fs.mkdir(path.dirname(file), { recursive: true });
      await writeRaw(file, raw);
    }
    return relative;
  }
}

/**
 * Most mail is a few kilobytes: writing it to the page cache at once costs less than handing the
 * open, the write and the close to the thread pool one after the other. A large mail is written
 * without holding up the process.
 */
const SYNC_WRITE_MAX_BYTES = 256 * 1024;

async function writeRaw(file: string, raw: Buffer): Promise<void> {
  if (raw.length <= SYNC_WRITE_MAX_BYTES) writeFileSync(file, raw, { mode: 0o600 });
  else await fs.writeFile(file, raw, { mode: 0o600 });
}

const isVerdict = (value: string | null): value is SenderVerdict =>
  value === 'verified' || value === 'unverified' || value === 'failed';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
