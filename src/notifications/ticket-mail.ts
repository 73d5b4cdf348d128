import type { Transaction } from 'kysely';
import { ensureReplyToken, replyAddress, tokenOfAddress } from './reply-tokens.js';
import type { Database } from '../db/tables.js';
import type { Priority, Tier } from '../policy/tiers.js';
import type { PolicyTermsResolver } from '../sla/terms.js';
import type { TicketHooks } from '../tickets/hooks.js';
import {
  clockText,
  durationText,
  htmlToText,
  instantText,
  mailLocale,
  mailT,
  type MailLocale,
} from './mail-text.js';
import { bracketed, newMessageId, type MailHeaders, type OutboxRepository } from './outbox.js';
import { TicketMailRepository, type TicketMailContext } from './ticket-mail-repository.js';

export interface EmailTicketNoticesDeps {
  outbox: OutboxRepository;
  /** The promise made to a ticket (its policy version, tier, priority and contract). */
  terms: PolicyTermsResolver;
  /** The support address: mail comes from it and replies go to its plus-addresses. */
  supportEmail: string;
  /** The desk's public address, for the portal link. */
  publicUrl: string;
}

/** A bounce this recent means the address takes no mail; after it, a mended mailbox is written to again. */
const BOUNCE_MEMORY_MS = 30 * 86400_000;
/** References keeps the thread's first mail and its latest ones (RFC 5322 3.6.4 allows trimming). */
const MAX_REFERENCES = 20;

/** Statuses the requester is told about by mail; the others show in the portal only (see statusChanged). */
const MAILED_STATUSES = new Set(['resolved', 'closed']);

