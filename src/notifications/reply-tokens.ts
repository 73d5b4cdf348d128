import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';

/**
 * Each ticket's secret reply address, support+<token>@domain: a reply to it lands on the ticket
 * whatever its subject or headers say. The token is random, so knowing a ticket number is not
 * enough to post into it.
 */
function newToken(): string {
  return randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x');
}

export async function ensureReplyToken(db: Kysely<Database>, ticketId: string): Promise<string> {
  const existing = await db
    .selectFrom('ticket_reply_tokens')
    .select('token')
    .where('ticket_id', '=', ticketId)
    .executeTakeFirst();
  if (existing) return existing.token;
  const inserted = await db
    .insertInto('ticket_reply_tokens')
    .values({ ticket_id: ticketId, token: newToken() })
    .onConflict((oc) => oc.column('ticket_id').doNothing())
    .returning('token')
    .executeTakeFirst();
  if (inserted) return inserted.token;
  // Another writer gave the ticket its token first: theirs is the one.
  return (
    await db
      .selectFrom('ticket_reply_tokens')
      .select('token')
      .where('ticket_id', '=', ticketId)
      .executeTakeFirstOrThrow()
  ).token;
}

export async function ticketOfReplyToken(db: Kysely<Database>, token: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('ticket_reply_tokens')
    .select('ticket_id')
    .where('token', '=', token.toLowerCase())
    .executeTakeFirst();
  return row?.ticket_id;
}

/**
 * A member of staff's secret reply address on a ticket: mail to it from that person, and only from
 * them, is their public reply. It is shown to them alone, in the console, and never put in a mail
 * the customer receives.
 */
export async function ensureStaffReplyToken(
  db: Kysely<Database>,
  ticketId: string,
  userId: string,
  now: number,
): Promise<string> {
  await db
    .insertInto('staff_reply_tokens')
    .values({ token: newToken(), ticket_id: ticketId, user_id: userId, created_at: now })
    .onConflict((oc) => oc.columns(['ticket_id', 'user_id']).doNothing())
    .execute();
  return (
    await db
      .selectFrom('staff_reply_tokens')
      .select('token')
      .where('ticket_id', '=', ticketId)
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow()
  ).token;
}

/** The ticket and the member of staff a staff reply token belongs to. */
export function staffOfReplyToken(
  db: Kysely<Database>,
  token: string,
): Promise<{ ticket_id: string; user_id: string } | undefined> {
  return db
    .selectFrom('staff_reply_tokens')
    .select(['ticket_id', 'user_id'])
    .where('token', '=', token.toLowerCase())
    .executeTakeFirst();
}

/**
 * Whether an address is one of the desk's own: the support address or any plus-address of it,
 * whatever follows the plus. Mail from them is the desk talking to itself.
 */
export function isDeskAddress(supportEmail: string, address: string): boolean {
  const at = supportEmail.lastIndexOf('@');
  const local = supportEmail.slice(0, at).toLowerCase();
  const domain = supportEmail.slice(at + 1).toLowerCase();
  const candidate = address.trim().toLowerCase();
  const split = candidate.lastIndexOf('@');
  if (split < 0 || candidate.slice(split + 1).replace(/\.$/, '') !== domain) return false;
  return candidate.slice(0, split).split('+')[0] === local;
}

/** support@example.com and a token → support+token@example.com. */
export function replyAddress(supportEmail: string, token: string): string {
  const at = supportEmail.lastIndexOf('@');
  return `${supportEmail.slice(0, at)}+${token}${supportEmail.slice(at)}`;
}

/** The token of a plus-address of the support address, if the recipient is one. */
export function tokenOfAddress(supportEmail: string, recipient: string): string | undefined {
  const at = supportEmail.lastIndexOf('@');
  const local = supportEmail.slice(0, at).toLowerCase();
  const domain = supportEmail.slice(at + 1).toLowerCase();
  const match = /^([^@+]+)\+([a-z0-9]{6,40})@(.+)$/i.exec(recipient.trim());
  if (!match || match[1]!.toLowerCase() !== local || match[3]!.toLowerCase() !== domain) return undefined;
  return match[2]!.toLowerCase();
}
