import { describe, expect, it } from 'vitest';
import { mailFixture } from '../../../test/fixtures/mail/index.js';
import { MailParseError, parseMail } from './parse.js';

/** A raw message from header lines and a body, with CRLF line ends as on the wire. */
function raw(headers: string[], body = 'Body.\n'): Buffer {
  return Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`, 'utf8');
}

function b64(text: string | Buffer): string {
  return (typeof text === 'string' ? Buffer.from(text) : text).toString('base64').replace(/.{76}/g, '$&\r\n');
}

/** multipart/mixed with a text part and the given attachment parts. */
function withAttachments(parts: { name: string; type: string; content: Buffer }[]): Buffer {
  const attachments = parts.map(
    (part) =>
      `--b\r\nContent-Type: ${part.type}; name="${part.name}"\r\nContent-Disposition: attachment; filename="${part.name}"\r\n` +
      `Content-Transfer-Encoding: base64\r\n\r\n${b64(part.content)}\r\n`,
  );
  return Buffer.from(
    'From: a@example.test\r\nSubject: files\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n' +
      '--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n' +
      attachments.join('') +
      '--b--\r\n',
  );
}

describe('parseMail: addresses', () => {
  it('lowercases addresses, keeps decoded names and flattens groups', async () => {
    const mail = await parseMail(
      raw([
        'From: =?utf-8?q?Ren=C3=A9_Dupr=C3=A9?= <Rene.Dupre@Example.FR>',
        'To: Team: Alice@Example.test, "Bob B." <BOB@example.test>;, carol@example.test',
        'To: dave@example.test',
        'Cc: Support <Support@Acme.test>, support@acme.test',
        'Reply-To: "Helpdesk" <Replies@Example.FR>',
        'Delivered-To: Support+Tok@Acme.test',
        'X-Original-To: support@acme.test',
        'Envelope-To: other@acme.test',
      ]),
    );
    expect(mail.from).toEqual({ address: 'rene.dupre@example.fr', name: 'René Dupré' });
    expect(mail.to).toEqual([
      'alice@example.test',
      'bob@example.test',
      'carol@example.test',
      'dave@example.test',
    ]);
    expect(mail.cc).toEqual(['support@acme.test']);
    expect(mail.replyTo).toBe('replies@example.fr');
    expect(mail.deliveredTo).toEqual(['support+tok@acme.test', 'support@acme.test', 'other@acme.test']);
  });

  it('gives no sender when From has no usable address', async () => {
    expect((await parseMail(raw(['From: undisclosed sender', 'Subject: x']))).from).toBeNull();
    expect((await parseMail(raw(['From: "Name only" <>', 'Subject: x']))).from).toBeNull();
    expect((await parseMail(raw(['Subject: no from at all']))).from).toBeNull();
  });

  it('reads a raw Latin-1 display name as Windows-1252, not as replacement characters', async () => {
    const mail = await parseMail(
      Buffer.from('From: J\xe9r\xf4me <jerome@example.fr>\r\nSubject: R\xe9sum\xe9\r\n\r\nx\r\n', 'latin1'),
    );
    expect(mail.from).toEqual({ address: 'jerome@example.fr', name: 'Jérôme' });
    expect(mail.subject).toBe('Résumé');
  });
});

describe('parseMail: message ids', () => {
  it('strips angle brackets, keeps case and reads ids out of junk', async () => {
    const mail = await parseMail(
      raw([
        'Message-ID: <ABC.123@Mail.Example.test>',
        'In-Reply-To: Your message of "Mon, 3 Mar 2025" <first@x.test> (John)',
        'References: junk <root@x.test>',
        ' <first@x.test> not-an-id',
      ]),
    );
    expect(mail.messageId).toBe('ABC.123@Mail.Example.test');
    expect(mail.inReplyTo).toEqual(['first@x.test']);
    expect(mail.references).toEqual(['root@x.test', 'first@x.test']);
  });

  it('accepts a bare local@domain id, and nothing else without brackets', async () => {
    expect((await parseMail(raw(['Message-ID: bare@x.test']))).messageId).toBe('bare@x.test');
    expect((await parseMail(raw(['Message-ID: just some words']))).messageId).toBeNull();
    expect((await parseMail(raw(['Message-ID: <>']))).messageId).toBeNull();
    expect((await parseMail(raw(['Subject: no id']))).messageId).toBeNull();
  });

  it('keeps the thread root and the 99 nearest ancestors of a very long References', async () => {
    const ids = Array.from({ length: 500 }, (_, index) => `<m${index}@x.test>`);
    const mail = await parseMail(raw([`References: ${ids.join('\r\n ')}`]));
    expect(mail.references).toHaveLength(100);
    expect(mail.references[0]).toBe('m0@x.test');
    expect(mail.references[1]).toBe('m401@x.test');
    expect(mail.references.at(-1)).toBe('m499@x.test');
  });
});

describe('parseMail: subject and date', () => {
  it('decodes encoded words in several charsets and unfolds the subject', async () => {
    const mail = await parseMail(
      raw([
        'Subject: =?ISO-8859-1?Q?Caf=E9?= / =?koi8-r?B?7/vp4uvh?=',
        ' / =?shift_jis?B?k6+K+g==?= =?utf-8?B?8J+agA==?=',
      ]),
    );
    // Per RFC 2047 the space between two adjacent encoded words is not part of the text.
    expect(mail.subject).toBe('Café / ОШИБКА / 同期🚀');
  });

  it('removes control characters and lone surrogates, and stops at 300 characters', async () => {
    const loneSurrogate = Buffer.from([0x41, 0x00, 0x00, 0xd8, 0x42, 0x00]).toString('base64');
    expect((await parseMail(raw([`Subject: =?utf-16le?B?${loneSurrogate}?=`]))).subject).toBe('AB');
    expect((await parseMail(raw(['Subject: bell\x07 and\ttab']))).subject).toBe('bell and tab');
    const long = await parseMail(raw([`Subject: ${'é'.repeat(299)}🚀🚀🚀`]));
    expect(Array.from(long.subject)).toHaveLength(300);
    expect(long.subject.endsWith('é🚀')).toBe(true);
  });

  it('reads the Date header, and gives null rather than now for an unreadable one', async () => {
    expect((await parseMail(raw(['Date: Mon, 3 Mar 2025 10:15:00 +0100 (CET)']))).date).toBe(
      Date.UTC(2025, 2, 3, 9, 15),
    );
    expect((await parseMail(raw(['Date: sometime last week']))).date).toBeNull();
    expect((await parseMail(raw(['Subject: undated']))).date).toBeNull();
  });
});

describe('parseMail: bodies', () => {
  it('prefers the text part and keeps the HTML part raw', async () => {
    const mail = await parseMail(mailFixture('alternative-new-request.eml'));
    expect(mail.text).toBe(
      'Priority: P1\n\nSince 6:00 none of our 40 technicians can sync work orders.\n' +
        'The app shows "Sync failed (code 503)".\n',
    );
    expect(mail.html).toContain('<p>Priority: P1</p>');
  });

  it('converts HTML to text when there is no text part', async () => {
    const mail = await parseMail(
      raw(['Content-Type: text/html; charset=utf-8'], '<p>Hello <b>world</b></p><p>Second</p>'),
    );
    expect(mail.text).toBe('Hello world\n\nSecond');
    expect(mail.html).toBe('<p>Hello <b>world</b></p><p>Second</p>');
  });

  it('normalizes line ends and removes NUL bytes', async () => {
    const mail = await parseMail(Buffer.from('Subject: x\r\n\r\nOne\rTwo\r\nThree\0!\n', 'latin1'));
    expect(mail.text).toBe('One\nTwo\nThree!\n');
  });

  it.each([
    [
      'ISO-8859-1, quoted-printable',
      'ISO-8859-1',
      'quoted-printable',
      'R=E9sum=E9 =E0 jour',
      'Résumé à jour',
    ],
    [
      'Windows-1252, quoted-printable',
      'windows-1252',
      'quoted-printable',
      '=93Quotes=94 =96 =80',
      '“Quotes” – €',
    ],
    [
      'KOI8-R, base64',
      'koi8-r',
      'base64',
      Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]).toString('base64'),
      'Привет',
    ],
    [
      'Shift_JIS, base64',
      'shift_jis',
      'base64',
      Buffer.from([0x93, 0xaf, 0x8a, 0xfa]).toString('base64'),
      '同期',
    ],
    ['UTF-8, base64', 'utf-8', 'base64', Buffer.from('Grüße 🚀').toString('base64'), 'Grüße 🚀'],
    ['UTF-8, quoted-printable', 'utf-8', 'quoted-printable', 'Gr=C3=BC=C3=9Fe', 'Grüße'],
    [
      'UTF-16 with a BOM',
      'utf-16',
      'base64',
      Buffer.from([0xff, 0xfe, 0x41, 0x00, 0xe9, 0x00]).toString('base64'),
      'Aé',
    ],
  ])('decodes a %s body', async (_name, charset, encoding, body, expected) => {
    const mail = await parseMail(
      raw([`Content-Type: text/plain; charset=${charset}`, `Content-Transfer-Encoding: ${encoding}`], body),
    );
    expect(mail.text.trim()).toBe(expected);
  });

  it('decodes an ISO-2022-JP body and a Shift_JIS subject', async () => {
    const mail = await parseMail(mailFixture('shift-jis-subject.eml'));
    expect(mail.subject).toBe('同期エラーについて');
    expect(mail.from).toEqual({ address: 'yamada@example.co.jp', name: '山田太郎' });
    expect(mail.text).toBe('お世話になっております。\n作業指示が同期されません。\n');
  });
});

describe('parseMail: headers', () => {
  it('keys the first value of each header by its lowercased name, unfolded', async () => {
    const mail = await parseMail(
      raw([
        'Auto-Submitted: auto-replied',
        'X-Multi: first',
        'X-MULTI: second',
        'List-Id: A list',
        ' <a.list.test>',
      ]),
    );
    expect(mail.headers['auto-submitted']).toBe('auto-replied');
    expect(mail.headers['x-multi']).toBe('first');
    expect(mail.headers['list-id']).toBe('A list <a.list.test>');
    expect(mail.headers['precedence']).toBeUndefined();
    expect(mail.headers['constructor']).toBeUndefined();
  });
});

describe('parseMail: attachments', () => {
  it('keeps an inline image with its content id, and a named attachment', async () => {
    const mail = await parseMail(mailFixture('apple-mail-inline-image.eml'));
    expect(mail.attachments).toHaveLength(1);
    const [image] = mail.attachments;
    expect(image).toMatchObject({
      filename: 'Screenshot 2025-03-04 at 14.04.12.png',
      contentType: 'image/png',
      inline: true,
      contentId: 'F2A1B3C4-5D6E-7F80-9A1B-2C3D4E5F6A7B@home',
      size: 71,
    });
    expect(image?.content.subarray(0, 4).toString('latin1')).toBe('\x89PNG');
  });

  it('drops attachments over the size limit and past the count limit, and says why', async () => {
    const small = Buffer.alloc(100, 1);
    const mail = await parseMail(
      withAttachments([
        { name: 'a.bin', type: 'application/octet-stream', content: small },
        { name: 'big.bin', type: 'application/octet-stream', content: Buffer.alloc(2000, 2) },
        { name: 'b.bin', type: 'application/octet-stream', content: small },
        { name: 'c.bin', type: 'application/octet-stream', content: small },
      ]),
      { maxAttachmentBytes: 1000, maxAttachments: 2 },
    );
    expect(mail.attachments.map((file) => [file.filename, file.size])).toEqual([
      ['a.bin', 100],
      ['b.bin', 100],
    ]);
    expect(mail.dropped).toEqual([
      { filename: 'big.bin', reason: 'larger than 1000 bytes (2000 bytes)' },
      { filename: 'c.bin', reason: 'more than 2 attachments' },
    ]);
  });

  it('drops a 50 MB attachment under the default 10 MiB limit without holding it', async () => {
    const mail = await parseMail(
      withAttachments([
        { name: 'dump.zip', type: 'application/zip', content: Buffer.alloc(50 * 1024 * 1024, 7) },
      ]),
    );
    expect(mail.attachments).toEqual([]);
    expect(mail.dropped).toEqual([
      { filename: 'dump.zip', reason: 'larger than 10485760 bytes (52428800 bytes)' },
    ]);
    expect(mail.text.trim()).toBe('See attached.');
  });

  it('keeps only the last segment of a file name, and names unnamed parts', async () => {
    const mail = await parseMail(
      Buffer.from(
        'Subject: x\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n' +
          '--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="../../etc/passwd"\r\n\r\nroot\r\n' +
          '--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b--\r\n',
      ),
    );
    expect(mail.attachments.map((file) => file.filename)).toEqual(['passwd', 'attachment-2.png']);
  });

  it('treats a part with an empty Content-Type as application/octet-stream', async () => {
    const mail = await parseMail(
      Buffer.from(
        'Subject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n' +
          '--b\r\nContent-Type: \r\nContent-Disposition: attachment\r\n\r\ndef\r\n--b--\r\n',
      ),
    );
    expect(
      mail.attachments.map((file) => [file.filename, file.contentType, file.content.toString()]),
    ).toEqual([['attachment-1', 'application/octet-stream', 'def']]);
  });
});

describe('parseMail: input it refuses', () => {
  it.each([
    ['an empty buffer', Buffer.alloc(0)],
    ['only blank lines', Buffer.from('\r\n\r\n  \r\n')],
  ])('rejects %s with MailParseError', async (_name, input) => {
    await expect(parseMail(input)).rejects.toBeInstanceOf(MailParseError);
  });

  it('rejects something that is not a buffer', async () => {
    await expect(parseMail('From: a@b' as unknown as Buffer)).rejects.toBeInstanceOf(MailParseError);
  });

  it('rejects a header block over maxHeaderBytes, and parses it under the default', async () => {
    const huge = mailFixture('huge-header-line.eml');
    await expect(parseMail(huge, { maxHeaderBytes: 64 * 1024 })).rejects.toThrow(MailParseError);
    expect((await parseMail(huge)).headers['x-junk']).toHaveLength(16 * 1024);
  });

  it('rejects a mail with more parts than the parser allows', async () => {
    await expect(parseMail(mailFixture('thousands-of-parts.eml'))).rejects.toThrow(/child nodes/);
  });

  it('gives up after timeoutMs', async () => {
    await expect(parseMail(mailFixture('nested-500-multiparts.eml'), { timeoutMs: 1 })).rejects.toThrow(
      /longer than 1 ms/,
    );
  });
});