type Mail = {
  kind: string;
  text: string;
  html?: string;
  headers: MailHeaders;
  ticketMessageId?: string;
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The thread headers of a mail answering the ticket's latest mail. */
export function threadHeaders(thread: string[]): MailHeaders {
  const last = thread.at(-1);
  if (!last) return {};
  const references =
    thread.length > MAX_REFERENCES ? [thread[0]!, ...thread.slice(-(MAX_REFERENCES - 1))] : thread;
  return { 'In-Reply-To': bracketed(last), References: references.map(bracketed).join(' ') };
}

/**
 * Tells the requester by mail: the acknowledgement of a new ticket with its number and the promised
 * first response, staff's public replies, and the ticket's resolution or closing. Each mail is queued
 * in the outbox inside the ticket's transaction, so it goes out exactly when the change commits, and
 * recorded in mail_messages, so that the customer's reply threads back to the ticket.
 */
export class EmailTicketNotices {
  constructor(private readonly deps: EmailTicketNoticesDeps) {}

  /**
   * The ticket ledger's hooks: the acknowledgement of every live ticket, staff's public replies
   * (not chat messages, which the customer read live) and a resolution or closing set by staff.
   */
  ticketHooks(clock: () => number): TicketHooks {
    return {
      ticketOpened: (tx, ticket, filing) =>
        this.ticketCreated(
          tx.trx,
          ticket.id,
          clock(),
          filing.inboundMessageId ? { inboundMessageId: filing.inboundMessageId } : undefined,
        ),
      messageAdded: async (tx, added) => {
        if (added.byStaff && added.visibility === 'public' && added.channel !== 'chat')
          await this.publicReply(tx.trx, added.ticket.id, added.messageId, added.at);
      },
      ticketChanged: async (tx, changed) => {
        for (const event of changed.events)
          if (event.type === 'status_changed')
            await this.statusChanged(
              tx.trx,
              changed.ticket.id,
              String(event.data.from),
              String(event.data.to),
              changed.at,
            );
      },
    };
  }

  async ticketCreated(
    trx: Transaction<Database>,
    ticketId: string,
    now: number,
    origin?: { inboundMessageId?: string },
  ): Promise<void> {
    const repo = new TicketMailRepository(trx);
    const ctx = await this.mailable(repo, ticketId, now);
    if (!ctx) return;
    const { ticket, requester } = ctx;
    const locale = this.locale(ctx);
    const t = mailT(locale);
    const { policy } = await this.deps.terms.versionForTicket(ticket, trx);
    const lines = [
      t('greeting', { name: requester.name }),
      '',
      t('acknowledgement.received', { number: ticket.number, subject: ticket.subject }),
      '',
      t('acknowledgement.priority', {
        priority: ticket.priority,
        priorityName: policy.priorities[ticket.priority as Priority]?.name[locale] ?? ticket.priority,
      }),
      t('acknowledgement.tier', { tier: policy.tiers[ticket.tier as Tier]?.name[locale] ?? ticket.tier }),
    ];
    const terms = (await this.deps.terms.termsFor([ticket], trx)).get(ticket.id)?.terms;
    const dueAt = ticket.sla_first_response_due_at;
    if (terms && dueAt !== null) {
      const term = terms.firstResponse;
      const zone = term.clock === 'business' ? terms.calendar.spec.timeZone : policy.support.timeZone;
      lines.push(
        '',
        t('acknowledgement.promise', {
          duration: durationText(term, policy.businessDay.minutes, locale),
          clock: clockText(term.clock, zone, locale),
          due: instantText(dueAt, zone, locale),
        }),
      );
      // The policy's table gives medians; the mail says so rather than promise every case.
      if (policy.responseTimes.measure === 'median' && !term.overridden)
        lines.push(t('acknowledgement.median'));
      if (terms.p0)
        lines.push(
          t('acknowledgement.updates', {
            every: durationText(terms.p0.updateEvery, policy.businessDay.minutes, locale),
          }),
        );
    }
    lines.push(
      '',
      t('acknowledgement.link', { link: this.portalLink(ticket.id) }),
      t('acknowledgement.reply'),
      '',
      t('signature', { vendor: policy.vendor }),
    );
    const opening = origin?.inboundMessageId ?? (await repo.openingMessageId(ticket.id));
    await this.enqueue(
      trx,
      repo,
      ctx,
      locale,
      {
        kind: 'acknowledgement',
        text: lines.join('\n'),
        headers: {
          // RFC 3834: an automatic answer to a person's mail, so their auto-responder does not answer it.
          'Auto-Submitted': 'auto-replied',
          'X-Auto-Response-Suppress': 'All',
          ...threadHeaders(opening ? [opening] : []),
        },
      },
      now,
    );
  }

  async publicReply(
    trx: Transaction<Database>,
    ticketId: string,
    messageId: string,
    now: number,
  ): Promise<void> {
    const repo = new TicketMailRepository(trx);
    const ctx = await this.mailable(repo, ticketId, now);
    if (!ctx) return;
    const message = await repo.message(messageId);
    if (!message || message.visibility !== 'public') return;
    const locale = this.locale(ctx);
    const t = mailT(locale);
    const intro = t('reply.intro', { author: message.author_name, number: ctx.ticket.number });
    const link = this.portalLink(ctx.ticket.id);
    const isHtml = message.body_format === 'html';
    const text = [
      intro,
      '',
      isHtml ? htmlToText(message.body) : message.body,
      '',
      '-- ',
      t('reply.reply'),
      t('reply.link', { link }),
    ].join('\n');
    // The stored HTML was sanitized when the message was written.
    const html = isHtml
      ? `<p>${escapeHtml(intro)}</p>\n${message.body}\n<hr>\n<p>${escapeHtml(t('reply.reply'))}<br>\n${escapeHtml(t('reply.link', { link }))}</p>`
      : undefined;
    // A person's answer: no Auto-Submitted, so auto-responders and filters treat it as one.
    await this.enqueue(
      trx,
      repo,
      ctx,
      locale,
      {
        kind: 'reply',
        text,
        ...(html ? { html } : {}),
        headers: threadHeaders(await repo.thread(ticketId)),
        ticketMessageId: messageId,
      },
      now,
    );
  }

  /**
   * Mails the requester when the ticket is resolved or closed. Waiting on the customer is not
   * mailed: a ticket waits on the customer because staff asked something, and that question came in
   * its own reply mail; a bare status change would be a second mail with nothing to answer. Nor is a
   * change the requester made themselves.
   */
  async statusChanged(
    trx: Transaction<Database>,
    ticketId: string,
    _from: string,
    to: string,
    now: number,
  ): Promise<void> {
    if (!MAILED_STATUSES.has(to)) return;
    const repo = new TicketMailRepository(trx);
    const ctx = await this.mailable(repo, ticketId, now);
    if (!ctx) return;
    if ((await repo.lastStatusActor(ticketId)) === ctx.requester.id) return;
    const locale = this.locale(ctx);
    const t = mailT(locale);
    const { policy } = await this.deps.terms.versionForTicket(ctx.ticket, trx);
    const facts = { number: ctx.ticket.number, subject: ctx.ticket.subject };
    const text = [
      t('greeting', { name: ctx.requester.name }),
      '',
      to === 'resolved' ? t('status.resolved', facts) : t('status.closed', facts),
      to === 'resolved' ? t('status.resolvedReply') : t('status.closedReply'),
      '',
      t('status.link', { link: this.portalLink(ticketId) }),
      '',
      t('signature', { vendor: policy.vendor }),
    ].join('\n');
    await this.enqueue(
      trx,
      repo,
      ctx,
      locale,
      {
        kind: `status_${to}`,
        text,
        headers: {
          'Auto-Submitted': 'auto-generated',
          'X-Auto-Response-Suppress': 'All',
          ...threadHeaders(await repo.thread(ticketId)),
        },
      },
      now,
    );
  }

  /** The ticket and its requester, when the requester may be mailed. */
  private async mailable(
    repo: TicketMailRepository,
    ticketId: string,
    now: number,
  ): Promise<TicketMailContext | undefined> {
    const ctx = await repo.context(ticketId);
    if (!ctx) return undefined;
    const email = ctx.requester.email.toLowerCase();
    if (ctx.requester.deactivatedAt !== null) return undefined;
    // Never mail the desk itself: that is how mail loops start.
    if (email === this.deps.supportEmail || tokenOfAddress(this.deps.supportEmail, email)) return undefined;
    // An address that bounced in the last 30 days takes no mail: more would only be more bounces,
    // and hurt the support domain's standing with receivers. The portal still shows everything.
    if (await repo.bouncedSince(email, now - BOUNCE_MEMORY_MS)) return undefined;
    return ctx;
  }

  private locale(ctx: TicketMailContext): MailLocale {
    return mailLocale(ctx.requester.locale, ctx.organization.locale);
  }

  private portalLink(ticketId: string): string {
    return `${this.deps.publicUrl.replace(/\/+$/, '')}/portal/tickets/${ticketId}`;
  }

  private async enqueue(
    trx: Transaction<Database>,
    repo: TicketMailRepository,
    ctx: TicketMailContext,
    locale: MailLocale,
    mail: Mail,
    now: number,
  ) {
    const { ticket, requester } = ctx;
    const { supportEmail, outbox } = this.deps;
    const messageId = newMessageId(supportEmail);
    const subject = mailT(locale)('subject', { number: ticket.number, subject: ticket.subject });
    const headers: MailHeaders = {
      // Replies to the ticket's own address land on it whatever the customer's mail client does to
      // the subject or the threading headers.
      'Reply-To': replyAddress(supportEmail, await ensureReplyToken(trx, ticket.id)),
      'X-Accord-Ticket': String(ticket.number),
      ...mail.headers,
    };
    await outbox.enqueue(
      trx,
      {
        kind: mail.kind,
        ticketId: ticket.id,
        to: requester.email,
        subject,
        text: mail.text,
        html: mail.html ?? null,
        headers,
        messageId,
      },
      now,
    );
    await repo.recordOutbound({
      messageId,
      ticketId: ticket.id,
      ticketMessageId: mail.ticketMessageId ?? null,
      from: supportEmail,
      to: requester.email,
      subject,
      size: Buffer.byteLength(mail.text) + Buffer.byteLength(mail.html ?? ''),
      at: now,
    });
  }
}
