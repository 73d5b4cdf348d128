import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DialectName } from '../db/database.js';
import type { Database, UserRow } from '../db/tables.js';
import { newId } from '../shared/ids.js';

/** At most `max` attempts against `key` in the last `windowMs`. */
export interface AttemptLimit {
  key: string;
  max: number;
  windowMs: number;
}

/** An attempt counted against every key (`ids` are its rows), or refused until `retryAt`. */
export type AttemptReservation = { reserved: true; ids: string[] } | { reserved: false; retryAt: number };

// The first half of the two-part advisory lock key on PostgreSQL: names the throttle's keys, apart
// from any other advisory lock (the two-part and the single 64-bit key spaces never overlap).
const THROTTLE_LOCK_SPACE = 0x41434354;

/** A throttle key's lock number: the first 32 bits of its SHA-256, so every process agrees on it. */
const lockNumber = (key: string) => createHash('sha256').update(key).digest().readInt32BE(0);

class OverLimit extends Error {
  constructor(readonly retryAt: number) {
    super('over the limit');
  }
}

/** Sessions, API tokens, password resets and login throttling: all in the database, so any process can serve any request. */
export class AuthRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {}

  findActiveUserByEmail(email: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email.toLowerCase())
      .where('deactivated_at', 'is', null)
      .executeTakeFirst();
  }

  findActiveUserById(id: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .where('deactivated_at', 'is', null)
      .executeTakeFirst();
  }

  async createSession(s: { id: string; userId: string; csrfToken: string; now: number; expiresAt: number }) {
    await this.db
      .insertInto('sessions')
      .values({
        id: s.id,
        user_id: s.userId,
        csrf_token: s.csrfToken,
        created_at: s.now,
        expires_at: s.expiresAt,
      })
      .execute();
  }

  async findSessionUser(sessionHash: string, now: number) {
    return this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .select(['sessions.csrf_token as session_csrf', 'sessions.expires_at as session_expires_at'])
      .where('sessions.id', '=', sessionHash)
      .where('sessions.expires_at', '>', now)
      .where('users.deactivated_at', 'is', null)
      .executeTakeFirst();
  }

  async deleteSession(sessionHash: string) {
    await this.db.deleteFrom('sessions').where('id', '=', sessionHash).execute();
  }

  async deleteExpiredSessions(now: number) {
    await this.db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  }

  async deleteUserCredentials(userId: string, exceptSessionHash?: string) {
    let q = this.db.deleteFrom('sessions').where('user_id', '=', userId);
    if (exceptSessionHash) q = q.where('id', '!=', exceptSessionHash);
    await q.execute();
  }

  async createApiToken(t: { userId: string; name: string; tokenHash: string; now: number }) {
    const id = newId();
    await this.db
      .insertInto('api_tokens')
      .values({
        id,
        user_id: t.userId,
        name: t.name,
        token_hash: t.tokenHash,
        created_at: t.now,
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
    return id;
  }

  findTokenUser(tokenHash: string) {
    return this.db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .selectAll('users')
      .select(['api_tokens.id as token_id', 'api_tokens.last_used_at as token_last_used_at'])
      .where('api_tokens.token_hash', '=', tokenHash)
      .where('api_tokens.revoked_at', 'is', null)
      .where('users.deactivated_at', 'is', null)
      .executeTakeFirst();
  }

  async touchToken(tokenId: string, now: number) {
    await this.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', tokenId).execute();
  }

  listTokens(userId: string) {
    return this.db
      .selectFrom('api_tokens')
      .select(['id', 'name', 'created_at', 'last_used_at'])
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(500)
      .execute();
  }

  async revokeToken(userId: string, tokenId: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('id', '=', tokenId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async revokeAllTokens(userId: string, now: number) {
    await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /**
   * Counts one attempt against every limit's key in a single step, or none if any key is at its
   * limit. Attempts are kept in login_failures (the table of sign-in attempts). The count and the
   * insert cannot interleave with another caller's, in this process or another: on PostgreSQL the
   * transaction first takes an advisory lock per key (in a fixed order, so two callers never
   * deadlock); on SQLite its first statement is the insert, which takes the database's single write
   * lock before anything is counted.
   */
  async reserveAttempt(limits: readonly AttemptLimit[], now: number): Promise<AttemptReservation> {
    const keys = limits.map((l) => l.key);
    const ids = keys.map(() => newId());
    try {
      await this.db.transaction().execute(async (trx) => {
        if (this.dialect === 'postgres') await lockKeys(trx, keys);
        await trx
          .insertInto('login_failures')
          .values(keys.map((key, i) => ({ id: ids[i]!, key, at: now })))
          .execute();
        for (const limit of limits) {
          const row = await trx
            .selectFrom('login_failures')
            .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('at').as('oldest')])
            .where('key', '=', limit.key)
            .where('at', '>', now - limit.windowMs)
            .executeTakeFirstOrThrow();
          // The count includes the attempt just inserted; over the limit, the insert is rolled back.
          if (Number(row.n) > limit.max) throw new OverLimit(Number(row.oldest) + limit.windowMs);
        }
      });
    } catch (error) {
      if (error instanceof OverLimit) return { reserved: false, retryAt: error.retryAt };
      throw error;
    }
    return { reserved: true, ids };
  }

  /** Forgets reserved attempts (`ids`) and every attempt against `clearKey`, after a success. */
  async releaseAttempts(ids: readonly string[], clearKey: string) {
    await this.db
      .deleteFrom('login_failures')
      .where((eb) => eb.or([eb('id', 'in', [...ids]), eb('key', '=', clearKey)]))
      .execute();
  }

  /**
   * Forgets attempts older than their window: those whose key starts with `longer.keyPrefix` at
   * `longer.before`, all others at `before`.
   */
  async pruneAttempts(before: number, longer: { keyPrefix: string; before: number }) {
    await this.db
      .deleteFrom('login_failures')
      .where('at', '<=', before)
      .where('key', 'not like', `${longer.keyPrefix}%`)
      .execute();
    await this.db.deleteFrom('login_failures').where('at', '<=', longer.before).execute();
  }

  async createPasswordReset(r: { tokenHash: string; userId: string; now: number; expiresAt: number }) {
    await this.db
      .insertInto('password_resets')
      .values({
        token_hash: r.tokenHash,
        user_id: r.userId,
        created_at: r.now,
        expires_at: r.expiresAt,
        used_at: null,
      })
      .execute();
  }

  /**
   * Spends a reset token and, in the same statement, every other unused token of its user, so no
   * older link works once the password is reset. Returns the user, or nothing if the token is
   * unknown, used or expired.
   */
  async consumePasswordReset(tokenHash: string, now: number): Promise<string | undefined> {
    const spent = await this.db
      .updateTable('password_resets')
      .set({ used_at: now })
      .where('used_at', 'is', null)
      .where('user_id', '=', (eb) =>
        eb
          .selectFrom('password_resets as own')
          .select('own.user_id')
          .where('own.token_hash', '=', tokenHash)
          .where('own.used_at', 'is', null)
          .where('own.expires_at', '>', now),
      )
      .returning(['token_hash', 'user_id'])
      .execute();
    return spent.find((row) => row.token_hash === tokenHash)?.user_id;
  }

  /** Makes every outstanding reset link of a user unusable (after a password change). */
  async spendPasswordResets(userId: string, now: number) {
    await this.db
      .updateTable('password_resets')
      .set({ used_at: now })
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .execute();
  }

  async setPassword(userId: string, passwordHash: string, now: number) {
    await this.db
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: now })
      .where('id', '=', userId)
      .execute();
  }
}

/** Takes a transaction-scoped advisory lock per throttle key, lowest lock number first. */
async function lockKeys(trx: Transaction<Database>, keys: readonly string[]) {
  const numbers = [...new Set(keys.map(lockNumber))].sort((a, b) => a - b);
  for (const n of numbers) await sql`select pg_advisory_xact_lock(${THROTTLE_LOCK_SPACE}, ${n})`.execute(trx);
}
