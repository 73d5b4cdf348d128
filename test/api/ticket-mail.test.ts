import type { Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/tables.js';
import { DeliveryWorker, SmtpTransport } from '../../src/notifications/delivery.js';
import { OutboxRepository } from '../../src/notifications/outbox.js';
import { SlaStaffNotices } from '../../src/notifications/sla-notices.js';
import { EmailTicketNotices } from '../../src/notifications/ticket-mail.js';
import { newId } from '../../src/shared/ids.js';
import { slaColumnsStore } from '../../src/tickets/ledger-repository.js';
import { SlaService } from '../../src/sla/service.js';
import { databaseTargets, type DatabaseTarget } from '../support/databases.js';
import { TEST_EPOCH, TestDesk, type Person } from '../support/desk.js';
import { MailCatcher } from '../support/mail-catcher.js';

const SUPPORT = 'support@acme.test';
const PUBLIC_URL = 'https://support.acme.test';
const MINUTE = 60_000;
const DAY = 86400_000;
/** Message-IDs are stored without the brackets their headers carry. */
const stored = (header: string) => header.replace(/^<|>$/g, '');

/** A desk with the email pieces built by hand (the services do not wire them yet), and a mail catcher. */
function useMailDesk(target: DatabaseTarget) {
  let desk: TestDesk;
  let catcher: MailCatcher;
  let outbox: OutboxRepository;
  let notices: EmailTicketNotices;
  let transport: SmtpTransport;
  let worker: DeliveryWorker;
  let agent: Person;
  let lead: Person;

  const db = () => desk.database.db.kysely;
  /** The notices run inside the ticket's transaction, as the ticket service calls them. */
  const inTicketTransaction = (work: (trx: Transaction<Database>) => Promise<void>) =>
    db().transaction().execute(work);
  const deliver = () => worker.runOnce();
  const queuedFor = async (ticketId: string) =>
    (
      await db()
        .selectFrom('mail_outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('ticket_id', '=', ticketId)
        .executeTakeFirstOrThrow()
    ).n;
  const customerOf = async (tier: 'basic' | 'premium', orgLocale = 'en') => {
    const org = await desk.organization(tier);
    await db().updateTable('organizations').set({ locale: orgLocale }).where('id', '=', org.id).execute();
    return desk.person('contact', org.id);
  };
  const inbound = (
    ticketId: string | null,
    messageId: string,
    at: number,
    extra: Record<string, unknown> = {},
  ) =>
    db()
      .insertInto('mail_messages')
      .values({
        id: newId(),
        direction: 'inbound',
        message_id: messageId,
        ticket_id: ticketId,
        ticket_message_id: null,
        from_address: 'someone@customer.test',
        to_addresses: JSON.stringify([SUPPORT]),
        subject: 'Help',
        disposition: 'ticket_created',
        reason: null,
        raw_path: null,
        size: 100,
        at,
        ...extra,
      })
      .execute();
  const staffReply = async (ticketId: string, body: string, options: Record<string, unknown> = {}) => {
    const res = await desk.api('POST', `/api/v1/tickets/${ticketId}/messages`, {
      token: agent.token,
      body: { body, ...options },
    });
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const setStatus = async (person: Person, ticketId: string, status: string) => {
    const res = await desk.api('PATCH', `/api/v1/tickets/${ticketId}`, {
      token: person.token,
      body: { status },
    });
    expect(res.statusCode).toBe(200);
  };
  const outboxSize = async () =>
    Number(
      (
        await db()
          .selectFrom('mail_outbox')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  /**
   * Does what a person does through the API and, when the desk's ticket service queued no mail for
   * it (its notices are not wired in), calls the notice as the service does, inside a transaction.
   * Either way, the mail or its absence is the notices' own doing.
   */
  const noticed = async <T>(
    action: () => Promise<T>,
    notice: (trx: Transaction<Database>, result: T) => Promise<void>,
  ): Promise<T> => {
    const before = await outboxSize();
    const result = await action();
    if ((await outboxSize()) === before) await inTicketTransaction((trx) => notice(trx, result));
    return result;
  };
  const fileTicket = (requester: Person, overrides: Record<string, unknown> = {}) =>
    noticed(
      () => desk.ticket(requester, overrides),
      (trx, ticket) => notices.ticketCreated(trx, ticket.id, desk.now),
    );
  const reply = (ticketId: string, body: string, options: Record<string, unknown> = {}) =>
    noticed(
      () => staffReply(ticketId, body, options),
      (trx, messageId) => notices.publicReply(trx, ticketId, messageId, desk.now),
    );
  const changeStatus = (person: Person, ticketId: string, from: string, to: string) =>
    noticed(
      () => setStatus(person, ticketId, to),
      (trx) => notices.statusChanged(trx, ticketId, from, to, desk.now),
    );

  beforeAll(async () => {
    desk = await TestDesk.start(target, { SUPPORT_EMAIL: SUPPORT, PUBLIC_URL });
    outbox = new OutboxRepository(db(), desk.database.db.dialect);
    notices = new EmailTicketNotices({
      outbox,
      terms: desk.services.terms,
      supportEmail: desk.config.mail.supportEmail,
      publicUrl: PUBLIC_URL,
    });
    catcher = await MailCatcher.start();
    transport = new SmtpTransport({ smtpUrl: catcher.url, from: { name: 'Support', address: SUPPORT } });
    worker = new DeliveryWorker({ outbox, transport, clock: () => desk.now });
    agent = await desk.person('agent');
    lead = await desk.person('lead');
  });

  afterAll(async () => {
    await transport?.close();
    await catcher?.close();
    await desk?.close();
  });

  return {
    get desk() {
      return desk;
    },
    get catcher() {
      return catcher;
    },
    get outbox() {
      return outbox;
    },
    get notices() {
      return notices;
    },
    get agent() {
      return agent;
    },
    get lead() {
      return lead;
    },
    db,
    inTicketTransaction,
    deliver,
    queuedFor,
    customerOf,
    inbound,
    staffReply,
    fileTicket,
    reply,
    changeStatus,
  };
}

describe.each(databaseTargets())('ticket mail on $dialect', (target) => {
  const suite = useMailDesk(target);
  const {
    db,
    inTicketTransaction,
    deliver,
    queuedFor,
    customerOf,
    inbound,
    fileTicket,
    reply,
    changeStatus,
  } = suite;

  it('acknowledges a new ticket in French for a French customer: number, priority, tier and the promised first response', async () => {
    expect(suite.desk.now).toBe(TEST_EPOCH); // Monday 2026-06-01 12:00 UTC, 08:00 in New York
    const requester = await customerOf('premium', 'fr');
    const ticket = await fileTicket(requester, { priority: 'P1', subject: 'Export impossible' });
    expect(await deliver()).toMatchObject({ sent: 1 });

    const mails = suite.catcher.to(requester.user.email);
    expect(mails).toHaveLength(1);
    const { parsed, header } = mails[0]!;
    expect(parsed.subject).toBe(`[#${ticket.number}] Export impossible`);
    expect(parsed.from?.value[0]).toEqual({ name: 'Support', address: SUPPORT });
    const text = parsed.text!;
    expect(text).toContain(`Bonjour ${requester.user.name},`);
    expect(text).toContain(`ouvert le ticket n° ${ticket.number} : Export impossible`);
    expect(text).toContain('Priorité : P1, Majeur');
    expect(text).toContain('Niveau de support : Premium');
    // Premium P1: 1 hour on the calendar clock, due 13:00 UTC = 09:00 in New York (EDT, UTC−4).
    expect(text).toContain(
      "Nous vous répondrons sous 1 heure (24 h/24, 7 j/7), d'ici le lundi 1 juin 2026 à 09:00 UTC\u22124.",
    );
    expect(text).toContain('délai de première réponse habituel (médian)');
    expect(text).toContain(`Suivre votre ticket : ${PUBLIC_URL}/portal/tickets/${ticket.id}`);
    expect(text).toContain('Répondez à ce message pour compléter votre demande.');
    expect(text).toContain('Le support MaintainX');

    expect(header('auto-submitted')).toBe('auto-replied');
    expect(parsed.inReplyTo).toBeUndefined();
    const { token } = await db()
      .selectFrom('ticket_reply_tokens')
      .select('token')
      .where('ticket_id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(parsed.replyTo?.value[0]?.address).toBe(`support+${token}@acme.test`);
    expect(header('x-accord-ticket')).toBe(String(ticket.number));

    // Recorded for threading: a reply naming this Message-ID lands on the ticket.
    const record = await db()
      .selectFrom('mail_messages')
      .selectAll()
      .where('message_id', '=', stored(parsed.messageId!))
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({
      direction: 'outbound',
      ticket_id: ticket.id,
      disposition: 'sent',
      from_address: SUPPORT,
      to_addresses: JSON.stringify([requester.user.email]),
    });
  });

  it('writes a business-day promise in business hours, US Eastern, and follows the user’s own language first', async () => {
    expect(suite.desk.now).toBe(TEST_EPOCH);
    const requester = await customerOf('basic', 'en');
    const ticket = await fileTicket(requester, { priority: 'P2', subject: 'Report totals are off' });
    await deliver();
    const text = suite.catcher.to(requester.user.email)[0]!.parsed.text!;
    expect(text).toContain(
      `We have received your request and opened ticket #${ticket.number}: Report totals are off`,
    );
    expect(text).toContain('Priority: P2, Minor');
    expect(text).toContain('Support tier: Basic');
    // Opened 08:00 New York time, before the 09:00 opening: one business day (8 business hours) ends 17:00.
    expect(text).toContain(
      'We will answer within 1 business day (business hours, US Eastern), by Monday, June 1, 2026 at 5:00 PM EDT.',
    );
    expect(text).toContain('Reply to this mail to add to the case.');

    const francophone = await suite.desk.person('member', ticket.organizationId);
    await db().updateTable('users').set({ locale: 'fr' }).where('id', '=', francophone.user.id).execute();
    await fileTicket(francophone, { priority: 'P2' });
    await deliver();
    expect(suite.catcher.to(francophone.user.email)[0]!.parsed.text).toContain(
      "Nous vous répondrons sous 1 jour ouvrable (heures ouvrables, heure de l'Est), d'ici le lundi 1 juin 2026 à 17:00 UTC\u22124.",
    );
  });

  it('answers the mail that opened a ticket: In-Reply-To and References name it, whether on record or handed over by the channel', async () => {
    const requester = await customerOf('premium');
    // Acknowledged by hand once the opening mail is on record, as the email channel files tickets.
    const lastAcknowledgement = async (ticketId: string) => {
      const { message_id } = await db()
        .selectFrom('mail_outbox')
        .select('message_id')
        .where('ticket_id', '=', ticketId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      return suite.catcher.to(requester.user.email).find((m) => m.parsed.messageId === `<${message_id}>`)!
        .parsed;
    };

    const linked = await suite.desk.ticket(requester, { subject: 'By mail' });
    await inbound(linked.id, 'opening-1@customer.test', suite.desk.now);
    await inTicketTransaction((trx) => suite.notices.ticketCreated(trx, linked.id, suite.desk.now));

    // The email channel files inside the ticket's transaction, before its record is linked: it
    // hands the opening Message-ID over.
    const filing = await suite.desk.ticket(requester, { subject: 'By mail, still filing' });
    await inTicketTransaction((trx) =>
      suite.notices.ticketCreated(trx, filing.id, suite.desk.now, {
        inboundMessageId: 'opening-2@customer.test',
      }),
    );
    await deliver();

    const opening = await lastAcknowledgement(linked.id);
    expect(opening.inReplyTo).toBe('<opening-1@customer.test>');
    expect(opening.references).toBe('<opening-1@customer.test>');
    expect((await lastAcknowledgement(filing.id)).inReplyTo).toBe('<opening-2@customer.test>');
  });

  it('sends staff public replies to the requester, threaded after the latest mail, as a person’s mail', async () => {
    const requester = await customerOf('premium');
    const ticket = await fileTicket(requester, { subject: 'Sync fails' });
    await deliver();
    const ackId = suite.catcher.to(requester.user.email)[0]!.parsed.messageId!;
    // The customer answered the acknowledgement by mail.
    suite.desk.advance(MINUTE);
    await inbound(ticket.id, 'answer-1@customer.test', suite.desk.now, { disposition: 'reply_added' });
    // A mail the channel refused is not part of the thread.
    suite.desk.advance(MINUTE);
    await inbound(ticket.id, 'loop-1@customer.test', suite.desk.now, { disposition: 'loop' });
    suite.desk.advance(MINUTE);

    const messageId = await reply(ticket.id, 'Please clear the cache and try again.');
    await reply(ticket.id, 'Customer is on an old build.', { public: false });
    await deliver();

    const mails = suite.catcher.to(requester.user.email);
    expect(mails).toHaveLength(2);
    const { parsed, header } = mails[1]!;
    expect(parsed.subject).toBe(`[#${ticket.number}] Sync fails`);
    expect(parsed.text).toContain(`${suite.agent.user.name} answered your ticket #${ticket.number}:`);
    expect(parsed.text).toContain('Please clear the cache and try again.');
    expect(parsed.text).not.toContain('old build');
    expect(parsed.text).toContain('Reply to this mail to answer.');
    expect(header('auto-submitted')).toBeUndefined();
    expect(parsed.inReplyTo).toBe('<answer-1@customer.test>');
    expect(parsed.references).toEqual([ackId, '<answer-1@customer.test>']);
    const record = await db()
      .selectFrom('mail_messages')
      .selectAll()
      .where('message_id', '=', stored(parsed.messageId!))
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({
      ticket_id: ticket.id,
      ticket_message_id: messageId,
      direction: 'outbound',
    });

    suite.desk.advance(MINUTE);
    await reply(ticket.id, '<p>Fixed in <b>v2</b> &amp; deployed.</p>', { bodyFormat: 'html' });
    await deliver();
    const htmlMail = suite.catcher.to(requester.user.email)[2]!.parsed;
    expect(htmlMail.text).toContain('Fixed in v2 & deployed.');
    expect(htmlMail.html).toContain('<b>v2</b>');
    expect(htmlMail.inReplyTo).toBe(parsed.messageId);
  });

  it('tells the requester when the ticket is resolved or closed, not when it waits on them nor when they resolved it themselves', async () => {
    const requester = await customerOf('premium');
    // Delivered step by step: mails sent in one pass may arrive in any order.
    const ticket = await fileTicket(requester, { subject: 'Status mail' });
    await deliver();
    await changeStatus(suite.agent, ticket.id, 'new', 'waiting_on_customer');
    await changeStatus(suite.agent, ticket.id, 'waiting_on_customer', 'resolved');
    await deliver();
    await changeStatus(suite.agent, ticket.id, 'resolved', 'closed');
    await deliver();

    // The satisfaction question goes with the resolution, as a mail of its own.
    const all = suite.catcher.to(requester.user.email);
    const survey = all.filter((m) => m.parsed.subject === `[#${ticket.number}] How did we do?`);
    expect(survey).toHaveLength(1);
    const mails = all.filter((m) => !survey.includes(m));
    expect(mails.map((m) => m.parsed.subject)).toEqual([
      `[#${ticket.number}] Status mail`,
      `[#${ticket.number}] Status mail`,
      `[#${ticket.number}] Status mail`,
    ]);
    const [ack, resolved, closed] = mails.map((m) => m.parsed);
    expect(resolved!.text).toContain(`Your ticket #${ticket.number} (Status mail) is resolved.`);
    expect(resolved!.text).toContain('reply to this mail and the ticket opens again');
    expect(mails[1]!.header('auto-submitted')).toBe('auto-generated');
    expect(resolved!.inReplyTo).toBe(ack!.messageId);
    expect(closed!.text).toContain('is closed.');
    expect(closed!.text).toContain('A reply to this mail opens a new ticket.');

    const own = await fileTicket(requester, { subject: 'Solved it myself' });
    await changeStatus(requester, own.id, 'new', 'resolved');
    expect(await queuedFor(own.id)).toBe(1);
  });

  it('never mails a deactivated requester, nor an address that bounced in the last 30 days', async () => {
    const bounce = (email: string, at: number) =>
      db()
        .insertInto('mail_bounces')
        .values({ id: newId(), email, user_id: null, reason: '550 no such user', message_id: null, at })
        .execute();

    const gone = await customerOf('premium');
    const goneTicket = await fileTicket(gone);
    await db()
      .updateTable('users')
      .set({ deactivated_at: suite.desk.now })
      .where('id', '=', gone.user.id)
      .execute();
    await reply(goneTicket.id, 'Are you still there?');
    expect(await queuedFor(goneTicket.id)).toBe(1);

    const bounced = await customerOf('premium');
    await bounce(bounced.user.email, suite.desk.now - 29 * DAY);
    const bouncedTicket = await fileTicket(bounced);
    expect(await queuedFor(bouncedTicket.id)).toBe(0);

    const mended = await customerOf('premium');
    await bounce(mended.user.email, suite.desk.now - 31 * DAY);
    const mendedTicket = await fileTicket(mended);
    expect(await queuedFor(mendedTicket.id)).toBe(1);
  });

  it('does not mail a change that rolled back', async () => {
    const requester = await customerOf('premium');
    const ticket = await fileTicket(requester);
    const before = await queuedFor(ticket.id);
    await expect(
      inTicketTransaction(async (trx) => {
        await suite.notices.ticketCreated(trx, ticket.id, suite.desk.now);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await queuedFor(ticket.id)).toBe(before);
  });
});

describe.each(databaseTargets())('staff mail on $dialect', (target) => {
  const suite = useMailDesk(target);
  const { db, deliver, customerOf, staffReply } = suite;

  it('mails P0 update reminders to the assignee and escalations to the leads, never to the customer', async () => {
    const requester = await customerOf('premium');
    const ticket = await suite.desk.ticket(requester, { priority: 'P0', subject: 'Plant is down' });
    const assign = await suite.desk.api('PATCH', `/api/v1/tickets/${ticket.id}`, {
      token: suite.lead.token,
      body: { assigneeId: suite.agent.user.id },
    });
    expect(assign.statusCode).toBe(200);
    suite.desk.advance(5 * MINUTE);
    await staffReply(ticket.id, 'We are on it.');
    const sla = new SlaService({
      db: db(),
      dialect: suite.desk.database.db.dialect,
      terms: suite.desk.services.terms,
      columns: slaColumnsStore(suite.desk.database.db.dialect),
      clock: () => suite.desk.now,
    });
    sla.onEffect(suite.desk.services.ledger.slaHistory());
    sla.onEffect(new SlaStaffNotices({ outbox: suite.outbox, supportEmail: SUPPORT, publicUrl: PUBLIC_URL }));

    // The next customer update was due 30 minutes after the reply.
    suite.desk.advance(31 * MINUTE);
    await sla.runDue(suite.desk.now);
    // The first internal escalation falls due an hour after opening.
    suite.desk.advance(25 * MINUTE);
    await sla.runDue(suite.desk.now);
    await deliver();

    const toAgent = suite.catcher.to(suite.agent.user.email);
    expect(toAgent.map((m) => m.parsed.subject)).toEqual([
      `P0 update overdue: #${ticket.number} Plant is down`,
    ]);
    const reminder = toAgent[0]!;
    expect(reminder.parsed.text).toContain(`${PUBLIC_URL}/console/tickets/${ticket.id}`);
    expect(reminder.parsed.text).toContain('was due by Monday, June 1, 2026 at 8:35 AM EDT');
    expect(reminder.header('auto-submitted')).toBe('auto-generated');
    // Nothing a staff member's reply could post into the customer's ticket with.
    expect(reminder.parsed.replyTo).toBeUndefined();
    expect(reminder.parsed.subject).not.toMatch(/\[#\d+\]/);
    const recorded = await db()
      .selectFrom('mail_messages')
      .select('id')
      .where('message_id', '=', stored(reminder.parsed.messageId!))
      .executeTakeFirst();
    expect(recorded).toBeUndefined();

    const escalation = suite.catcher
      .to(suite.lead.user.email)
      .filter((m) => m.parsed.subject === `P0 escalation level 1: #${ticket.number} Plant is down`);
    expect(escalation).toHaveLength(1);
    // The customer hears of P0 work through replies only (the acknowledgement, when the desk sends it).
    const toCustomer = suite.catcher.to(requester.user.email).map((m) => m.parsed.subject);
    expect(toCustomer.filter((subject) => !subject?.startsWith(`[#${ticket.number}]`))).toEqual([]);

    // The in-app notices are still there.
    const inApp = await db()
      .selectFrom('notifications')
      .select('kind')
      .where('ticket_id', '=', ticket.id)
      .where('user_id', '=', suite.agent.user.id)
      .execute();
    expect(inApp.map((n) => n.kind)).toContain('sla_breach');
  });
});
