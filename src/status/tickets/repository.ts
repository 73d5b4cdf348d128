import type { Kysely, Transaction } from 'kysely';
import type { DialectName } from '../../db/database.js';
import type { Database, StatusIncidentTicketTable } from '../../db/tables.js';
import type { Cursor } from '../../shared/pagination.js';
import type { StatusIncidentRow, StatusIncidentUpdateRow } from '../model.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** Impacts at which an open incident may affect every organization: new tickets are asked whether they are about it. */
export const WIDE_IMPACTS = ['major', 'critical'] as const;
/** An incident declared up to an hour after a ticket was filed may be what the ticket reported. */
const SUGGESTION_WINDOW_MS = 60 * 60_000;

/** A linked ticket as the incident's list shows it. */
export interface LinkedTicketRow {
  ticket_id: string;
  number: number;
  subject: string;
  status: string;
  priority: string;
  organization_id: string;
  organization_name: string;
  how: StatusIncidentTicketTable['how'];
  at: number;
  linked_by: string | null;
  linked_by_name: string | null;
}

/** A ticket a reply is written on, with the languages its requester reads. */
export interface ReplyTarget {
  id: string;
  status: string;
  requester_locale: string | null;
  organization_locale: string;
}

/** Incidents tied to tickets, and the organizations a notice reaches. */
export class IncidentTicketsRepository {
  constructor(
    readonly db: Executor,
    readonly dialect: DialectName,
  ) {}

  withExecutor(executor: Executor) {
    return new IncidentTicketsRepository(executor, this.dialect);
  }

  transaction<T>(work: (repo: IncidentTicketsRepository, trx: Transaction<Database>) => Promise<T>) {
    return this.db
      .transaction()
      .execute((trx) => work(new IncidentTicketsRepository(trx, this.dialect), trx));
  }

  findIncident(id: string): Promise<StatusIncidentRow | undefined> {
    return this.db.selectFrom('status_incidents').selectAll().where('id', '=', id).executeTakeFirst();
  }

  latestUpdate(incidentId: string): Promise<StatusIncidentUpdateRow | undefined> {
    return this.db
      .selectFrom('status_incident_updates')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** The newest update of each incident. */
  async latestUpdates(incidentIds: string[]): Promise<Map<string, StatusIncidentUpdateRow>> {
    const result = new Map<string, StatusIncidentUpdateRow>();
    if (incidentIds.length === 0) return result;
    const rows = await this.db
      .selectFrom('status_incident_updates')
      .selectAll()
      .where('incident_id', 'in', incidentIds)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    for (const row of rows) if (!result.has(row.incident_id)) result.set(row.incident_id, row);
    return result;
  }

  async incidentComponents(incidentIds: string[]) {
    if (incidentIds.length === 0) return [];
    return this.db
      .selectFrom('status_incident_components as ic')
      .innerJoin('status_components as c', 'c.id', 'ic.component_id')
      .select(['ic.incident_id', 'c.id', 'c.name', 'ic.state'])
      .where('ic.incident_id', 'in', incidentIds)
      .orderBy('c.position')
      .orderBy('c.name')
      .execute();
  }

  async componentNames(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('status_components')
      .select(['id', 'name'])
      .where('id', 'in', [...ids])
      .execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Incidents not yet resolved, newest first. */
  openIncidents(): Promise<StatusIncidentRow[]> {
    return this.db
      .selectFrom('status_incidents')
      .selectAll()
      .where('kind', '=', 'incident')
      .where('resolved_at', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(100)
      .execute();
  }

  async existingTickets(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.selectFrom('tickets').select('id').where('id', 'in', ids).execute();
    return new Set(rows.map((r) => r.id));
  }

  /** Links tickets; those linked already stay as they were. Returns the ids of the new links. */
  async link(
    incidentId: string,
    ticketIds: string[],
    how: StatusIncidentTicketTable['how'],
    linkedBy: string | null,
    at: number,
  ): Promise<string[]> {
    if (ticketIds.length === 0) return [];
    const rows = await this.db
      .insertInto('status_incident_tickets')
      .values(
        ticketIds.map((ticket_id) => ({ incident_id: incidentId, ticket_id, linked_by: linkedBy, how, at })),
      )
      .onConflict((oc) => oc.columns(['incident_id', 'ticket_id']).doNothing())
      .returning('ticket_id')
      .execute();
    return rows.map((r) => r.ticket_id);
  }

  /**
   * Open incidents wide enough to affect every organization that a ticket opened at `openedAt` may
   * be about and is not linked to: those that began before the ticket, or within an hour after it.
   */
  suggestedFor(ticketId: string, openedAt: number): Promise<StatusIncidentRow[]> {
    return this.db
      .selectFrom('status_incidents as i')
      .selectAll('i')
      .where('i.kind', '=', 'incident')
      .where('i.resolved_at', 'is', null)
      .where('i.impact', 'in', [...WIDE_IMPACTS])
      .where('i.created_at', '<=', openedAt + SUGGESTION_WINDOW_MS)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('status_incident_tickets as l')
              .select('l.ticket_id')
              .whereRef('l.incident_id', '=', 'i.id')
              .where('l.ticket_id', '=', ticketId),
          ),
        ),
      )
      .orderBy('i.created_at', 'desc')
      .limit(20)
      .execute();
  }

