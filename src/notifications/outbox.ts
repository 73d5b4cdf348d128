import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DialectName } from '../db/database.js';
import type { Database, MailOutboxTable } from '../db/tables.js';
import { newId } from '../shared/ids.js';
import type { Cursor } from '../shared/pagination.js';

type Executor = Kysely<Database> | Transaction<Database>;

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** Headers beyond From, To, Subject, Date and Message-ID, by their RFC 5322 names. */
export type MailHeaders = Record<string, string>;

/** A mail to queue. */
export interface NewOutboundMail {
  /** What it is (acknowledgement, reply, status, password_reset …), for admins and for filtering. */
  kind: string;
  ticketId?: string | null;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  headers?: MailHeaders;
  /** From newMessageId, fixed here once and for all: every delivery attempt sends the same one. */
  messageId: string;
}

/** A queued mail as a delivery worker holds it. */
export interface OutboundMail {
  id: string;
  messageId: string;
  kind: string;
  ticketId: string | null;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  headers: MailHeaders;
  /** Delivery attempts so far, this one included; also the claim's fence (see markSent). */
  attempts: number;
  createdAt: number;
}

export type OutboxRow = Selectable<MailOutboxTable>;

/**
 * A fresh Message-ID on the support address's domain, `uuid@support.example.com`. Message-IDs are
 * kept without their angle brackets, as the email channel keeps inbound ones, so that one lookup
 * finds a mail whichever way it went; headers put the brackets back (see bracketed).
 */
export function newMessageId(supportEmail: string): string {
  return `${randomUUID()}@${supportEmail.slice(supportEmail.lastIndexOf('@') + 1)}`;
}

/** A stored Message-ID as a header writes it: `<id>`. */
export const bracketed = (messageId: string): string =>
  messageId.startsWith('<') ? messageId : `<${messageId}>`;

/** Kinds whose body holds a secret (a one-time link): the body is erased once the mail is out. */
const SECRET_KINDS = new Set(['password_reset', 'satisfaction_survey']);
const ERASED_BODY = '(erased after delivery: it held a one-time link)';

/** Longest error text kept: the SMTP server's answer, enough to tell an admin what went wrong. */
const MAX_ERROR_CHARS = 1000;

function toMail(row: OutboxRow): OutboundMail {
  return {
    id: row.id,
    messageId: row.message_id,
    kind: row.kind,
    ticketId: row.ticket_id,
    to: row.to_address,
    subject: row.subject,
    text: row.body_text,
    html: row.body_html,
    headers: JSON.parse(row.headers) as MailHeaders,
    attempts: row.attempts,
    createdAt: row.created_at,
  };
}

/**
 * The durable outbox: mail is written in the same transaction as the change it tells about, and
 * delivery workers take it from here. A claim is a lease (locked_until): a worker that dies
 * mid-send leaves the mail to be claimed again once the lease runs out.
 */
