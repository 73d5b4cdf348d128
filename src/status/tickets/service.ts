import { isStaff, type Principal } from '../../auth/principal.js';
import { decodeCursor, toPage } from '../../shared/pagination.js';
import { forbidden, notFound, Problem, unprocessable } from '../../shared/problem.js';
import { toIso, toIsoOrNull, type Clock } from '../../shared/time.js';
import type { TicketHooks } from '../../tickets/hooks.js';
import type { TicketLedger } from '../../tickets/ledger.js';
import type { TicketsService } from '../../tickets/service.js';
import type { StatusIncidentRow } from '../model.js';
import type { IncidentCreate } from '../schema.js';
import { incidentUrl, localized, statusLocale, statusT, type StatusLocale } from '../subscribers/text.js';
import { linkTickets, unlinkTicket } from './links.js';
import { updateReplyText } from './listener.js';
import { postIncidentReply } from './replies.js';
import { IncidentTicketsRepository, WIDE_IMPACTS, type LinkedTicketRow } from './repository.js';
import type { IncidentFromTicket } from './schema.js';

/** Creates an incident and publishes its first update (the StatusService). */
export interface IncidentCreator {
  createIncident(actor: Principal, input: IncidentCreate): Promise<{ incident: StatusIncidentRow }>;
}

export interface IncidentTicketsDeps {
  repo: IncidentTicketsRepository;
  ledger: TicketLedger;
  /** Reads a ticket as an actor may see it (404 otherwise). */
  tickets: Pick<TicketsService, 'get'>;
  incidents: IncidentCreator;
  clock: Clock;
  publicUrl: string;
}

const URGENT = new Set(['P0', 'P1']);
const requireStaff = (actor: Principal, what: string) => {
  if (!isStaff(actor)) throw forbidden(`Only staff ${what}.`);
};

/**
 * Tickets tied to incidents: opening an incident from an urgent ticket, linking tickets, showing a
 * ticket's incidents to its readers, and resolving every linked ticket at once.
 *
 * An incident never answers a ticket by itself. While an incident is open with impact major or
 * critical it may affect every organization, so a ticket filed meanwhile is asked whether it is
 * about it (the customer in the ticket form, staff in the ticket's status panel); it is linked, and
 * receives the incident's updates, only when the customer confirms or a member of staff links it.
 * Every link and unlink is an event of the ticket's log, with the person who made it.
 */
export class IncidentTickets {
  constructor(private readonly deps: IncidentTicketsDeps) {}

  private async incident(id: string) {
    const incident = await this.deps.repo.findIncident(id);
    if (!incident || incident.kind !== 'incident') throw notFound('The incident');
    return incident;
  }

  /** Staff open an incident from a P0 or P1 ticket; the ticket is linked and gets the first update. */
  async openFromTicket(actor: Principal, ticketId: string, input: IncidentFromTicket) {
    requireStaff(actor, 'open incidents');
    const ticket = await this.deps.tickets.get(actor, ticketId);
    if (!URGENT.has(ticket.priority))
      throw unprocessable('ticket-not-urgent', 'Incidents are opened from P0 or P1 tickets.', {
        priority: ticket.priority,
      });
    if (ticket.status === 'closed')
      throw unprocessable('ticket-closed', 'This ticket is closed; open the incident from an open one.');
    const { incident } = await this.deps.incidents.createIncident(actor, {
      kind: 'incident',
      name: input.name,
      impact: input.impact,
      body: input.body,
      components: input.components,
      autoTransition: true,
      ...(input.nameFr ? { nameFr: input.nameFr } : {}),
      ...(input.bodyFr ? { bodyFr: input.bodyFr } : {}),
    });
    const now = this.deps.clock();
    await this.deps.ledger.transaction(async (tx) => {
      const repo = this.deps.repo.withExecutor(tx.trx);
      await repo.setOrigin(incident.id, ticketId);
      await linkTickets(tx, repo, incident, [ticketId], 'manual', actor.userId, now);
      // The first update was published before the link: the ticket gets it now, as later ones.
      const first = await repo.latestUpdate(incident.id);
      const target = await repo.replyTarget(ticketId);
      if (first && target)
        await postIncidentReply(
          tx,
          {
            ticketId,
            author: { id: actor.userId, role: actor.role },
            body: updateReplyText(this.deps.publicUrl, incident, first, target),
            incidentId: incident.id,
          },
          now,
        );
    });
    return (await this.present([(await this.deps.repo.findIncident(incident.id))!], actor))[0]!;
  }

