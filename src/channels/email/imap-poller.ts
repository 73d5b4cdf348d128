import { ImapFlow, type FetchMessageObject } from 'imapflow';

export interface ImapPollerOptions {
  /** imap://user:password@host:port/MAILBOX (imaps:// for TLS); INBOX by default; user and password URL-encoded. */
  url: string;
  intervalMs: number;
  /**
   * The email channel's ingest: resolves once the mail is stored (a ticket, a reply or a recorded
   * rejection), rejects on a transient failure (the database is down) so the mail is tried again.
   */
  ingest: (raw: Buffer) => Promise<unknown>;
  log: {
    info(obj: unknown, msg?: string): void;
    warn(obj: unknown, msg?: string): void;
    error(obj: unknown, msg?: string): void;
  };
  /** Larger messages are not downloaded: they are flagged \Flagged, moved to oversizedMailbox and logged. */
  maxMessageBytes?: number;
  /** Where ingested mail goes; created if missing. `/` separates levels whatever the server's delimiter. */
  processedMailbox?: string;
  /** Where mail over maxMessageBytes goes; created if missing. */
  oversizedMailbox?: string;
}

export interface PollResult {
  /** Unseen messages looked at this round. */
  fetched: number;
  ingested: number;
  /** Messages whose ingest rejected; they stay unseen in the mailbox for the next round. */
  failed: number;
}

const DEFAULT_PROCESSED = 'Accord/Processed';
const DEFAULT_OVERSIZED = 'Accord/Oversized';
const BATCH = 50;
const MAX_BACKOFF_MS = 5 * 60_000;

interface Target {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  mailbox: string;
  /** The URL without its password, for logs. */
  redacted: string;
}

/** The URL with its password replaced, safe to log. */
export function redactImapUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    // Unparsable, so there is no telling where the password ends: keep only the scheme.
    return `${/^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? ''}//***`;
  }
}

function parseTarget(url: string): Target {
  const redacted = redactImapUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`not a valid IMAP URL: ${redacted}`);
  }
  if (parsed.protocol !== 'imap:' && parsed.protocol !== 'imaps:')
    throw new Error(`not an imap:// or imaps:// URL: ${redacted}`);
  if (!parsed.hostname || !parsed.username)
    throw new Error(`an IMAP URL needs a user and a host: ${redacted}`);
  const secure = parsed.protocol === 'imaps:';
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port ? Number(parsed.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    mailbox: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'INBOX',
    redacted,
  };
}

/** Mailbox names in Accord's settings use `/`; imapflow joins the levels with the server's delimiter. */
function mailboxPath(name: string): string | string[] {
  return name.toUpperCase() === 'INBOX' ? 'INBOX' : name.split('/');
}

function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const details = error as Error & { code?: unknown; responseText?: unknown; serverResponseCode?: unknown };
  return {
    message: error.message,
    ...(typeof details.code === 'string' ? { code: details.code } : {}),
    ...(typeof details.serverResponseCode === 'string'
      ? { serverResponseCode: details.serverResponseCode }
      : {}),
    ...(typeof details.responseText === 'string' ? { responseText: details.responseText } : {}),
  };
}

function isAuthenticationFailure(error: unknown): boolean {
  const details = error as { authenticationFailed?: unknown; serverResponseCode?: unknown } | null;
  return details?.authenticationFailed === true || details?.serverResponseCode === 'AUTHENTICATIONFAILED';
}

/** One IMAP connection, kept across rounds and opened again when the server dropped it. */
class MailboxSession {
  private client: ImapFlow | null = null;

  constructor(
    private readonly options: ImapPollerOptions,
    private readonly target: Target,
  ) {}

  /** One round; never throws. `connected` is false when the server could not be reached or used. */
  async round(): Promise<PollResult & { connected: boolean }> {
    const { log } = this.options;
    const result = { fetched: 0, ingested: 0, failed: 0, connected: true };
    try {
      const client = await this.connection();
      const lock = await client.getMailboxLock(mailboxPath(this.target.mailbox));
      try {
        await this.drain(client, result);
      } finally {
        lock.release();
      }
    } catch (error) {
      const context = { imap: this.target.redacted, err: describeError(error) };
      if (isAuthenticationFailure(error))
        log.error(context, 'IMAP login refused: check the user and password');
      else log.warn(context, 'IMAP round failed; trying again later');
      await this.close();
      result.connected = false;
    }
    return result;
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    try {
      await client.logout();
    } catch {
      client.close();
    }
  }

  private async connection(): Promise<ImapFlow> {
    if (this.client?.usable) return this.client;
    await this.close();
    const { host, port, secure, user, password } = this.target;
    const client = new ImapFlow({
      host,
      port,
      secure,
      auth: { user, pass: password },
      // imapflow's own logger would print protocol traffic to stdout; failures are logged here.
      logger: false,
      disableAutoIdle: true,
      connectionTimeout: 30_000,
      greetingTimeout: 15_000,
    });
    // An unheard 'error' event would crash the process; the failing command reports it too.
    client.on('error', (error) =>
      this.options.log.warn(
        { imap: this.target.redacted, err: describeError(error) },
        'IMAP connection error',
      ),
    );
    try {
      await client.connect();
      await this.ensureMailbox(client, this.options.processedMailbox ?? DEFAULT_PROCESSED);
      if (this.options.maxMessageBytes !== undefined)
        await this.ensureMailbox(client, this.options.oversizedMailbox ?? DEFAULT_OVERSIZED);
    } catch (error) {
      client.close();
      throw error;
    }
    this.client = client;
    return client;
  }

