import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../../db/database.js';
import { isUniqueViolation } from '../../db/dialect.js';
import type { Database, MailMessageTable } from '../../db/tables.js';
import { newId } from '../../shared/ids.js';

/**
 * Dispositions that count toward the per-sender rate cap: mail turned into work, and mail refused by
 * a support limit (each is answered, so a flood of them must not become a flood of answers).
 */
const ACCEPTED = ['ticket_created', 'reply_added', 'limited'];
/** A claim older than this whose process never finished (a crash) may be taken over. */
const STALE_CLAIM_MS = 10 * 60_000;

export interface InboundClaim {
  id: string;
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  rawPath: string | null;
  size: number;
  at: number;
  /** How the sender was authenticated (absent when the mail could not be read). */
  auth?: { verdict: string; results: string } | undefined;
}

/** The email channel's records: every inbound mail, threading lookups, bounces. */
export class MailRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {}

  /**
   * Claims an inbound Message-ID for processing, or says it was already taken: the unique
   * (direction, message_id) key makes a duplicate delivery, even a concurrent one, a no-op. A claim
   * left by a crash, or one that failed on a transient error, is taken over.
   */
  async claimInbound(
    claim: InboundClaim,
  ): Promise<{ claimed: true; id: string } | { claimed: false; disposition: string }> {
    const row: MailMessageTable = {
      id: claim.id,
      direction: 'inbound',
      message_id: claim.messageId,
      ticket_id: null,
      ticket_message_id: null,
      from_address: claim.from,
      to_addresses: JSON.stringify(claim.to.slice(0, 50)),
      subject: claim.subject,
      disposition: 'processing',
      reason: null,
      raw_path: claim.rawPath,
      size: claim.size,
      at: claim.at,
      auth_verdict: claim.auth?.verdict ?? null,
      auth_results: claim.auth?.results ?? null,
    };
    try {
      await this.insertClaim(row);
      return { claimed: true, id: claim.id };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const existing = await this.db
      .selectFrom('mail_messages')
      .select(['id', 'disposition', 'at'])
      .where('direction', '=', 'inbound')
      .where('message_id', '=', claim.messageId)
      .executeTakeFirstOrThrow();
    const retakeable =
      existing.disposition === 'failed' ||
      (existing.disposition === 'processing' && existing.at < claim.at - STALE_CLAIM_MS);
    if (retakeable) {
      const taken = await this.db
        .updateTable('mail_messages')
        .set({
          disposition: 'processing',
          at: claim.at,
          raw_path: claim.rawPath,
          reason: null,
          auth_verdict: claim.auth?.verdict ?? null,
          auth_results: claim.auth?.results ?? null,
        })
        .where('id', '=', existing.id)
        .where('disposition', '=', existing.disposition)
        .where('at', '=', existing.at)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) === 1) return { claimed: true, id: existing.id };
    }
    return { claimed: false, disposition: existing.disposition };
  }

  /**
   * On PostgreSQL the claim's commit does not wait for its flush to disk: the sender is answered only
   * once the outcome is stored, by a commit that does wait, and the write-ahead log is flushed in
   * order, so that commit makes the claim durable too. A claim lost in a crash is a mail the sender
   * was never answered for, and delivers again. One flush per mail is saved.
   */
  private async insertClaim(row: MailMessageTable) {
    if (this.dialect !== 'postgres') {
      await this.db.insertInto('mail_messages').values(row).execute();
      return;
    }
    await this.db.transaction().execute(async (trx) => {
      await sql`set local synchronous_commit = off`.execute(trx);
      await trx.insertInto('mail_messages').values(row).execute();
    });
  }

  /** Records an inbound mail that was refused before it could be claimed (no usable Message-ID). */
  async recordInbound(claim: InboundClaim, disposition: string, reason: string) {
    await this.db
      .insertInto('mail_messages')
      .values({
        id: claim.id,
        direction: 'inbound',
        message_id: claim.messageId,
        ticket_id: null,
        ticket_message_id: null,
        from_address: claim.from,
        to_addresses: JSON.stringify(claim.to.slice(0, 50)),
        subject: claim.subject,
        disposition,
        reason,
        raw_path: claim.rawPath,
        size: claim.size,
        at: claim.at,
        auth_verdict: null,
        auth_results: null,
      })
      .onConflict((oc) => oc.columns(['direction', 'message_id']).doNothing())
      .execute();
  }

  findInbound(id: string) {
    return this.db
      .selectFrom('mail_messages')
      .selectAll()
      .where('id', '=', id)
      .where('direction', '=', 'inbound')
      .executeTakeFirst();
  }

  /** Takes a finished inbound mail back for processing, if it still has that disposition. */
  async retake(id: string, disposition: string): Promise<boolean> {
    const taken = await this.db
      .updateTable('mail_messages')
      .set({ disposition: 'processing', reason: null })
      .where('id', '=', id)
      .where('disposition', '=', disposition)
      .executeTakeFirst();
    return Number(taken.numUpdatedRows) === 1;
  }

  /** Stores an inbound mail's outcome; given a transaction (the ticket's), as part of it. */
  async finishInbound(
    id: string,
    outcome: {
      disposition: string;
      reason?: string | null;
      ticketId?: string | null;
      ticketMessageId?: string | null;
    },
    trx: Kysely<Database> = this.db,
  ) {
    await trx
      .updateTable('mail_messages')
      .set({
        disposition: outcome.disposition,
        reason: outcome.reason ?? null,
        ticket_id: outcome.ticketId ?? null,
        ticket_message_id: outcome.ticketMessageId ?? null,
      })
      .where('id', '=', id)
      .execute();
  }

  /** The tickets the given Message-IDs belong to (mail we sent or received), most recent mail first. */
  async ticketsOfMessageIds(messageIds: string[]): Promise<string[]> {
    if (messageIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('mail_messages')
      .select(['ticket_id'])
      .where('message_id', 'in', messageIds.slice(0, 100))
      .where('ticket_id', 'is not', null)
      .orderBy('at', 'desc')
      .execute();
    return [...new Set(rows.map((r) => r.ticket_id!))];
  }

  async ticketIdOfNumber(number: number): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('tickets')
      .select('id')
      .where('number', '=', number)
      .executeTakeFirst();
    return row?.id;
  }

  /** How many of a sender's mails became tickets or replies since an instant (the rate cap). */
  async acceptedSince(from: string, since: number): Promise<number> {
    const row = await this.db
      .selectFrom('mail_messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('from_address', '=', from)
      .where('at', '>=', since)
      .where('direction', '=', 'inbound')
      .where('disposition', 'in', ACCEPTED)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async recordBounce(bounce: { email: string; reason: string; messageId: string | null; at: number }) {
    const user = await this.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', bounce.email)
      .executeTakeFirst();
    await this.db
      .insertInto('mail_bounces')
      .values({
        id: newId(),
        email: bounce.email,
        user_id: user?.id ?? null,
        reason: bounce.reason,
        message_id: bounce.messageId,
        at: bounce.at,
      })
      .execute();
  }
}
