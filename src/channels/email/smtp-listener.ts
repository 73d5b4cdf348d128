import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Envelope, IngestResult } from './ingest.js';

export interface SmtpListenerOptions {
  port: number;
  host: string;
  /** Larger messages are refused during DATA (552), before they are stored. */
  maxBytes: number;
  supportEmail: string;
  /** Certificate and key files (PEM): with them the listener offers STARTTLS. */
  tls?: { certFile: string; keyFile: string } | undefined;
  ingest: (raw: Buffer, envelope: Envelope) => Promise<IngestResult>;
  log: {
    info(obj: unknown, msg?: string): void;
    warn(obj: unknown, msg?: string): void;
    error(obj: unknown, msg?: string): void;
  };
}

export interface SmtpListener {
  port: number;
  close(): Promise<void>;
}

class SmtpReply extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The SMTP listener an MTA forwards the support address's mail to. It takes mail only for the
 * support domain (it is not a relay), refuses oversized messages while they arrive, and answers
 * 250 once the mail is stored, or 451 on a transient failure so the MTA tries again: a mail is
 * never acknowledged and then lost. Given a certificate it offers STARTTLS. The client's address,
 * HELO name and MAIL FROM go with each mail, for SPF.
 */
export async function startSmtpListener(options: SmtpListenerOptions): Promise<SmtpListener> {
  const domain = options.supportEmail.slice(options.supportEmail.lastIndexOf('@') + 1).toLowerCase();
  const tls = options.tls
    ? { cert: fs.readFileSync(options.tls.certFile), key: fs.readFileSync(options.tls.keyFile) }
    : undefined;
  const server = new SMTPServer({
    name: domain,
    banner: 'Accord support desk',
    authOptional: true,
    disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(tls ?? {}),
    size: options.maxBytes,
    maxClients: 100,
    socketTimeout: 60_000,
    logger: false,
    onRcptTo(address, _session, callback) {
      const recipient = address.address.toLowerCase();
      if (recipient.slice(recipient.lastIndexOf('@') + 1) !== domain)
        return callback(new SmtpReply(550, `5.7.1 This server takes mail for ${domain} only`));
      callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        if (!stream.sizeExceeded) chunks.push(chunk);
      });
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(new SmtpReply(552, `5.3.4 Message exceeds the ${options.maxBytes}-byte limit`));
          return;
        }
        const envelope: Envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          clientIp: session.remoteAddress,
          helo: session.hostNameAppearsAs,
        };
        options
          .ingest(Buffer.concat(chunks), envelope)
          .then((result) => callback(null, `2.0.0 Accepted: ${result.disposition} ${result.mailId}`))
          .catch((error: unknown) => {
            options.log.error({ err: error }, 'inbound mail could not be stored; the sender will retry');
            callback(new SmtpReply(451, '4.3.0 Temporary failure, try again later'));
          });
      });
    },
  });
  server.on('error', (error) => options.log.warn({ err: error }, 'SMTP listener connection error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  options.log.info({ port, host: options.host }, 'SMTP listener accepting mail');
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
