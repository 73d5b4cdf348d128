import type { Kysely } from 'kysely';
import type { Database, UserRow } from '../db/tables.js';
import { newId } from '../shared/ids.js';

/** Sessions, API tokens, password resets and login throttling: all in the database, so any process can serve any request. */
export class AuthRepository {
  constructor(private readonly db: Kysely<Database>) {}

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
      .select(['sessions.csrf_token as session_csrf'])
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

  async recordLoginFailure(keys: string[], now: number) {
    await this.db
      .insertInto('login_failures')
      .values(keys.map((key) => ({ id: newId(), key, at: now })))
      .execute();
  }

  async countLoginFailures(key: string, since: number): Promise<number> {
    const row = await this.db
      .selectFrom('login_failures')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('key', '=', key)
      .where('at', '>', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async oldestLoginFailure(key: string, since: number): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('login_failures')
      .select((eb) => eb.fn.min('at').as('at'))
      .where('key', '=', key)
      .where('at', '>', since)
      .executeTakeFirst();
    return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
  }

  async clearLoginFailures(key: string) {
    await this.db.deleteFrom('login_failures').where('key', '=', key).execute();
  }

  async pruneLoginFailures(before: number) {
    await this.db.deleteFrom('login_failures').where('at', '<=', before).execute();
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

  /** Marks a reset token used and returns its user, or nothing if it is unknown, used or expired. */
  async consumePasswordReset(tokenHash: string, now: number): Promise<string | undefined> {
    const row = await this.db
      .updateTable('password_resets')
      .set({ used_at: now })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('user_id')
      .executeTakeFirst();
    return row?.user_id;
  }

  async setPassword(userId: string, passwordHash: string, now: number) {
    await this.db
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: now })
      .where('id', '=', userId)
      .execute();
  }
}
