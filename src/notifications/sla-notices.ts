import type { Transaction } from 'kysely';
import type { Database, TicketRow } from '../db/tables.js';
import type { SlaEffect, SlaTerms } from '../sla/engine.js';
import type { SlaEffectHook } from '../sla/service.js';
import { instantText, mailLocale, mailT } from './mail-text.js';
import { newMessageId, type OutboxRepository } from './outbox.js';
import { NotificationsRepository } from './repository.js';
import { TicketMailRepository, type MailRecipient } from './ticket-mail-repository.js';

export interface SlaStaffNoticesDeps {
  outbox: OutboxRepository;
  supportEmail: string;
  publicUrl: string;
}

const TARGET_NAMES: Record<Exclude<SlaEffect['target'], 'escalation'>, string> = {
  first_response: 'first response',
  next_response: 'response to the reopened ticket',
  resolution: 'resolution',
  update: 'P0 customer update',
};

/**
 * Tells staff what the SLA scheduler recorded. In the desk: escalations go to every lead (the
 * policy's internal escalation); warnings, breaches and P0 update reminders go to the assignee, or
 * to the leads while nobody active is assigned. By mail, for what cannot wait for someone to look at
 * the desk: the P0 customer update falling due or overdue, and P0 escalations. Customers are never
 * told by the scheduler.
 *
 * The mails carry no reply address and no [#number] subject tag, and are not recorded in the
 * ticket's mail thread: a staff member replying to one must not post into the customer's ticket.
 */
export class SlaStaffNotices implements SlaEffectHook {
  constructor(private readonly deps: SlaStaffNoticesDeps) {}

  async slaEffect(
    trx: Transaction<Database>,
    ticket: TicketRow,
    effect: SlaEffect,
    now: number,
    terms: SlaTerms,
  ): Promise<void> {
    const staff = new TicketMailRepository(trx);
    const leads = () => staff.activeStaff({ roles: ['lead'] });
    const assignee = ticket.assignee_id ? await staff.activeStaff({ ids: [ticket.assignee_id] }) : [];
    const recipients = effect.kind === 'escalation' || assignee.length === 0 ? await leads() : assignee;
    await new NotificationsRepository(trx).insert(
      recipients.map((user) => ({
        userId: user.id,
        ticketId: ticket.id,
        kind: `sla_${effect.kind}`,
        ...inAppText(ticket, effect),
        at: now,
      })),
    );
    if (effect.kind === 'escalation' || effect.target === 'update')
      await this.mail(trx, staff, recipients, ticket, effect, now, terms);
  }

  private async mail(
    trx: Transaction<Database>,
    staff: TicketMailRepository,
    recipients: MailRecipient[],
    ticket: TicketRow,
    effect: SlaEffect,
    now: number,
    terms: SlaTerms,
  ) {
    if (recipients.length === 0) return;
    const organization = await staff.organizationName(ticket.organization_id);
    const link = `${this.deps.publicUrl.replace(/\/+$/, '')}/console/tickets/${ticket.id}`;
    for (const recipient of recipients) {
      const locale = mailLocale(recipient.locale);
      const t = mailT(locale);
      const facts = {
        number: ticket.number,
        subject: ticket.subject,
        organization,
        level: effect.kind === 'escalation' ? effect.level : 0,
        due: instantText(effect.dueAt, terms.calendar.spec.timeZone, locale),
      };
      await this.deps.outbox.enqueue(
        trx,
        {
          kind: `sla_${effect.kind}`,
          ticketId: ticket.id,
          to: recipient.email,
          subject: t(`staff.subject.${effect.kind}`, facts),
          text: [
            t(`staff.body.${effect.kind}`, facts),
            '',
            t('staff.link', { link }),
            '',
            t('staff.why'),
          ].join('\n'),
          headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
          messageId: newMessageId(this.deps.supportEmail),
        },
        now,
      );
    }
  }
}

function inAppText(ticket: TicketRow, effect: SlaEffect): { title: string; body: string } {
  const ref = `#${ticket.number} ${ticket.subject}`;
  const due = new Date(effect.dueAt).toISOString();
  switch (effect.kind) {
    case 'escalation':
      return {
        title: `Escalation level ${effect.level}: ${ref}`,
        body: `P0 ticket ${ref} is still unresolved at escalation level ${effect.level} (due ${due}).`,
      };
    case 'warning':
      return {
        title: `Due soon: ${TARGET_NAMES[effect.target]} on ${ref}`,
        body: `The ${TARGET_NAMES[effect.target]} on ${ref} (${ticket.priority}, ${ticket.tier}) is due at ${due}.`,
      };
    case 'breach':
      return {
        title: `Breached: ${TARGET_NAMES[effect.target]} on ${ref}`,
        body: `The ${TARGET_NAMES[effect.target]} on ${ref} (${ticket.priority}, ${ticket.tier}) was due at ${due}.`,
      };
  }
}
