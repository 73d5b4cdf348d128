import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpListener, type SmtpListener } from '../../src/channels/email/smtp-listener.js';
import { ensureReplyToken } from '../../src/notifications/reply-tokens.js';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';
import { signingDomain } from '../support/dns.js';

const run = promisify(execFile);
const SWAKS = '/usr/bin/swaks';
const OPENSSL = '/usr/bin/openssl';
const SUPPORT = 'support@acme-support.test';
const STAFF_DOMAIN = 'example.test';
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const HOUR = 3600_000;

let sequence = 0;
const messageId = (domain = 'customer.test') => `<a${++sequence}.${Date.now()}@${domain}>`;

/** A real SMTP client on loopback: swaks, as an MTA hands mail over. */
async function swaks(port: number, args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(SWAKS, ['--server', '127.0.0.1', '--port', String(port), ...args]);
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const rawMail = (headers: Record<string, string>, body: string) =>
  `${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n${body}\r\n`;

/**
 * Who may speak for whom by mail: a From header never carries staff identity (their own reply
 * address does, and a DMARC failure takes it away), every inbound mail keeps its authentication
 * verdict for staff to read, a bounce counts only for mail the desk sent, the desk's own addresses
 * are a loop, and the listener offers STARTTLS with a certificate. All through the real SMTP listener.
 */
describe.skipIf(!fs.existsSync(SWAKS)).each(databaseTargets())(
  'who sent this mail, on $dialect',
  (target) => {
    let desk: TestDesk;
    let listener: SmtpListener;
    let customer: Person;
    let stranger: Person;
    let agent: Person;
    let lead: Person;
    const dns = new Map<string, string[][]>();
    // The staff's mail domain signs with DKIM and publishes DMARC p=reject.
    const staffDomain = signingDomain(STAFF_DOMAIN, dns);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-mailauth-'));

    beforeAll(async () => {
      desk = await TestDesk.start(target, { SUPPORT_EMAIL: SUPPORT }, { dns });
      listener = await startSmtpListener({
        port: 0,
        host: '127.0.0.1',
        maxBytes: 500_000,
        supportEmail: SUPPORT,
        ingest: (raw, envelope) => desk.services.emailIngest.ingest(raw, envelope),
        log: quiet,
      });
      const org = await desk.organization('premium');
      // A customer writing from their organization's own domain, which publishes no DMARC policy.
      const user = await desk.services.users.create(null, {
        email: `casey@${org.domains[0]}`,
        name: 'Casey Customer',
        role: 'contact',
        organizationId: org.id,
      });
      customer = { user, token: (await desk.services.auth.createToken(user.id, 'test')).token };
      stranger = await desk.person('contact', (await desk.organization('basic')).id);
      agent = await desk.person('agent');
      lead = await desk.person('lead');
    });
    beforeEach(() => desk.advance(2 * HOUR));
    afterAll(async () => {
      await listener?.close();
      await desk?.close();
    });

    /** Sends a raw message as DATA, with the envelope sender given. */
    const deliver = async (from: string, to: string, raw: string) => {
      const file = path.join(dir, `m${++sequence}.eml`);
      fs.writeFileSync(file, raw);
      const sent = await swaks(listener.port, ['--silent', '1', '--from', from, '--to', to, '--data', file]);
      expect(sent.ok, sent.output).toBe(true);
    };
    const ticketRow = (id: string) =>
      desk.database.db.kysely
        .selectFrom('tickets')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    const messagesOf = (ticketId: string) =>
      desk.database.db.kysely
        .selectFrom('ticket_messages')
        .selectAll()
        .where('ticket_id', '=', ticketId)
        .orderBy('created_at')
        .execute();
    const inbound = (id: string) =>
      desk.database.db.kysely
        .selectFrom('mail_messages')
        .selectAll()
        .where('direction', '=', 'inbound')
        .where('message_id', '=', id.replace(/^<|>$/g, ''))
        .executeTakeFirstOrThrow();
    const mailAddress = async (who: Person, ticketId: string) => {
      const res = await desk.api('GET', `/api/v1/tickets/${ticketId}/mail-address`, { token: who.token });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ address: string }>().address;
    };
    const mailsTo = (address: string, ticketId: string) =>
      desk.database.db.kysely
        .selectFrom('mail_outbox')
        .select(['kind'])
        .where('to_address', '=', address)
        .where('ticket_id', '=', ticketId)
        .execute();

    it('never takes a From header for a member of staff: a forged reply is held, the staff told, the ticket untouched', async () => {
      const ticket = await desk.ticket(stranger, { priority: 'P2' });
      const before = await ticketRow(ticket.id);
      const mailsBefore = (await mailsTo(stranger.user.email, ticket.id)).length;
      const forged = messageId('attacker.test');
      await deliver(
        agent.user.email,
        SUPPORT,
        rawMail(
          {
            From: `Omar Agent <${agent.user.email}>`,
            To: SUPPORT,
            Subject: `Re: [#${ticket.number}] Cannot export work orders`,
            'Message-ID': forged,
          },
          'Fixed on our side, please close the ticket.',
        ),
      );
      const held = await inbound(forged);
      expect(held.disposition).toBe('unverified_staff');
      expect(held.reason).toContain('was not sent to their own reply address');
      // The ticket is as it was: no reply, no status move, the first response still owed, no mail out.
      expect(await messagesOf(ticket.id)).toHaveLength(1);
      const after = await ticketRow(ticket.id);
      expect(after.status).toBe(before.status);
      expect(after.sla_first_response_at).toBeNull();
      expect(await mailsTo(stranger.user.email, ticket.id)).toHaveLength(mailsBefore);
      // Held in the spam folder with the reason; releasing it cannot let it through.
      const spam = await desk.api('GET', '/api/v1/spam?status=pending', { token: lead.token });
      const item = spam
        .json<{ data: { id: string; reason: string; source: string }[] }>()
        .data.find((i) => i.source === agent.user.email);
      expect(item?.reason).toMatch(/^unverified_staff: /);
      const release = await desk.api('POST', `/api/v1/spam/${item!.id}/release`, {
        token: lead.token,
        body: {},
      });
      expect(release.statusCode).toBe(409);
      expect(await messagesOf(ticket.id)).toHaveLength(1);
      // The member of staff it claims to be and the leads are told.
      const told = await desk.database.db.kysely
        .selectFrom('notifications')
        .select('user_id')
        .where('kind', '=', 'mail_unverified_staff')
        .execute();
      expect(told.map((n) => n.user_id)).toEqual(expect.arrayContaining([agent.user.id, lead.user.id]));
    });

    it('takes a staff member’s mail to their own reply address as their reply, and shows each mail’s verdict to staff only', async () => {
      const ticket = await desk.ticket(customer, { priority: 'P2' });
      const address = await mailAddress(agent, ticket.id);
      expect(address).toMatch(/^support\+[a-z0-9]+@acme-support\.test$/);
      // The same address again; another member of staff gets their own.
      expect(await mailAddress(agent, ticket.id)).toBe(address);
      expect(await mailAddress(lead, ticket.id)).not.toBe(address);
      expect(
        (await desk.api('GET', `/api/v1/tickets/${ticket.id}/mail-address`, { token: customer.token }))
          .statusCode,
      ).toBe(403);

      const signed = messageId(STAFF_DOMAIN);
      await deliver(
        agent.user.email,
        address,
        await staffDomain.sign(
          rawMail(
            {
              From: `Agent <${agent.user.email}>`,
              To: address,
              Subject: 'Re: your export',
              'Message-ID': signed,
            },
            'Fixed in 4.2.1.',
          ),
        ),
      );
      const signedRow = await inbound(signed);
      expect(signedRow, JSON.stringify(signedRow)).toMatchObject({
        disposition: 'reply_added',
        auth_verdict: 'verified',
      });
      const reply = (await messagesOf(ticket.id)).at(-1)!;
      expect(reply).toMatchObject({ author_id: agent.user.id, visibility: 'public' });
      expect(reply.body).toContain('Fixed in 4.2.1.');
      // It answered the ticket as the agent's reply would: status open, first response met.
      expect((await ticketRow(ticket.id)).sla_first_response_at).toBe(desk.now);

      // A customer's mail on the ticket: filed as today, its verdict for staff to read.
      const customerReply = messageId();
      await deliver(
        customer.user.email,
        SUPPORT,
        rawMail(
          {
            From: customer.user.email,
            To: SUPPORT,
            Subject: `Re: [#${ticket.number}] Cannot export work orders`,
            'Message-ID': customerReply,
          },
          'Thanks, works now.',
        ),
      );
      const customerRow = await inbound(customerReply);
      expect(customerRow, customerRow.auth_results ?? '').toMatchObject({
        disposition: 'reply_added',
        auth_verdict: 'unverified',
      });
      const asStaff = await desk.api('GET', `/api/v1/tickets/${ticket.id}/messages`, { token: agent.token });
      const byBody = (body: string) =>
        asStaff.json<{ data: { body: string; mail: unknown }[] }>().data.find((m) => m.body.includes(body))!;
      expect(byBody('Fixed in 4.2.1.').mail).toMatchObject({
        senderAuth: 'verified',
        results: expect.stringContaining('dkim=pass'),
      });
      expect(byBody('Thanks, works now.').mail).toMatchObject({ senderAuth: 'unverified' });
      expect(byBody('The export button does nothing.').mail).toBeNull();
      const asCustomer = await desk.api('GET', `/api/v1/tickets/${ticket.id}/messages`, {
        token: customer.token,
      });
      expect(asCustomer.json<{ data: { mail: unknown }[] }>().data.every((m) => m.mail === null)).toBe(true);
    });

    it('refuses a staff reply address used by someone else, or by a mail that fails DMARC', async () => {
      const ticket = await desk.ticket(customer, { priority: 'P3' });
      const agentsAddress = await mailAddress(agent, ticket.id);
      // The lead writes to the agent's address: not theirs.
      const borrowed = messageId(STAFF_DOMAIN);
      await deliver(
        lead.user.email,
        agentsAddress,
        await staffDomain.sign(
          rawMail(
            { From: lead.user.email, To: agentsAddress, Subject: 'Re: x', 'Message-ID': borrowed },
            'Mine.',
          ),
        ),
      );
      expect(await inbound(borrowed)).toMatchObject({ disposition: 'unverified_staff' });
      // The right address, but unsigned: the staff domain's DMARC policy fails it.
      const unsigned = messageId(STAFF_DOMAIN);
      await deliver(
        agent.user.email,
        agentsAddress,
        rawMail(
          { From: agent.user.email, To: agentsAddress, Subject: 'Re: x', 'Message-ID': unsigned },
          'Forged.',
        ),
      );
      const row = await inbound(unsigned);
      expect(row).toMatchObject({ disposition: 'unverified_staff', auth_verdict: 'failed' });
      expect(row.reason).toContain('failed DMARC');
      expect(row.auth_results).toContain('dmarc=fail');
      expect(await messagesOf(ticket.id)).toHaveLength(1);
    });

    it('counts a bounce only for mail the desk sent to the address it names', async () => {
      const ticket = await desk.ticket(customer, { priority: 'P3' });
      const bounced = (email: string) =>
        desk.database.db.kysely.selectFrom('mail_bounces').select('id').where('email', '=', email).execute();
      const dsn = (to: string, failed: string, original: string | null) =>
        rawMail(
          {
            From: 'Mail Delivery System <mailer-daemon@mx.test>',
            To: to,
            Subject: 'Delivery Status Notification (Failure)',
            'Message-ID': messageId('mx.test'),
            'MIME-Version': '1.0',
            'Content-Type': 'multipart/report; report-type=delivery-status; boundary="b"',
          },
          [
            '--b',
            'Content-Type: text/plain',
            '',
            'Your message could not be delivered.',
            '--b',
            'Content-Type: message/delivery-status',
            '',
            'Reporting-MTA: dns; mx.test',
            '',
            `Final-Recipient: rfc822; ${failed}`,
            'Action: failed',
            'Status: 5.1.1',
            ...(original
              ? [
                  '--b',
                  'Content-Type: text/rfc822-headers',
                  '',
                  `Message-ID: <${original}>`,
                  `To: ${failed}`,
                  'Subject: x',
                ]
              : []),
            '--b--',
          ].join('\r\n'),
        );
      // Forged: names the customer, refers to nothing the desk sent them.
      await deliver(
        'mailer-daemon@mx.test',
        SUPPORT,
        dsn(SUPPORT, customer.user.email, 'nothing@acme-support.test'),
      );
      expect(await bounced(customer.user.email)).toEqual([]);
      // A reply still reaches her.
      const agentReply = await desk.api('POST', `/api/v1/tickets/${ticket.id}/messages`, {
        token: agent.token,
        body: { body: 'Which browser?' },
      });
      expect(agentReply.statusCode).toBe(201);
      const sent = await desk.database.db.kysely
        .selectFrom('mail_outbox')
        .select('message_id')
        .where('ticket_id', '=', ticket.id)
        .where('to_address', '=', customer.user.email)
        .where('kind', '=', 'reply')
        .executeTakeFirstOrThrow();
      // A bounce that returns the headers of that mail counts.
      await deliver('mailer-daemon@mx.test', SUPPORT, dsn(SUPPORT, customer.user.email, sent.message_id));
      expect(await bounced(customer.user.email)).toHaveLength(1);
      // So does one sent back to the ticket's reply address, for someone the desk mailed on it; not
      // for someone it never mailed there.
      const token = await ensureReplyToken(desk.database.db.kysely, ticket.id);
      const replyAddress = `support+${token}@acme-support.test`;
      await deliver('mailer-daemon@mx.test', replyAddress, dsn(replyAddress, stranger.user.email, null));
      expect(await bounced(stranger.user.email)).toEqual([]);
      await deliver('mailer-daemon@mx.test', replyAddress, dsn(replyAddress, customer.user.email, null));
      expect(await bounced(customer.user.email)).toHaveLength(2);
    });

    it('takes mail from the desk’s own addresses for a loop: no ticket, no organization, no user', async () => {
      const counts = async () =>
        Promise.all([desk.count('tickets'), desk.count('organizations'), desk.count('users')]);
      const before = await counts();
      for (const from of [
        'support+anything@acme-support.test',
        'Support@Acme-Support.test',
        'support+x+y@acme-support.test',
      ]) {
        const id = messageId('acme-support.test');
        await deliver(
          from,
          SUPPORT,
          rawMail({ From: from, To: SUPPORT, Subject: 'Hello', 'Message-ID': id }, 'Hi.'),
        );
        expect(await inbound(id)).toMatchObject({ disposition: 'loop' });
      }
      expect(await counts()).toEqual(before);
    });
  },
);

