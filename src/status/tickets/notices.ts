import { isLeadOrAdmin, isStaff, type Principal } from '../../auth/principal.js';
import { CustomersRepository } from '../../customers/repository.js';
import { newMessageId, type OutboxRepository } from '../../notifications/outbox.js';
import { DEFAULT_TIER, type Tier } from '../../policy/tiers.js';
import { newId } from '../../shared/ids.js';
import { badRequest, forbidden, notFound } from '../../shared/problem.js';
import type { Clock } from '../../shared/time.js';
import { incidentUrl, statusLocale, statusT } from '../subscribers/text.js';
import type { IncidentTicketsRepository } from './repository.js';
import type { NoticeInput } from './schema.js';

export interface IncidentNoticesDeps {
  repo: IncidentTicketsRepository;
  outbox: OutboxRepository;
  clock: Clock;
  supportEmail: string;
  publicUrl: string;
  /** Organizations read per round. */
  pageSize?: number;
}

/**
 * Proactive notices: a lead tells the active contacts of every organization (of some tiers) about an
 * incident before they ask. One mail per contact through the outbox and one organization_notices row
 * per organization reached, written in one transaction while organizations are read a page at a time.
 * The mail is service mail to an account's contacts, not a subscription, so it has no unsubscribe link.
 */
export class IncidentNotices {
  constructor(private readonly deps: IncidentNoticesDeps) {}

  /** An organization's timeline of notices, newest first (staff). */
  async forOrganization(actor: Principal, organizationId: string, limit: number) {
    if (!isStaff(actor)) throw forbidden('Only staff see the notices sent to organizations.');
    return this.deps.repo.organizationNotices(organizationId, limit);
  }

  async send(actor: Principal, incidentId: string, input: NoticeInput) {
    if (!isLeadOrAdmin(actor)) throw forbidden('Only leads and admins send notices to organizations.');
    const incident = await this.deps.repo.findIncident(incidentId);
    if (!incident) throw notFound('The incident');
    const componentIds = input.componentIds
      ? [...new Set(input.componentIds)]
      : (await this.deps.repo.incidentComponents([incidentId])).map((c) => c.id);
    const names = await this.deps.repo.componentNames(componentIds);
    const unknown = componentIds.filter((id) => !names.has(id));
    if (unknown.length > 0)
      throw badRequest(
        'Some components do not exist.',
        unknown.map((id) => ({ field: 'body.componentIds', message: `unknown component ${id}` })),
      );
    const tiers = input.tiers ? new Set<Tier>(input.tiers) : null;
    const pageSize = this.deps.pageSize ?? 200;
    const now = this.deps.clock();
    return this.deps.repo.transaction(async (repo, trx) => {
      const customers = new CustomersRepository(trx, repo.dialect);
      let organizations = 0;
      let recipients = 0;
      let after = '';
      for (;;) {
        const page = await repo.organizationsPage(after, pageSize);
        if (page.length === 0) break;
        after = page.at(-1)!.id;
        const subscriptions = await customers.activeSubscriptions(
          page.map((o) => o.id),
          now,
        );
        const reached = tiers
          ? page.filter((o) => tiers.has((subscriptions.get(o.id)?.tier as Tier | undefined) ?? DEFAULT_TIER))
          : page;
        const contacts = await repo.activeContacts(reached.map((o) => o.id));
        const perOrganization = new Map<string, number>();
        for (const contact of contacts) {
          const organization = reached.find((o) => o.id === contact.organization_id)!;
          const t = statusT(statusLocale(contact.locale, organization.locale));
          const lines = [input.body, ''];
          if (names.size > 0) lines.push(t('notice.components', { names: [...names.values()].join(', ') }));
          lines.push(t('notice.link', { link: incidentUrl(this.deps.publicUrl, incidentId) }));
          await this.deps.outbox.enqueue(
            trx,
            {
              kind: 'status_notice',
              to: contact.email,
              subject: input.subject,
              text: lines.join('\n'),
              headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
              messageId: newMessageId(this.deps.supportEmail),
            },
            now,
          );
          perOrganization.set(
            contact.organization_id!,
            (perOrganization.get(contact.organization_id!) ?? 0) + 1,
          );
        }
        await repo.insertNotices(
          [...perOrganization].map(([organizationId, count]) => ({
            id: newId(),
            organization_id: organizationId,
            incident_id: incidentId,
            subject: input.subject,
            body: input.body,
            sent_by: actor.userId,
            recipients: count,
            at: now,
          })),
        );
        organizations += perOrganization.size;
        recipients += contacts.length;
        if (page.length < pageSize) break;
      }
      return { organizations, recipients };
    });
  }
}
