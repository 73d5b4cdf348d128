import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

const PASSWORD = 'a long enough password';

function sessionCookie(setCookie: string | string[] | undefined): string {
  const header = Array.isArray(setCookie) ? setCookie.join('\n') : (setCookie ?? '');
  const match = /accord_session=([^;]+)/.exec(header);
  if (!match) throw new Error(`no session cookie in ${header}`);
  return match[1]!;
}

describe.each(databaseTargets())('authentication on $dialect', (target) => {
  let desk: TestDesk;
  let agent: Person;

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    agent = await desk.person('agent', undefined, PASSWORD);
  });
  afterAll(() => desk?.close());

  const login = (email: string, password: string, ip = '10.0.0.1') =>
    desk.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password },
      remoteAddress: ip,
    });

  it('signs in with an HttpOnly SameSite cookie and returns a CSRF token', async () => {
    const res = await login(agent.user.email, PASSWORD);
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(res.json()).toMatchObject({ user: { id: agent.user.id, role: 'agent' } });
    expect(res.json().csrfToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const session = await desk.api('GET', '/api/v1/auth/session', {
      cookies: { accord_session: sessionCookie(res.headers['set-cookie']) },
    });
    expect(session.statusCode).toBe(200);
    expect(session.json().csrfToken).toBe(res.json().csrfToken);
  });

  it('answers the same for an unknown email and a wrong password', async () => {
    const unknown = await login('nobody@example.test', PASSWORD, '10.0.0.2');
    const wrong = await login(agent.user.email, 'wrong password!', '10.0.0.2');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('requires the CSRF token for cookie-authenticated writes, but not for bearer tokens', async () => {
    const res = await login(agent.user.email, PASSWORD, '10.0.0.3');
    const cookies = { accord_session: sessionCookie(res.headers['set-cookie']) };
    const csrf: string = res.json().csrfToken;
    const withoutToken = await desk.api('POST', '/api/v1/auth/tokens', { cookies, body: { name: 'x' } });
    expect(withoutToken.statusCode).toBe(403);
    const wrongToken = await desk.api('POST', '/api/v1/auth/tokens', {
      cookies,
      body: { name: 'x' },
      headers: { 'x-csrf-token': 'forged' },
    });
    expect(wrongToken.statusCode).toBe(403);
    const withToken = await desk.api('POST', '/api/v1/auth/tokens', {
      cookies,
      body: { name: 'laptop' },
      headers: { 'x-csrf-token': csrf },
    });
    expect(withToken.statusCode).toBe(201);
    const viaBearer = await desk.api('POST', '/api/v1/auth/tokens', {
      token: agent.token,
      body: { name: 'ci' },
    });
    expect(viaBearer.statusCode).toBe(201);

    const logout = await desk.api('POST', '/api/v1/auth/logout', {
      cookies,
      headers: { 'x-csrf-token': csrf },
    });
    expect(logout.statusCode).toBe(204);
    expect((await desk.api('GET', '/api/v1/auth/session', { cookies })).statusCode).toBe(401);
  });

  it('stores API tokens hashed, lists them without secrets, and revokes them', async () => {
    const created = await desk.api('POST', '/api/v1/auth/tokens', {
      token: agent.token,
      body: { name: 'script' },
    });
    const { id, token } = created.json();
    const stored = await desk.database.db.kysely
      .selectFrom('api_tokens')
      .select('token_hash')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const list = await desk.api('GET', '/api/v1/auth/tokens', { token });
    expect(list.body).not.toContain(token);
    expect(list.json().data.map((t: { name: string }) => t.name)).toContain('script');
    expect((await desk.api('DELETE', `/api/v1/auth/tokens/${id}`, { token: agent.token })).statusCode).toBe(
      204,
    );
    expect((await desk.api('GET', '/api/v1/tickets', { token })).statusCode).toBe(401);
    expect((await desk.api('DELETE', `/api/v1/auth/tokens/${id}`, { token: agent.token })).statusCode).toBe(
      404,
    );
  });

  it('throttles repeated failures for an email, with Retry-After, and lets the window pass', async () => {
    const victim = await desk.person('agent', undefined, PASSWORD);
    for (let i = 0; i < 10; i += 1) {
      expect((await login(victim.user.email, `wrong ${i} password`, `10.1.0.${i}`)).statusCode).toBe(401);
    }
    const blocked = await login(victim.user.email, PASSWORD, '10.1.1.1');
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    desk.advance(15 * 60_000 + 1);
    expect((await login(victim.user.email, PASSWORD, '10.1.1.1')).statusCode).toBe(200);
  });

  it('throttles one address trying many emails', async () => {
    for (let i = 0; i < 50; i += 1) await login(`spray${i}@example.test`, 'whatever password', '10.2.0.1');
    expect((await login(agent.user.email, PASSWORD, '10.2.0.1')).statusCode).toBe(429);
    expect((await login(agent.user.email, PASSWORD, '10.2.0.2')).statusCode).toBe(200);
  });

  it('resets a password by mail without revealing whether the email exists', async () => {
    const person = await desk.person('member', (await desk.organization('basic')).id, PASSWORD);
    const known = await desk.api('POST', '/api/v1/auth/password-reset', {
      body: { email: person.user.email },
    });
    const unknown = await desk.api('POST', '/api/v1/auth/password-reset', {
      body: { email: 'ghost@example.test' },
    });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(known.body).toBe(unknown.body);

    const dir = path.join(desk.config.dataDir, 'mail-drop');
    const mails = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    const mail = mails.find((m) => m.includes(`To: ${person.user.email}`));
    expect(mail).toBeDefined();
    expect(mails.some((m) => m.includes('ghost@example.test'))).toBe(false);
    const token = decodeURIComponent(/token=([^\s]+)/.exec(mail!)![1]!);

    const weak = await desk.api('POST', '/api/v1/auth/password-reset/confirm', {
      body: { token, password: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    const ok = await desk.api('POST', '/api/v1/auth/password-reset/confirm', {
      body: { token, password: 'a brand new password' },
    });
    expect(ok.statusCode).toBe(204);
    const reused = await desk.api('POST', '/api/v1/auth/password-reset/confirm', {
      body: { token, password: 'another new password' },
    });
    expect(reused.statusCode).toBe(400);
    expect((await login(person.user.email, 'a brand new password', '10.3.0.1')).statusCode).toBe(200);
    expect((await login(person.user.email, PASSWORD, '10.3.0.1')).statusCode).toBe(401);
  });

  const requestReset = (email: string, ip: string) =>
    desk.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      payload: { email },
      remoteAddress: ip,
    });

  /** The reset tokens mailed to an address, in no particular order. */
  const resetTokensFor = (email: string) => {
    const dir = path.join(desk.config.dataDir, 'mail-drop');
    return fs
      .readdirSync(dir)
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
      .filter((m) => m.includes(`To: ${email}\r\n`))
      .map((m) => decodeURIComponent(/token=([^\s]+)/.exec(m)![1]!));
  };

  const confirmReset = (token: string, password: string) =>
    desk.api('POST', '/api/v1/auth/password-reset/confirm', { body: { token, password } });

  it('stops every other reset link of the user once one is used', async () => {
    const person = await desk.person('agent', undefined, PASSWORD);
    await requestReset(person.user.email, '10.6.0.1');
    await requestReset(person.user.email, '10.6.0.2');
    const [used, other] = resetTokensFor(person.user.email);
    expect(other).toBeDefined();
    expect((await confirmReset(used!, 'the password I chose')).statusCode).toBe(204);
    const stale = await confirmReset(other!, 'an attacker password');
    expect(stale.statusCode).toBe(400);
    expect(stale.json().detail).toContain('invalid or has expired');
    expect((await login(person.user.email, 'the password I chose', '10.6.0.3')).statusCode).toBe(200);
    expect((await login(person.user.email, 'an attacker password', '10.6.0.3')).statusCode).toBe(401);
  });

  it('honours only one of two reset links used at the same moment', async () => {
    for (let round = 0; round < 5; round += 1) {
      const person = await desk.person('agent', undefined, PASSWORD);
      await requestReset(person.user.email, `10.8.${round}.1`);
      await requestReset(person.user.email, `10.8.${round}.2`);
      const [first, second] = resetTokensFor(person.user.email);
      const outcomes = await Promise.all([
        confirmReset(first!, 'first new password'),
        confirmReset(second!, 'second new password'),
      ]);
      expect(outcomes.map((r) => r.statusCode).sort()).toEqual([204, 400]);
    }
  });

  it('stops outstanding reset links when the password is changed in the profile', async () => {
    const person = await desk.person('agent', undefined, PASSWORD);
    await requestReset(person.user.email, '10.7.0.1');
    const [token] = resetTokensFor(person.user.email);
    const changed = await desk.api('POST', '/api/v1/auth/password', {
      token: person.token,
      body: { currentPassword: PASSWORD, newPassword: 'changed in the profile' },
    });
    expect(changed.statusCode).toBe(204);
    expect((await confirmReset(token!, 'an attacker password')).statusCode).toBe(400);
    expect((await login(person.user.email, 'changed in the profile', '10.7.0.2')).statusCode).toBe(200);
  });

  it('changes a password only with the current one', async () => {
    const person = await desk.person('agent', undefined, PASSWORD);
    const wrong = await desk.api('POST', '/api/v1/auth/password', {
      token: person.token,
      body: { currentPassword: 'not it at all', newPassword: 'next password 123' },
    });
    expect(wrong.statusCode).toBe(400);
    const ok = await desk.api('POST', '/api/v1/auth/password', {
      token: person.token,
      body: { currentPassword: PASSWORD, newPassword: 'next password 123' },
    });
    expect(ok.statusCode).toBe(204);
    expect((await login(person.user.email, 'next password 123', '10.4.0.1')).statusCode).toBe(200);
  });

  it('lets a browser with an old session sign in again without a CSRF token', async () => {
    const first = await login(agent.user.email, PASSWORD, '10.5.0.1');
    const again = await desk.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: agent.user.email, password: PASSWORD },
      cookies: { accord_session: sessionCookie(first.headers['set-cookie']) },
      remoteAddress: '10.5.0.1',
    });
    expect(again.statusCode).toBe(200);
  });
});