  async link(actor: Principal, incidentId: string, ticketIds: string[]) {
    requireStaff(actor, 'link tickets to incidents');
    const incident = await this.incident(incidentId);
    const ids = [...new Set(ticketIds)];
    const existing = await this.deps.repo.existingTickets(ids);
    const missing = ids.filter((id) => !existing.has(id));
    if (missing.length > 0) {
      throw new Problem(
        404,
        'Not Found',
        `${missing.length} of the tickets ${missing.length === 1 ? 'was' : 'were'} not found; none was linked.`,
        'about:blank',
        undefined,
        { missing },
      );
    }
    const now = this.deps.clock();
    const linked = await this.deps.ledger.transaction(
      async (tx) =>
        (await linkTickets(tx, this.deps.repo, incident, ids, 'manual', actor.userId, now)).length,
    );
    return { linked, alreadyLinked: ids.length - linked };
  }

  /** Unlinks a ticket linked by mistake; the replies the incident posted on it stay in its history. */
  async unlink(actor: Principal, incidentId: string, ticketId: string) {
    requireStaff(actor, 'unlink tickets from incidents');
    const incident = await this.incident(incidentId);
    const now = this.deps.clock();
    const unlinked = await this.deps.ledger.transaction((tx) =>
      unlinkTicket(tx, this.deps.repo, incident, ticketId, actor.userId, now),
    );
    if (!unlinked) throw notFound('The link');
  }

  /**
   * The open incidents a ticket may be about and is not linked to (see the class comment), for
   * whoever may read the ticket: the customer confirms one, staff link it.
   */
  async suggestedFor(actor: Principal, ticketId: string) {
    const ticket = await this.deps.tickets.get(actor, ticketId);
    if (ticket.status === 'closed') return [];
    const rows = await this.deps.repo.suggestedFor(ticketId, Date.parse(ticket.createdAt));
    return this.present(rows, actor);
  }

  /**
   * Links a ticket to an incident at its reader's word: a customer confirms one of the incidents
   * suggested for their ticket; staff may link any incident. Linking again changes nothing.
   */
  async confirm(actor: Principal, ticketId: string, incidentId: string) {
    const ticket = await this.deps.tickets.get(actor, ticketId);
    const incident = await this.incident(incidentId);
    if (!isStaff(actor)) {
      const suggested = await this.deps.repo.suggestedFor(ticketId, Date.parse(ticket.createdAt));
      if (!suggested.some((i) => i.id === incidentId))
        throw unprocessable(
          'incident-not-suggested',
          'This ticket can be linked only to an open incident it was filed during; staff link others.',
        );
    }
    const now = this.deps.clock();
    await this.deps.ledger.transaction((tx) =>
      linkTickets(
        tx,
        this.deps.repo,
        incident,
        [ticketId],
        isStaff(actor) ? 'manual' : 'customer',
        actor.userId,
        now,
      ),
    );
    return this.forTicket(actor, ticketId);
  }

  /**
   * The ticket ledger's hook: a ticket filed with the customer's confirmation that it is about an
   * open incident is linked to it as it is filed. Only an open, wide incident can be confirmed so.
   */
  ticketHooks(): TicketHooks {
    return {
      ticketOpened: async (tx, ticket, filing) => {
        if (!filing.incidentId) return;
        const repo = this.deps.repo.withExecutor(tx.trx);
        const incident = (await repo.suggestedFor(ticket.id, ticket.created_at)).find(
          (i) => i.id === filing.incidentId,
        );
        if (!incident)
          throw unprocessable(
            'incident-not-open',
            'That incident is not open (or not one that new tickets are asked about); send the ticket without it.',
            { incidentId: filing.incidentId },
          );
        await linkTickets(tx, repo, incident, [ticket.id], 'customer', filing.by.id, ticket.created_at);
      },
    };
  }

