import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { TEST_EPOCH, TestDesk, type Person } from '../support/desk.js';

const SECRET = 'a-vendor-shared-secret-of-at-least-32-chars';
const nowSeconds = Math.floor(TEST_EPOCH / 1000);

/** What a vendor's server does: sign the current user's identity with the shared secret. */
function sign(
  claims: Record<string, unknown>,
  {
    secret = SECRET,
    iat = nowSeconds,
    exp = nowSeconds + 300,
  }: { secret?: string; iat?: number; exp?: number } = {},
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(secret));
}

describe.each(databaseTargets())('in-app support button sign-in on $dialect', (target) => {
  let desk: TestDesk;
  let orgId: string;
  let domain: string;
  let member: Person;

  beforeAll(async () => {
    desk = await TestDesk.start(target, { EMBED_SECRET: SECRET });
    const org = await desk.organization('enterprise');
    orgId = org.id;
    domain = org.domains[0]!;
    member = await desk.person('member', orgId);
  });
  afterAll(() => desk?.close());

  const embed = (token: unknown) => desk.api('POST', '/api/v1/auth/embed', { body: { token } });

  it('opens a widget session for a known customer; the session works as a Bearer token without CSRF', async () => {
    const res = await embed(await sign({ email: member.user.email, name: member.user.name }));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toMatchObject({ id: member.user.id, role: 'member', organizationId: orgId });
    expect(body.sessionToken).toMatch(/^accs_/);
    expect(Date.parse(body.expiresAt) - TEST_EPOCH).toBe(8 * 3600_000);

    const filed = await desk.api('POST', '/api/v1/tickets', {
      token: body.sessionToken,
      body: { subject: 'From the app', body: 'Help', priority: 'P2', channel: 'in_app' },
    });
    expect(filed.statusCode).toBe(201);
    expect(filed.json()).toMatchObject({ channel: 'in_app', requesterId: member.user.id });
    const session = await desk.api('GET', '/api/v1/auth/session', { token: body.sessionToken });
    expect(session.json()).toMatchObject({ user: { id: member.user.id }, csrfToken: null });
  });

  it('provisions an unknown user as an authorized user of the organization owning the email domain', async () => {
    const email = `new.person@${domain}`;
    const res = await embed(await sign({ email, name: 'New Person', locale: 'fr' }));
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ email, role: 'member', organizationId: orgId, locale: 'fr' });
    // A second visit finds the same user rather than creating another.
    const again = await embed(await sign({ email, name: 'New Person' }));
    expect(again.json().user.id).toBe(res.json().user.id);
  });

  it('provisions into the organization the token names', async () => {
    const other = await desk.organization('premium');
    const res = await embed(
      await sign({ email: 'someone@elsewhere.test', name: 'Someone', organizationId: other.id }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().user.organizationId).toBe(other.id);
  });

  it('refuses tokens that are forged, expired, too long-lived or incomplete, and creates no user', async () => {
    const users = await desk.count('users');
    const claims = { email: `x@${domain}`, name: 'X' };
    const cases: [string, string][] = [
      ['wrong secret', await sign(claims, { secret: 'another-secret-another-secret-another' })],
      ['expired', await sign(claims, { iat: nowSeconds - 900, exp: nowSeconds - 600 })],
      ['issued too long ago', await sign(claims, { iat: nowSeconds - 3600, exp: nowSeconds + 3600 })],
      ['no email', await sign({ name: 'X' })],
      ['bad email', await sign({ email: 'not-an-email', name: 'X' })],
      ['garbage', 'not.a.jwt'],
      // alg "none": an unsigned token must never pass.
      [
        'unsigned',
        `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
          JSON.stringify({ ...claims, iat: nowSeconds, exp: nowSeconds + 60 }),
        ).toString('base64url')}.`,
      ],
    ];
    for (const [label, token] of cases) {
      const res = await embed(token);
      expect(res.statusCode, label).toBe(401);
      expect(res.headers['content-type'], label).toContain('application/problem+json');
    }
    expect(await desk.count('users')).toBe(users);
  });

  it('refuses staff, another organization, deactivated users and unknown domains', async () => {
    const agent = await desk.person('agent');
    expect((await embed(await sign({ email: agent.user.email, name: 'A' }))).statusCode).toBe(403);
    const other = await desk.organization('premium');
    expect(
      (await embed(await sign({ email: member.user.email, name: 'M', organizationId: other.id }))).statusCode,
    ).toBe(403);
    const leaving = await desk.person('member', orgId);
    await desk.api('DELETE', `/api/v1/users/${leaving.user.id}`, {
      token: (await desk.person('admin')).token,
    });
    expect((await embed(await sign({ email: leaving.user.email, name: 'L' }))).statusCode).toBe(403);
    const unknown = await embed(await sign({ email: 'who@nowhere.test', name: 'W' }));
    expect(unknown.statusCode).toBe(404);
  });

  it('answers malformed requests with 400', async () => {
    expect((await embed(undefined)).statusCode).toBe(400);
    expect((await embed(42)).statusCode).toBe(400);
    expect((await embed('x'.repeat(5000))).statusCode).toBe(400);
    const extra = await desk.api('POST', '/api/v1/auth/embed', { body: { token: 'a.b.c', admin: true } });
    expect(extra.statusCode).toBe(400);
  });
});

describe('in-app support button on a desk without EMBED_SECRET', () => {
  it('says the widget is not set up', async () => {
    const desk = await TestDesk.start({ dialect: 'sqlite' });
    try {
      const res = await desk.api('POST', '/api/v1/auth/embed', { body: { token: 'a.b.c' } });
      expect(res.statusCode).toBe(503);
      expect(res.json().detail).toContain('EMBED_SECRET');
    } finally {
      await desk.close();
    }
  });
});