  private async ensureMailbox(client: ImapFlow, name: string) {
    try {
      await client.mailboxCreate(mailboxPath(name));
    } catch (error) {
      // imapflow already treats [ALREADYEXISTS] as success; a server without that response code
      // lands here for an existing mailbox, and a real problem shows when the move fails.
      this.options.log.info(
        { imap: this.target.redacted, mailbox: name, err: describeError(error) },
        'IMAP mailbox not created',
      );
    }
  }

  private async drain(client: ImapFlow, result: PollResult) {
    // \Seen marks what this poller has finished with on servers without MOVE; mail a person read
    // in the shared mailbox before the poller came round is left to them.
    const uids = (await client.search({ seen: false, deleted: false }, { uid: true })) || [];
    for (let start = 0; start < uids.length; start += BATCH) {
      const batch = uids.slice(start, start + BATCH);
      const headers = await client.fetchAll(
        batch.join(','),
        { uid: true, size: true, envelope: true },
        { uid: true },
      );
      for (const message of headers.sort((a, b) => a.uid - b.uid)) {
        result.fetched++;
        const outcome = await this.handle(client, message);
        if (outcome === 'ingested') result.ingested++;
        else if (outcome === 'failed') result.failed++;
      }
    }
  }

  private async handle(
    client: ImapFlow,
    message: FetchMessageObject,
  ): Promise<'ingested' | 'failed' | 'oversized' | 'gone'> {
    const { log, maxMessageBytes } = this.options;
    const about = { imap: this.target.redacted, uid: message.uid, messageId: message.envelope?.messageId };
    const uid = String(message.uid);

    if (maxMessageBytes !== undefined && (message.size ?? 0) > maxMessageBytes) {
      await client.messageFlagsAdd(uid, ['\\Flagged'], { uid: true });
      const to = this.options.oversizedMailbox ?? DEFAULT_OVERSIZED;
      await this.fileAway(client, uid, to);
      log.warn(
        {
          ...about,
          size: message.size,
          maxMessageBytes,
          from: message.envelope?.from?.[0]?.address,
          movedTo: to,
        },
        'IMAP message too large to ingest; flagged and moved aside',
      );
      return 'oversized';
    }

    // BODY.PEEK[]: the message stays unseen until it is filed away.
    const fetched = await client.fetchOne(uid, { uid: true, source: true }, { uid: true });
    if (!fetched || !fetched.source) return 'gone'; // expunged by another client meanwhile

    try {
      await this.options.ingest(fetched.source);
    } catch (error) {
      log.error(
        { ...about, err: describeError(error) },
        'IMAP message not ingested; it stays unseen for the next round',
      );
      return 'failed';
    }
    // Moved only after ingest resolved, so mail is never lost. A crash between the two hands the
    // message over again next round; that is harmless because ingest de-duplicates by Message-ID.
    await this.fileAway(client, uid, this.options.processedMailbox ?? DEFAULT_PROCESSED);
    return 'ingested';
  }

  /** Moves a message out of the polled mailbox, or marks it \Seen where that cannot be done. */
  private async fileAway(client: ImapFlow, uid: string, to: string) {
    const destination = mailboxPath(to);
    let filed = false;
    if (client.capabilities.has('MOVE')) {
      filed = Boolean(await client.messageMove(uid, destination, { uid: true }));
    } else {
      // COPY, then \Seen instead of \Deleted + EXPUNGE: a plain EXPUNGE would also remove messages
      // someone else marked \Deleted in this mailbox.
      filed = Boolean(await client.messageCopy(uid, destination, { uid: true }));
    }
    if (!filed || !client.capabilities.has('MOVE')) {
      await client.messageFlagsAdd(uid, ['\\Seen'], { uid: true });
    }
    if (!filed) {
      this.options.log.warn(
        { imap: this.target.redacted, uid: Number(uid), mailbox: to },
        'IMAP message could not be moved; marked \\Seen in place instead',
      );
    }
  }
}

/** One polling round on its own connection, logged out afterwards; connection failures are logged, not thrown. */
export async function pollOnce(options: ImapPollerOptions): Promise<PollResult> {
  const session = new MailboxSession(options, parseTarget(options.url));
  try {
    const { fetched, ingested, failed } = await session.round();
    return { fetched, ingested, failed };
  } finally {
    await session.close();
  }
}

/**
 * Polls the mailbox now and then every intervalMs on one kept connection, backing off (up to five
 * minutes) while the server cannot be reached. Returns stop(), which waits for the current round
 * and logs out.
 */
export function startImapPoller(options: ImapPollerOptions): () => Promise<void> {
  const target = parseTarget(options.url);
  if (!(options.intervalMs > 0)) throw new Error('the IMAP poll interval must be positive');
  const session = new MailboxSession(options, target);
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

  const tick = () => {
    current = (async () => {
      try {
        const { connected, ingested } = await session.round();
        failures = connected ? 0 : failures + 1;
        if (ingested > 0) options.log.info({ imap: target.redacted, ingested }, 'IMAP mail ingested');
      } catch (error) {
        // round() handles its own failures; this only keeps a surprise from ending the polling.
        failures++;
        options.log.error({ imap: target.redacted, err: describeError(error) }, 'IMAP poll round crashed');
      }
      if (stopped) return;
      const delay = Math.min(
        options.intervalMs * 2 ** failures,
        Math.max(MAX_BACKOFF_MS, options.intervalMs),
      );
      timer = setTimeout(tick, delay);
    })();
  };

  options.log.info({ imap: target.redacted, intervalMs: options.intervalMs }, 'IMAP poller started');
  tick();

  return async () => {
    stopped = true;
    clearTimeout(timer);
    await current;
    await session.close();
    options.log.info({ imap: target.redacted }, 'IMAP poller stopped');
  };
}
