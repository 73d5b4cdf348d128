import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { TEST_EPOCH, TestDesk, type Person } from '../support/desk.js';

interface TicketView {
  id: string;
  number: number;
  status: string;
  priority: string;
  assigneeId: string | null;
  tags?: string[];
}
interface EventView {
  type: string;
  visibility?: string;
  actorId: string | null;
  data: Record<string, unknown>;
}
interface MacroView {
  id: string;
  title: string;
  shared: boolean;
  ownerId: string | null;
  tags: string[];
}
interface Preview {
  language: 'en' | 'fr' | null;
  body: string | null;
  public: boolean;
  status: string | null;
  priority: string | null;
  priorityReason: string | null;
  assignee: { id: string; name: string } | null;
  tags: string[];
}

const DAY = 86_400_000;

describe.each(databaseTargets())('tags and macros on $dialect', (target) => {
  let desk: TestDesk;
  let agent: Person;
  let otherAgent: Person;
  let lead: Person;
  let admin: Person;

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    agent = await desk.person('agent');
    otherAgent = await desk.person('agent');
    lead = await desk.person('lead');
    admin = await desk.person('admin');
  });
  afterAll(() => desk?.close());

  const customerOf = async (tier: 'premium' | 'enterprise' = 'premium') => {
    const org = await desk.organization(tier);
    return { org, contact: await desk.person('contact', org.id) };
  };
  const putTags = (ticketId: string, tags: unknown, token = agent.token) =>
    desk.api('PUT', `/api/v1/tickets/${ticketId}/tags`, { token, body: { tags } });
  const getTicket = async (id: string, token = agent.token) =>
    (await desk.api('GET', `/api/v1/tickets/${id}`, { token })).json<TicketView>();
  const events = async (id: string, token = agent.token) =>
    (await desk.api('GET', `/api/v1/tickets/${id}/events`, { token })).json<{ data: EventView[] }>().data;
  const listIds = async (query: string) => {
    const res = await desk.api('GET', `/api/v1/tickets?${query}`, { token: agent.token });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ data: TicketView[] }>().data.map((t) => t.id);
  };
  const createMacro = (body: Record<string, unknown>, token = agent.token) =>
    desk.api('POST', '/api/v1/macros', { token, body });

  describe('tags', () => {
    it('normalizes tags, records each change as an internal event, and hides them from customers', async () => {
      const { contact } = await customerOf();
      const ticket = await desk.ticket(contact);
      const res = await putTags(ticket.id, ['  Billing Issue ', 'VIP', 'vip', 'Fact\u0075re\u0301']);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ tags: ['billing-issue', 'facturé', 'vip'] });
      expect((await getTicket(ticket.id)).tags).toEqual(['billing-issue', 'facturé', 'vip']);

      const replaced = await putTags(ticket.id, ['vip', 'sso']);
      expect(replaced.json()).toEqual({ tags: ['sso', 'vip'] });
      const patched = await desk.api('PATCH', `/api/v1/tickets/${ticket.id}/tags`, {
        token: agent.token,
        body: { add: ['Escalated'], remove: ['sso', 'never-there'] },
      });
      expect(patched.json()).toEqual({ tags: ['escalated', 'vip'] });

      const tagEvents = (await events(ticket.id)).filter((e) => e.type.startsWith('tag_'));
      expect(tagEvents.map((e) => `${e.type} ${String(e.data.tag)}`).sort()).toEqual([
        'tag_added billing-issue',
        'tag_added escalated',
        'tag_added facturé',
        'tag_added sso',
        'tag_added vip',
        'tag_removed billing-issue',
        'tag_removed facturé',
        'tag_removed sso',
      ]);
      expect(tagEvents.every((e) => e.actorId === agent.user.id)).toBe(true);

      const asCustomer = await getTicket(ticket.id, contact.token);
      expect(asCustomer).not.toHaveProperty('tags');
      expect((await events(ticket.id, contact.token)).some((e) => e.type.startsWith('tag_'))).toBe(false);
      expect(
        (await desk.api('GET', `/api/v1/tickets/${ticket.id}/tags`, { token: contact.token })).statusCode,
      ).toBe(403);
    });

    it('refuses customers, hostile tags, too many tags and bodies that are not JSON', async () => {
      const { contact } = await customerOf();
      const ticket = await desk.ticket(contact);
      expect((await putTags(ticket.id, ['mine'], contact.token)).statusCode).toBe(403);
      expect((await desk.api('GET', `/api/v1/tickets?tag=vip`, { token: contact.token })).statusCode).toBe(
        403,
      );
      for (const bad of [
        ['<script>alert(1)</script>'],
        ['a'.repeat(51)],
        ['ok', ''],
        ['x\u0000y'],
        'vip',
        [42],
        Array.from({ length: 21 }, (_, i) => `t${i}`),
      ]) {
        const res = await putTags(ticket.id, bad);
        expect(res.statusCode, JSON.stringify(bad)).toBe(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
      const malformed = await desk.api('PUT', `/api/v1/tickets/${ticket.id}/tags`, {
        token: agent.token,
        payload: '{"tags": [',
        headers: { 'content-type': 'application/json' },
      });
      expect(malformed.statusCode).toBe(400);
      expect((await putTags('00000000-0000-4000-8000-000000000000', ['vip'])).statusCode).toBe(404);
      expect((await desk.api('GET', '/api/v1/tickets?tag=%3Cb%3E', { token: agent.token })).statusCode).toBe(
        400,
      );
      // A filter names at most 10 tags: each is a lookup of its own.
      const eleven = Array.from({ length: 11 }, (_, i) => `tag=t${i}`).join('&');
      expect((await desk.api('GET', `/api/v1/tickets?${eleven}`, { token: agent.token })).statusCode).toBe(
        400,
      );

      // 20 is the most; adding one more is refused and changes nothing.
      const twenty = Array.from({ length: 20 }, (_, i) => `t${String(i).padStart(2, '0')}`);
      expect((await putTags(ticket.id, twenty)).statusCode).toBe(200);
      const over = await desk.api('PATCH', `/api/v1/tickets/${ticket.id}/tags`, {
        token: agent.token,
        body: { add: ['one-more'] },
      });
      expect(over.statusCode).toBe(422);
      expect((await getTicket(ticket.id)).tags).toEqual(twenty);
    });

    it('filters the list by one tag or by all of several, in every order', async () => {
      const { org, contact } = await customerOf('enterprise');
      const both = await desk.ticket(contact, { priority: 'P1' });
      const billingOnly = await desk.ticket(contact, { priority: 'P3' });
      const none = await desk.ticket(contact, { priority: 'P0' });
      await putTags(both.id, ['billing', 'vip']);
      await putTags(billingOnly.id, ['Billing']);
      for (const sort of ['created', 'due', 'urgency']) {
        const scope = `organizationId=${org.id}&sort=${sort}`;
        expect(new Set(await listIds(`${scope}&tag=billing`))).toEqual(new Set([both.id, billingOnly.id]));
        expect(await listIds(`${scope}&tag=billing&tag=VIP`)).toEqual([both.id]);
        expect(await listIds(`${scope}&tag=nothing-tagged`)).toEqual([]);
        expect(await listIds(`${scope}`)).toContain(none.id);
      }
      expect(await listIds(`organizationId=${org.id}&sort=urgency&tag=billing`)).toEqual([
        both.id,
        billingOnly.id,
      ]);
      // Paging under a tag keeps to the tag.
      const first = await desk.api('GET', `/api/v1/tickets?organizationId=${org.id}&tag=billing&limit=1`, {
        token: agent.token,
      });
      const page = first.json<{ data: TicketView[]; nextCursor: string }>();
      const second = await listIds(`organizationId=${org.id}&tag=billing&limit=1&cursor=${page.nextCursor}`);
      expect([...page.data.map((t) => t.id), ...second].sort()).toEqual([both.id, billingOnly.id].sort());
    });

    it('counts tickets opened in the period per tag, for staff only', async () => {
      const { org, contact } = await customerOf();
      const a = await desk.ticket(contact);
      const b = await desk.ticket(contact);
      await desk.ticket(contact);
      await putTags(a.id, ['billing', 'vip']);
      await putTags(b.id, ['billing']);
      const period = `from=${new Date(TEST_EPOCH - DAY).toISOString()}&to=${new Date(TEST_EPOCH + 30 * DAY).toISOString()}&organizationId=${org.id}`;
      const res = await desk.api('GET', `/api/v1/reports/tags?${period}`, { token: lead.token });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        opened: 3,
        untagged: 1,
        tags: [
          { tag: 'billing', tickets: 2 },
          { tag: 'vip', tickets: 1 },
        ],
      });
      const before = `from=2020-01-01&to=2020-02-01&organizationId=${org.id}`;
      expect(
        (await desk.api('GET', `/api/v1/reports/tags?${before}`, { token: lead.token })).json(),
      ).toMatchObject({
        opened: 0,
        tags: [],
      });
      expect(
        (await desk.api('GET', `/api/v1/reports/tags?${period}`, { token: contact.token })).statusCode,
      ).toBe(403);
    });

    it('imports tags with a ticket, normalized, and refuses a line with a bad one', async () => {
      const org = await desk.organization('premium');
      const line = (externalId: string, tags: unknown) =>
        JSON.stringify({
          externalId,
          organization: org.name,
          requester: { email: `nora@${org.domains[0]}`, name: 'Nora Quinn' },
          subject: 'Legacy ticket',
          priority: 'P3',
          openedAt: '2026-03-02T10:00:00Z',
          messages: [
            {
              at: '2026-03-02T10:00:00Z',
              author: { email: `nora@${org.domains[0]}` },
              public: true,
              body: 'Hi',
            },
          ],
          tags,
        });
      const id = `tags-${target.dialect}-${Date.now()}`;
      const res = await desk.app.inject({
        method: 'POST',
        url: '/api/v1/import/tickets',
        headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/x-ndjson' },
        payload: `${line(`${id}-1`, ['Legacy System', 'VIP', 'vip'])}\n${line(`${id}-2`, ['no good!'])}\n`,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ imported: 1, failed: 1 });
      expect(res.json<{ errors: { errors: { field: string }[] }[] }>().errors[0]!.errors[0]!.field).toBe(
        'tags.0',
      );
      const row = await desk.database.db.kysely
        .selectFrom('tickets')
        .select('id')
        .where('external_id', '=', `${id}-1`)
        .executeTakeFirstOrThrow();
      expect((await getTicket(row.id)).tags).toEqual(['legacy-system', 'vip']);
      expect((await events(row.id)).filter((e) => e.type === 'tag_added').map((e) => e.data.tag)).toEqual([
        'legacy-system',
        'vip',
      ]);
    });
  });

  describe('macros', () => {
    it('keeps personal macros to their owner and lets only leads and admins share or edit shared ones', async () => {
      const mine = await createMacro({ title: 'My greeting', text: { en: 'Hi {{requester.firstName}}' } });
      expect(mine.statusCode, mine.body).toBe(201);
      expect(mine.json<MacroView>()).toMatchObject({ shared: false, ownerId: agent.user.id });
      const mineId = mine.json<MacroView>().id;

      expect((await createMacro({ title: 'Team', shared: true, text: { en: 'x' } })).statusCode).toBe(403);
      const shared = await createMacro(
        { title: 'Team answer', shared: true, text: { en: 'Hello' } },
        lead.token,
      );
      expect(shared.statusCode).toBe(201);
      const sharedId = shared.json<MacroView>().id;

      const seenByOther = await desk.api('GET', '/api/v1/macros', { token: otherAgent.token });
      const ids = seenByOther.json<{ data: MacroView[] }>().data.map((m) => m.id);
      expect(ids).toContain(sharedId);
      expect(ids).not.toContain(mineId);
      expect(
        (await desk.api('GET', `/api/v1/macros/${mineId}`, { token: otherAgent.token })).statusCode,
      ).toBe(404);
      expect(
        (await desk.api('DELETE', `/api/v1/macros/${mineId}`, { token: otherAgent.token })).statusCode,
      ).toBe(404);
      expect(
        (
          await desk.api('PATCH', `/api/v1/macros/${sharedId}`, {
            token: agent.token,
            body: { title: 'Mine now' },
          })
        ).statusCode,
      ).toBe(403);
      expect(
        (await desk.api('PATCH', `/api/v1/macros/${mineId}`, { token: agent.token, body: { shared: true } }))
          .statusCode,
      ).toBe(403);
      const renamed = await desk.api('PATCH', `/api/v1/macros/${sharedId}`, {
        token: admin.token,
        body: { title: 'Team answer (edited)', text: { fr: 'Bonjour' } },
      });
      expect(renamed.json()).toMatchObject({
        title: 'Team answer (edited)',
        text: { en: 'Hello', fr: 'Bonjour' },
      });
      expect(
        (await desk.api('DELETE', `/api/v1/macros/${sharedId}`, { token: agent.token })).statusCode,
      ).toBe(403);
      expect((await desk.api('DELETE', `/api/v1/macros/${sharedId}`, { token: lead.token })).statusCode).toBe(
        204,
      );
      expect((await desk.api('DELETE', `/api/v1/macros/${mineId}`, { token: agent.token })).statusCode).toBe(
        204,
      );
      expect((await desk.api('GET', `/api/v1/macros/${mineId}`, { token: agent.token })).statusCode).toBe(
        404,
      );
    });

    it('is staff only: customers are refused every macro route', async () => {
      const { contact } = await customerOf();
      const ticket = await desk.ticket(contact);
      const macro = (
        await createMacro({ title: 'Shared', shared: true, text: { en: 'x' } }, lead.token)
      ).json<MacroView>();
      const calls: [string, string, unknown?][] = [
        ['GET', '/api/v1/macros'],
        ['POST', '/api/v1/macros', { title: 'Mine', text: { en: 'x' } }],
        ['GET', `/api/v1/macros/${macro.id}`],
        ['PATCH', `/api/v1/macros/${macro.id}`, { title: 'y' }],
        ['DELETE', `/api/v1/macros/${macro.id}`],
        ['POST', `/api/v1/tickets/${ticket.id}/macros/${macro.id}/preview`],
        ['POST', `/api/v1/tickets/${ticket.id}/macros/${macro.id}`],
      ];
      for (const [method, url, body] of calls) {
        const res = await desk.api(method as 'GET', url, { token: contact.token, ...(body ? { body } : {}) });
        expect(res.statusCode, `${method} ${url}`).toBe(403);
      }
    });

    it('refuses unknown placeholders, a priority without its reason, a non-staff assignee and hostile input', async () => {
      const { contact } = await customerOf();
      const bad = await createMacro({
        title: 'Bad',
        text: { en: 'Hi {{requester.email}}', fr: 'Salut {{ requester.firstName }}' },
      });
      expect(bad.statusCode).toBe(422);
      expect(bad.json()).toMatchObject({
        errors: [{ field: 'body.text.en', message: 'unknown placeholders: {{requester.email}}' }],
      });
      expect((await createMacro({ title: 'P', priority: 'P1' })).statusCode).toBe(400);
      expect((await createMacro({ title: 'A', assigneeId: contact.user.id })).statusCode).toBe(422);
      expect((await createMacro({ title: 'S', status: 'new' })).statusCode).toBe(400);
      expect((await createMacro({ title: 'T', tags: ['<img src=x>'] })).statusCode).toBe(400);
      expect((await createMacro({ title: 'x'.repeat(101) })).statusCode).toBe(400);
      expect((await createMacro({ title: 'L', text: { en: 'x'.repeat(20_001) } })).statusCode).toBe(400);
      expect((await createMacro({ title: 'U', text: { de: 'Hallo' } })).statusCode).toBe(400);
      const ok = (await createMacro({ title: 'Fine', text: { en: 'Hi' } })).json<MacroView>();
      const patched = await desk.api('PATCH', `/api/v1/macros/${ok.id}`, {
        token: agent.token,
        body: { text: { fr: '{{ticket.nope}}' } },
      });
      expect(patched.statusCode).toBe(422);
      expect(
        (await desk.api('PATCH', `/api/v1/macros/${ok.id}`, { token: agent.token, body: { priority: 'P0' } }))
          .statusCode,
      ).toBe(400);
      expect((await desk.api('GET', '/api/v1/macros/not-an-id', { token: agent.token })).statusCode).toBe(
        400,
      );
      expect((await desk.api('GET', '/api/v1/macros?q=%25', { token: agent.token })).json()).toEqual({
        data: [],
      });
    });

    it('previews, then applies reply, status, priority, assignee and tags in one transaction, in the requester\u2019s language', async () => {
      const { org, contact } = await customerOf();
      await desk.database.db.kysely
        .updateTable('users')
        .set({ locale: 'fr' })
        .where('id', '=', contact.user.id)
        .execute();
      const ticket = await desk.ticket(contact);
      await putTags(ticket.id, ['billing']);
      const macro = (
        await createMacro(
          {
            title: 'Waiting for logs',
            shared: true,
            text: {
              en: 'Hello {{requester.firstName}}, about #{{ticket.number}} for {{organization.name}}: we answer within {{sla.firstResponse}}.',
              fr: 'Bonjour {{requester.firstName}}, au sujet du #{{ticket.number}} pour {{organization.name}} : nous répondons sous {{sla.firstResponse}}.',
            },
            status: 'waiting_on_customer',
            priority: 'P1',
            priorityReason: 'Production sync blocked',
            assigneeId: otherAgent.user.id,
            tags: ['Billing', 'Needs Logs'],
          },
          lead.token,
        )
      ).json<MacroView>();
      const firstName = contact.user.name.split(' ')[0];

      const preview = await desk.api('POST', `/api/v1/tickets/${ticket.id}/macros/${macro.id}/preview`, {
        token: agent.token,
      });
      expect(preview.statusCode, preview.body).toBe(200);
      const planned = preview.json<Preview>();
      expect(planned).toMatchObject({
        language: 'fr',
        public: true,
        status: 'waiting_on_customer',
        priority: 'P1',
        priorityReason: 'Production sync blocked',
        assignee: { id: otherAgent.user.id },
        tags: ['needs-logs'],
      });
      expect(planned.body).toBe(
        `Bonjour ${firstName}, au sujet du #${ticket.number} pour ${org.name} : nous répondons sous 2 heures (24 h/24, 7 j/7).`,
      );
      // A preview writes nothing.
      expect((await getTicket(ticket.id)).status).toBe('new');

      const eventsBefore = (await events(ticket.id)).length;
      const applied = await desk.api('POST', `/api/v1/tickets/${ticket.id}/macros/${macro.id}`, {
        token: agent.token,
      });
      expect(applied.statusCode, applied.body).toBe(200);
      const { messageId } = applied.json<{ messageId: string }>();
      const after = await getTicket(ticket.id);
      expect(after).toMatchObject({
        status: 'waiting_on_customer',
        priority: 'P1',
        assigneeId: otherAgent.user.id,
        tags: ['billing', 'needs-logs'],
      });
      const messages = (
        await desk.api('GET', `/api/v1/tickets/${ticket.id}/messages`, { token: contact.token })
      ).json<{ data: { id: string; body: string; author: { id: string } }[] }>().data;
      expect(messages.at(-1)).toMatchObject({
        id: messageId,
        body: planned.body,
        author: { id: agent.user.id },
      });

      const added = (await events(ticket.id)).slice(eventsBefore);
      expect(added.map((e) => e.type).sort()).toEqual(
        ['assignee_changed', 'message_added', 'priority_changed', 'status_changed', 'tag_added'].sort(),
      );
      for (const e of added)
        expect(e.data.macroId ?? (e.type === 'tag_added' ? macro.id : undefined)).toBe(macro.id);
      expect(added.find((e) => e.type === 'status_changed')!.data).toMatchObject({
        from: 'new',
        to: 'waiting_on_customer',
        cause: 'macro',
      });
      expect(added.find((e) => e.type === 'priority_changed')!.data).toMatchObject({
        reason: 'Production sync blocked',
      });
    });

    it('writes nothing when any part of the macro is refused, and refuses closed tickets', async () => {
      const { contact } = await customerOf();
      const ticket = await desk.ticket(contact);
      const helper = await desk.person('agent');
      const macro = (
        await createMacro({
          title: 'Hand over',
          text: { en: 'Handing over.' },
          assigneeId: helper.user.id,
          tags: ['handover'],
        })
      ).json<MacroView>();
      // The assignee is no longer staff: 422 before anything is written.
      await desk.database.db.kysely
        .updateTable('users')
        .set({ deactivated_at: desk.now })
        .where('id', '=', helper.user.id)
        .execute();
      const messagesBefore = await desk.count('ticket_messages');
      const refused = await desk.api('POST', `/api/v1/tickets/${ticket.id}/macros/${macro.id}`, {
        token: agent.token,
      });
      expect(refused.statusCode).toBe(422);
      expect(refused.json()).toMatchObject({ type: 'urn:accord:problem:invalid-assignee' });

      // Over the tag limit: the reply already written in the transaction is rolled back with it.
      const tagger = (
        await createMacro({ title: 'Tag it', text: { en: 'Tagged.' }, status: 'open', tags: ['one-more'] })
      ).json<MacroView>();
      await putTags(
        ticket.id,
        Array.from({ length: 20 }, (_, i) => `t${i}`),
      );
      const over = await desk.api('POST', `/api/v1/tickets/${ticket.id}/macros/${tagger.id}`, {
        token: agent.token,
      });
      expect(over.statusCode).toBe(422);
      expect(await desk.count('ticket_messages')).toBe(messagesBefore);
      expect((await getTicket(ticket.id)).status).toBe('new');

      await desk.api('PATCH', `/api/v1/tickets/${ticket.id}`, {
        token: agent.token,
        body: { status: 'closed' },
      });
      const simple = (await createMacro({ title: 'Simple', text: { en: 'Hi' } })).json<MacroView>();
      expect(
        (await desk.api('POST', `/api/v1/tickets/${ticket.id}/macros/${simple.id}`, { token: agent.token }))
          .statusCode,
      ).toBe(409);
      expect(
        (
          await desk.api('POST', `/api/v1/tickets/${ticket.id}/macros/00000000-0000-4000-8000-000000000000`, {
            token: agent.token,
          })
        ).statusCode,
      ).toBe(404);
    });

    it('documents the routes in the OpenAPI document', async () => {
      const doc = (await desk.api('GET', '/api/v1/openapi.json')).json<{ paths: Record<string, object> }>();
      for (const path of [
        '/api/v1/macros',
        '/api/v1/macros/{id}',
        '/api/v1/tickets/{id}/macros/{macroId}',
        '/api/v1/tickets/{id}/macros/{macroId}/preview',
        '/api/v1/tickets/{id}/tags',
        '/api/v1/reports/tags',
      ])
        expect(Object.keys(doc.paths)).toContain(path);
    });

    it('serves the chat\u2019s canned replies from the same library', async () => {
      const canned = await desk.api('POST', '/api/v1/chat/canned-replies', {
        token: agent.token,
        body: { title: 'Reset sync', body: 'Sign out and in again.', locale: 'en' },
      });
      expect(canned.statusCode).toBe(201);
      const { id } = canned.json<{ id: string }>();
      const macro = await desk.api('GET', `/api/v1/macros/${id}`, { token: agent.token });
      expect(macro.json()).toMatchObject({ shared: false, text: { en: 'Sign out and in again.', fr: null } });
      // A macro with actions is not offered in the chat.
      const withActions = (
        await createMacro({ title: 'Reset sync and tag', text: { en: 'x' }, tags: ['sync'] })
      ).json<MacroView>();
      const listed = await desk.api('GET', '/api/v1/chat/canned-replies?q=reset%20sync', {
        token: agent.token,
      });
      const ids = listed.json<{ data: { id: string }[] }>().data.map((r) => r.id);
      expect(ids).toContain(id);
      expect(ids).not.toContain(withActions.id);
      const leadCanned = await desk.api('POST', '/api/v1/chat/canned-replies', {
        token: lead.token,
        body: { title: 'Welcome', body: 'Welcome!' },
      });
      expect(
        (
          await desk.api('GET', `/api/v1/macros/${leadCanned.json<{ id: string }>().id}`, {
            token: otherAgent.token,
          })
        ).json(),
      ).toMatchObject({ shared: true, text: { en: 'Welcome!', fr: 'Welcome!' } });
    });
  });
});
