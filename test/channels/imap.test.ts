import net from 'node:net';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  pollOnce,
  redactImapUrl,
  startImapPoller,
  type ImapPollerOptions,
} from '../../src/channels/email/imap-poller.js';
import { dovecotUnavailable, startDovecot, type Dovecot } from '../support/dovecot.js';

const unavailable = dovecotUnavailable();
if (unavailable && process.env.CI === 'true')
  throw new Error(`${unavailable}; CI requires it (.ci/run installs dovecot-imapd).`);
if (unavailable)
  process.stdout.write(
    `\n*** ${unavailable}: the IMAP poller tests are SKIPPED. Install it with apt-get install -y dovecot-imapd, or set DOVECOT_PATH. ***\n\n`,
  );

const PLAIN = Buffer.from(
  [
    'From: Ada Customer <ada@example.com>',
    'To: support@accord.test',
    'Subject: Printer on fire',
    'Message-ID: <plain-1@example.com>',
    'Date: Thu, 26 Nov 2026 09:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'It is on fire. Ça brûle.',
    '',
  ].join('\r\n'),
);

const ATTACHED_BYTES = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37) % 256));
const WITH_ATTACHMENT = Buffer.from(
  [
    'From: Ada Customer <ada@example.com>',
    'To: support@accord.test',
    'Subject: Logs attached',
    'Message-ID: <attachment-2@example.com>',
    'Date: Thu, 26 Nov 2026 09:05:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'The logs are attached.',
    '--b1',
    'Content-Type: application/octet-stream; name="crash.log"',
    'Content-Disposition: attachment; filename="crash.log"',
    'Content-Transfer-Encoding: base64',
    '',
    ...(ATTACHED_BYTES.toString('base64').match(/.{1,76}/g) ?? []),
    '--b1--',
    '',
  ].join('\r\n'),
);

// A boundary that never comes, a header line without a colon, an unknown charset, base64 that is
// not, and bytes that are not UTF-8: the poller hands it over as it is; ingest records what it can.
const BROKEN_MIME = Buffer.concat([
  Buffer.from(
    [
      'From: broken@example.com',
      'Subject: =?utf-8?B?not base64!?=',
      'Message-ID: <broken-3@example.com>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="never-closed"',
      'this header line has no colon',
      '',
      '--nothing-like-the-boundary',
      'Content-Type: text/plain; charset=no-such-charset',
      'Content-Transfer-Encoding: base64',
      '',
      '%%% not base64 %%%',
      '',
    ].join('\r\n'),
  ),
  Buffer.from([0xff, 0xfe, 0x80, 0x0d, 0x0a]),
]);

function mail(messageId: string, subject = 'Hello'): Buffer {
  return Buffer.from(
    `From: ada@example.com\r\nTo: support@accord.test\r\nSubject: ${subject}\r\nMessage-ID: <${messageId}>\r\n\r\nHello.\r\n`,
  );
}

function messageIdOf(raw: Buffer): string | undefined {
  return /^Message-ID:\s*<([^>]+)>/im.exec(raw.toString('latin1'))?.[1];
}

interface LogEntry {
  level: 'info' | 'warn' | 'error';
  obj: unknown;
  msg?: string;
}

function recordingLog() {
  const entries: LogEntry[] = [];
  const record = (level: LogEntry['level']) => (obj: unknown, msg?: string) => {
    entries.push({ level, obj, msg });
  };
  return {
    entries,
    log: { info: record('info'), warn: record('warn'), error: record('error') },
    text: () => JSON.stringify(entries),
  };
}

/** Collects what the poller hands over; `refuse` makes ingest reject for a Message-ID (once per call). */
function recordingIngest(refuse: (messageId: string | undefined) => boolean = () => false) {
  const received: Buffer[] = [];
  const ingest = async (raw: Buffer) => {
    if (refuse(messageIdOf(raw))) throw new Error('database is down');
    received.push(raw);
  };
  return { received, ingest };
}

interface StoredMessage {
  uid: number;
  messageId: string | undefined;
  flags: Set<string>;
  source: Buffer;
}

