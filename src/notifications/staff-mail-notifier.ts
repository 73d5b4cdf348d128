import type { TicketRow } from '../db/tables.js';
import type { SlaEffect } from '../sla/engine.js';
import type { SlaRepository } from '../sla/repository.js';
import type { SlaNotifier } from '../sla/service.js';
import type { PolicyTermsResolver } from '../sla/terms.js';
import { instantText, mailLocale, mailT } from './mail-text.js';
import { newMessageId, type OutboxRepository } from './outbox.js';
import { TicketMailRepository, type MailRecipient } from './ticket-mail-repository.js';

export interface StaffMailNotifierDeps {
  /** The in-app notifier, which still tells staff of every effect. */
  inner: SlaNotifier;
  outbox: OutboxRepository;
  terms: PolicyTermsResolver;
  supportEmail: string;
  publicUrl: string;
}

/**
 * Adds mail to the in-app notices for what cannot wait for someone to look at the desk: the P0
 * customer update falling due or overdue (to the assignee, or the leads while nobody is assigned)
 * and P0 escalations (to the leads). Staff only, never the customer. Other warnings and breaches stay
 * in-app.
 *
 * These mails carry no reply address and no [#number] subject tag, and are not recorded in the
 * ticket's mail thread: a staff member replying to one must not post into the customer's ticket.
 */
export class StaffMailNotifier implements SlaNotifier {
  constructor(private readonly deps: StaffMailNotifierDeps) {}

  async notify(repo: SlaRepository, ticket: TicketRow, effect: SlaEffect, now: number): Promise<void> {
    await this.deps.inner.notify(repo, ticket, effect, now);
    if (effect.kind !== 'escalation' && effect.target !== 'update') return;
    const mailRepo = new TicketMailRepository(repo.db);
    const leads = () => mailRepo.activeStaff({ roles: ['lead'] });
    let recipients: MailRecipient[];
    if (effect.kind === 'escalation' || !ticket.assignee_id) recipients = await leads();
    else {
      recipients = await mailRepo.activeStaff({ ids: [ticket.assignee_id] });
      if (recipients.length === 0) recipients = await leads();
    }
    if (recipients.length === 0) return;
    const { policy } = await this.deps.terms.versionForTicket(ticket, repo.db);
    const organization = await mailRepo.organizationName(ticket.organization_id);
    const link = `${this.deps.publicUrl.replace(/\/+$/, '')}/console/tickets/${ticket.id}`;
    for (const staff of recipients) {
      const locale = mailLocale(staff.locale);
      const t = mailT(locale);
      const facts = {
        number: ticket.number,
        subject: ticket.subject,
        organization,
        level: effect.kind === 'escalation' ? effect.level : 0,
        due: instantText(effect.dueAt, policy.support.timeZone, locale),
      };
      await this.deps.outbox.enqueue(
        repo.db,
        {
          kind: `sla_${effect.kind}`,
          ticketId: ticket.id,
          to: staff.email,
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
