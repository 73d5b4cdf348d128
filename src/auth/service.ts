import { randomBytes } from 'node:crypto';
import type { Mailer } from '../shared/mailer.js';
import { badRequest, notFound, tooManyRequests, unauthorized } from '../shared/problem.js';
import type { Clock } from '../shared/time.js';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './passwords.js';
import { principalOf, type Principal } from './principal.js';
import type { UserRow } from '../db/tables.js';
import type { PrincipalCache } from './principal-cache.js';
import type { AuthRepository } from './repository.js';
import { hashSecret, newSecret } from './secrets.js';

// Sign-in: at most this many password checks per account and per client address in the window,
// counted when a check starts (so checks in flight count too); a success clears its account's count.
const FAILURE_WINDOW_MS = 15 * 60_000;
const MAX_FAILURES_PER_EMAIL = 10;
const MAX_FAILURES_PER_IP = 50;
// Password reset mails: at most this many requests per email address and per client address an hour.
const RESET_REQUEST_WINDOW_MS = 60 * 60_000;
const MAX_RESET_REQUESTS_PER_EMAIL = 3;
const MAX_RESET_REQUESTS_PER_IP = 10;
const RESET_KEY_PREFIX = 'reset-';
const RESET_TTL_MS = 60 * 60_000;
const SESSION_PREFIX = 'accs';

export interface AuthServiceDeps {
  repo: AuthRepository;
  clock: Clock;
  mailer: Mailer;
  sessionTtlMs: number;
  publicUrl: string;
  /** Principals resolved from sessions and tokens, kept briefly; absent, every lookup reads them. */
  cache?: PrincipalCache;
}

const sessionKey = (sessionHash: string) => `s:${sessionHash}`;
const tokenKey = (tokenHash: string) => `t:${tokenHash}`;
// A token's use is recorded at minute resolution: one write per token per minute, not per request.
const TOKEN_USE_RESOLUTION_MS = 60_000;

export class AuthService {
  constructor(private readonly deps: AuthServiceDeps) {}

  /** Signs in with email and password; returns the session secret for the cookie. */
  async login(email: string, password: string, ip: string) {
    const { repo, clock } = this.deps;
    const now = clock();
    const emailKey = `email:${email.toLowerCase()}`;
    // The attempt is counted before the password is checked: however many arrive at once, no more
    // checks start than the limits allow.
    const attempt = await repo.reserveAttempt(
      [
        { key: emailKey, max: MAX_FAILURES_PER_EMAIL, windowMs: FAILURE_WINDOW_MS },
        { key: `ip:${ip}`, max: MAX_FAILURES_PER_IP, windowMs: FAILURE_WINDOW_MS },
      ],
      now,
    );
    if (!attempt.reserved) {
      const retryAfter = Math.max(1, Math.ceil((attempt.retryAt - now) / 1000));
      throw tooManyRequests('Too many failed sign-in attempts. Try again later.', retryAfter);
    }
    const user = await repo.findActiveUserByEmail(email);
    const ok = user?.password_hash
      ? await verifyPassword(password, user.password_hash)
      : await verifyAgainstDummy(password);
    // A failed attempt stays counted; a success is forgotten, with the account's earlier failures.
    if (!user || !ok) throw unauthorized('Invalid email or password.');
    await repo.releaseAttempts(attempt.ids, emailKey);
    return this.openSession(user, this.deps.sessionTtlMs);
  }

  /**
   * Starts a session for a user who has proven who they are (a password, or a token signed by the
   * vendor's server); the secret goes in the cookie, or in a Bearer header inside the widget.
   */
  async openSession(user: UserRow, ttlMs: number) {
    const now = this.deps.clock();
    const secret = newSecret(SESSION_PREFIX);
    const csrfToken = randomBytes(24).toString('base64url');
    const sessionId = hashSecret(secret);
    await this.deps.repo.createSession({
      id: sessionId,
      userId: user.id,
      csrfToken,
      now,
      expiresAt: now + ttlMs,
    });
    return {
      secret,
      expiresAt: now + ttlMs,
      principal: principalOf(user, 'session', { id: sessionId, csrf: csrfToken }),
    };
  }

  /** A Bearer secret is a personal API token, or a session secret (the embedded widget's). */
  async principalFromBearer(secret: string): Promise<Principal | undefined> {
    if (secret.startsWith(`${SESSION_PREFIX}_`)) {
      const p = await this.principalFromSession(secret);
      // Header-borne: no ambient credential, so no CSRF token is involved.
      return p ? { ...p, via: 'token', csrfToken: undefined } : undefined;
    }
    return this.principalFromToken(secret);
  }

  async logout(principal: Principal) {
    if (!principal.sessionId) return;
    await this.deps.repo.deleteSession(principal.sessionId);
    await this.deps.cache?.forgetCredential(sessionKey(principal.sessionId));
  }

  async principalFromSession(secret: string): Promise<Principal | undefined> {
    const sessionId = hashSecret(secret);
    const key = sessionKey(sessionId);
    const now = this.deps.clock();
    const { cache } = this.deps;
    const cached = cache?.get(key);
    if (cached && cached.sessionExpiresAt !== undefined && cached.sessionExpiresAt > now)
      return cached.principal;
    const mark = cache?.mark() ?? 0;
    const row = await this.deps.repo.findSessionUser(sessionId, now);
    if (!row) return undefined;
    const principal = Object.freeze(principalOf(row, 'session', { id: sessionId, csrf: row.session_csrf }));
    cache?.set(key, { principal, userId: row.id, sessionExpiresAt: row.session_expires_at }, mark);
    return principal;
  }

