import path from 'node:path';
import { z } from 'zod';

const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('localhost'),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    PUBLIC_URL: z.url().optional(),
    MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(1024 * 1024),
    MAX_ATTACHMENT_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(10 * 1024 * 1024),
    SESSION_TTL_HOURS: z.coerce
      .number()
      .positive()
      .default(24 * 14),
    SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(0).default(15_000),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    SUPPORT_EMAIL: z
      .email()
      .optional()
      .or(z.literal('').transform(() => undefined)),
    INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    INBOUND_SMTP_HOST: z.string().min(1).default('localhost'),
    // PEM files: with both, the SMTP listener offers STARTTLS.
    INBOUND_SMTP_TLS_CERT: z.string().min(1).optional(),
    INBOUND_SMTP_TLS_KEY: z.string().min(1).optional(),
    IMAP_URL: z
      .string()
      .regex(/^imaps?:\/\//, 'must be an imap:// or imaps:// URL')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    IMAP_POLL_MS: z.coerce.number().int().min(1000).default(30_000),
    MAX_INBOUND_MAIL_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(25 * 1024 * 1024),
    MAIL_RATE_PER_HOUR: z.coerce.number().int().min(1).default(30),
    IMPORT_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(50 * 1024 * 1024),
    REPORT_MINIMUM_SAMPLE: z.coerce.number().int().min(1).max(10_000).default(10),
    // Live chat: conversations one address may start per hour, messages one side may send per 10 s.
    CHAT_STARTS_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(20),
    CHAT_MESSAGES_PER_10S: z.coerce.number().int().min(1).max(10_000).default(20),
    // Help center: public searches and suggestions one address may ask per minute (staff are not counted).
    HELPCENTER_SEARCHES_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
    EMBED_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters (e.g. openssl rand -base64 32)')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    // Private hosts status webhooks may reach (an internal receiver): names or addresses, comma-separated.
    WEBHOOK_ALLOW_PRIVATE_HOSTS: z
      .string()
      .default('')
      .transform((list) =>
        list
          .split(',')
          .map((h) =>
            h
              .trim()
              .toLowerCase()
              .replace(/^\[(.*)\]$/, '$1')
              .replace(/\.$/, ''),
          )
          .filter(Boolean),
      )
      .pipe(
        z.array(
          z.union(
            [z.ipv4(), z.ipv6(), z.hostname()],
            'must be host names or IP addresses, comma-separated (no scheme, port or path)',
          ),
        ),
      ),
  })
  .superRefine((e, ctx) => {
    if (Boolean(e.INBOUND_SMTP_TLS_CERT) !== Boolean(e.INBOUND_SMTP_TLS_KEY))
      ctx.addIssue({
        code: 'custom',
        path: [e.INBOUND_SMTP_TLS_CERT ? 'INBOUND_SMTP_TLS_KEY' : 'INBOUND_SMTP_TLS_CERT'],
        message: 'give the certificate and its key together, or neither',
      });
  });

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL connection string; absent means the embedded SQLite database in dataDir. */
  databaseUrl: string | undefined;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  publicUrl: string | undefined;
  maxBodyBytes: number;
  maxAttachmentBytes: number;
  /** The largest body POST /import/tickets reads (JSON lines, streamed). */
  importMaxBytes: number;
  /** Report cells with fewer measured tickets are flagged as too few to judge. */
  reportMinimumSample: number;
  chat: { startsPerHour: number; messagesPer10s: number };
  /** Public help center searches and suggestions one address may ask per minute. */
  helpCenterSearchesPerMinute: number;
  sessionTtlMs: number;
  /** How often the SLA scheduler looks for due work; 0 turns it off in this process. */
  schedulerIntervalMs: number;
  /** Cookies carry the Secure flag when the desk is served over https. */
  secureCookies: boolean;
  /** The secret the vendor's server signs in-app support button tokens with; unset disables the widget. */
  embedSecret: string | undefined;
  /** Private hosts (names or addresses) status webhooks may reach; every other webhook must reach public addresses. */
  webhookAllowPrivateHosts: string[];
  mail: MailConfig;
}

export interface MailConfig {
  /** Outgoing relay; unset writes outgoing mail to DATA_DIR/mail-drop instead. */
  smtpUrl: string | undefined;
  /** The address customers write to and mail comes from; replies go to its plus-addresses. */
  supportEmail: string;
  /** The built-in SMTP listener for an MTA to forward to; undefined keeps it off. */
  inboundSmtpPort: number | undefined;
  inboundSmtpHost: string;
  /** Certificate and key files (PEM) for the listener's STARTTLS; unset, it offers none. */
  inboundSmtpTls: { certFile: string; keyFile: string } | undefined;
  /** A mailbox to poll, imap://user:password@host:port/INBOX; unset keeps the poller off. */
  imapUrl: string | undefined;
  imapPollMs: number;
  maxInboundBytes: number;
  /** Inbound mails one sender may have turned into tickets or replies per hour; more are held back. */
  ratePerHour: number;
}

export class ConfigError extends Error {}

/** Reads and validates the environment once at boot; a bad value stops start-up with every problem listed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL,
    maxBodyBytes: e.MAX_BODY_BYTES,
    maxAttachmentBytes: e.MAX_ATTACHMENT_BYTES,
    reportMinimumSample: e.REPORT_MINIMUM_SAMPLE,
    chat: { startsPerHour: e.CHAT_STARTS_PER_HOUR, messagesPer10s: e.CHAT_MESSAGES_PER_10S },
    helpCenterSearchesPerMinute: e.HELPCENTER_SEARCHES_PER_MINUTE,
    importMaxBytes: e.IMPORT_MAX_BYTES,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3600_000,
    schedulerIntervalMs: e.SCHEDULER_INTERVAL_MS,
    secureCookies: e.PUBLIC_URL?.startsWith('https:') ?? false,
    embedSecret: e.EMBED_SECRET,
    webhookAllowPrivateHosts: e.WEBHOOK_ALLOW_PRIVATE_HOSTS,
    mail: {
      smtpUrl: e.SMTP_URL,
      supportEmail: (e.SUPPORT_EMAIL ?? 'support@accord.localhost').toLowerCase(),
      inboundSmtpPort: e.INBOUND_SMTP_PORT,
      inboundSmtpHost: e.INBOUND_SMTP_HOST,
      inboundSmtpTls:
        e.INBOUND_SMTP_TLS_CERT && e.INBOUND_SMTP_TLS_KEY
          ? { certFile: e.INBOUND_SMTP_TLS_CERT, keyFile: e.INBOUND_SMTP_TLS_KEY }
          : undefined,
      imapUrl: e.IMAP_URL,
      imapPollMs: e.IMAP_POLL_MS,
      maxInboundBytes: e.MAX_INBOUND_MAIL_BYTES,
      ratePerHour: e.MAIL_RATE_PER_HOUR,
    },
  };
}
