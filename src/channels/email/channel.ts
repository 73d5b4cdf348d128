import type { Config } from '../../config.js';
import type { EmailIngestService } from './ingest.js';
import { redactImapUrl, startImapPoller } from './imap-poller.js';
import { startSmtpListener } from './smtp-listener.js';

export interface ChannelLog {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

/**
 * Opens the email channel's ways in that the configuration asks for: the SMTP listener
 * (INBOUND_SMTP_PORT) and the IMAP poller (IMAP_URL). Returns the function that closes them.
 */
export async function startEmailChannel(
  config: Config,
  ingest: EmailIngestService,
  log: ChannelLog,
): Promise<() => Promise<void>> {
  const stops: (() => Promise<void>)[] = [];
  const { mail } = config;
  if (mail.inboundSmtpPort !== undefined) {
    const listener = await startSmtpListener({
      port: mail.inboundSmtpPort,
      host: mail.inboundSmtpHost,
      maxBytes: mail.maxInboundBytes,
      supportEmail: mail.supportEmail,
      tls: mail.inboundSmtpTls,
      ingest: (raw, envelope) => ingest.ingest(raw, envelope),
      log,
    });
    stops.push(() => listener.close());
  }
  if (mail.imapUrl) {
    log.info({ mailbox: redactImapUrl(mail.imapUrl) }, 'polling the support mailbox');
    stops.push(
      startImapPoller({
        url: mail.imapUrl,
        intervalMs: mail.imapPollMs,
        maxMessageBytes: mail.maxInboundBytes,
        ingest: (raw) => ingest.ingest(raw),
        log,
      }),
    );
  }
  return async () => {
    for (const stop of stops) await stop();
  };
}