export class OutboxRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {}

  /**
   * Whether the desk mailed an address: one of these Message-IDs, or any mail on one of these
   * tickets. A bounce counts only for mail the desk really sent to the address it names.
   */
  async mailedTo(address: string, refs: { messageIds: string[]; ticketIds: string[] }): Promise<boolean> {
    const messageIds = [...new Set(refs.messageIds.map((id) => id.replace(/^<|>$/g, '')))].slice(0, 50);
    const ticketIds = [...new Set(refs.ticketIds)].slice(0, 20);
    if (messageIds.length === 0 && ticketIds.length === 0) return false;
    const row = await this.db
      .selectFrom('mail_outbox')
      .select('id')
      .where('to_address', '=', address.toLowerCase())
      .where((eb) =>
        eb.or([
          ...(messageIds.length ? [eb('message_id', 'in', messageIds)] : []),
          ...(ticketIds.length ? [eb('ticket_id', 'in', ticketIds)] : []),
        ]),
      )
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Queues a mail; pass the transaction of the change it belongs to. Returns the outbox id. */
  async enqueue(executor: Executor, mail: NewOutboundMail, now: number): Promise<string> {
    const [id] = await this.enqueueMany(executor, [mail], now);
    return id!;
  }

  /** Queues several mails in one statement per hundred; returns their outbox ids in order. */
  async enqueueMany(executor: Executor, mails: NewOutboundMail[], now: number): Promise<string[]> {
    const rows = mails.map((mail) => ({
      id: newId(),
      message_id: mail.messageId,
      kind: mail.kind,
      ticket_id: mail.ticketId ?? null,
      to_address: mail.to,
      subject: mail.subject,
      body_text: mail.text,
      body_html: mail.html ?? null,
      headers: JSON.stringify(mail.headers ?? {}),
      status: 'pending' as const,
      attempts: 0,
      next_attempt_at: now,
      locked_until: null,
      last_error: null,
      created_at: now,
      sent_at: null,
    }));
    for (let i = 0; i < rows.length; i += 100)
      await executor
        .insertInto('mail_outbox')
        .values(rows.slice(i, i + 100))
        .execute();
    return rows.map((r) => r.id);
  }

  /**
   * Takes up to `limit` due mails for `leaseMs` and counts the attempt. One statement on both
   * databases; on PostgreSQL rows another worker is claiming are skipped rather than waited for, and
   * a row claimed meanwhile fails the re-checked condition, so two workers never hold the same mail.
   */
  async claimDue(now: number, limit: number, leaseMs: number): Promise<OutboundMail[]> {
    let due = this.db
      .selectFrom('mail_outbox')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .orderBy('next_attempt_at')
      .limit(limit);
    if (this.dialect === 'postgres') due = due.forUpdate().skipLocked();
    const rows = await this.db
      .updateTable('mail_outbox')
      .set((eb) => ({ locked_until: now + leaseMs, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', due)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .returningAll()
      .execute();
    return rows.sort((a, b) => a.created_at - b.created_at || a.id.localeCompare(b.id)).map(toMail);
  }

  /**
   * The mail went out. `attempt` is the claim's attempt number: a worker whose lease ran out and
   * whose mail another worker took over changes nothing. Returns whether the claim still held.
   */
  async markSent(id: string, attempt: number, now: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('mail_outbox')
        .set({ status: 'sent', sent_at: now, locked_until: null, last_error: null })
        .where('id', '=', id)
        .where('attempts', '=', attempt)
        .where('status', '=', 'pending')
        .returning(['message_id', 'kind'])
        .executeTakeFirst();
      if (!row) return false;
      if (SECRET_KINDS.has(row.kind))
        await trx
          .updateTable('mail_outbox')
          .set({ body_text: ERASED_BODY, body_html: null })
          .where('id', '=', id)
          .execute();
      await this.setDisposition(trx, row.message_id, 'sent', null);
      return true;
    });
  }

  /** The attempt failed but may succeed later: tried again from `nextAttemptAt`. */
  async markRetry(id: string, attempt: number, error: string, nextAttemptAt: number): Promise<boolean> {
    const result = await this.db
      .updateTable('mail_outbox')
      .set({
        next_attempt_at: nextAttemptAt,
        locked_until: null,
        last_error: error.slice(0, MAX_ERROR_CHARS),
      })
      .where('id', '=', id)
      .where('attempts', '=', attempt)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Given up: the mail stays, with the last error, for an admin to see and retry. */
  async markFailed(id: string, attempt: number, error: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('mail_outbox')
        .set({ status: 'failed', locked_until: null, last_error: error.slice(0, MAX_ERROR_CHARS) })
        .where('id', '=', id)
        .where('attempts', '=', attempt)
        .where('status', '=', 'pending')
        .returning('message_id')
        .executeTakeFirst();
      if (!row) return false;
      await this.setDisposition(trx, row.message_id, 'failed', error.slice(0, 500));
      return true;
    });
  }

  /** Puts a failed mail back in the queue, due now, with a fresh series of attempts. */
  async retry(id: string, now: number): Promise<OutboxRow | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('mail_outbox')
        .set({ status: 'pending', attempts: 0, next_attempt_at: now, locked_until: null })
        .where('id', '=', id)
        .where('status', '=', 'failed')
        .returningAll()
        .executeTakeFirst();
      if (row) await this.setDisposition(trx, row.message_id, 'queued', null);
      return row;
    });
  }

  find(id: string): Promise<OutboxRow | undefined> {
    return this.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Mail for admins, newest first, optionally of one status; limit+1 rows for the page. */
  list(status: OutboxStatus | undefined, limit: number, after: Cursor | undefined): Promise<OutboxRow[]> {
    let q = this.db.selectFrom('mail_outbox').selectAll();
    if (status) q = q.where('status', '=', status);
    if (after) {
      const at = Number(after.k);
      q = q.where((eb) =>
        eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', after.id)])]),
      );
    }
    return q
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
  }

  /** The outbound record threading looks at follows the mail: queued, sent, failed. */
  private async setDisposition(trx: Executor, messageId: string, disposition: string, reason: string | null) {
    await trx
      .updateTable('mail_messages')
      .set({ disposition, reason })
      .where('direction', '=', 'outbound')
      .where('message_id', '=', messageId)
      .execute();
  }
}
