import type { Transaction } from 'kysely';
import type { Database } from '../../db/tables.js';
import type { Clock } from '../../shared/time.js';
import type { StatusIncidentRow, StatusIncidentUpdateRow, StatusUpdateListener } from '../model.js';
import { incidentUrl, localized, statusLabel, statusLocale, statusT } from '../subscribers/text.js';
import { addStaffReply, type TicketReplyDeps } from './replies.js';
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

export interface IncidentTicketRepliesDeps extends TicketReplyDeps {
  clock: Clock;
  publicUrl: string;
}

/**
 * Posts each published update of an incident as a public staff reply on its linked tickets that are
 * not closed, in the publishing transaction: the customer reads it on the ticket and by mail, and on
 * a P0 it is the regular update the policy promises. The author is the update's, else the incident's
 * creator; with neither (both users deleted) there is nobody to sign the reply, and none is written.
 */
export class IncidentTicketReplies implements StatusUpdateListener {
  constructor(private readonly deps: IncidentTicketRepliesDeps) {}

  async updatePublished(
    trx: Transaction<Database>,
    incident: StatusIncidentRow,
    update: StatusIncidentUpdateRow,
  ): Promise<void> {
    const repo = new IncidentTicketsRepository(trx, this.deps.dialect);
    const authorId = update.author_id ?? incident.created_by;
    const author = authorId ? await repo.findUser(authorId) : undefined;
    if (!author) return;
    const now = this.deps.clock();
    for (const target of await repo.replyTargets(incident.id, ['closed'])) {
      await addStaffReply(
        trx,
        this.deps,
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
