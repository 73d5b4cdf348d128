import type { Transaction } from 'kysely';
import type { Database, TicketRow } from '../db/tables.js';
import type { SlaEffect } from '../sla/engine.js';
import type { FiredEffect, SlaEffectHook } from '../sla/service.js';
import { instantText, mailLocale, mailT } from './mail-text.js';
import { newMessageId, type OutboxRepository } from './outbox.js';
import { NotificationsRepository } from './repository.js';
import { TicketMailRepository, type MailRecipient } from './ticket-mail-repository.js';

export interface SlaStaffNoticesDeps {
  outbox: OutboxRepository;
  supportEmail: string;
  publicUrl: string;
}

// Notification rows per INSERT (8 parameters each): a mass incident can tell every lead of thousands.
const NOTIFICATION_CHUNK = 500;

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

  /** A scheduler batch's notices: staff read once, the notifications and mails written in a few statements. */
  async slaEffects(trx: Transaction<Database>, fired: FiredEffect[], now: number): Promise<void> {
    const staff = new TicketMailRepository(trx);
    const assigneeIds = [
      ...new Set(fired.flatMap((f) => (f.ticket.assignee_id ? [f.ticket.assignee_id] : []))),
    ];
    const assignees = new Map((await staff.activeStaff({ ids: assigneeIds })).map((u) => [u.id, u]));
    const assigneeOf = (f: FiredEffect) =>
      f.ticket.assignee_id ? assignees.get(f.ticket.assignee_id) : undefined;
    const needLeads = fired.some((f) => f.effect.kind === 'escalation' || !assigneeOf(f));
    const leads = needLeads ? await staff.activeStaff({ roles: ['lead'] }) : [];
    const recipientsOf = (f: FiredEffect): MailRecipient[] => {
      const assignee = assigneeOf(f);
      return f.effect.kind === 'escalation' || !assignee ? leads : [assignee];
    };
    const notifications = fired.flatMap((f) =>
      recipientsOf(f).map((user) => ({
        userId: user.id,
        ticketId: f.ticket.id,
        kind: `sla_${f.effect.kind}`,
        ...inAppText(f.ticket, f.effect),
        at: now,
      })),
    );
    const notices = new NotificationsRepository(trx);
    for (let i = 0; i < notifications.length; i += NOTIFICATION_CHUNK)
      await notices.insert(notifications.slice(i, i + NOTIFICATION_CHUNK));

    const mailed = fired.filter(
      (f) => (f.effect.kind === 'escalation' || f.effect.target === 'update') && recipientsOf(f).length > 0,
    );
    if (mailed.length === 0) return;
    const organizations = new Map<string, string>();
    for (const id of new Set(mailed.map((f) => f.ticket.organization_id)))
      organizations.set(id, await staff.organizationName(id));
    const mails = mailed.flatMap((f) =>
      recipientsOf(f).map((recipient) =>
        this.mail(recipient, f, organizations.get(f.ticket.organization_id) ?? ''),
      ),
    );
    await this.deps.outbox.enqueueMany(trx, mails, now);
  }

  private mail(recipient: MailRecipient, { ticket, effect, terms }: FiredEffect, organization: string) {
    const link = `${this.deps.publicUrl.replace(/\/+$/, '')}/console/tickets/${ticket.id}`;
    const locale = mailLocale(recipient.locale);
    const t = mailT(locale);
    const facts = {
      number: ticket.number,
      subject: ticket.subject,
      organization,
      level: effect.kind === 'escalation' ? effect.level : 0,
      due: instantText(effect.dueAt, terms.calendar.spec.timeZone, locale),
    };
    return {
      kind: `sla_${effect.kind}`,
      ticketId: ticket.id,
      to: recipient.email,
      subject: t(`staff.subject.${effect.kind}`, facts),
      text: [t(`staff.body.${effect.kind}`, facts), '', t('staff.link', { link }), '', t('staff.why')].join(
        '\n',
      ),
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
      messageId: newMessageId(this.deps.supportEmail),
    };
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
