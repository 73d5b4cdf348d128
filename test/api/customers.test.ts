import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

describe.each(databaseTargets())('organizations, subscriptions and users on $dialect', (target) => {
  let desk: TestDesk;
  let admin: Person;
  let lead: Person;

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    admin = await desk.person('admin');
    lead = await desk.person('lead');
  });
  afterAll(() => desk?.close());

  it('creates an organization with its subscription in the documented shape', async () => {
    const res = await desk.api('POST', '/api/v1/organizations', {
      token: lead.token,
      body: {
        name: 'Acme Plants',
        domains: ['Acme-Plants.test', 'acme-plants.example'],
        locale: 'fr',
        subscription: { tier: 'essential', termStart: '2026-01-01', termEnd: '2027-01-01T00:00:00Z' },
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      name: 'Acme Plants',
      domains: ['acme-plants.example', 'acme-plants.test'],
      locale: 'fr',
      tier: 'essential',
      subscription: {
        tier: 'essential',
        termStart: '2026-01-01T00:00:00.000Z',
        termEnd: '2027-01-01T00:00:00.000Z',
      },
    });
    expect(res.json().id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a domain another organization owns, and overlapping subscription terms', async () => {
    await desk.api('POST', '/api/v1/organizations', {
      token: lead.token,
      body: { name: 'One', domains: ['shared-domain.test'] },
    });
    const clash = await desk.api('POST', '/api/v1/organizations', {
      token: lead.token,
      body: { name: 'Two', domains: ['shared-domain.test'] },
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().domains).toEqual(['shared-domain.test']);

    const org = await desk.organization('essential');
    const overlap = await desk.api('POST', `/api/v1/organizations/${org.id}/subscriptions`, {
      token: lead.token,
      body: { tier: 'premium', termStart: '2026-05-01', termEnd: '2027-05-01' },
    });
    expect(overlap.statusCode).toBe(409);
    const renewal = await desk.api('POST', `/api/v1/organizations/${org.id}/subscriptions`, {
      token: lead.token,
      body: { tier: 'premium', termStart: org.subscription!.termEnd, termEnd: '2028-01-01' },
    });
    expect(renewal.statusCode).toBe(201);
    const terms = (
      await desk.api('GET', `/api/v1/organizations/${org.id}/subscriptions`, { token: lead.token })
    ).json().data;
    expect(terms.map((t: { tier: string }) => t.tier)).toEqual(['premium', 'essential']);
    const backwards = await desk.api('POST', `/api/v1/organizations/${org.id}/subscriptions`, {
      token: lead.token,
      body: { tier: 'premium', termStart: '2030-01-01', termEnd: '2029-01-01' },
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors).toEqual([
      { field: 'body.termEnd', message: 'termEnd must be after termStart' },
    ]);
  });

  it('raises a running term from now to its end, refuses to lower it, and retiers a future term', async () => {
    const org = await desk.organization('essential');
    const current = org.subscription!;
    const url = (id: string) => `/api/v1/organizations/${org.id}/subscriptions/${id}`;
    const lower = await desk.api('PATCH', url(current.id), { token: lead.token, body: { tier: 'basic' } });
    expect(lower.statusCode).toBe(409);
    expect(lower.json().type).toBe('urn:accord:problem:tier-lowered-during-term');

    const raised = await desk.api('PATCH', url(current.id), {
      token: lead.token,
      body: { tier: 'enterprise' },
    });
    expect(raised.statusCode).toBe(200);
    expect(raised.json()).toMatchObject({
      tier: 'enterprise',
      termStart: new Date(desk.now).toISOString(),
      termEnd: current.termEnd,
    });
    const terms = (
      await desk.api('GET', `/api/v1/organizations/${org.id}/subscriptions`, { token: lead.token })
    ).json().data;
    expect(terms.map((t: { tier: string; termEnd: string }) => [t.tier, t.termEnd])).toEqual([
      ['enterprise', current.termEnd],
      ['essential', new Date(desk.now).toISOString()],
    ]);
    const now = (await desk.api('GET', `/api/v1/organizations/${org.id}`, { token: lead.token })).json();
    expect(now.tier).toBe('enterprise');
    // A ticket filed now is served at the raised tier.
    const contact = await desk.person('contact', org.id);
    expect((await desk.ticket(contact)).id).toBeDefined();
    const ticket = (await desk.api('GET', '/api/v1/tickets?limit=1', { token: contact.token })).json()
      .data[0];
    expect(ticket.tier).toBe('enterprise');

    const renewal = await desk.api('POST', `/api/v1/organizations/${org.id}/subscriptions`, {
      token: lead.token,
      body: { tier: 'premium', termStart: current.termEnd, termEnd: '2028-06-01' },
    });
    const retiered = await desk.api('PATCH', url(renewal.json().id), {
      token: lead.token,
      body: { tier: 'basic' },
    });
    expect(retiered.statusCode).toBe(200);
    expect(retiered.json().tier).toBe('basic');

    const ended = terms[1].id as string;
    expect(
      (await desk.api('PATCH', url(ended), { token: lead.token, body: { tier: 'premium' } })).statusCode,
    ).toBe(409);
    const agent = await desk.person('agent');
    expect(
      (await desk.api('PATCH', url(current.id), { token: agent.token, body: { tier: 'premium' } }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await desk.api('PATCH', `/api/v1/organizations/${org.id}/subscriptions/${org.id}`, {
          token: lead.token,
          body: { tier: 'premium' },
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await desk.api('PATCH', url(current.id), { token: lead.token, body: { tier: 'gold' } })).statusCode,
    ).toBe(400);
  });

  it('updates an organization and pages through the list by name', async () => {
    const org = await desk.organization('basic', 'Zulu Zeta');
    const res = await desk.api('PATCH', `/api/v1/organizations/${org.id}`, {
      token: admin.token,
      body: { name: 'Zulu Zeta Renamed', domains: ['zz.test'] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Zulu Zeta Renamed', domains: ['zz.test'] });
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/api/v1/organizations?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await desk.api('GET', q, { token: admin.token })).json<{
        data: { name: string }[];
        nextCursor: string | null;
      }>();
      names.push(...page.data.map((o) => o.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('Zulu Zeta Renamed');
    expect(new Set(names).size).toBe(names.length);
  });

  it('creates users with the documented shape and refuses a duplicate email', async () => {
    const org = await desk.organization('premium');
    const body = {
      email: 'Dana@Example.test',
      name: 'Dana',
      role: 'contact',
      organizationId: org.id,
      password: 'correct horse battery',
    };
    const res = await desk.api('POST', '/api/v1/users', { token: admin.token, body });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      email: 'dana@example.test',
      role: 'contact',
      organizationId: org.id,
      active: true,
    });
    expect(res.json()).not.toHaveProperty('password');
    expect(res.json()).not.toHaveProperty('passwordHash');
    const again = await desk.api('POST', '/api/v1/users', {
      token: admin.token,
      body: { ...body, email: 'dana@example.test' },
    });
    expect(again.statusCode).toBe(409);
    const staffInOrg = await desk.api('POST', '/api/v1/users', {
      token: admin.token,
      body: { email: 'x@example.test', name: 'X', role: 'agent', organizationId: org.id },
    });
    expect(staffInOrg.statusCode).toBe(400);
    const customerWithoutOrg = await desk.api('POST', '/api/v1/users', {
      token: admin.token,
      body: { email: 'y@example.test', name: 'Y', role: 'member' },
    });
    expect(customerWithoutOrg.statusCode).toBe(400);
    const shortPassword = await desk.api('POST', '/api/v1/users', {
      token: admin.token,
      body: { email: 'z@example.test', name: 'Z', role: 'agent', password: 'short' },
    });
    expect(shortPassword.statusCode).toBe(400);
    expect(shortPassword.json().errors[0].field).toBe('body.password');
  });

  describe('the last designated contact of a paying organization', () => {
    it('cannot be removed or demoted, with a clear reason', async () => {
      const org = await desk.organization('enterprise', 'Keeper Inc');
      const only = await desk.person('contact', org.id);
      const member = await desk.person('member', org.id);

      const remove = await desk.api('DELETE', `/api/v1/users/${only.user.id}`, { token: admin.token });
      expect(remove.statusCode).toBe(409);
      expect(remove.json()).toMatchObject({
        type: 'urn:accord:problem:last-contact',
        organizationId: org.id,
      });
      expect(remove.json().detail).toContain('Keeper Inc');
      expect(remove.json().detail).toContain('at least one designated customer contact');

      const demote = await desk.api('PATCH', `/api/v1/users/${only.user.id}`, {
        token: admin.token,
        body: { role: 'member' },
      });
      expect(demote.statusCode).toBe(409);
      const selfDemote = await desk.api('PATCH', `/api/v1/users/${only.user.id}`, {
        token: only.token,
        body: { role: 'member' },
      });
      expect(selfDemote.statusCode).toBe(409);
      expect(
        (await desk.api('GET', `/api/v1/users/${only.user.id}`, { token: admin.token })).json(),
      ).toMatchObject({ role: 'contact', active: true });

      // Once another contact is designated, the first may go.
      const promote = await desk.api('PATCH', `/api/v1/users/${member.user.id}`, {
        token: only.token,
        body: { role: 'contact' },
      });
      expect(promote.statusCode).toBe(200);
      expect(
        (await desk.api('DELETE', `/api/v1/users/${only.user.id}`, { token: admin.token })).statusCode,
      ).toBe(204);
      expect(
        (await desk.api('GET', `/api/v1/users/${only.user.id}`, { token: admin.token })).json().active,
      ).toBe(false);
      // The removed user's token no longer works.
      expect((await desk.api('GET', '/api/v1/tickets', { token: only.token })).statusCode).toBe(401);
      // And the new only contact is now protected.
      expect(
        (await desk.api('DELETE', `/api/v1/users/${member.user.id}`, { token: admin.token })).statusCode,
      ).toBe(409);
    });

    it('does not bind an organization without an active subscription', async () => {
      const trial = await desk.organization(null);
      const contact = await desk.person('contact', trial.id);
      expect(
        (await desk.api('DELETE', `/api/v1/users/${contact.user.id}`, { token: lead.token })).statusCode,
      ).toBe(204);
    });
  });

  it('keeps staff roles for admins, and never turns staff into customers', async () => {
    const agent = await desk.person('agent');
    expect(
      (
        await desk.api('PATCH', `/api/v1/users/${agent.user.id}`, {
          token: lead.token,
          body: { role: 'lead' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await desk.api('PATCH', `/api/v1/users/${agent.user.id}`, {
          token: admin.token,
          body: { role: 'lead' },
        })
      ).json().role,
    ).toBe('lead');
    expect(
      (
        await desk.api('PATCH', `/api/v1/users/${agent.user.id}`, {
          token: admin.token,
          body: { role: 'member' },
        })
      ).statusCode,
    ).toBe(422);
    expect(
      (await desk.api('DELETE', `/api/v1/users/${admin.user.id}`, { token: admin.token })).statusCode,
    ).toBe(422);
  });

  describe('the last active admin', () => {
    // A desk of its own: its only admins are the ones these tests make.
    let own: TestDesk;
    let survivor: Person;

    beforeAll(async () => {
      own = await TestDesk.start(target);
      survivor = await own.person('admin');
    });
    afterAll(() => own?.close());

    const activeAdmins = async () =>
      (
        await own.database.db.kysely
          .selectFrom('users')
          .select('id')
          .where('role', '=', 'admin')
          .where('deactivated_at', 'is', null)
          .execute()
      ).map((u) => u.id);

    it('cannot be demoted, with a clear reason, until another admin exists', async () => {
      const demote = await own.api('PATCH', `/api/v1/users/${survivor.user.id}`, {
        token: survivor.token,
        body: { role: 'lead' },
      });
      expect(demote.statusCode).toBe(409);
      expect(demote.json()).toMatchObject({
        type: 'urn:accord:problem:last-admin',
        userId: survivor.user.id,
      });
      expect(demote.json().detail).toContain('only active admin');
      expect(await activeAdmins()).toEqual([survivor.user.id]);
      // Other changes to the last admin still go through.
      const rename = await own.api('PATCH', `/api/v1/users/${survivor.user.id}`, {
        token: survivor.token,
        body: { name: 'Still In Charge' },
      });
      expect(rename.statusCode).toBe(200);

      const second = await own.person('admin');
      expect(
        (
          await own.api('PATCH', `/api/v1/users/${survivor.user.id}`, {
            token: survivor.token,
            body: { role: 'lead' },
          })
        ).statusCode,
      ).toBe(200);
      // Now the second is the last one, and cannot be removed or demoted either.
      expect(
        (
          await own.api('PATCH', `/api/v1/users/${second.user.id}`, {
            token: second.token,
            body: { role: 'agent' },
          })
        ).statusCode,
      ).toBe(409);
      expect(await activeAdmins()).toEqual([second.user.id]);
      survivor = second;
    });

    it('is never lost to two changes made at the same moment', async () => {
      for (let round = 0; round < 6; round += 1) {
        const newcomer = await own.person('admin');
        const [a, b] = [survivor, newcomer];
        // Both demote themselves, or each removes the other.
        const [first, second] = await Promise.all(
          round % 2 === 0
            ? [
                own.api('PATCH', `/api/v1/users/${a.user.id}`, { token: a.token, body: { role: 'agent' } }),
                own.api('PATCH', `/api/v1/users/${b.user.id}`, { token: b.token, body: { role: 'agent' } }),
              ]
            : [
                own.api('DELETE', `/api/v1/users/${b.user.id}`, { token: a.token }),
                own.api('DELETE', `/api/v1/users/${a.user.id}`, { token: b.token }),
              ],
        );
        const done = [first, second].filter((r) => r.statusCode === 200 || r.statusCode === 204);
        const refused = [first, second].filter((r) => r.statusCode === 409);
        expect(done).toHaveLength(1);
        // A removal can also find its actor already removed (401) by the other, which went first.
        expect(refused.length + [first, second].filter((r) => r.statusCode === 401).length).toBe(1);
        for (const r of refused) expect(r.json().type).toBe('urn:accord:problem:last-admin');
        const left = await activeAdmins();
        expect(left).toHaveLength(1);
        survivor = left[0] === a.user.id ? a : b;
      }
    });
  });
});
