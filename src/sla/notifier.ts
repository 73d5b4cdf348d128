import type { TicketRow } from '../db/tables.js';
import type { SlaEffect } from './engine.js';
import type { SlaRepository } from './repository.js';
import type { SlaNotifier } from './service.js';

const TARGET_NAMES: Record<Exclude<SlaEffect['target'], 'escalation'>, string> = {
  first_response: 'first response',
  next_response: 'response to the reopened ticket',
  resolution: 'resolution',
  update: 'P0 customer update',
};

/**
 * Tells staff in the desk: escalations go to every lead (the policy's internal escalation);
 * warnings, breaches and P0 update reminders go to the assignee, or to the leads while nobody is
 * assigned. Customers are never notified by the scheduler.
 */
export class StaffNotifier implements SlaNotifier {
  async notify(repo: SlaRepository, ticket: TicketRow, effect: SlaEffect, now: number): Promise<void> {
    const ref = `#${ticket.number} ${ticket.subject}`;
    const due = new Date(effect.dueAt).toISOString();
    let title: string;
    let body: string;
    let recipients: string[];
    const leads = async () => (await repo.activeStaff(['lead'])).map((u) => u.id);
    switch (effect.kind) {
      case 'escalation':
        title = `Escalation level ${effect.level}: ${ref}`;
        body = `P0 ticket ${ref} is still unresolved at escalation level ${effect.level} (due ${due}).`;
        recipients = await leads();
        break;
      case 'warning':
        title = `Due soon: ${TARGET_NAMES[effect.target]} on ${ref}`;
        body = `The ${TARGET_NAMES[effect.target]} on ${ref} (${ticket.priority}, ${ticket.tier}) is due at ${due}.`;
        recipients = ticket.assignee_id ? [ticket.assignee_id] : await leads();
        break;
      case 'breach':
        title = `Breached: ${TARGET_NAMES[effect.target]} on ${ref}`;
        body = `The ${TARGET_NAMES[effect.target]} on ${ref} (${ticket.priority}, ${ticket.tier}) was due at ${due}.`;
        recipients = ticket.assignee_id ? [ticket.assignee_id] : await leads();
        break;
    }
    await repo.notify(
      [...new Set(recipients)].map((userId) => ({
        userId,
        ticketId: ticket.id,
        kind: `sla_${effect.kind}`,
        title,
        body,
        at: now,
      })),
    );
  }
}
