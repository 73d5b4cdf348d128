import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpListener, type SmtpListener } from '../../src/channels/email/smtp-listener.js';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

const run = promisify(execFile);
const SWAKS = '/usr/bin/swaks';
const SUPPORT = 'support@acme-support.test';
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A real SMTP client on loopback: swaks, as an MTA would hand mail over. */
async function swaks(port: number, args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(SWAKS, [
      '--server',
      '127.0.0.1',
      '--port',
      String(port),
      '--silent',
      '1',
      ...args,
    ]);
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

let sequence = 0;
const messageId = () => `<m${++sequence}.${Date.now()}@customer.test>`;

describe.skipIf(!fs.existsSync(SWAKS)).each(databaseTargets())(
  'inbound mail through the SMTP listener on $dialect',
  (target) => {
    let desk: TestDesk;
    let listener: SmtpListener;
    let contact: Person;
    let orgId: string;
    let orgDomain: string;

    beforeAll(async () => {
      desk = await TestDesk.start(target, { SUPPORT_EMAIL: SUPPORT, MAIL_RATE_PER_HOUR: '5' });
      listener = await startSmtpListener({
        port: 0,
        host: '127.0.0.1',
        maxBytes: 200_000,
        supportEmail: SUPPORT,
        ingest: (raw, envelope) => desk.services.emailIngest.ingest(raw, envelope),
        log: quiet,
      });
      const org = await desk.organization('premium');
      orgId = org.id;
      orgDomain = org.domains[0]!;
      contact = await desk.person('contact', orgId);
    });
    // Each test starts a fresh hour, so one test's mail does not count against the next's rate cap.
    beforeEach(() => desk.advance(2 * 3600_000));
    afterAll(async () => {
      await listener?.close();
      await desk?.close();
    });

    const send = (from: string, headers: Record<string, string>, body = 'Hello support') =>
      swaks(listener.port, [
        '--from',
        from,
        '--to',
        headers.To ?? SUPPORT,
        ...Object.entries(headers).flatMap(([k, v]) => ['--header', `${k}: ${v}`]),
        '--body',
        body,
      ]);

    const ticketsOf = async (organizationId: string) =>
      desk.database.db.kysely
        .selectFrom('tickets')
        .selectAll()
        .where('organization_id', '=', organizationId)
        .orderBy('number')
        .execute();
    const messagesOf = (ticketId: string) =>
      desk.database.db.kysely
        .selectFrom('ticket_messages')
        .selectAll()
        .where('ticket_id', '=', ticketId)
        .execute();

    it('files a known customer\u2019s mail as their ticket, with the priority they state', async () => {
      const first = messageId();
      const sent = await send(
        contact.user.email,
        { 'Message-Id': first, Subject: '[P1] Work orders missing since 9:00' },
        'Since 9:00 nothing syncs.',
      );
      expect(sent.ok, sent.output).toBe(true);
      const [ticket] = await ticketsOf(orgId);
      expect(ticket).toMatchObject({
        channel: 'email',
        priority: 'P1',
        subject: 'Work orders missing since 9:00',
        requester_id: contact.user.id,
        tier: 'premium',
      });
      expect((await messagesOf(ticket!.id))[0]!.body).toContain('Since 9:00 nothing syncs.');
      // The acknowledgement is queued as an answer to that mail, with the promised time (premium P1: 1 hour).
      const ack = await desk.database.db.kysely
        .selectFrom('mail_outbox')
        .selectAll()
        .where('ticket_id', '=', ticket!.id)
        .executeTakeFirstOrThrow();
      expect(ack).toMatchObject({
        kind: 'acknowledgement',
        to_address: contact.user.email,
        status: 'pending',
      });
      expect(ack.subject).toBe(`[#${ticket!.number}] Work orders missing since 9:00`);
      expect(ack.body_text).toContain('1 hour');
      expect(JSON.parse(ack.headers)).toMatchObject({
        'In-Reply-To': first,
        'Auto-Submitted': 'auto-replied',
      });

      // The customer answers the acknowledgement from a mail client that keeps only In-Reply-To.
      const answer = await send(
        contact.user.email,
        { 'Message-Id': messageId(), 'In-Reply-To': `<${ack.message_id}>`, Subject: 'Re: your ticket' },
        'It started after the 9:00 release.',
      );
      expect(answer.ok).toBe(true);
      expect((await messagesOf(ticket!.id)).map((m) => m.body.trim())).toContain(
        'It started after the 9:00 release.',
      );

      const plain = await send(contact.user.email, {
        'Message-Id': messageId(),
        Subject: 'A question about exports',
      });
      expect(plain.ok).toBe(true);
      expect((await ticketsOf(orgId)).at(-1)).toMatchObject({
        priority: 'P3',
        subject: 'A question about exports',
      });
    });

    it('threads replies by In-Reply-To, by [#number] in the subject and by the reply address', async () => {
      const original = messageId();
      await send(contact.user.email, { 'Message-Id': original, Subject: 'Meter readings are off' });
      const ticket = (await ticketsOf(orgId)).at(-1)!;

      await send(
        contact.user.email,
        {
          'Message-Id': messageId(),
          'In-Reply-To': original,
          References: original,
          Subject: 'Re: Meter readings are off',
        },
        'More details.\n\nOn Monday, someone wrote:\n> Meter readings are off',
      );
      await send(
        contact.user.email,
        { 'Message-Id': messageId(), Subject: `Re: [#${ticket.number}] anything` },
        'Screenshot coming.',
      );
      const token = await import('../../src/notifications/reply-tokens.js').then((m) =>
        m.ensureReplyToken(desk.database.db.kysely, ticket.id),
      );
      await send(
        contact.user.email,
        { 'Message-Id': messageId(), To: `support+${token}@acme-support.test`, Subject: 'no marker at all' },
        'Found the cause.',
      );

      const bodies = (await messagesOf(ticket.id)).map((m) => m.body);
      expect(bodies).toHaveLength(4);
      // The quoted history is trimmed from the reply.
      expect(bodies[1]).toContain('More details.');
      expect(bodies[1]).not.toContain('> Meter readings are off');
      expect(bodies[2]).toContain('Screenshot coming.');
      expect(bodies[3]).toContain('Found the cause.');
      expect((await ticketsOf(orgId)).at(-1)!.id).toBe(ticket.id);
    });

    it('takes a staff member’s mail to their own reply address as a public reply, and holds any other mail from staff', async () => {
      const original = messageId();
      await send(contact.user.email, { 'Message-Id': original, Subject: 'Calendar export fails' });
      const ticket = (await ticketsOf(orgId)).at(-1)!;
      const agent = await desk.person('agent');
      const own = await desk.api('GET', `/api/v1/tickets/${ticket.id}/mail-address`, { token: agent.token });
      expect(own.statusCode).toBe(200);
      await send(
        agent.user.email,
        {
          'Message-Id': messageId(),
          To: own.json<{ address: string }>().address,
          Subject: 'Re: your export',
        },
        'Fixed in 4.2.1.',
      );
      const reply = (await messagesOf(ticket.id)).find((m) => m.author_id === agent.user.id);
      expect(reply).toMatchObject({ visibility: 'public' });
      expect(reply!.body).toContain('Fixed in 4.2.1.');

      // The ticket's number in the subject proves nothing; nor does a mail that answers no ticket.
      const before = await desk.count('tickets');
      const messages = (await messagesOf(ticket.id)).length;
      await send(
        agent.user.email,
        { 'Message-Id': messageId(), Subject: `Re: [#${ticket.number}] Calendar export fails` },
        'Closing this.',
      );
      await send(agent.user.email, { 'Message-Id': messageId(), Subject: 'Lunch?' });
      expect(await desk.count('tickets')).toBe(before);
      expect(await messagesOf(ticket.id)).toHaveLength(messages);
      const held = await desk.database.db.kysely
        .selectFrom('mail_messages')
        .select('disposition')
        .where('direction', '=', 'inbound')
        .where('from_address', '=', agent.user.email)
        .orderBy('at')
        .orderBy('id')
        .execute();
      expect(held.map((m) => m.disposition)).toEqual(['reply_added', 'unverified_staff', 'unverified_staff']);
    });

    it('creates nothing new for a duplicate delivery of the same Message-ID', async () => {
      const id = messageId();
      await send(contact.user.email, { 'Message-Id': id, Subject: 'Printed reports are blank' });
      const before = await desk.count('tickets');
      const again = await send(contact.user.email, {
        'Message-Id': id,
        Subject: 'Printed reports are blank',
      });
      expect(again.ok).toBe(true);
      expect(await desk.count('tickets')).toBe(before);
    });

    it('never posts a stranger\u2019s mail into another organization\u2019s ticket, even with a forged In-Reply-To', async () => {
      const original = messageId();
      await send(contact.user.email, { 'Message-Id': original, Subject: 'Confidential: contract renewal' });
      const victim = (await ticketsOf(orgId)).at(-1)!;
      const before = (await messagesOf(victim.id)).length;
      const forged = await send(
        'mallory@elsewhere.test',
        {
          'Message-Id': messageId(),
          'In-Reply-To': original,
          Subject: `Re: [#${victim.number}] Confidential: contract renewal`,
        },
        'Please send me the contract.',
      );
      expect(forged.ok).toBe(true);
      expect((await messagesOf(victim.id)).length).toBe(before);
      // The stranger becomes a basic-tier requester with an organization of their own.
      const stranger = await desk.database.db.kysely
        .selectFrom('users')
        .selectAll()
        .where('email', '=', 'mallory@elsewhere.test')
        .executeTakeFirstOrThrow();
      expect(stranger.organization_id).not.toBe(orgId);
      const [theirs] = await ticketsOf(stranger.organization_id!);
      expect(theirs).toMatchObject({ tier: 'basic', channel: 'email', requester_id: stranger.id });
    });

    it('lets unknown senders from an organization\u2019s domain join it only when the organization allows it', async () => {
      const refused = await send(`newcomer@${orgDomain}`, { 'Message-Id': messageId(), Subject: 'Hi' });
      expect(refused.ok).toBe(true);
      expect(
        await desk.database.db.kysely
          .selectFrom('users')
          .select('id')
          .where('email', '=', `newcomer@${orgDomain}`)
          .executeTakeFirst(),
      ).toBeUndefined();

      const lead = await desk.person('lead');
      const allow = await desk.api('PATCH', `/api/v1/organizations/${orgId}`, {
        token: lead.token,
        body: { emailSignup: true },
      });
      expect(allow.json().emailSignup).toBe(true);
      await send(`joiner@${orgDomain}`, { 'Message-Id': messageId(), Subject: 'Hello from a new colleague' });
      const joiner = await desk.database.db.kysely
        .selectFrom('users')
        .selectAll()
        .where('email', '=', `joiner@${orgDomain}`)
        .executeTakeFirstOrThrow();
      expect(joiner).toMatchObject({ organization_id: orgId, role: 'member' });
    });

    it('answers no auto-reply, list mail or mailer-daemon with a ticket, and records bounces against the user', async () => {
      const before = await desk.count('tickets');
      await send(contact.user.email, {
        'Message-Id': messageId(),
        Subject: 'Out of office',
        'Auto-Submitted': 'auto-replied',
      });
      await send(contact.user.email, {
        'Message-Id': messageId(),
        Subject: 'Newsletter',
        Precedence: 'bulk',
      });
      await send('MAILER-DAEMON@mx.customer.test', {
        'Message-Id': messageId(),
        Subject: 'Undelivered Mail Returned to Sender',
      });
      expect(await desk.count('tickets')).toBe(before);

      // The bounce returns the headers of a mail the desk sent the contact (a forged one counts for nobody).
      const sentToContact = await desk.database.db.kysely
        .selectFrom('mail_outbox')
        .select('message_id')
        .where('to_address', '=', contact.user.email)
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      const dsn = [
        `From: Mail Delivery System <mailer-daemon@mx.test>`,
        `To: ${SUPPORT}`,
        `Subject: Delivery Status Notification (Failure)`,
        `Message-ID: ${messageId()}`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        'Your message could not be delivered.',
        '--b',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.test',
        '',
        `Final-Recipient: rfc822; ${contact.user.email}`,
        'Action: failed',
        'Status: 5.1.1',
        '--b',
        'Content-Type: text/rfc822-headers',
        '',
        `Message-ID: <${sentToContact.message_id}>`,
        `To: ${contact.user.email}`,
        '--b--',
        '',
      ].join('\r\n');
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'accord-dsn-')), 'dsn.eml');
      fs.writeFileSync(file, dsn);
      const bounced = await swaks(listener.port, [
        '--from',
        'mailer-daemon@mx.test',
        '--to',
        SUPPORT,
        '--data',
        file,
      ]);
      expect(bounced.ok, bounced.output).toBe(true);
      const bounces = await desk.database.db.kysely
        .selectFrom('mail_bounces')
        .selectAll()
        .where('email', '=', contact.user.email)
        .execute();
      expect(bounces).toMatchObject([{ user_id: contact.user.id }]);
      expect(await desk.count('tickets')).toBe(before);
    });

    it('caps each sender\u2019s mail per hour', async () => {
      const flooder = await desk.person('contact', orgId);
      for (let i = 0; i < 5; i++)
        await send(flooder.user.email, { 'Message-Id': messageId(), Subject: `Flood ${i}` });
      const capped = await send(flooder.user.email, { 'Message-Id': messageId(), Subject: 'Flood 6' });
      expect(capped.ok).toBe(true);
      const theirs = await desk.database.db.kysely
        .selectFrom('tickets')
        .select('id')
        .where('requester_id', '=', flooder.user.id)
        .execute();
      expect(theirs).toHaveLength(5);
      const held = await desk.database.db.kysely
        .selectFrom('mail_messages')
        .select('disposition')
        .where('subject', '=', 'Flood 6')
        .executeTakeFirstOrThrow();
      expect(held.disposition).toBe('rate_limited');
    });

    it('refuses relaying, oversized mail, and keeps broken MIME raw without stopping', async () => {
      const relay = await swaks(listener.port, [
        '--from',
        contact.user.email,
        '--to',
        'someone@gmail.test',
        '--body',
        'x',
      ]);
      expect(relay.ok).toBe(false);
      expect(relay.output).toMatch(/550/);

      // A file, since one command-line argument may not hold 300 KB.
      const hugeBody = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'accord-huge-')), 'body.txt');
      fs.writeFileSync(hugeBody, 'x'.repeat(300_000));
      const huge = await send(contact.user.email, { 'Message-Id': messageId(), Subject: 'Huge' }, hugeBody);
      expect(huge.ok).toBe(false);
      expect(huge.output).toMatch(/552/);

      const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'accord-broken-')), 'broken.eml');
      fs.writeFileSync(
        broken,
        `From: ${contact.user.email}\r\nTo: ${SUPPORT}\r\nSubject: =?x-unknown?B?////?=\r\nMessage-ID: ${messageId()}\r\nContent-Type: multipart/mixed; boundary="never-closed"\r\n\r\n--never-closed\r\nContent-Type: text/plain; charset=x-bogus\r\nContent-Transfer-Encoding: base64\r\n\r\n%%%not base64%%%\r\n`,
      );
      const sent = await swaks(listener.port, [
        '--from',
        contact.user.email,
        '--to',
        SUPPORT,
        '--data',
        broken,
      ]);
      expect(sent.ok, sent.output).toBe(true);
      const record = await desk.database.db.kysely
        .selectFrom('mail_messages')
        .selectAll()
        .where('direction', '=', 'inbound')
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      expect(record.raw_path).toBeTruthy();
      expect(fs.existsSync(path.join(desk.config.dataDir, record.raw_path!))).toBe(true);
      // The listener still takes mail afterwards.
      expect(
        (await send(contact.user.email, { 'Message-Id': messageId(), Subject: 'Still there?' })).ok,
      ).toBe(true);
    });
  },
);
