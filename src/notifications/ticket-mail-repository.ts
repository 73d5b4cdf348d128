import type { Kysely, Transaction } from 'kysely';
import type { Database, TicketRow } from '../db/tables.js';
import { newId } from '../shared/ids.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** Inbound mails that became part of a ticket; the others (loops, bounces, duplicates) are not its thread. */
const THREADED_INBOUND = ['ticket_created', 'reply_added'];

export interface MailRecipient {
  id: string;
  email: string;
  name: string;
  locale: string | null;
  deactivatedAt: number | null;
}

export interface TicketMailContext {
  ticket: TicketRow;
  requester: MailRecipient;
  organization: { name: string; locale: string };
}

/** What ticket mail reads and writes, always through the executor it is given (the ticket's transaction). */
export class TicketMailRepository {
  constructor(private readonly db: Executor) {}

  async context(ticketId: string): Promise<TicketMailContext | undefined> {
    const row = await this.db
      .selectFrom('tickets')
      .innerJoin('users as requester', 'requester.id', 'tickets.requester_id')
      .innerJoin('organizations as organization', 'organization.id', 'tickets.organization_id')
      .selectAll('tickets')
      .select([
        'requester.email as requester_email',
        'requester.name as requester_name',
        'requester.locale as requester_locale',
        'requester.deactivated_at as requester_deactivated_at',
        'organization.name as organization_name',
        'organization.locale as organization_locale',
      ])
      .where('tickets.id', '=', ticketId)
      .executeTakeFirst();
    if (!row) return undefined;
    const {
      requester_email,
      requester_name,
      requester_locale,
      requester_deactivated_at,
      organization_name,
      organization_locale,
      ...ticket
    } = row;
    return {
      ticket,
      requester: {
        id: ticket.requester_id,
        email: requester_email,
        name: requester_name,
        locale: requester_locale,
        deactivatedAt: requester_deactivated_at,
      },
      organization: { name: organization_name, locale: organization_locale },
    };
  }

  async bouncedSince(email: string, since: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('mail_bounces')
      .select('id')
      .where('email', '=', email.toLowerCase())
      .where('at', '>=', since)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The Message-ID of the mail that opened the ticket, once the channel has linked it. */
  async openingMessageId(ticketId: string): Promise<string | undefined> {
    const linked = await this.db
      .selectFrom('mail_messages')
      .select('message_id')
      .where('ticket_id', '=', ticketId)
      .where('direction', '=', 'inbound')
      .orderBy('at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return linked?.message_id;
  }

  /** The Message-IDs (as stored, without brackets) of the ticket's mail in either direction, oldest first. */
  async thread(ticketId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('mail_messages')
      .select('message_id')
      .where('ticket_id', '=', ticketId)
      .where((eb) =>
        eb.or([
          eb('direction', '=', 'outbound'),
          eb.and([eb('direction', '=', 'inbound'), eb('disposition', 'in', THREADED_INBOUND)]),
        ]),
      )
      .orderBy('at')
      .orderBy('id')
      .execute();
    return rows.map((r) => r.message_id);
  }

  message(messageId: string) {
    return this.db
      .selectFrom('ticket_messages')
      .innerJoin('users', 'users.id', 'ticket_messages.author_id')
      .select([
        'ticket_messages.body',
        'ticket_messages.body_format',
        'ticket_messages.visibility',
        'users.name as author_name',
      ])
      .where('ticket_messages.id', '=', messageId)
      .executeTakeFirst();
  }

  /** Who made the ticket's latest status change (the one being told about). */
  async lastStatusActor(ticketId: string): Promise<string | null | undefined> {
    const row = await this.db
      .selectFrom('ticket_events')
      .select('actor_id')
      .where('ticket_id', '=', ticketId)
      .where('type', '=', 'status_changed')
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.actor_id;
  }

  /** Records an outbound ticket mail, so that a reply naming its Message-ID threads to the ticket. */
  async recordOutbound(mail: {
    messageId: string;
    ticketId: string;
    ticketMessageId?: string | null;
    from: string;
    to: string;
    subject: string;
    size: number;
    at: number;
  }) {
    await this.db
      .insertInto('mail_messages')
      .values({
        id: newId(),
        direction: 'outbound',
        message_id: mail.messageId,
        ticket_id: mail.ticketId,
        ticket_message_id: mail.ticketMessageId ?? null,
        from_address: mail.from,
        to_addresses: JSON.stringify([mail.to]),
        subject: mail.subject,
        disposition: 'queued',
        reason: null,
        raw_path: null,
        size: mail.size,
        at: mail.at,
      })
      .execute();
  }

  /** Active staff with the given ids or roles, with what a mail to them needs. */
  async activeStaff(filter: { ids?: string[]; roles?: string[] }): Promise<MailRecipient[]> {
    if (!filter.ids?.length && !filter.roles?.length) return [];
    const rows = await this.db
      .selectFrom('users')
      .select(['id', 'email', 'name', 'locale', 'deactivated_at'])
      .where('deactivated_at', 'is', null)
      .where('role', 'in', ['agent', 'lead', 'admin'])
      .where((eb) =>
        eb.or([
          ...(filter.ids?.length ? [eb('id', 'in', filter.ids)] : []),
          ...(filter.roles?.length ? [eb('role', 'in', filter.roles)] : []),
        ]),
      )
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      email: r.email,
      name: r.name,
      locale: r.locale,
      deactivatedAt: r.deactivated_at,
    }));
  }

  async organizationName(organizationId: string): Promise<string> {
    const row = await this.db
      .selectFrom('organizations')
      .select('name')
      .where('id', '=', organizationId)
      .executeTakeFirst();
    return row?.name ?? '';
  }
}
