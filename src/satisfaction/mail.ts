import type { Transaction } from 'kysely';
import type { Database } from '../db/tables.js';
import { newMessageId, type OutboxRepository } from '../notifications/outbox.js';
import { tokenOfAddress } from '../notifications/reply-tokens.js';
import { TicketMailRepository, type TicketMailContext } from '../notifications/ticket-mail-repository.js';
import { threadHeaders } from '../notifications/ticket-mail.js';
import type { PolicyTermsResolver } from '../sla/terms.js';
import { satisfactionT, type SatisfactionLocale } from './text.js';

/** As for the desk's other ticket mail: an address that bounced this recently takes no mail. */
const BOUNCE_MEMORY_MS = 30 * 86400_000;

export interface SurveyMailDeps {
  outbox: OutboxRepository;
  terms: PolicyTermsResolver;
  supportEmail: string;
  publicUrl: string;
}

/** The page a survey link opens; `rating` preselects the answer the mail's link named. */
export function answerUrl(publicUrl: string, token: string, rating?: 'good' | 'bad'): string {
  const base = `${publicUrl.replace(/\/+$/, '')}/satisfaction/answer?token=${token}`;
  return rating ? `${base}&rating=${rating}` : base;
}

function dateText(at: number, locale: SatisfactionLocale): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-US', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(at));
}

/**
 * The survey mail: queued in the outbox inside the transaction that resolved the ticket, in the
 * requester's language, threaded under the ticket's other mail. The link's token is in the body
 * only, and the outbox erases bodies of this kind once delivered.
 */
export class SurveyMail {
  constructor(private readonly deps: SurveyMailDeps) {}

  /** The ticket as the transaction sees it, its requester and organization. */
  recipientOf(trx: Transaction<Database>, ticketId: string): Promise<TicketMailContext | undefined> {
    return new TicketMailRepository(trx).context(ticketId);
  }

  /**
   * Whether the requester can be mailed: an address to write to, an active account, not the desk's
   * own address, no recent bounce. The others are asked in the portal only.
   */
  async mailable(trx: Transaction<Database>, ctx: TicketMailContext, now: number): Promise<boolean> {
    const email = ctx.requester.email.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+$/.test(email) || ctx.requester.deactivatedAt !== null) return false;
    const support = this.deps.supportEmail.toLowerCase();
    if (email === support || tokenOfAddress(support, email)) return false;
    return !(await new TicketMailRepository(trx).bouncedSince(email, now - BOUNCE_MEMORY_MS));
  }

  async send(
    trx: Transaction<Database>,
    ctx: TicketMailContext,
    token: string,
    locale: SatisfactionLocale,
    now: number,
    expiresAt: number,
  ): Promise<void> {
    const { ticket, requester } = ctx;
    const { outbox, supportEmail, publicUrl } = this.deps;
    const t = satisfactionT(locale);
    const { policy } = await this.deps.terms.versionForTicket(ticket, trx);
    const facts = { number: ticket.number, subject: ticket.subject };
    const text = [
      t('mail.greeting', { name: requester.name }),
      '',
      t('mail.question', facts),
      '',
      t('mail.good', { link: answerUrl(publicUrl, token, 'good') }),
      t('mail.bad', { link: answerUrl(publicUrl, token, 'bad') }),
      '',
      t('mail.once', { until: dateText(expiresAt, locale) }),
      '',
      t('mail.signature', { vendor: policy.vendor }),
    ].join('\n');
    const repo = new TicketMailRepository(trx);
    const messageId = newMessageId(supportEmail);
    const subject = t('mail.subject', facts);
    await outbox.enqueue(
      trx,
      {
        kind: 'satisfaction_survey',
        ticketId: ticket.id,
        to: requester.email,
        subject,
        text,
        headers: {
          'Auto-Submitted': 'auto-generated',
          'X-Auto-Response-Suppress': 'All',
          'X-Accord-Ticket': String(ticket.number),
          ...threadHeaders(await repo.thread(ticket.id)),
        },
        messageId,
      },
      now,
    );
    await repo.recordOutbound({
      messageId,
      ticketId: ticket.id,
      from: supportEmail,
      to: requester.email,
      subject,
      size: Buffer.byteLength(text),
      at: now,
    });
  }
}
