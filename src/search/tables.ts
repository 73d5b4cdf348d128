import type { ColumnType, Generated, Kysely } from 'kysely';
import type { Database } from '../db/tables.js';

/** Ticket search's tables: derived from the ledger's tickets and messages, owned by src/search. */
export interface TicketSearchTables {
  ticket_search_documents: TicketSearchDocumentTable;
  /** SQLite only: the FTS5 table over the documents' streams, its rowid the document's id. */
  ticket_search_fts: TicketSearchFtsTable;
}

/** One ticket's stems, space-separated, per stream. */
export interface TicketSearchDocumentTable {
  id: Generated<number>;
  ticket_id: string;
  /** Number, subject, requester's name and email, organization's name. */
  head: string;
  /** Public messages, oldest first. */
  public: string;
  /** Internal notes, oldest first: staff only. */
  internal: string;
  /** PostgreSQL only: the streams as one tsvector weighted A, B and C. */
  search_vector: ColumnType<never, string | undefined, string>;
}

export interface TicketSearchFtsTable {
  /** Named after the table itself: FTS5 commands ('delete') are written to this column. */
  ticket_search_fts: ColumnType<string, string | undefined, never>;
  rowid: number;
  head: string;
  public: string;
  internal: string;
}

export type TicketSearchSchema = {
  [T in keyof TicketSearchTables]: { [C in keyof TicketSearchTables[T]]: TicketSearchTables[T][C] };
};

export type TicketSearchDb = Kysely<Database & TicketSearchSchema>;
