import fs from 'node:fs/promises';
import path from 'node:path';
import { runPeriodically } from '../shared/periodic.js';
import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';
import type { MailConfig } from '../config.js';
import type { Clock } from '../shared/time.js';
import type { MailHeaders, OutboundMail, OutboxRepository } from './outbox.js';

/** Where queued mail leaves the desk: an SMTP relay, or the mail-drop folder without one. */
export interface MailTransport {
  send(mail: OutboundMail): Promise<void>;
  close?(): Promise<void>;
}

/** The From of every mail: the support address with a display name ("Support <support@…>"). */
export interface Sender {
  name: string;
  address: string;
}

/** The headers nodemailer takes as message fields rather than as free headers. */
const FIELD_HEADERS = new Set(['reply-to', 'in-reply-to', 'references', 'list-unsubscribe']);

function header(headers: MailHeaders, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/**
 * The message exactly as queued: the Message-ID and Date fixed at enqueue time, so that every
 * attempt sends the same message; nodemailer may not read files or URLs named in the content.
 */
export function messageOptions(mail: OutboundMail, from: Sender): SendMailOptions {
  const references = header(mail.headers, 'references')?.split(/\s+/).filter(Boolean);
  const replyTo = header(mail.headers, 'reply-to');
  const inReplyTo = header(mail.headers, 'in-reply-to');
  const unsubscribe = header(mail.headers, 'list-unsubscribe');
  const rest = Object.fromEntries(
    Object.entries(mail.headers).filter(([k]) => !FIELD_HEADERS.has(k.toLowerCase())),
  );
  return {
    messageId: mail.messageId,
    date: new Date(mail.createdAt),
    from: { name: from.name, address: from.address },
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html ? { html: mail.html } : {}),
    ...(replyTo ? { replyTo } : {}),
    ...(inReplyTo ? { inReplyTo } : {}),
    ...(references?.length ? { references } : {}),
    ...(unsubscribe ? { list: { unsubscribe: unsubscribe.replace(/^<|>$/g, '') } } : {}),
    headers: rest,
    xMailer: false,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

export interface SmtpTransportOptions {
  /** smtp://user:pass@host:587 or smtps://…:465 */
  smtpUrl: string;
  from: Sender;
  /** Connection, greeting and socket timeouts; kept well under the outbox lease. */
  timeoutMs?: number;
  maxConnections?: number;
}

/** Sends through an SMTP relay, over a small pool of connections. */
export class SmtpTransport implements MailTransport {
  private readonly transporter;

  constructor(private readonly options: SmtpTransportOptions) {
    const timeout = options.timeoutMs ?? 60_000;
    this.transporter = nodemailer.createTransport({
      pool: true,
      url: options.smtpUrl,
      maxConnections: options.maxConnections ?? 3,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  async send(mail: OutboundMail): Promise<void> {
    await this.transporter.sendMail(messageOptions(mail, this.options.from));
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}

/**
 * Writes each mail, with all its headers, as an RFC 5322 file in DATA_DIR/mail-drop, for desks
 * without a relay. The file is named after the outbox id and written whole then renamed, so a
 * second attempt after a crash replaces the first file instead of adding another.
 */
export class DropTransport implements MailTransport {
  private readonly composer = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
  });

  constructor(
    private readonly dir: string,
    private readonly from: Sender,
  ) {}

  async send(mail: OutboundMail): Promise<void> {
    const info = await this.composer.sendMail(messageOptions(mail, this.from));
    await fs.mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, `${mail.id}.eml`);
    await fs.writeFile(`${file}.tmp`, info.message as Buffer, { mode: 0o600 });
    await fs.rename(`${file}.tmp`, file);
  }
}

/** The desk's transport: its SMTP relay when SMTP_URL is set, else the mail-drop folder in DATA_DIR. */
export function transportFor(
  mail: Pick<MailConfig, 'smtpUrl' | 'supportEmail'>,
  dataDir: string,
): MailTransport {
  const from: Sender = { name: 'Support', address: mail.supportEmail };
  return mail.smtpUrl
    ? new SmtpTransport({ smtpUrl: mail.smtpUrl, from })
    : new DropTransport(path.join(dataDir, 'mail-drop'), from);
}

export interface DeliveryPolicy {
  /** Waits between attempts: after the first failure, the second, …; the last repeats. */
  backoffMs: readonly number[];
  /** Attempts before a mail is marked failed. */
  maxAttempts: number;
}

const MINUTE = 60_000;
export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  backoffMs: [MINUTE, 5 * MINUTE, 30 * MINUTE, 120 * MINUTE, 360 * MINUTE],
  maxAttempts: 6,
};

export type AttemptOutcome = { retryAt: number } | { fail: true };

/**
 * What to do after a failed attempt: a permanent SMTP refusal (5xx, "no such user") fails at once,
 * since sending the same mail again gets the same answer; anything else waits its backoff, until
 * the attempts run out.
 */
export function afterFailure(
  attempts: number,
  error: unknown,
  now: number,
  policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY,
): AttemptOutcome {
  const permanent =
    typeof error === 'object' && error !== null && (error as { permanent?: unknown }).permanent === true;
  if (permanent || attempts >= policy.maxAttempts) return { fail: true };
  const wait = policy.backoffMs[Math.min(attempts - 1, policy.backoffMs.length - 1)] ?? MINUTE;
  return { retryAt: now + wait };
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && !error.message.includes(String(code))
    ? `${code} ${error.message}`
    : error.message;
}

export interface DeliveryLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface DeliveryWorkerDeps {
  outbox: OutboxRepository;
  transport: MailTransport;
  clock: Clock;
  log?: DeliveryLog;
  policy?: DeliveryPolicy;
  /** Mails claimed per round. */
  batchSize?: number;
  /** How long a claim holds; longer than a batch can take to send (timeouts included). */
  leaseMs?: number;
}

export interface DeliveryPass {
  sent: number;
  retried: number;
  failed: number;
}

/**
 * Takes due mail from the outbox, sends it and records the outcome.
 *
 * Delivery is at least once, with a stable Message-ID, not exactly once. A mail is marked sent only
 * after the relay accepted it; if the process dies between the two, the lease runs out and a worker
 * sends it again. SMTP has no way to make that second send a no-op, so in that narrow window the
 * recipient may get the mail twice; it is the same message, with the Message-ID and Date fixed at
 * enqueue time, which lets many receivers (Gmail among them) keep one copy, though not all do.
 * Outside that window (a crash before the send, a restart, several workers) each mail is sent once:
 * claims skip mail another worker holds, the lease outlasts the SMTP timeouts so a live worker
 * finishes before its claim lapses, and a worker whose claim did lapse cannot overwrite the outcome
 * of the one that took over.
 */
export class DeliveryWorker {
  private readonly policy: DeliveryPolicy;
  private readonly batchSize: number;
  private readonly leaseMs: number;

  constructor(private readonly deps: DeliveryWorkerDeps) {
    this.policy = deps.policy ?? DEFAULT_DELIVERY_POLICY;
    this.batchSize = deps.batchSize ?? 10;
    this.leaseMs = deps.leaseMs ?? 10 * MINUTE;
  }

  /** Sends everything due now, batch after batch. */
  async runOnce(): Promise<DeliveryPass> {
    const pass: DeliveryPass = { sent: 0, retried: 0, failed: 0 };
    for (;;) {
      const claimed = await this.deps.outbox.claimDue(this.deps.clock(), this.batchSize, this.leaseMs);
      const outcomes = await Promise.all(claimed.map((mail) => this.deliver(mail)));
      for (const outcome of outcomes) if (outcome) pass[outcome] += 1;
      if (claimed.length < this.batchSize) return pass;
    }
  }

  async close(): Promise<void> {
    await this.deps.transport.close?.();
  }

  private async deliver(mail: OutboundMail): Promise<keyof DeliveryPass | undefined> {
    const { outbox, transport, clock, log } = this.deps;
    try {
      await transport.send(mail);
    } catch (error) {
      const reason = errorText(error);
      const outcome = afterFailure(mail.attempts, error, clock(), this.policy);
      if ('fail' in outcome) {
        log?.error({ mailId: mail.id, to: mail.to, attempts: mail.attempts, reason }, 'mail delivery failed');
        return (await outbox.markFailed(mail.id, mail.attempts, reason)) ? 'failed' : undefined;
      }
      log?.warn(
        {
          mailId: mail.id,
          attempts: mail.attempts,
          retryAt: new Date(outcome.retryAt).toISOString(),
          reason,
        },
        'mail delivery will be retried',
      );
      return (await outbox.markRetry(mail.id, mail.attempts, reason, outcome.retryAt))
        ? 'retried'
        : undefined;
    }
    if (!(await outbox.markSent(mail.id, mail.attempts, clock())))
      log?.warn({ mailId: mail.id }, 'mail sent after its claim had lapsed');
    return 'sent';
  }
}

/**
 * Runs delivery every `intervalMs` in the server process; passes never overlap in a process, and
 * several processes share the outbox safely. The returned function stops it, waits for the pass
 * under way and closes the transport.
 */
export function startDelivery(
  worker: DeliveryWorker,
  intervalMs: number,
  log: DeliveryLog,
): () => Promise<void> {
  const stop = runPeriodically(
    () =>
      worker
        .runOnce()
        .then((done) => {
          if (done.sent + done.retried + done.failed > 0) log.info({ ...done }, 'mail delivery pass');
        })
        .catch((err: unknown) => log.error({ err }, 'mail delivery pass failed')),
    intervalMs,
  );
  return async () => {
    await stop();
    await worker.close();
  };
}
