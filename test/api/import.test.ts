import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationOut } from '../../src/customers/schema.js';
import { TicketImportRepository } from '../../src/imports/repository.js';
import { importRoutes } from '../../src/imports/routes.js';
import { splitLines } from '../../src/imports/lines.js';
import { TicketImportService } from '../../src/imports/service.js';
import type { TicketActivity } from '../../src/live/bus.js';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const URL = '/api/v1/import/tickets';
/** A second mount of the import with a small body limit, to test the limit without sending 50 MB. */
const SMALL_URL = '/api/v1/import-small/import/tickets';
const SMALL_LIMIT = 64 * 1024;

const ndjson = (lines: unknown[]) =>
  lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';

describe.each(databaseTargets())('historic ticket import on $dialect', (target) => {
  let desk: TestDesk;
  let admin: Person;
  let agent: Person;
  let lead: Person;
  const activity: TicketActivity[] = [];

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    const service = new TicketImportService({
      repo: new TicketImportRepository(desk.database.db.kysely, desk.database.db.dialect),
      ledger: desk.services.ledger,
      clock: () => desk.now,
    });
    // Until the route is wired into the server, the suite mounts it itself.
    if (!desk.app.hasRoute({ method: 'POST', url: URL }))
      await desk.app.register(importRoutes(service), { prefix: '/api/v1' });
    await desk.app.register(importRoutes(service, { maxBytes: SMALL_LIMIT }), {
      prefix: '/api/v1/import-small',
    });
    admin = await desk.person('admin');
    agent = await desk.person('agent');
    lead = await desk.person('lead');
    desk.services.live.subscribe((a) => {
      if (a.kind !== 'presence') activity.push(a);
    });
  });
  afterAll(() => desk?.close());

  const post = (body: string | Readable, token = admin.token, type = 'application/x-ndjson', url = URL) =>
    desk.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      payload: body,
    });

  const ticketByExternalId = (externalId: string) =>
    desk.database.db.kysely
      .selectFrom('tickets')
      .selectAll()
      .where('external_id', '=', externalId)
      .executeTakeFirstOrThrow();

  const countRows = async (table: 'mail_outbox' | 'notifications' | 'sla_events' | 'ticket_events') =>
    Number(
      (
        await desk.database.db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  let sequence = 0;
  const externalId = () => `zd-${target.dialect}-${(sequence += 1)}`;

  /** A premium P1 opened Monday 2 March 2026 at 10:00 UTC, first public staff reply at 10:45. */
  const premiumP1 = (org: OrganizationOut, id = externalId()) => ({
    externalId: id,
    organization: org.name,
    requester: { email: `nora@${org.domains[0]}`, name: 'Nora Quinn' },
    subject: 'Work orders do not sync',
    priority: 'P1',
    channel: 'email',
    requestType: 'problem',
    openedAt: '2026-03-02T10:00:00Z',
    messages: [
      {
        at: '2026-03-02T10:00:00Z',
        author: { email: `nora@${org.domains[0]}` },
        public: true,
        body: 'Since this morning no work order syncs to the tablets.',
      },
      {
        at: '2026-03-02T10:10:00Z',
        author: { email: agent.user.email, staff: true },
        public: false,
        body: 'Looks like the sync queue; checking.',
      },
      {
        at: '2026-03-02T10:45:00Z',
        author: { email: agent.user.email, staff: true },
        public: true,
        body: 'We found the cause and are deploying a fix.',
      },
      {
        at: '2026-03-02T11:00:00Z',
        author: { email: `nora@${org.domains[0]}` },
        public: true,
        body: 'Thanks, it syncs again.',
      },
    ],
    resolvedAt: '2026-03-02T12:00:00Z',
    assignee: { email: agent.user.email },
  });

  /**
   * A basic P2 (target: 1 business day) opened Friday 6 March 2026 at 16:30 US Eastern (EST,
   * 21:30 UTC), answered Monday 9 March at 10:30 Eastern (EDT since Sunday, 14:30 UTC): 30 minutes
   * of Friday and 90 of Monday are 2 business hours, though 65 hours passed on the wall clock.
   */
  const basicP2 = (org: OrganizationOut, id = externalId()) => ({
    externalId: id,
    organization: { domain: org.domains[0] },
    requester: { email: `ravi@${org.domains[0]}`, name: 'Ravi Shah' },
    subject: 'How do I add a meter?',
    priority: 'P2',
    channel: 'portal',
    openedAt: '2026-03-06T21:30:00Z',
    messages: [
      {
        at: '2026-03-06T21:30:00Z',
        author: { email: `ravi@${org.domains[0]}`, name: 'Ravi Shah' },
        public: true,
        body: 'Where do meters go?',
      },
      {
        at: '2026-03-09T14:30:00Z',
        author: { email: agent.user.email },
        public: true,
        body: '<p>Under <b>Assets</b>, then Meters.</p><script>alert(1)</script>',
        format: 'html',
      },
    ],
    resolvedAt: '2026-03-09T15:00:00Z',
    closedAt: '2026-03-12T00:00:00Z',
  });

  it('imports known tickets with their history, and measures the first response on the target clock', async () => {
    const premium = await desk.organization('premium');
    const basic = await desk.organization('basic');
    const [calendarCell, businessCell, waiting, answered] = [
      externalId(),
      externalId(),
      externalId(),
      externalId(),
    ];
    const res = await post(
      ndjson([
        premiumP1(premium, calendarCell),
        basicP2(basic, businessCell),
        {
          // Unresolved and unanswered: a P3 whose 4-hour target passed before the import.
          externalId: waiting,
          organization: { name: premium.name },
          requester: { email: `nora@${premium.domains[0]}` },
          subject: 'Export to CSV',
          priority: 'P3',
          openedAt: '2026-05-31T10:00:00Z',
          messages: [
            {
              at: '2026-05-31T10:00:00Z',
              author: { email: `nora@${premium.domains[0]}` },
              public: true,
              body: 'Can I export?',
            },
          ],
        },
        {
          // Answered and still open at the import (the desk's clock reads 2026-06-01T12:00:00Z).
          externalId: answered,
          organization: premium.name,
          requester: { email: `omar@${premium.domains[0]}`, name: 'Omar' },
          subject: 'Invite a technician',
          priority: 'P2',
          openedAt: '2026-06-01T11:00:00Z',
          messages: [
            {
              at: '2026-06-01T11:00:00Z',
              author: { email: `omar@${premium.domains[0]}` },
              public: true,
              body: 'How?',
            },
            {
              at: '2026-06-01T11:30:00Z',
              author: { email: lead.user.email },
              public: true,
              body: 'Settings, then Users.',
            },
          ],
        },
      ]),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ imported: 4, unchanged: 0, failed: 0, errors: [], errorsOmitted: 0 });

    const p1 = await ticketByExternalId(calendarCell);
    expect(p1).toMatchObject({
      status: 'resolved',
      priority: 'P1',
      tier: 'premium',
      channel: 'email',
      request_type: 'problem',
      organization_id: premium.id,
      assignee_id: agent.user.id,
      created_at: Date.parse('2026-03-02T10:00:00Z'),
      resolved_at: Date.parse('2026-03-02T12:00:00Z'),
      closed_at: null,
      sla_first_response_at: Date.parse('2026-03-02T10:45:00Z'),
      sla_first_response_target_ms: HOUR,
      sla_first_response_clock: 'calendar',
      sla_first_response_ms: 45 * MINUTE,
      sla_next_check_at: null,
    });
    expect(p1.number).toBeGreaterThanOrEqual(1001);
    const p2 = await ticketByExternalId(businessCell);
    expect(p2).toMatchObject({
      status: 'closed',
      tier: 'basic',
      channel: 'portal',
      request_type: 'question',
      sla_first_response_target_ms: 8 * HOUR,
      sla_first_response_clock: 'business',
      sla_first_response_ms: 2 * HOUR,
      sla_next_check_at: null,
    });
    expect(await ticketByExternalId(waiting)).toMatchObject({
      status: 'new',
      sla_first_response_at: null,
      sla_first_response_ms: null,
      sla_first_response_due_at: Date.parse('2026-05-31T14:00:00Z'),
      // Overdue since before the import: in the queue, but nothing to wake the scheduler for.
      sla_next_due_at: Date.parse('2026-05-31T14:00:00Z'),
      sla_next_check_at: null,
    });
    expect(await ticketByExternalId(answered)).toMatchObject({
      status: 'open',
      sla_first_response_ms: 30 * MINUTE,
    });

    // The API shows the ticket as the live desk would have written it.
    const shown = await desk.api('GET', `/api/v1/tickets/${p1.id}`, { token: agent.token });
    expect(shown.json()).toMatchObject({
      number: p1.number,
      status: 'resolved',
      requester: { email: `nora@${premium.domains[0]}`, name: 'Nora Quinn' },
      sla: { firstResponse: { metAt: '2026-03-02T10:45:00.000Z', breached: false } },
    });
    const events = await desk.api('GET', `/api/v1/tickets/${p1.id}/events`, { token: agent.token });
    expect(
      events
        .json()
        .data.map((e: { type: string; at: string; data: { to?: string } }) => [e.type, e.at, e.data.to]),
    ).toEqual([
      ['created', '2026-03-02T10:00:00.000Z', undefined],
      ['assignee_changed', '2026-03-02T10:00:00.000Z', agent.user.id],
      ['message_added', '2026-03-02T10:00:00.000Z', undefined],
      ['message_added', '2026-03-02T10:10:00.000Z', undefined],
      ['message_added', '2026-03-02T10:45:00.000Z', undefined],
      ['status_changed', '2026-03-02T10:45:00.000Z', 'open'],
      ['message_added', '2026-03-02T11:00:00.000Z', undefined],
      ['status_changed', '2026-03-02T12:00:00.000Z', 'resolved'],
    ]);
    const customer = await desk.database.db.kysely
      .selectFrom('users')
      .selectAll()
      .where('email', '=', `nora@${premium.domains[0]}`)
      .executeTakeFirstOrThrow();
    expect(customer).toMatchObject({
      role: 'member',
      organization_id: premium.id,
      name: 'Nora Quinn',
      password_hash: null,
    });
    const messages = await desk.database.db.kysely
      .selectFrom('ticket_messages')
      .select(['visibility', 'body', 'author_id', 'created_at'])
      .where('ticket_id', '=', p2.id)
      .orderBy('created_at')
      .execute();
    expect(messages).toHaveLength(2);
    expect(messages[1]!.body).toContain('<b>Assets</b>');
    expect(messages[1]!.body).not.toContain('script');
  });

  it('imports a file again as unchanged, writing nothing', async () => {
    const org = await desk.organization('premium');
    const file = ndjson([premiumP1(org), basicP2(await desk.organization('basic'))]);
    expect((await post(file)).json()).toMatchObject({ imported: 2, unchanged: 0, failed: 0 });
    const before = await Promise.all([
      desk.count('tickets'),
      desk.count('ticket_messages'),
      desk.count('ticket_events'),
      desk.count('users'),
    ]);
    expect((await post(file)).json()).toEqual({
      imported: 0,
      unchanged: 2,
      failed: 0,
      errors: [],
      errorsOmitted: 0,
    });
    expect(
      await Promise.all([
        desk.count('tickets'),
        desk.count('ticket_messages'),
        desk.count('ticket_events'),
        desk.count('users'),
      ]),
    ).toEqual(before);
  });

  it('reports each bad line with its number and fields, and imports the good ones', async () => {
    const org = await desk.organization('premium');
    const good = premiumP1(org);
    const alsoGood = basicP2(await desk.organization('basic'));
    const base = premiumP1(org);
    const outOfOrder = { ...base, externalId: externalId() };
    outOfOrder.messages = [base.messages[0]!, base.messages[2]!, base.messages[1]!];
    const unknownOrg = {
      ...premiumP1(org),
      organization: 'Nobody Ltd',
      requester: { email: 'ghost@nobody.test', name: 'Ghost' },
    };
    const future = { ...premiumP1(org), resolvedAt: '2026-07-01T00:00:00Z' };
    const { subject: _subject, ...noSubject } = premiumP1(org);
    const hugeId = externalId();
    const huge = { ...premiumP1(org, hugeId) };
    huge.messages = [{ ...huge.messages[0]!, body: 'x'.repeat(2 * 1024 * 1024) }];
    const unknownStaff = premiumP1(org);
    unknownStaff.messages[2] = {
      ...unknownStaff.messages[2]!,
      author: { email: 'former@vendor.test', staff: true },
    };
    const customerNote = premiumP1(org);
    customerNote.messages[1] = { ...customerNote.messages[1]!, author: { email: `nora@${org.domains[0]}` } };
    const usersBefore = await desk.count('users');

    const res = await post(
      ndjson([
        good,
        '{"externalId": "zd-broken", "subject": ',
        unknownOrg,
        outOfOrder,
        future,
        noSubject,
        huge,
        '',
        alsoGood,
        unknownStaff,
        customerNote,
        [1, 2],
      ]),
    );
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ imported: 2, unchanged: 0, failed: 9, errorsOmitted: 0 });
    const byLine = Object.fromEntries(
      report.errors.map((e: { line: number; externalId?: string; errors: unknown[] }) => [
        e.line,
        { externalId: e.externalId, errors: e.errors },
      ]),
    );
    expect(Object.keys(byLine).map(Number)).toEqual([2, 3, 4, 5, 6, 7, 10, 11, 12]);
    expect(byLine[2]).toEqual({
      externalId: 'zd-broken',
      errors: [{ field: '(line)', message: expect.stringMatching(/^is not valid JSON/) }],
    });
    expect(byLine[3]).toEqual({
      externalId: unknownOrg.externalId,
      errors: [
        { field: 'organization', message: expect.stringContaining('no organization is named "Nobody Ltd"') },
      ],
    });
    expect(byLine[4].errors).toEqual([
      {
        field: 'messages.2.at',
        message: 'must not be before messages.1.at: messages are listed oldest first',
      },
    ]);
    expect(byLine[5].errors).toEqual([
      { field: 'resolvedAt', message: 'must not be after the import (2026-06-01T12:00:00.000Z)' },
    ]);
    expect(byLine[6]).toEqual({
      externalId: noSubject.externalId,
      errors: [{ field: 'subject', message: 'required' }],
    });
    expect(byLine[7]).toEqual({
      externalId: hugeId,
      errors: [{ field: '(line)', message: expect.stringContaining('longer than 1048576 bytes') }],
    });
    expect(byLine[10].errors).toEqual([
      {
        field: 'messages.2.author.email',
        message: expect.stringContaining('former@vendor.test is not a staff user'),
      },
    ]);
    expect(byLine[11].errors).toEqual([
      { field: 'messages.1.public', message: 'must be true: only staff write internal notes' },
    ]);
    expect(byLine[12].errors).toEqual([
      { field: '(line)', message: 'must be a JSON object: one ticket per line' },
    ]);

    expect((await ticketByExternalId(good.externalId)).status).toBe('resolved');
    expect((await ticketByExternalId(alsoGood.externalId)).status).toBe('closed');
    // The good lines created their two requesters; the failed lines created nobody.
    expect(await desk.count('users')).toBe(usersBefore + 2);
  });

  it('reports schema errors by field, every one of a line', async () => {
    const org = await desk.organization('premium');
    const line = premiumP1(org);
    const res = await post(
      ndjson([
        {
          ...line,
          priority: 'P9',
          openedAt: '2026-03-02 10:00',
          unknownThing: 1,
          messages: [{ ...line.messages[0]!, at: '2026-03-01T09:00:00Z' }],
        },
        {
          ...line,
          openedAt: '2026-03-02T10:00:00Z',
          messages: [{ ...line.messages[1]!, at: '2026-03-01T09:00:00Z' }],
        },
      ]),
    );
    const [first, second] = res.json().errors;
    expect(first.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'openedAt',
      'priority',
      'unknownThing',
    ]);
    expect(second.errors).toEqual([
      { field: 'messages.0.at', message: 'must not be before openedAt' },
      { field: 'messages.0.public', message: 'must be true: the message that opened the ticket is public' },
    ]);
  });

  it('finds people by email, creates unknown customers as members, and never creates staff', async () => {
    const org = await desk.organization('premium');
    const other = await desk.organization('premium');
    const contact = await desk.person('contact', org.id);
    const stranger = await desk.person('member', other.id);
    const usersBefore = await desk.count('users');
    const withRequester = (email: string) => ({ ...premiumP1(org), requester: { email } });
    const reused = premiumP1(org);
    reused.requester = { email: contact.user.email.toUpperCase(), name: 'Ignored' };
    reused.messages = reused.messages.map((m) =>
      m.author.email.startsWith('nora@') ? { ...m, author: { email: contact.user.email } } : m,
    );
    const noStaffFlag = premiumP1(org);
    noStaffFlag.messages[2] = { ...noStaffFlag.messages[2]!, author: { email: agent.user.email } };
    const flaggedCustomer = premiumP1(org);
    flaggedCustomer.messages[3] = {
      ...flaggedCustomer.messages[3]!,
      author: { email: `nora@${org.domains[0]}`, staff: true },
    };
    const strangerAuthor = premiumP1(org);
    strangerAuthor.messages[3] = { ...strangerAuthor.messages[3]!, author: { email: stranger.user.email } };
    const staffFalse = premiumP1(org);
    staffFalse.messages[2] = { ...staffFalse.messages[2]!, author: { email: lead.user.email, staff: false } };
    const { priority: _priority, ...noPriority } = premiumP1(org);

    const report = (
      await post(
        ndjson([
          reused,
          noStaffFlag,
          withRequester(agent.user.email),
          withRequester(stranger.user.email),
          flaggedCustomer,
          strangerAuthor,
          staffFalse,
          noPriority,
        ]),
      )
    ).json();
    expect(report).toMatchObject({ imported: 2, failed: 6 });
    expect(report.errors.map((e: { line: number; errors: unknown[] }) => [e.line, e.errors])).toEqual([
      [
        3,
        [
          {
            field: 'requester.email',
            message: `${agent.user.email} is a staff user; the requester is a customer`,
          },
        ],
      ],
      [
        4,
        [
          {
            field: 'requester.email',
            message: `${stranger.user.email} is a user of another organization (${other.name})`,
          },
        ],
      ],
      [
        5,
        [
          {
            field: 'messages.3.author.email',
            message: `nora@${org.domains[0]} is a customer user of this desk, not staff`,
          },
        ],
      ],
      [
        6,
        [
          {
            field: 'messages.3.author.email',
            message: `${stranger.user.email} is a user of another organization (${other.name})`,
          },
        ],
      ],
      [
        7,
        [
          {
            field: 'messages.2.author.email',
            message: `${lead.user.email} is a staff user of this desk, but staff is false`,
          },
        ],
      ],
      [8, [{ field: 'priority', message: 'required' }]],
    ]);
    expect(await ticketByExternalId(reused.externalId)).toMatchObject({
      requester_id: contact.user.id,
      sla_first_response_ms: 45 * MINUTE,
    });
    // A staff email counts as staff without the flag: its public reply is the first response.
    expect((await ticketByExternalId(noStaffFlag.externalId)).sla_first_response_ms).toBe(45 * MINUTE);
    // Only Nora, the requester of the second line, was created.
    expect(await desk.count('users')).toBe(usersBefore + 1);
  });

  it('sends no mail, announces nothing, and fires no SLA effect for the past', async () => {
    const org = await desk.organization('premium');
    const mailBefore = await countRows('mail_outbox');
    const notificationsBefore = await countRows('notifications');
    const slaEventsBefore = await countRows('sla_events');
    activity.length = 0;
    const p0 = externalId();
    const res = await post(
      ndjson([
        premiumP1(org),
        {
          // A P0 still open at the import: its first response, updates and escalations fell due before.
          externalId: p0,
          organization: org.name,
          requester: { email: `nora@${org.domains[0]}` },
          subject: 'Nobody can sign in',
          priority: 'P0',
          openedAt: '2026-05-31T00:00:00Z',
          messages: [
            {
              at: '2026-05-31T00:00:00Z',
              author: { email: `nora@${org.domains[0]}` },
              public: true,
              body: 'Down.',
            },
          ],
          assignee: { email: agent.user.email },
        },
      ]),
    );
    expect(res.json()).toMatchObject({ imported: 2, failed: 0 });
    const open = await ticketByExternalId(p0);
    expect(open.sla_escalation_level).toBeGreaterThan(10);
    // The next wake-up is the next escalation, after the import instant, not the import instant.
    expect(open.sla_next_check_at).toBe(Date.parse('2026-06-01T13:00:00Z'));
    expect(await desk.services.sla.runDue(desk.now)).toBe(0);
    expect(await countRows('mail_outbox')).toBe(mailBefore);
    expect(await countRows('notifications')).toBe(notificationsBefore);
    expect(await countRows('sla_events')).toBe(slaEventsBefore);
    expect(activity).toEqual([]);
  });

  it('is for admins only', async () => {
    const org = await desk.organization('premium');
    const customer = await desk.person('contact', org.id);
    const file = ndjson([premiumP1(org)]);
    for (const person of [agent, lead, customer]) {
      const res = await post(file, person.token);
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const anonymous = await desk.app.inject({
      method: 'POST',
      url: URL,
      headers: { 'content-type': 'application/x-ndjson' },
      payload: file,
    });
    expect(anonymous.statusCode).toBe(401);
    const tickets = await desk.database.db.kysely
      .selectFrom('tickets')
      .select('id')
      .where('organization_id', '=', org.id)
      .execute();
    expect(tickets).toEqual([]);
  });

  it('takes JSON lines only, and refuses an empty body', async () => {
    const org = await desk.organization('premium');
    const line = JSON.stringify(premiumP1(org));
    expect((await post(line, admin.token, 'application/json')).statusCode).toBe(415);
    expect((await post(line, admin.token, 'text/plain')).statusCode).toBe(415);
    const jsonl = await post(`${line}\r\n`, admin.token, 'application/jsonl; charset=utf-8');
    expect(jsonl.statusCode).toBe(200);
    expect(jsonl.json()).toMatchObject({ imported: 1 });
    expect((await post('\n\n', admin.token)).statusCode).toBe(400);
  });

  it('refuses a body over the limit, and reports the lines read before it', async () => {
    const org = await desk.organization('premium');
    const first = premiumP1(org);
    const padding = { ...premiumP1(org), subject: 'y'.repeat(200) };
    padding.messages = [{ ...padding.messages[0]!, body: 'z'.repeat(SMALL_LIMIT) }];
    const declared = await post(ndjson([first, padding]), admin.token, 'application/x-ndjson', SMALL_URL);
    expect(declared.statusCode).toBe(413);
    expect(
      await desk.database.db.kysely
        .selectFrom('tickets')
        .select('id')
        .where('external_id', '=', first.externalId)
        .execute(),
    ).toEqual([]);

    // Sent without a length, the body is read until the limit: the first line is imported.
    const streamed = await post(
      Readable.from([Buffer.from(ndjson([first])), Buffer.from(ndjson([padding]))]),
      admin.token,
      'application/x-ndjson',
      SMALL_URL,
    );
    expect(streamed.statusCode).toBe(413);
    expect(streamed.json().report).toMatchObject({ imported: 1, failed: 0 });
    expect((await ticketByExternalId(first.externalId)).status).toBe('resolved');
  });

  it('documents the route in the OpenAPI document', async () => {
    const doc = (await desk.api('GET', '/api/v1/openapi.json')).json();
    const operation = doc.paths['/api/v1/import/tickets'].post;
    expect(Object.keys(operation.requestBody.content)).toEqual(['application/x-ndjson', 'application/jsonl']);
    expect(operation.requestBody.content['application/x-ndjson'].schema.required).toEqual(
      expect.arrayContaining([
        'externalId',
        'organization',
        'requester',
        'subject',
        'priority',
        'openedAt',
        'messages',
      ]),
    );
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '403', '413', '415']));
  });
});