describe.skipIf(!fs.existsSync(SWAKS) || !fs.existsSync(OPENSSL))('STARTTLS on the SMTP listener', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-smtp-tls-'));
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  const received: Buffer[] = [];
  const listen = (tls?: { certFile: string; keyFile: string }) =>
    startSmtpListener({
      port: 0,
      host: '127.0.0.1',
      maxBytes: 100_000,
      supportEmail: SUPPORT,
      tls,
      ingest: async (raw) => {
        received.push(raw);
        return { disposition: 'ticket_created', mailId: 'm' };
      },
      log: quiet,
    });

  beforeAll(async () => {
    await run(OPENSSL, [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=acme-support.test',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
  });

  it('offers STARTTLS with a certificate and takes mail over it; offers none without', async () => {
    const secure = await listen({ certFile: cert, keyFile: key });
    const plain = await listen();
    try {
      const tls = await swaks(secure.port, ['--tls', '--from', 'a@customer.test', '--to', SUPPORT]);
      expect(tls.ok, tls.output).toBe(true);
      expect(tls.output).toContain('STARTTLS');
      expect(received).toHaveLength(1);
      const refused = await swaks(plain.port, ['--tls', '--from', 'a@customer.test', '--to', SUPPORT]);
      expect(refused.ok).toBe(false);
      expect(received).toHaveLength(1);
    } finally {
      await secure.close();
      await plain.close();
    }
  });
});
