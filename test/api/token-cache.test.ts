import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

const PASSWORD = 'a long enough password';
const HOUR = 3600_000;

function sessionCookie(setCookie: string | string[] | undefined): string {
  const header = Array.isArray(setCookie) ? setCookie.join('\n') : (setCookie ?? '');
  const match = /accord_session=([^;]+)/.exec(header);
  if (!match) throw new Error(`no session cookie in ${header}`);
  return match[1]!;
}

/** Whether a statement reads a credential (the sign-in lookup), as the query counter names it. */
const readsCredential = (statement: string) =>
  statement === 'select api_tokens' || statement === 'select sessions';

describe.each(databaseTargets())('signed-in principals kept briefly on $dialect', (target) => {
  let desk: TestDesk;
  let admin: Person;

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    admin = await desk.person('admin');
  });
  afterAll(() => desk?.close());

  const login = async (email: string) => {
    const res = await desk.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: PASSWORD },
      remoteAddress: '10.9.0.1',
    });
    expect(res.statusCode, res.body).toBe(200);
    return {
      cookies: { accord_session: sessionCookie(res.headers['set-cookie']) },
      csrf: res.json<{ csrfToken: string }>().csrfToken,
    };
  };
  const session = (options: { token?: string; cookies?: Record<string, string> }) =>
    desk.api('GET', '/api/v1/auth/session', options);

  it('reads a token once, then answers from memory until it is revoked, and refuses it at once after', async () => {
    const agent = await desk.person('agent');
    expect((await session({ token: agent.token })).statusCode).toBe(200);
    const cached = await desk.queriesDuring(() => session({ token: agent.token }));
    expect(cached.filter(readsCredential)).toEqual([]);

    const tokens = (await desk.api('GET', '/api/v1/auth/tokens', { token: agent.token })).json<{
      data: { id: string }[];
    }>().data;
    const other = await desk.api('POST', '/api/v1/auth/tokens', { token: agent.token, body: { name: 'ci' } });
    const second = other.json<{ token: string }>().token;
    expect((await session({ token: second })).statusCode).toBe(200);
    const revoked = await desk.api('DELETE', `/api/v1/auth/tokens/${tokens[0]!.id}`, { token: second });
    expect(revoked.statusCode, revoked.body).toBe(204);
    expect((await session({ token: agent.token })).statusCode).toBe(401);
    // The user's other token still works, read again from the database.
    expect((await session({ token: second })).statusCode).toBe(200);
  });

  it('refuses a session at once after sign-out, and another session after a password change', async () => {
    const agent = await desk.person('agent', undefined, PASSWORD);
    const first = await login(agent.user.email);
    const other = await login(agent.user.email);
    for (const s of [first, other]) expect((await session({ cookies: s.cookies })).statusCode).toBe(200);
    const cached = await desk.queriesDuring(() => session({ cookies: first.cookies }));
    expect(cached.filter(readsCredential)).toEqual([]);

    const out = await desk.api('POST', '/api/v1/auth/logout', {
      cookies: first.cookies,
      headers: { 'x-csrf-token': first.csrf },
    });
    expect(out.statusCode, out.body).toBe(204);
    expect((await session({ cookies: first.cookies })).statusCode).toBe(401);
    expect((await session({ cookies: other.cookies })).statusCode).toBe(200);

    // A password changed with the token signs every session out.
    const changed = await desk.api('POST', '/api/v1/auth/password', {
      token: agent.token,
      body: { currentPassword: PASSWORD, newPassword: 'another long password' },
    });
    expect(changed.statusCode, changed.body).toBe(204);
    expect((await session({ cookies: other.cookies })).statusCode).toBe(401);
  });

  it('refuses a session past its end even while it is kept', async () => {
    const agent = await desk.person('agent', undefined, PASSWORD);
    const s = await login(agent.user.email);
    expect((await session({ cookies: s.cookies })).statusCode).toBe(200);
    desk.advance(desk.config.sessionTtlMs + HOUR);
    expect((await session({ cookies: s.cookies })).statusCode).toBe(401);
  });

  it('refuses a deactivated user at once, and shows a changed role and name at once', async () => {
    const org = await desk.organization('premium');
    await desk.person('contact', org.id);
    const member = await desk.person('member', org.id);
    expect((await session({ token: member.token })).statusCode).toBe(200);

    const contact = await desk.person('contact', org.id);
    const renamed = await desk.api('PATCH', `/api/v1/users/${member.user.id}`, {
      token: admin.token,
      body: { name: 'Renamed Member', role: 'contact' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect((await session({ token: member.token })).json()).toMatchObject({
      user: { name: 'Renamed Member', role: 'contact' },
    });

    const removed = await desk.api('DELETE', `/api/v1/users/${member.user.id}`, { token: contact.token });
    expect(removed.statusCode, removed.body).toBe(204);
    expect((await session({ token: member.token })).statusCode).toBe(401);
  });
});