describe('splitting an import into lines', () => {
  const collect = async (chunks: (string | Buffer)[], options: Parameters<typeof splitLines>[1] = {}) => {
    const split = splitLines(Readable.from(chunks), options);
    const lines: string[] = [];
    for await (const line of split.lines) lines.push(line);
    return { lines, over: split.overLimit() };
  };

  it('splits across chunks, keeps CRLF for the import to strip, and reads a last line without newline', async () => {
    const euro = Buffer.from('€');
    expect(
      await collect([
        '{"a":1}\r\n{"b"',
        ':2}\n\n',
        euro.subarray(0, 1),
        Buffer.concat([euro.subarray(1), Buffer.from('\nlast')]),
      ]),
    ).toEqual({ lines: ['{"a":1}\r', '{"b":2}', '', '€', 'last'], over: false });
  });

  it('keeps a too-long line only to one byte past the cap', async () => {
    const { lines } = await collect(['ab', 'cdefgh\nok\n'], { maxLineBytes: 4 });
    expect(lines).toEqual(['abcde', 'ok']);
  });

  it('stops at the byte limit and drops the line cut there', async () => {
    expect(await collect(['one\ntwo\nthree\n'], { maxBytes: 9 })).toEqual({
      lines: ['one', 'two'],
      over: true,
    });
    expect(await collect(['one\ntwo\n'], { maxBytes: 8 })).toEqual({ lines: ['one', 'two'], over: false });
  });
});
