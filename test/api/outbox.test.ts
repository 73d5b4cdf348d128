import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import {
  DeliveryWorker,
  DropTransport,
  SmtpTransport,
  startDelivery,
  type DeliveryWorkerDeps,
  type MailTransport,
} from '../../src/notifications/delivery.js';
import { mailRoutes } from '../../src/notifications/mail-routes.js';
import { OutboxMailer } from '../../src/notifications/outbox-mailer.js';
import { newMessageId, OutboxRepository, type NewOutboundMail } from '../../src/notifications/outbox.js';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';
import { MailCatcher } from '../support/mail-catcher.js';

const SUPPORT = 'support@acme.test';
const SENDER = { name: 'Support', address: SUPPORT };
const MINUTE = 60_000;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe.each(databaseTargets())('mail outbox and delivery on $dialect', (target) => {
  let desk: TestDesk;
  let catcher: MailCatcher;
  let outbox: OutboxRepository;
  let admin: Person;
  let lead: Person;
  let agent: Person;
  let customer: Person;
  const transports: MailTransport[] = [];
  let sequence = 0;

  const smtp = () => {
    const transport = new SmtpTransport({ smtpUrl: catcher.url, from: SENDER, timeoutMs: 5000 });
    transports.push(transport);
    return transport;
  };
  const worker = (deps: Partial<DeliveryWorkerDeps> = {}) =>
    new DeliveryWorker({ outbox, transport: smtp(), clock: () => desk.now, ...deps });
  const recipient = (what: string) => `${what}-${++sequence}@customer.test`;
  const mail = (to: string, extra: Partial<NewOutboundMail> = {}): NewOutboundMail => ({
    kind: 'test',
    to,
    subject: 'A test mail',
    text: 'Hello.',
    headers: { 'Auto-Submitted': 'auto-generated' },
    messageId: newMessageId(SUPPORT),
    ...extra,
  });
  const row = (id: string) =>
    desk.database.db.kysely
      .selectFrom('mail_outbox')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  beforeAll(async () => {
    desk = await TestDesk.start(target, { SUPPORT_EMAIL: SUPPORT });
    outbox = new OutboxRepository(desk.database.db.kysely, desk.database.db.dialect);
    // Until the server registers the outbox routes itself; any repository on the database will do.
    if (!desk.app.hasRoute({ method: 'GET', url: '/api/v1/mail/outbox' }))
      await desk.app.register(
        mailRoutes(outbox, () => desk.now, desk.services.staffReplyAddresses),
        { prefix: '/api/v1' },
      );
    catcher = await MailCatcher.start();
    const org = await desk.organization('premium');
    admin = await desk.person('admin');
    lead = await desk.person('lead');
    agent = await desk.person('agent');
    customer = await desk.person('contact', org.id);
  });

  afterAll(async () => {
    for (const transport of transports) await transport.close?.();
    await catcher?.close();
    await desk?.close();
  });

  beforeEach(() => {
    catcher.refuse = null;
  });

  it('sends a queued mail once, exactly as it was queued: Message-ID, Date and threading headers', async () => {
    const to = recipient('first');
    const messageId = newMessageId(SUPPORT);
    const id = await outbox.enqueue(
      desk.database.db.kysely,
      mail(to, {
        subject: '[#7] Export refusé',
        messageId,
        headers: {
          'Reply-To': 'support+abc123@acme.test',
          'In-Reply-To': '<orig@customer.test>',
          References: '<root@customer.test> <orig@customer.test>',
          'Auto-Submitted': 'auto-replied',
          'X-Accord-Ticket': '7',
        },
      }),
      desk.now,
    );
    expect(await worker().runOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });

    const received = catcher.to(to);
    expect(received).toHaveLength(1);
    const { parsed, header } = received[0]!;
    expect(parsed.messageId).toBe(`<${messageId}>`);
    expect(parsed.subject).toBe('[#7] Export refusé');
    expect(parsed.from?.value[0]).toEqual({ name: 'Support', address: SUPPORT });
    expect(parsed.replyTo?.value[0]?.address).toBe('support+abc123@acme.test');
    expect(parsed.inReplyTo).toBe('<orig@customer.test>');
    expect(parsed.references).toEqual(['<root@customer.test>', '<orig@customer.test>']);
    expect(header('auto-submitted')).toBe('auto-replied');
    expect(header('x-accord-ticket')).toBe('7');
    // Dated when queued, so that a second attempt would send the very same message.
    expect(parsed.date?.getTime()).toBe(desk.now);
    expect(parsed.text?.trim()).toBe('Hello.');

    expect(await row(id)).toMatchObject({
      status: 'sent',
      attempts: 1,
      sent_at: desk.now,
      locked_until: null,
    });
    expect(await worker().runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(catcher.to(to)).toHaveLength(1);
  });

  it('retries a refused mail with backoff, gives up after the last attempt, shows it to leads and admins, and sends it on retry', async () => {
    const to = recipient('busy');
    catcher.refuse = { code: 451, message: 'Mailbox busy, try again later' };
    const w = worker({ policy: { backoffMs: [MINUTE, 5 * MINUTE], maxAttempts: 3 } });
    const id = await outbox.enqueue(desk.database.db.kysely, mail(to), desk.now);
    const queuedAt = desk.now;

    expect(await w.runOnce()).toEqual({ sent: 0, retried: 1, failed: 0 });
    const first = await row(id);
    expect(first).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: queuedAt + MINUTE });
    expect(first.last_error).toContain('451');
    // Not due again before its backoff has passed.
    expect(await w.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });

    desk.advance(MINUTE);
    expect(await w.runOnce()).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect(await row(id)).toMatchObject({ attempts: 2, next_attempt_at: desk.now + 5 * MINUTE });

    desk.advance(5 * MINUTE);
    expect(await w.runOnce()).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: 3, locked_until: null });
    expect(catcher.to(to)).toHaveLength(0);

    for (const person of [admin, lead]) {
      const res = await desk.api('GET', '/api/v1/mail/outbox?status=failed', { token: person.token });
      expect(res.statusCode).toBe(200);
      const item = res.json().data.find((m: { id: string }) => m.id === id);
      expect(item).toMatchObject({ to, status: 'failed', attempts: 3, kind: 'test', nextAttemptAt: null });
      expect(item.lastError).toContain('451');
      expect(item).not.toHaveProperty('text');
    }
    for (const person of [agent, customer]) {
      expect((await desk.api('GET', '/api/v1/mail/outbox', { token: person.token })).statusCode).toBe(403);
      expect(
        (await desk.api('POST', `/api/v1/mail/outbox/${id}/retry`, { token: person.token })).statusCode,
      ).toBe(403);
    }
    expect((await desk.api('GET', '/api/v1/mail/outbox')).statusCode).toBe(401);
    const pending = await desk.api('GET', '/api/v1/mail/outbox?status=pending', { token: admin.token });
    expect(pending.json().data.map((m: { id: string }) => m.id)).not.toContain(id);

    catcher.refuse = null;
    const retried = await desk.api('POST', `/api/v1/mail/outbox/${id}/retry`, { token: admin.token });
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ id, status: 'pending', attempts: 0 });
    expect(await w.runOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(catcher.to(to)).toHaveLength(1);

    const again = await desk.api('POST', `/api/v1/mail/outbox/${id}/retry`, { token: admin.token });
    expect(again.statusCode).toBe(409);
    const unknown = await desk.api('POST', '/api/v1/mail/outbox/0190b2c4-0000-7000-8000-000000000000/retry', {
      token: admin.token,
    });
    expect(unknown.statusCode).toBe(404);
    for (const bad of [
      ['GET', '/api/v1/mail/outbox?status=lost'],
      ['GET', '/api/v1/mail/outbox?limit=100000'],
      ['GET', '/api/v1/mail/outbox?cursor=not-a-cursor'],
      ['GET', '/api/v1/mail/outbox?status=failed&extra=1'],
      ['POST', '/api/v1/mail/outbox/not-an-id/retry'],
    ] as const) {
      const res = await desk.api(bad[0], bad[1], { token: admin.token });
      expect(res.statusCode, bad[1]).toBe(400);
      expect(res.headers['content-type'], bad[1]).toContain('application/problem+json');
    }
  });

  it('fails a mail at once when the relay refuses it for good (550)', async () => {
    const to = recipient('unknown');
    catcher.refuse = { code: 550, message: 'No such user' };
    const id = await outbox.enqueue(desk.database.db.kysely, mail(to), desk.now);
    expect(await worker().runOnce()).toEqual({ sent: 0, retried: 0, failed: 1 });
    const failed = await row(id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.last_error).toContain('550');
  });

  it('pages the outbox newest first for admins', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      desk.advance(1000);
      ids.push(await outbox.enqueue(desk.database.db.kysely, mail(recipient('page')), desk.now));
    }
    const first = await desk.api('GET', '/api/v1/mail/outbox?status=pending&limit=2', { token: admin.token });
    expect(first.json().data.map((m: { id: string }) => m.id)).toEqual([ids[2], ids[1]]);
    const next = await desk.api(
      'GET',
      `/api/v1/mail/outbox?status=pending&limit=2&cursor=${first.json().nextCursor}`,
      { token: admin.token },
    );
    expect(next.json().data.map((m: { id: string }) => m.id)).toContain(ids[0]);
    expect((await worker().runOnce()).sent).toBe(3);
  });

  it('delivers each mail exactly once when two workers share the outbox', async () => {
    // A second connection pool to the same database, as a second server process would have.
    const other: Db =
      target.dialect === 'postgres'
        ? openDatabase({ databaseUrl: desk.database.databaseUrl, poolSize: 3 })
        : openDatabase({ sqliteFile: desk.database.sqliteFile! });
    try {
      const recipients = Array.from({ length: 24 }, () => recipient('many'));
      for (const to of recipients) await outbox.enqueue(desk.database.db.kysely, mail(to), desk.now);
      const one = worker({ batchSize: 3 });
      const two = worker({ outbox: new OutboxRepository(other.kysely, other.dialect), batchSize: 3 });
      const [a, b] = await Promise.all([one.runOnce(), two.runOnce()]);
      expect(a.sent + b.sent).toBe(24);
      expect(a.retried + b.retried + a.failed + b.failed).toBe(0);
      for (const to of recipients) expect(catcher.to(to)).toHaveLength(1);
      const messageIds = recipients.map((to) => catcher.to(to)[0]!.parsed.messageId);
      expect(new Set(messageIds).size).toBe(24);
    } finally {
      await other.close();
    }
  });

  it('keeps mail across a restart, and resends a mail whose worker died mid-send with the same Message-ID', async () => {
    // Nothing queued while the first process runs; the mail is queued after it stopped.
    const stopFirst = startDelivery(worker(), MINUTE, silent);
    await stopFirst();
    const afterRestart = recipient('restart');
    await outbox.enqueue(desk.database.db.kysely, mail(afterRestart), desk.now);
    const stopSecond = startDelivery(worker(), 20, silent);
    await vi.waitFor(() => expect(catcher.to(afterRestart)).toHaveLength(1));
    await stopSecond();

    const to = recipient('crash');
    const messageId = newMessageId(SUPPORT);
    const id = await outbox.enqueue(desk.database.db.kysely, mail(to, { messageId }), desk.now);
    // A worker claims the mail and dies before it can report.
    const [claimed] = await outbox.claimDue(desk.now, 10, 10 * MINUTE);
    expect(claimed).toMatchObject({ id, attempts: 1 });
    // The lease holds: nobody else sends it meanwhile.
    expect(await worker().runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    desk.advance(10 * MINUTE);
    expect(await worker().runOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(catcher.to(to).map((m) => m.parsed.messageId)).toEqual([`<${messageId}>`]);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2 });
    // The dead worker's late report cannot undo the delivery.
    expect(await outbox.markRetry(id, claimed!.attempts, 'late', desk.now + MINUTE)).toBe(false);
    expect(await row(id)).toMatchObject({ status: 'sent' });
  });

  it('sends password resets through the outbox and erases the one-time link once sent', async () => {
    const to = recipient('reset');
    const mailer = new OutboxMailer({
      db: desk.database.db.kysely,
      outbox,
      supportEmail: SUPPORT,
      clock: () => desk.now,
    });
    await mailer.send({
      to,
      subject: 'Reset your password',
      text: 'Open https://desk.test/reset?token=s3cret',
    });
    const queued = await desk.database.db.kysely
      .selectFrom('mail_outbox')
      .selectAll()
      .where('to_address', '=', to)
      .executeTakeFirstOrThrow();
    expect(queued).toMatchObject({ kind: 'password_reset', status: 'pending' });
    expect(await worker().runOnce()).toMatchObject({ sent: 1 });
    const [received] = catcher.to(to);
    expect(received!.parsed.text).toContain('token=s3cret');
    expect(received!.header('auto-submitted')).toBe('auto-generated');
    expect((await row(queued.id)).body_text).not.toContain('s3cret');
  });

  it('writes mail to the mail-drop folder without a relay, with all its headers, one file per mail', async () => {
    const dir = path.join(desk.database.dataDir, 'mail-drop-outbox');
    const transport = new DropTransport(dir, SENDER);
    const messageId = newMessageId(SUPPORT);
    const id = await outbox.enqueue(
      desk.database.db.kysely,
      mail(recipient('drop'), {
        messageId,
        headers: { 'Reply-To': 'support+tok123@acme.test', 'Auto-Submitted': 'auto-replied' },
      }),
      desk.now,
    );
    const [claimed] = await outbox.claimDue(desk.now, 10, MINUTE);
    await transport.send(claimed!);
    // A second attempt (after a crash) replaces the file rather than adding one.
    await transport.send(claimed!);
    expect(fs.readdirSync(dir)).toEqual([`${id}.eml`]);
    const eml = fs.readFileSync(path.join(dir, `${id}.eml`), 'utf8');
    expect(eml).toContain(`Message-ID: <${messageId}>\r\n`);
    expect(eml).toContain('Reply-To: support+tok123@acme.test\r\n');
    expect(eml).toContain('Auto-Submitted: auto-replied\r\n');
    expect(eml).toContain('From: Support <support@acme.test>\r\n');
    await outbox.markSent(id, claimed!.attempts, desk.now);
  });
});
