import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

// A list page reads its rows and what they show in a fixed number of statements: one page of 50
// rows runs exactly the statements one page of 1 row runs. Well under this bound, whatever the page.
const MAX_QUERIES_PER_PAGE = 8;
const PRIORITIES = ['P0', 'P1', 'P2', 'P3'] as const;

describe.each(databaseTargets())(
  'list pages run as many queries for 50 rows as for 1 on $dialect',
  (target) => {
    let desk: TestDesk;
    let agent: Person;
    let admin: Person;

    beforeAll(async () => {
      desk = await TestDesk.start(target);
      agent = await desk.person('agent');
      admin = await desk.person('admin');
    });
    afterAll(() => desk?.close());

    /**
     * The statements of one GET, after a first call has warmed what a process keeps (the policy
     * version, the signed-in principal, the token's last use).
     */
    const statementsOf = async (url: string, token: string) => {
      const first = await desk.api('GET', url, { token });
      expect(first.statusCode, `${url}: ${first.body}`).toBe(200);
      let listed = -1;
      const statements = await desk.queriesDuring(async () => {
        const res = await desk.api('GET', url, { token });
        expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
        listed = res.json<{ data: unknown[] }>().data.length;
      });
      // Statements run side by side finish in either order.
      return { statements: statements.sort(), listed };
    };

    /** Compares a page of 1 row with a page of 50 (49 by due time): the same statements, and few of them. */
    const expectConstant = async (
      one: { url: string; token: string },
      fifty: { url: string; token: string },
    ) => {
      const small = await statementsOf(one.url, one.token);
      const large = await statementsOf(fifty.url, fifty.token);
      expect(small.listed, one.url).toBe(1);
      // A queue by due time leaves out the one ticket excluded from the promise.
      expect(large.listed, fifty.url).toBeGreaterThanOrEqual(49);
      expect(large.statements, `${fifty.url} against ${one.url}`).toEqual(small.statements);
      expect(large.statements.length).toBeLessThanOrEqual(MAX_QUERIES_PER_PAGE);
    };

    /**
     * An organization with `count` tickets as varied as a queue is: every priority (P0 carries update
     * and escalation targets), several requesters, assigned and unassigned, tagged, and one excluded
     * from the promise.
     */
    const queueOf = async (count: number) => {
      const org = await desk.organization('enterprise');
      const contact = await desk.person('contact', org.id);
      const members = [contact, await desk.person('member', org.id), await desk.person('member', org.id)];
      const helper = await desk.person('agent');
      for (let i = 0; i < count; i++) {
        const requester = members[i % members.length]!;
        const ticket = await desk.ticket(requester, { priority: PRIORITIES[i % PRIORITIES.length] });
        const assignee = i % 3 === 0 ? agent : i % 3 === 1 ? helper : null;
        if (assignee) {
          const res = await desk.api('PATCH', `/api/v1/tickets/${ticket.id}`, {
            token: agent.token,
            body: { assigneeId: assignee.user.id, status: 'open' },
          });
          expect(res.statusCode, res.body).toBe(200);
        }
        const tags = await desk.api('PUT', `/api/v1/tickets/${ticket.id}/tags`, {
          token: agent.token,
          body: { tags: i % 2 === 0 ? ['billing', 'export'] : ['billing'] },
        });
        expect(tags.statusCode, tags.body).toBe(200);
        if (i === 1) {
          const excluded = await desk.api('POST', `/api/v1/tickets/${ticket.id}/exclusion`, {
            token: agent.token,
            body: { reason: 'nonconforming_use', note: 'Scripted load against the API.' },
          });
          expect(excluded.statusCode, excluded.body).toBe(200);
        }
      }
      return { org, contact };
    };

    it('the ticket queue (staff, with filters and every order) and the customer portal list', async () => {
      const one = await queueOf(1);
      const fifty = await queueOf(50);
      const staffQueries = [
        'sort=urgency&limit=50',
        'sort=urgency&status=new,open&limit=50',
        'sort=due&priority=P0,P1,P2,P3&limit=50',
        'tag=billing&limit=50',
        'tier=enterprise&channel=api&limit=50',
      ];
      for (const query of staffQueries) {
        await expectConstant(
          { url: `/api/v1/tickets?organizationId=${one.org.id}&${query}`, token: agent.token },
          { url: `/api/v1/tickets?organizationId=${fifty.org.id}&${query}`, token: agent.token },
        );
      }
      await expectConstant(
        { url: '/api/v1/tickets?limit=50', token: one.contact.token },
        { url: '/api/v1/tickets?limit=50', token: fifty.contact.token },
      );
    });

    it('the organizations list and the users list', async () => {
      for (let i = 0; i < 50; i++) await desk.organization(i % 2 === 0 ? 'premium' : null);
      await expectConstant(
        { url: '/api/v1/organizations?limit=1', token: agent.token },
        { url: '/api/v1/organizations?limit=50', token: agent.token },
      );
      const small = await desk.organization('premium');
      await desk.person('contact', small.id);
      const large = await desk.organization('premium');
      for (let i = 0; i < 50; i++) await desk.person(i === 0 ? 'contact' : 'member', large.id);
      await expectConstant(
        { url: `/api/v1/users?organizationId=${small.id}&limit=50`, token: admin.token },
        { url: `/api/v1/users?organizationId=${large.id}&limit=50`, token: admin.token },
      );
    });

    it('the incidents list of the status page', async () => {
      const components = [];
      for (const name of ['API', 'Mobile sync']) {
        const res = await desk.api('POST', '/api/v1/status/components', {
          token: admin.token,
          body: { name },
        });
        expect(res.statusCode, res.body).toBe(201);
        components.push(res.json<{ id: string }>().id);
      }
      for (let i = 0; i < 50; i++) {
        const res = await desk.api('POST', '/api/v1/status/incidents', {
          token: admin.token,
          body: {
            name: `Outage ${i}`,
            impact: 'minor',
            body: 'Investigating.',
            components: components.slice(0, 1 + (i % 2)).map((id) => ({ id, state: 'degraded_performance' })),
          },
        });
        expect(res.statusCode, res.body).toBe(201);
      }
      await expectConstant(
        { url: '/api/v1/status/incidents?limit=1', token: admin.token },
        { url: '/api/v1/status/incidents?limit=50', token: admin.token },
      );
    });
  },
);
