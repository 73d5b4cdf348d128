import type { Transaction } from 'kysely';
import type { DialectName } from '../../db/database.js';
import type { Database } from '../../db/tables.js';
import type { Clock } from '../../shared/time.js';
import type { TicketLedger } from '../../tickets/ledger.js';
import type { StatusIncidentRow, StatusIncidentUpdateRow, StatusUpdateListener } from '../model.js';
import { incidentUrl, localized, statusLabel, statusLocale, statusT } from '../subscribers/text.js';
import { postIncidentReply } from './replies.js';
import { IncidentTicketsRepository, type ReplyTarget } from './repository.js';

/** An incident update as a ticket reply, in the requester's language. */
export function updateReplyText(
  publicUrl: string,
  incident: StatusIncidentRow,
  update: StatusIncidentUpdateRow,
  target: Pick<ReplyTarget, 'requester_locale' | 'organization_locale'>,
): string {
  const locale = statusLocale(target.requester_locale, target.organization_locale);
  const t = statusT(locale);
  const { name, body } = localized(incident, update, locale);
  return [
    t('ticket.update', { name, status: statusLabel(update.status, locale) }),
    '',
    body,
    '',
    t('ticket.link', { link: incidentUrl(publicUrl, incident.id) }),
  ].join('\n');
}

export interface IncidentTicketRepliesDeps {
  ledger: TicketLedger;
  dialect: DialectName;
  clock: Clock;
  publicUrl: string;
}

/**
 * Posts each published update of an incident as a public reply on its linked tickets that are not
 * closed, in the publishing transaction: the customer reads it on the ticket and by mail, and on a
 * P0 it is the regular update the policy promises. The reply is the words of the member of staff
 * who posted the update, and counts as their reply would; an update nobody wrote (a maintenance
 * window that moved by itself) or whose author is no longer active staff answers no ticket.
 */
export class IncidentTicketReplies implements StatusUpdateListener {
  constructor(private readonly deps: IncidentTicketRepliesDeps) {}

  async updatePublished(
    trx: Transaction<Database>,
    incident: StatusIncidentRow,
    update: StatusIncidentUpdateRow,
  ): Promise<void> {
    if (!update.author_id) return;
    const repo = new IncidentTicketsRepository(trx, this.deps.dialect);
    const author = await repo.findActiveStaff(update.author_id);
    if (!author) return;
    const tx = this.deps.ledger.within(trx);
    const now = this.deps.clock();
    for (const target of await repo.replyTargets(incident.id, ['closed'])) {
      await postIncidentReply(
        tx,
        {
          ticketId: target.id,
          author,
          body: updateReplyText(this.deps.publicUrl, incident, update, target),
          incidentId: incident.id,
        },
        now,
      );
    }
  }
}