  async principalFromToken(token: string): Promise<Principal | undefined> {
    const tokenHash = hashSecret(token);
    const key = tokenKey(tokenHash);
    const now = this.deps.clock();
    const { cache } = this.deps;
    const cached = cache?.get(key);
    if (cached?.token) {
      if (this.usedLongAgo(cached.token.lastUsedAt, now)) {
        await this.deps.repo.touchToken(cached.token.id, now);
        cached.token.lastUsedAt = now;
      }
      return cached.principal;
    }
    const mark = cache?.mark() ?? 0;
    const row = await this.deps.repo.findTokenUser(tokenHash);
    if (!row) return undefined;
    let lastUsedAt = row.token_last_used_at;
    if (this.usedLongAgo(lastUsedAt, now)) {
      await this.deps.repo.touchToken(row.token_id, now);
      lastUsedAt = now;
    }
    const principal = Object.freeze(principalOf(row, 'token'));
    cache?.set(key, { principal, userId: row.id, token: { id: row.token_id, lastUsedAt } }, mark);
    return principal;
  }

  private usedLongAgo(lastUsedAt: number | null, now: number) {
    return lastUsedAt === null || now - lastUsedAt > TOKEN_USE_RESOLUTION_MS;
  }

  /**
   * Forgets the principals a user signs in with, in every server process, once a change to the user
   * (role, name, locale, deactivation) is saved; resolves when the other processes have been told.
   */
  async forgetUser(userId: string) {
    await this.deps.cache?.forgetUser(userId);
  }

  /** Creates a personal API token for a user; the secret is shown once and stored only hashed. */
  async createToken(userId: string, name: string) {
    const token = newSecret('acc');
    const id = await this.deps.repo.createApiToken({
      userId,
      name,
      tokenHash: hashSecret(token),
      now: this.deps.clock(),
    });
    return { id, name, token };
  }

  async createTokenForEmail(email: string, name: string) {
    const user = await this.deps.repo.findActiveUserByEmail(email);
    if (!user) throw notFound(`An active user with email ${email}`);
    return this.createToken(user.id, name);
  }

  listTokens(userId: string) {
    return this.deps.repo.listTokens(userId);
  }

  async revokeToken(userId: string, tokenId: string) {
    if (!(await this.deps.repo.revokeToken(userId, tokenId, this.deps.clock()))) throw notFound('The token');
    await this.forgetUser(userId);
  }

  /**
   * Always succeeds from the caller's point of view: whether the email exists is never revealed,
   * and neither is a request over the limits, which sends no mail.
   */
  async requestPasswordReset(email: string, ip: string) {
    const now = this.deps.clock();
    const attempt = await this.deps.repo.reserveAttempt(
      [
        {
          key: `${RESET_KEY_PREFIX}email:${email.toLowerCase()}`,
          max: MAX_RESET_REQUESTS_PER_EMAIL,
          windowMs: RESET_REQUEST_WINDOW_MS,
        },
        {
          key: `${RESET_KEY_PREFIX}ip:${ip}`,
          max: MAX_RESET_REQUESTS_PER_IP,
          windowMs: RESET_REQUEST_WINDOW_MS,
        },
      ],
      now,
    );
    if (!attempt.reserved) return;
    const user = await this.deps.repo.findActiveUserByEmail(email);
    if (!user) return;
    const token = newSecret('accr');
    await this.deps.repo.createPasswordReset({
      tokenHash: hashSecret(token),
      userId: user.id,
      now,
      expiresAt: now + RESET_TTL_MS,
    });
    const link = `${this.deps.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
    await this.deps.mailer.send({
      to: user.email,
      subject: 'Reset your Accord password',
      text: `Someone asked to reset the password of ${user.email}.\n\nTo choose a new password, open this link within an hour:\n${link}\n\nIf it was not you, ignore this message; your password stays as it is.\n`,
    });
  }

  /** Sets a new password with a reset token; every other reset link of the user stops working. */
  async confirmPasswordReset(token: string, password: string) {
    const now = this.deps.clock();
    const userId = await this.deps.repo.consumePasswordReset(hashSecret(token), now);
    if (!userId) throw badRequest('This reset link is invalid or has expired. Ask for a new one.');
    await this.deps.repo.setPassword(userId, await hashPassword(password), now);
    await this.deps.repo.deleteUserCredentials(userId);
    await this.forgetUser(userId);
  }

  async changePassword(principal: Principal, current: string, next: string) {
    const user = await this.deps.repo.findActiveUserById(principal.userId);
    if (!user?.password_hash || !(await verifyPassword(current, user.password_hash))) {
      throw badRequest('The current password is not correct.', [
        { field: 'body.currentPassword', message: 'incorrect' },
      ]);
    }
    const now = this.deps.clock();
    await this.deps.repo.setPassword(user.id, await hashPassword(next), now);
    await this.deps.repo.deleteUserCredentials(user.id, principal.sessionId);
    // A reset link mailed before the change must not undo it.
    await this.deps.repo.spendPasswordResets(user.id, now);
    await this.forgetUser(user.id);
  }

  async pruneExpired() {
    const now = this.deps.clock();
    await this.deps.repo.deleteExpiredSessions(now);
    await this.deps.repo.pruneAttempts(now - FAILURE_WINDOW_MS, {
      keyPrefix: RESET_KEY_PREFIX,
      before: now - RESET_REQUEST_WINDOW_MS,
    });
  }
}
