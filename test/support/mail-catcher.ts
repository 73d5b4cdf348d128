import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  /** The SMTP envelope's recipients. */
  rcptTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
  /** A header's raw value (first occurrence), by lower-case name. */
  header: (name: string) => string | undefined;
}

/**
 * An SMTP server on loopback that keeps what it receives, for tests of outgoing mail. `refuse`
 * makes it answer RCPT TO with an SMTP error code (451 try later, 550 no such user) until reset.
 */
export class MailCatcher {
  readonly received: CaughtMail[] = [];
  refuse: { code: number; message: string } | null = null;

  private readonly server: SMTPServer;
  private listeningPort = 0;

  private constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 500,
      onRcptTo: (_address, _session, callback) => {
        const refuse = this.refuse;
        if (!refuse) return callback();
        const error = new Error(refuse.message) as Error & { responseCode: number };
        error.responseCode = refuse.code;
        callback(error);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          simpleParser(raw)
            .then((parsed) => {
              this.received.push({
                rcptTo: session.envelope.rcptTo.map((r) => r.address),
                raw,
                parsed,
                header: (name) => {
                  const line = parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
                  return line?.slice(line.indexOf(':') + 1).trim();
                },
              });
              callback();
            })
            .catch((error: Error) => callback(error));
        });
      },
    });
  }

  static async start(): Promise<MailCatcher> {
    const catcher = new MailCatcher();
    const { server } = catcher;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    catcher.listeningPort = (server.server.address() as AddressInfo).port;
    return catcher;
  }

  get port(): number {
    return this.listeningPort;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Mails received for one recipient. */
  to(address: string): CaughtMail[] {
    return this.received.filter((m) => m.rcptTo.includes(address));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