  async listLinked(actor: Principal, incidentId: string, limit: number, cursor: string | undefined) {
    requireStaff(actor, 'list the tickets of an incident');
    await this.incident(incidentId);
    const rows = await this.deps.repo.listLinked(incidentId, limit, decodeCursor(cursor));
    return toPage(rows, limit, presentLinked, (r) => ({ k: r.at, id: r.ticket_id }));
  }

  /** The incidents a ticket is linked to, for whoever may read the ticket; how it was linked for staff. */
  async forTicket(actor: Principal, ticketId: string) {
    await this.deps.tickets.get(actor, ticketId);
    const rows = await this.deps.repo.incidentsOfTicket(ticketId);
    const described = await this.present(rows, actor);
    return described.map((incident, i) => {
      const row = rows[i]!;
      return {
        ...incident,
        link: isStaff(actor)
          ? {
              how: row.how,
              at: toIso(row.linked_at),
              by:
                row.linked_by && row.linked_by_name ? { id: row.linked_by, name: row.linked_by_name } : null,
            }
          : null,
      };
    });
  }

  /** Open incidents, for the ticket form to show before the customer sends (and perhaps need not). */
  async openIncidents(actor: Principal) {
    const incidents = await this.deps.repo.openIncidents();
    const described = await this.present(incidents, actor);
    return described.map((incident, i) => ({
      ...incident,
      asksNewTickets: (WIDE_IMPACTS as readonly string[]).includes(incidents[i]!.impact),
    }));
  }

  /**
   * Resolves every linked ticket that is still open, with a reply: the given body, or the incident's
   * latest update in each requester's language.
   */
  async resolveTickets(actor: Principal, incidentId: string, body: string | undefined) {
    requireStaff(actor, 'resolve the tickets of an incident');
    const incident = await this.incident(incidentId);
    const final = await this.deps.repo.latestUpdate(incidentId);
    if (body === undefined && !final)
      throw unprocessable('no-update', 'The incident has no update to reply with; give a body.');
    const now = this.deps.clock();
    const resolved = await this.deps.ledger.transaction(async (tx) => {
      const repo = this.deps.repo.withExecutor(tx.trx);
      let count = 0;
      for (const target of await repo.replyTargets(incidentId, ['resolved', 'closed'])) {
        const locale = statusLocale(target.requester_locale, target.organization_locale);
        const text = body ?? updateReplyText(this.deps.publicUrl, incident, final!, target);
        const written = await postIncidentReply(
          tx,
          {
            ticketId: target.id,
            author: { id: actor.userId, role: actor.role },
            body: `${text}\n\n${statusT(locale)('ticket.resolved')}`,
            incidentId,
            resolve: true,
          },
          now,
        );
        if (written) count += 1;
      }
      return count;
    });
    return { resolved };
  }

  /** Incidents as a customer may see them, in the reader's language. */
  private async present(incidents: StatusIncidentRow[], actor: Principal) {
    const locale: StatusLocale = statusLocale(actor.locale);
    const ids = incidents.map((i) => i.id);
    const [updates, components] = await Promise.all([
      this.deps.repo.latestUpdates(ids),
      this.deps.repo.incidentComponents(ids),
    ]);
    return incidents.map((incident) => {
      const update = updates.get(incident.id);
      const { name, body } = localized(incident, update, locale);
      return {
        id: incident.id,
        name,
        status: incident.status,
        impact: incident.impact,
        url: incidentUrl(this.deps.publicUrl, incident.id),
        createdAt: toIso(incident.created_at),
        resolvedAt: toIsoOrNull(incident.resolved_at),
        components: components
          .filter((c) => c.incident_id === incident.id)
          .map((c) => ({ id: c.id, name: c.name, state: c.state })),
        latestUpdate: update ? { status: update.status, body, createdAt: toIso(update.created_at) } : null,
      };
    });
  }
}

function presentLinked(r: LinkedTicketRow) {
  return {
    ticketId: r.ticket_id,
    number: r.number,
    subject: r.subject,
    status: r.status,
    priority: r.priority,
    organization: { id: r.organization_id, name: r.organization_name },
    how: r.how,
    linkedAt: toIso(r.at),
    linkedBy: r.linked_by && r.linked_by_name ? { id: r.linked_by, name: r.linked_by_name } : null,
  };
}
