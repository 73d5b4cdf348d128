/**
 * Inbound mail through the SMTP listener, end to end: each message is handed over by a real SMTP
 * client (nodemailer, several connections), kept raw, authenticated (DKIM, SPF, DMARC), parsed,
 * de-duplicated, routed and stored as a ticket or a reply, with its acknowledgement queued. The
 * messages are composed before the clock starts, as an MTA relays mail it did not write. Prints
 * messages per second and the process's CPU time per message on SQLite and PostgreSQL.
 *
 * BENCH_MAIL_MESSAGES (default 1000), BENCH_MAIL_CONNECTIONS (default 8), BENCH_DIALECTS.
 */
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { startSmtpListener } from '../src/channels/email/smtp-listener.js';
import { startServices } from '../src/services.js';
import {
  createLog,
  dialectsEnv,
  eachDatabase,
  int,
  intEnv,
  LABEL,
  machine,
  openTarget,
  runBenchmark,
} from './support/common.js';

const MESSAGES = intEnv('BENCH_MAIL_MESSAGES', 1000);
const CONNECTIONS = intEnv('BENCH_MAIL_CONNECTIONS', 8);
const CUSTOMERS = 50;
const SUPPORT = 'support@bench.test';
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function measure(dialect: 'sqlite' | 'postgres', log: ReturnType<typeof createLog>) {
  log.stage = LABEL[dialect];
  const target = await openTarget(dialect, {
    log,
    tmpPrefix: 'accord-bench-mail-',
    schemaPrefix: 'bench_mail',
    // The rate cap guards against loops; the benchmark's senders are many mails on purpose.
    env: { SUPPORT_EMAIL: SUPPORT, MAIL_RATE_PER_HOUR: String(MESSAGES) },
  });
  if (!target) return undefined;
  try {
    await migrateToLatest(target.db);
    const services = await startServices(target.config, target.db);
    const org = await services.organizations.create(null, {
      name: 'Mail Heavy Inc',
      domains: ['mailheavy.test'],
      locale: 'en',
      subscription: { tier: 'premium', termStart: '2026-01-01', termEnd: '2028-01-01' },
    });
    for (let i = 0; i < CUSTOMERS; i++)
      await services.users.create(null, {
        email: `c${i}@mailheavy.test`,
        name: `Customer ${i}`,
        role: 'member',
        organizationId: org.id,
      });
    const listener = await startSmtpListener({
      port: 0,
      host: '127.0.0.1',
      maxBytes: 10 * 1024 * 1024,
      supportEmail: SUPPORT,
      ingest: (raw, envelope) => services.emailIngest.ingest(raw, envelope),
      log: quiet,
    });
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: listener.port,
      secure: false,
      ignoreTLS: true,
      pool: true,
      maxConnections: CONNECTIONS,
      maxMessages: Infinity,
    });
    // Every third message answers the first one of the same sender: threading by In-Reply-To.
    const firstIds: string[] = [];
    const messages: { from: string; raw: Buffer }[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const customer = i % CUSTOMERS;
      const replyTo = i % 3 === 2 ? firstIds[customer] : undefined;
      const messageId = `<bench-${i}@mailheavy.test>`;
      if (!firstIds[customer]) firstIds[customer] = messageId;
      const from = `c${customer}@mailheavy.test`;
      const raw = await new MailComposer({
        from: `Customer ${customer} <${from}>`,
        to: SUPPORT,
        subject: replyTo ? 'Re: Sync question' : `Sync question ${i}`,
        messageId,
        ...(replyTo ? { inReplyTo: replyTo, references: replyTo } : {}),
        text: `Hello,\n\nWork order ${i} did not sync to the mobile app.\n\nThanks`,
        html: `<p>Hello,</p><p>Work order <b>${i}</b> did not sync to the mobile app.</p><p>Thanks</p>`,
      })
        .compile()
        .build();
      messages.push({ from, raw });
    }
    log(`${target.engine}: sending ${int(MESSAGES)} messages over ${CONNECTIONS} connections`);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < MESSAGES) {
        const { from, raw } = messages[next++]!;
        await transport.sendMail({ envelope: { from, to: [SUPPORT] }, raw });
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, worker));
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuPerMessage = (cpu.user + cpu.system) / 1000 / MESSAGES;
    transport.close();
    await listener.close();
    const rows = await target.db.kysely
      .selectFrom('mail_messages')
      .select(['disposition', (eb) => eb.fn.countAll<number>().as('n')])
      .where('direction', '=', 'inbound')
      .groupBy('disposition')
      .execute();
    const outcome = rows.map((r) => `${r.disposition} ${int(Number(r.n))}`).join(', ');
    const acknowledgements = await target.db.kysely
      .selectFrom('mail_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    log(
      `${int(MESSAGES / seconds)} messages/s (${seconds.toFixed(1)} s, ${cpuPerMessage.toFixed(2)} ms CPU per message): ${outcome}; ${int(Number(acknowledgements.n))} acknowledgements queued`,
    );
    return { dialect, perSecond: MESSAGES / seconds, cpuPerMessage };
  } finally {
    await target.cleanup();
  }
}

runBenchmark(async () => {
  const log = createLog(10);
  process.stdout.write(`inbound mail benchmark: ${int(MESSAGES)} messages, ${machine()}\n`);
  const results = await eachDatabase(dialectsEnv('BENCH_DIALECTS'), (d) => measure(d, log));
  if (!results) return;
  for (const r of results)
    if (r)
      process.stdout.write(
        `${LABEL[r.dialect].padEnd(10)} ${int(r.perSecond)} messages/s, ${r.cpuPerMessage.toFixed(2)} ms CPU per message (server and client)\n`,
      );
});