  async unlink(incidentId: string, ticketId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('status_incident_tickets')
      .where('incident_id', '=', incidentId)
      .where('ticket_id', '=', ticketId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async setOrigin(incidentId: string, ticketId: string) {
    await this.db
      .updateTable('status_incidents')
      .set({ origin_ticket_id: ticketId })
      .where('id', '=', incidentId)
      .where('origin_ticket_id', 'is', null)
      .execute();
  }

  /** An incident's tickets, most recently linked first; limit+1 rows for the page. */
  listLinked(incidentId: string, limit: number, after: Cursor | undefined): Promise<LinkedTicketRow[]> {
    let q = this.db
      .selectFrom('status_incident_tickets as l')
      .innerJoin('tickets as t', 't.id', 'l.ticket_id')
      .innerJoin('organizations as o', 'o.id', 't.organization_id')
      .leftJoin('users as u', 'u.id', 'l.linked_by')
      .select([
        'l.ticket_id',
        't.number',
        't.subject',
        't.status',
        't.priority',
        't.organization_id',
        'o.name as organization_name',
        'l.how',
        'l.at',
        'l.linked_by',
        'u.name as linked_by_name',
      ])
      .where('l.incident_id', '=', incidentId);
    if (after) {
      const at = Number(after.k);
      q = q.where((eb) =>
        eb.or([eb('l.at', '<', at), eb.and([eb('l.at', '=', at), eb('l.ticket_id', '<', after.id)])]),
      );
    }
    return q
      .orderBy('l.at', 'desc')
      .orderBy('l.ticket_id', 'desc')
      .limit(limit + 1)
      .execute();
  }

  /** The incidents a ticket is linked to, newest first. */
  incidentsOfTicket(ticketId: string) {
    return this.db
      .selectFrom('status_incident_tickets as l')
      .innerJoin('status_incidents as i', 'i.id', 'l.incident_id')
      .leftJoin('users as u', 'u.id', 'l.linked_by')
      .selectAll('i')
      .select(['l.how', 'l.at as linked_at', 'l.linked_by', 'u.name as linked_by_name'])
      .where('l.ticket_id', '=', ticketId)
      .orderBy('i.created_at', 'desc')
      .limit(100)
      .execute();
  }

  /** The linked tickets a reply goes to: those whose status is not excluded. */
  replyTargets(incidentId: string, exclude: readonly string[]): Promise<ReplyTarget[]> {
    return this.db
      .selectFrom('status_incident_tickets as l')
      .innerJoin('tickets as t', 't.id', 'l.ticket_id')
      .innerJoin('users as r', 'r.id', 't.requester_id')
      .innerJoin('organizations as o', 'o.id', 't.organization_id')
      .select(['t.id', 't.status', 'r.locale as requester_locale', 'o.locale as organization_locale'])
      .where('l.incident_id', '=', incidentId)
      .where('t.status', 'not in', [...exclude])
      .orderBy('t.id')
      .execute();
  }

  replyTarget(ticketId: string): Promise<ReplyTarget | undefined> {
    return this.db
      .selectFrom('tickets as t')
      .innerJoin('users as r', 'r.id', 't.requester_id')
      .innerJoin('organizations as o', 'o.id', 't.organization_id')
      .select(['t.id', 't.status', 'r.locale as requester_locale', 'o.locale as organization_locale'])
      .where('t.id', '=', ticketId)
      .executeTakeFirst();
  }

  /** An active member of staff: the only people whose words an incident posts on tickets. */
  findActiveStaff(id: string) {
    return this.db
      .selectFrom('users')
      .select(['id', 'role'])
      .where('id', '=', id)
      .where('role', 'in', ['agent', 'lead', 'admin'])
      .where('deactivated_at', 'is', null)
      .executeTakeFirst();
  }

  /** A page of organizations in id order, after `afterId`. */
  organizationsPage(afterId: string, limit: number) {
    return this.db
      .selectFrom('organizations')
      .select(['id', 'locale'])
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /** The active contacts of some organizations: the people a notice is mailed to. */
  activeContacts(organizationIds: string[]) {
    if (organizationIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('users')
      .select(['id', 'email', 'locale', 'organization_id'])
      .where('organization_id', 'in', organizationIds)
      .where('role', '=', 'contact')
      .where('deactivated_at', 'is', null)
      .orderBy('id')
      .execute();
  }

  async insertNotices(
    rows: {
      id: string;
      organization_id: string;
      incident_id: string;
      subject: string;
      body: string;
      sent_by: string;
      recipients: number;
      at: number;
    }[],
  ) {
    if (rows.length > 0) await this.db.insertInto('organization_notices').values(rows).execute();
  }

  /** The organization's notices, newest first, through organization_notices_org_idx. */
  organizationNotices(organizationId: string, limit: number) {
    return this.db
      .selectFrom('organization_notices as n')
      .leftJoin('users as u', 'u.id', 'n.sent_by')
      .leftJoin('status_incidents as i', 'i.id', 'n.incident_id')
      .select([
        'n.id',
        'n.incident_id',
        'i.name as incident_name',
        'n.subject',
        'n.body',
        'n.recipients',
        'n.at',
        'n.sent_by',
        'u.name as sent_by_name',
      ])
      .where('n.organization_id', '=', organizationId)
      .orderBy('n.at', 'desc')
      .limit(limit)
      .execute();
  }
}