/** What a mailbox holds, read without touching its flags. */
async function mailboxContents(server: Dovecot, mailbox: string): Promise<StoredMessage[]> {
  const client = new ImapFlow({
    host: server.host,
    port: server.port,
    secure: false,
    auth: { user: server.user, pass: server.password },
    logger: false,
  });
  await client.connect();
  try {
    const opened = await client.mailboxOpen(
      mailbox.toUpperCase() === 'INBOX' ? 'INBOX' : mailbox.split('/'),
      {
        readOnly: true,
      },
    );
    if (opened.exists === 0) return [];
    const messages = await client.fetchAll('1:*', { uid: true, flags: true, source: true });
    return messages.map((m) => ({
      uid: m.uid,
      messageId: messageIdOf(m.source!),
      flags: m.flags ?? new Set<string>(),
      source: m.source!,
    }));
  } finally {
    await client.logout();
  }
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('redactImapUrl', () => {
  it('replaces the password and keeps the rest', () => {
    expect(redactImapUrl('imaps://desk%40example.com:p%40ss*word@mail.example.com:993/Support')).toBe(
      'imaps://desk%40example.com:***@mail.example.com:993/Support',
    );
    expect(redactImapUrl('imap://desk@mail.example.com/INBOX')).toBe('imap://desk@mail.example.com/INBOX');
  });

  it('hides everything after the scheme when the URL does not parse', () => {
    expect(redactImapUrl('imap://desk:pa/ss@mail.example.com/INBOX')).toBe('imap://***');
  });
});

describe.skipIf(unavailable)('the IMAP poller against dovecot', () => {
  let server: Dovecot;

  beforeAll(async () => {
    server = await startDovecot();
  });

  afterAll(async () => {
    await server?.stop();
  });

  // Each test polls its own mailboxes, so they share one server without sharing state.
  const options = (overrides: Partial<ImapPollerOptions> & Pick<ImapPollerOptions, 'ingest'>) => ({
    url: server.url(),
    intervalMs: 200,
    log: recordingLog().log,
    ...overrides,
  });

  it('hands every unseen message over byte for byte, then files it in Accord/Processed', async () => {
    for (const raw of [PLAIN, WITH_ATTACHMENT, BROKEN_MIME]) await server.append(raw);
    const { received, ingest } = recordingIngest();

    expect(await pollOnce(options({ ingest }))).toEqual({ fetched: 3, ingested: 3, failed: 0 });

    expect(received.map(messageIdOf)).toEqual([
      'plain-1@example.com',
      'attachment-2@example.com',
      'broken-3@example.com',
    ]);
    expect(received[0]!.equals(PLAIN)).toBe(true);
    expect(received[1]!.equals(WITH_ATTACHMENT)).toBe(true);
    expect(received[2]!.equals(BROKEN_MIME)).toBe(true);
    expect(await mailboxContents(server, 'INBOX')).toEqual([]);
    const processed = await mailboxContents(server, 'Accord/Processed');
    expect(processed.map((m) => m.messageId)).toEqual([
      'plain-1@example.com',
      'attachment-2@example.com',
      'broken-3@example.com',
    ]);

    // Nothing is handed over twice.
    expect(await pollOnce(options({ ingest }))).toEqual({ fetched: 0, ingested: 0, failed: 0 });
    expect(received).toHaveLength(3);
  });

  it('leaves a message whose ingest rejected unseen where it was, and retries it next round', async () => {
    const url = server.url('retry');
    for (const id of ['r1@example.com', 'r2@example.com', 'r3@example.com'])
      await server.append(mail(id), 'retry');
    let databaseDown = true;
    const { received, ingest } = recordingIngest((id) => databaseDown && id === 'r2@example.com');
    const log = recordingLog();
    const round = () => pollOnce(options({ url, ingest, log: log.log, processedMailbox: 'retry/Done' }));

    expect(await round()).toEqual({ fetched: 3, ingested: 2, failed: 1 });
    const left = await mailboxContents(server, 'retry');
    expect(left.map((m) => m.messageId)).toEqual(['r2@example.com']);
    expect(left[0]!.flags.has('\\Seen')).toBe(false);
    expect(log.entries.filter((e) => e.level === 'error').map((e) => e.msg)).toEqual([
      'IMAP message not ingested; it stays unseen for the next round',
    ]);
    expect(log.text()).toContain('database is down');

    // Still down: tried again, still kept.
    expect(await round()).toEqual({ fetched: 1, ingested: 0, failed: 1 });

    databaseDown = false;
    expect(await round()).toEqual({ fetched: 1, ingested: 1, failed: 0 });
    expect(received.map(messageIdOf)).toEqual(['r1@example.com', 'r3@example.com', 'r2@example.com']);
    expect(await mailboxContents(server, 'retry')).toEqual([]);
    expect((await mailboxContents(server, 'retry/Done')).map((m) => m.messageId).sort()).toEqual([
      'r1@example.com',
      'r2@example.com',
      'r3@example.com',
    ]);
  });

  it('flags mail over maxMessageBytes and moves it aside without downloading it', async () => {
    await server.append(mail('small@example.com'), 'sizes');
    await server.append(WITH_ATTACHMENT, 'sizes');
    const { received, ingest } = recordingIngest();
    const log = recordingLog();

    const result = await pollOnce(
      options({
        url: server.url('sizes'),
        ingest,
        log: log.log,
        maxMessageBytes: 2000,
        processedMailbox: 'sizes/Done',
        oversizedMailbox: 'sizes/Too large',
      }),
    );

    expect(WITH_ATTACHMENT.length).toBeGreaterThan(2000);
    expect(result).toEqual({ fetched: 2, ingested: 1, failed: 0 });
    expect(received.map(messageIdOf)).toEqual(['small@example.com']);
    expect(await mailboxContents(server, 'sizes')).toEqual([]);
    const aside = await mailboxContents(server, 'sizes/Too large');
    expect(aside.map((m) => m.messageId)).toEqual(['attachment-2@example.com']);
    expect(aside[0]!.flags.has('\\Flagged')).toBe(true);
    const warning = log.entries.find((e) => e.level === 'warn');
    expect(warning?.msg).toBe('IMAP message too large to ingest; flagged and moved aside');
    expect(warning?.obj).toMatchObject({
      messageId: '<attachment-2@example.com>',
      size: WITH_ATTACHMENT.length,
    });
  });

  it('logs a refused login without the password, and does not throw', async () => {
    await server.append(mail('never@example.com'), 'locked');
    const wrong = 'wr0ng p@ss/word';
    const url = server.url('locked').replace(encodeURIComponent(server.password), encodeURIComponent(wrong));
    const { received, ingest } = recordingIngest();
    const log = recordingLog();

    expect(await pollOnce(options({ url, ingest, log: log.log }))).toEqual({
      fetched: 0,
      ingested: 0,
      failed: 0,
    });

    expect(received).toEqual([]);
    const refusal = log.entries.find((e) => e.level === 'error');
    expect(refusal?.msg).toBe('IMAP login refused: check the user and password');
    expect(refusal?.obj).toMatchObject({ imap: `imap://accord:***@127.0.0.1:${server.port}/locked` });
    for (const secret of [
      wrong,
      encodeURIComponent(wrong),
      'wr0ng',
      server.password,
      encodeURIComponent(server.password),
    ])
      expect(log.text()).not.toContain(secret);
    expect((await mailboxContents(server, 'locked')).map((m) => m.messageId)).toEqual(['never@example.com']);
  });

  it('picks up mail that arrives while it runs, and stops cleanly', async () => {
    await server.append(mail('before@example.com'), 'live');
    const { received, ingest } = recordingIngest();
    const log = recordingLog();
    const stop = startImapPoller(
      options({
        url: server.url('live'),
        ingest,
        log: log.log,
        processedMailbox: 'live/Done',
        intervalMs: 200,
      }),
    );
    try {
      await until(() => received.length === 1, 5000);
      await server.append(mail('during@example.com'), 'live');
      await until(() => received.length === 2, 5000);
    } finally {
      await stop();
    }
    expect(received.map(messageIdOf)).toEqual(['before@example.com', 'during@example.com']);
    expect(log.entries.at(-1)?.msg).toBe('IMAP poller stopped');

    await server.append(mail('after@example.com'), 'live');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(received).toHaveLength(2);
    expect((await mailboxContents(server, 'live')).map((m) => m.messageId)).toEqual(['after@example.com']);
    expect(log.entries.filter((e) => e.level !== 'info')).toEqual([]);
  });

  it('backs off while the server cannot be reached, without throwing', async () => {
    const port = await closedPort();
    const { ingest } = recordingIngest();
    const log = recordingLog();
    const stop = startImapPoller(
      options({ url: `imap://accord:secret@127.0.0.1:${port}/INBOX`, ingest, log: log.log, intervalMs: 100 }),
    );
    // Attempts at 0, 0.1, 0.3, 0.7 and 1.5 s with backoff; sixteen without.
    await new Promise((resolve) => setTimeout(resolve, 1600));
    await stop();
    const failures = log.entries.filter((e) => e.msg === 'IMAP round failed; trying again later');
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(failures.length).toBeLessThanOrEqual(7);
    expect(log.text()).not.toContain('secret');
  });
});

describe.skipIf(unavailable)('the IMAP poller against a server without MOVE', () => {
  let server: Dovecot;

  beforeAll(async () => {
    server = await startDovecot({
      extraConfig:
        'imap_capability = IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE IDLE UIDPLUS NAMESPACE',
    });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('copies ingested mail to the processed mailbox and marks it \\Seen instead of expunging', async () => {
    await server.append(mail('copied@example.com'));
    // Someone else's deleted-but-not-expunged message must survive the poller.
    await server.append(mail('someone-elses@example.com'));
    const client = new ImapFlow({
      host: server.host,
      port: server.port,
      secure: false,
      auth: { user: server.user, pass: server.password },
      logger: false,
    });
    await client.connect();
    expect(client.capabilities.has('MOVE')).toBe(false);
    await client.mailboxOpen('INBOX');
    await client.messageFlagsAdd('2', ['\\Deleted', '\\Seen']);
    await client.logout();

    const { received, ingest } = recordingIngest();
    const log = recordingLog();
    const round = () => pollOnce({ url: server.url(), intervalMs: 200, ingest, log: log.log });

    expect(await round()).toEqual({ fetched: 1, ingested: 1, failed: 0 });
    expect(await round()).toEqual({ fetched: 0, ingested: 0, failed: 0 });
    expect(received.map(messageIdOf)).toEqual(['copied@example.com']);
    const inbox = await mailboxContents(server, 'INBOX');
    expect(inbox.map((m) => [m.messageId, m.flags.has('\\Seen'), m.flags.has('\\Deleted')])).toEqual([
      ['copied@example.com', true, false],
      ['someone-elses@example.com', true, true],
    ]);
    expect((await mailboxContents(server, 'Accord/Processed')).map((m) => m.messageId)).toEqual([
      'copied@example.com',
    ]);
    expect(log.entries.filter((e) => e.level !== 'info')).toEqual([]);
  });
});
