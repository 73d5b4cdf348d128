import type { Kysely, Transaction } from 'kysely';
import type { AuditLogTable, Database } from '../db/tables.js';
import { newId } from '../shared/ids.js';

type Executor = Kysely<Database> | Transaction<Database>;

export interface AuditEntry {
  organizationId: string | null;
  ticketId?: string | null;
  actorId: string | null;
  /** What was done: flag.dismissed, contact.messaged, limit.applied, limit.lifted, limit.overridden_p0, ticket.excluded, ticket.exclusion_removed, ticket.off_topic, ticket.on_topic, spam.released, spam.discarded … */
  action: string;
  reason?: string | null;
  data?: Record<string, unknown>;
  at: number;
}

/** The fair-use audit log: who did what, why and when. Rows are only ever added. */
export class AuditLog {
  constructor(private readonly db: Executor) {}

  withExecutor(executor: Executor) {
    return new AuditLog(executor);
  }

  async record(entry: AuditEntry, executor: Executor = this.db): Promise<string> {
    const row: AuditLogTable = {
      id: newId(),
      organization_id: entry.organizationId,
      ticket_id: entry.ticketId ?? null,
      actor_id: entry.actorId,
      action: entry.action,
      reason: entry.reason ?? null,
      data: JSON.stringify(entry.data ?? {}),
      at: entry.at,
    };
    await executor.insertInto('audit_log').values(row).execute();
    return row.id;
  }

  /** Newest first, a page at a time (keyset on at, id); one organization's or the whole desk's. */
  list(filter: { organizationId?: string | undefined }, limit: number, before?: { at: number; id: string }) {
    let query = this.db
      .selectFrom('audit_log as a')
      .leftJoin('users as u', 'u.id', 'a.actor_id')
      .selectAll('a')
      .select('u.name as actor_name');
    if (filter.organizationId) query = query.where('a.organization_id', '=', filter.organizationId);
    if (before)
      query = query.where((eb) =>
        eb.or([eb('a.at', '<', before.at), eb.and([eb('a.at', '=', before.at), eb('a.id', '<', before.id)])]),
      );
    return query
      .orderBy('a.at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(limit + 1)
      .execute();
  }
}
