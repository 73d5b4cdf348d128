import { sql, type Kysely, type Transaction } from 'kysely';
import type { DialectName } from '../db/database.js';
import { forUpdate } from '../db/dialect.js';
import type {
  AttachmentRow,
  Database,
  TicketEventRow,
  TicketMessageRow,
  TicketRow,
  TicketTagTable,
  TicketUpdate,
} from '../db/tables.js';
import { SLA_COLUMNS, type SlaColumns, type SlaColumnsStore } from '../sla/repository.js';

type TicketTagRow = TicketTagTable;
type Executor = Kysely<Database> | Transaction<Database>;

const FIRST_TICKET_NUMBER = 1001;
/** Rows per insert statement: far below either database's limit on bound parameters. */
const CHUNK = 200;

/**
 * The one place that writes tickets, their messages, their event log, their attachment rows and
 * their tags.
 * Only the ticket ledger uses it (a lint rule refuses these writes anywhere else).
 */
export class LedgerRepository {
  constructor(
    readonly db: Executor,
    readonly dialect: DialectName,
  ) {}

  /**
   * Allocates the next human-readable ticket number. PostgreSQL takes it from a sequence (a number
   * may be skipped when a filing fails, never reused); SQLite, with one writer at a time, counts in a row.
   */
  async nextTicketNumber(): Promise<number> {
    if (this.dialect === 'postgres') {
      const { rows } = await sql<{ value: number }>`select nextval('ticket_number_seq') as value`.execute(
        this.db,
      );
      return Number(rows[0]!.value);
    }
    const row = await this.db
      .insertInto('counters')
      .values({ name: 'ticket_number', value: FIRST_TICKET_NUMBER })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql<number>`counters.value + 1` }))
      .returning('value')
      .executeTakeFirstOrThrow();
    return Number(row.value);
  }

  /** Reads a ticket and, on PostgreSQL, locks it until the transaction ends. */
  lockTicket(id: string): Promise<TicketRow | undefined> {
    return forUpdate(
      this.dialect,
      this.db.selectFrom('tickets').selectAll().where('id', '=', id),
    ).executeTakeFirst();
  }

  /** What an announcement names of a ticket. */
  ticketRef(id: string) {
    return this.db
      .selectFrom('tickets')
      .select(['id', 'number', 'organization_id', 'requester_id'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async insertTicket(row: TicketRow) {
    await this.db.insertInto('tickets').values(row).execute();
  }

  async updateTicket(id: string, patch: TicketUpdate) {
    await this.db.updateTable('tickets').set(patch).where('id', '=', id).execute();
  }

  async insertMessages(rows: TicketMessageRow[]) {
    for (let i = 0; i < rows.length; i += CHUNK)
      await this.db
        .insertInto('ticket_messages')
        .values(rows.slice(i, i + CHUNK))
        .execute();
  }

  async insertEvents(rows: TicketEventRow[]) {
    for (let i = 0; i < rows.length; i += CHUNK)
      await this.db
        .insertInto('ticket_events')
        .values(rows.slice(i, i + CHUNK))
        .execute();
  }

  async insertAttachments(rows: AttachmentRow[]) {
    for (let i = 0; i < rows.length; i += CHUNK)
      await this.db
        .insertInto('attachments')
        .values(rows.slice(i, i + CHUNK))
        .execute();
  }

  async ticketTags(ticketId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('ticket_tags')
      .select('tag')
      .where('ticket_id', '=', ticketId)
      .orderBy('tag')
      .execute();
    return rows.map((r) => r.tag);
  }

  async insertTags(rows: TicketTagRow[]) {
    if (rows.length > 0) await this.db.insertInto('ticket_tags').values(rows).execute();
  }

  async deleteTags(ticketId: string, tags: string[]) {
    if (tags.length > 0)
      await this.db
        .deleteFrom('ticket_tags')
        .where('ticket_id', '=', ticketId)
        .where('tag', 'in', tags)
        .execute();
  }

  /**
   * Moves a merged ticket's messages, files and the events that record them to the ticket it was
   * merged into; each message remembers the ticket it was written on.
   */
  async moveConversation(fromId: string, toId: string) {
    await this.db
      .updateTable('ticket_messages')
      .set({ ticket_id: toId, merged_from_ticket_id: fromId })
      .where('ticket_id', '=', fromId)
      .execute();
    await this.db
      .updateTable('attachments')
      .set({ ticket_id: toId })
      .where('ticket_id', '=', fromId)
      .execute();
    await this.db
      .updateTable('ticket_events')
      .set({ ticket_id: toId })
      .where('ticket_id', '=', fromId)
      .where('type', 'in', ['message_added', 'attachment_added'])
      .execute();
  }

  async saveSlaColumns(ticketId: string, columns: SlaColumns) {
    await this.db.updateTable('tickets').set(columns).where('id', '=', ticketId).execute();
  }

  /** Several tickets' SLA columns in one UPDATE … FROM (VALUES …) per chunk. */
  async saveSlaColumnsMany(rows: { ticketId: string; columns: SlaColumns }[]) {
    // PostgreSQL types a VALUES list from its first row, where a null says nothing: every value is cast.
    const value = (v: unknown, type: string) =>
      this.dialect === 'postgres' ? sql`cast(${v} as ${sql.raw(type)})` : sql`${v}`;
    const names = sql.join(SLA_COLUMNS.map((c) => sql.ref(c)));
    const assignments = sql.join(SLA_COLUMNS.map((c) => sql`${sql.ref(c)} = v.${sql.ref(c)}`));
    for (let i = 0; i < rows.length; i += CHUNK) {
      const values = rows
        .slice(i, i + CHUNK)
        .map(
          ({ ticketId, columns }) =>
            sql`(${sql.join([value(ticketId, 'text'), ...SLA_COLUMNS.map((c) => value(columns[c], SLA_COLUMN_TYPES[c]))])})`,
        );
      await sql`with v (id, ${names}) as (values ${sql.join(values)})
        update tickets set ${assignments} from v where tickets.id = v.id`.execute(this.db);
    }
  }
}

const SLA_COLUMN_TYPES: Record<(typeof SLA_COLUMNS)[number], string> = {
  policy_version_id: 'text',
  sla_first_response_due_at: 'bigint',
  sla_first_response_at: 'bigint',
  sla_next_response_due_at: 'bigint',
  sla_next_response_at: 'bigint',
  sla_resolution_due_at: 'bigint',
  sla_resolved_at: 'bigint',
  sla_update_due_at: 'bigint',
  sla_escalation_due_at: 'bigint',
  sla_escalation_level: 'integer',
  sla_next_due_at: 'bigint',
  sla_next_check_at: 'bigint',
  sla_first_response_target_ms: 'bigint',
  sla_first_response_clock: 'text',
  sla_first_response_ms: 'bigint',
};

/** Where the SLA engine's deadlines are stored: on the ticket row, written by the ledger's repository. */
export function slaColumnsStore(dialect: DialectName): SlaColumnsStore {
  return {
    save: (executor, ticketId, columns) =>
      new LedgerRepository(executor, dialect).saveSlaColumns(ticketId, columns),
    saveMany: (executor, rows) => new LedgerRepository(executor, dialect).saveSlaColumnsMany(rows),
  };
}
