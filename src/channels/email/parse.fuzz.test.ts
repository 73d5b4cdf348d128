import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mailFixture, mailFixtureNames } from '../../../test/fixtures/mail/index.js';
import { automaticMail } from './loop.js';
import { MailParseError, parseMail, type ParsedMail } from './parse.js';
import { latestReply } from './quote.js';

/** What each corpus message must parse into. */
const corpus: Record<string, (mail: ParsedMail) => void> = {
  'gmail-reply.eml': (mail) => {
    expect(mail.messageId).toBe('CAF=7hq9X+r2Lw@mail.gmail.com');
    expect(mail.inReplyTo).toEqual(['ticket-1042-msg-1@acme.test']);
    expect(mail.from).toEqual({ address: 'jane.customer@gmail.com', name: 'Jane Customer' });
    expect(mail.deliveredTo).toEqual(['support+k3x9q2@acme.test']);
    expect(mail.date).toBe(Date.UTC(2025, 2, 3, 10, 15));
    expect(mail.text).toContain(
      'On Mon, Mar 3, 2025 at 10:02\u202fAM Acme Support <support+k3x9q2@acme.test>\nwrote:',
    );
    expect(latestReply(mail.text)).toBe('Thanks, the sync works again after the update.\n\nJane');
    expect(mail.html).toContain('class="gmail_quote gmail_quote_container"');
  },
  'outlook-reply-fr.eml': (mail) => {
    expect(mail.subject).toBe('RE : [Accord #1042] Les bons de travail ne se synchronisent pas');
    expect(mail.from).toEqual({ address: 'jerome.dupont@exemple.fr', name: 'Jérôme Dupont' });
    expect(mail.cc).toEqual(['marie.martin@exemple.fr']);
    expect(mail.headers['thread-index']).toBe('AQHbjB2Xk1+9s7Vw0kOQmVZ5A==');
    expect(mail.text).toContain('Envoyé : lundi 3 mars 2025 10:02');
    expect(latestReply(mail.text)).toBe(
      'Bonjour,\n\nLa synchronisation échoue toujours après la mise à jour.',
    );
    expect(mail.html).toContain('<div id="divRplyFwdMsg"');
  },
  'apple-mail-inline-image.eml': (mail) => {
    expect(mail.messageId).toBe('7E3C9F12-4B5A-4C6D-8E9F-0A1B2C3D4E5F@fischer-maintenance.test');
    expect(mail.references).toEqual(['ticket-1050-msg-1@acme.test', 'ticket-1050-msg-2@acme.test']);
    expect(mail.html).toContain('src="cid:F2A1B3C4-5D6E-7F80-9A1B-2C3D4E5F6A7B@home"');
    expect(mail.attachments.map((file) => [file.filename, file.inline, file.contentId])).toEqual([
      ['Screenshot 2025-03-04 at 14.04.12.png', true, 'F2A1B3C4-5D6E-7F80-9A1B-2C3D4E5F6A7B@home'],
    ]);
  },
  'alternative-new-request.eml': (mail) => {
    expect(mail.subject).toBe('[P1] Sync down for all technicians');
    expect(mail.text.startsWith('Priority: P1\n\nSince 6:00')).toBe(true);
    expect(mail.html).toContain('&quot;Sync failed (code 503)&quot;');
    expect(mail.attachments).toEqual([]);
  },
  'mixed-pdf-attachment.eml': (mail) => {
    expect(mail.text).toBe('Please see the attached invoice; the seat count looks wrong.\n');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({
      filename: 'invoice-2025-03.pdf',
      contentType: 'application/pdf',
      inline: false,
      size: 142,
    });
    expect(mail.attachments[0]?.content.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
  },
  'latin1-body.eml': (mail) => {
    expect(mail.subject).toBe('Problème de connexion');
    expect(mail.from?.name).toBe('François Lévesque');
    expect(mail.text).toContain("Le message dit « accès refusé ».\n\nMerci d'avance,\nFrançois\n");
  },
  'shift-jis-subject.eml': (mail) => {
    expect(mail.subject).toBe('同期エラーについて');
    expect(mail.text).toBe('お世話になっております。\n作業指示が同期されません。\n');
  },
  'mixed-charsets.eml': (mail) => {
    expect(mail.subject).toBe('Ошибка синхронизации / naïve café');
    expect(mail.text).toBe('Синхронизация не работает.\n\nNaïve café “quotes” – dash\n\nUTF-16 part: 完了\n');
  },
  'rfc2047-filename.eml': (mail) => {
    expect(mail.attachments.map((file) => file.filename)).toEqual([
      'Informe año 2025.xlsx',
      'résumé €.csv',
      'passwd',
    ]);
    expect(mail.attachments[1]?.content.toString()).toBe('a,b\n1,2\n');
  },
  'dsn-bounce.eml': (mail) => {
    expect(mail.from?.address).toBe('mailer-daemon@mx.acme.test');
    expect(mail.headers['return-path']).toBe('<>');
    expect(mail.text).toContain('550 5.1.1 User unknown');
    expect(mail.text).not.toContain('Reporting-MTA');
    expect(mail.attachments.map((file) => file.contentType)).toEqual([
      'message/delivery-status',
      'text/rfc822-headers',
    ]);
    expect(automaticMail(mail)).toEqual({
      kind: 'bounce',
      reason: 'delivery status notification',
      failedRecipients: ['gone.user@customer.test'],
    });
  },
  'vacation-auto-reply.eml': (mail) => {
    expect(mail.subject).toBe('Absence du bureau : Re: [Accord #1042]');
    expect(mail.inReplyTo).toEqual(['ticket-1042-msg-4@acme.test']);
    expect(automaticMail(mail)?.kind).toBe('auto-reply');
  },
  'mailing-list.eml': (mail) => {
    expect(mail.headers['list-id']).toBe('Vendor release notes <releases.lists.vendor-updates.test>');
    expect(automaticMail(mail)).toEqual({ kind: 'bulk', reason: 'Precedence: list', failedRecipients: [] });
  },
  'truncated-mime.eml': (mail) => {
    expect(mail.text).toBe('The log file is attached.\n');
    expect(mail.attachments.map((file) => [file.filename, file.content.toString()])).toEqual([
      ['app.log', '2025-03-14 ERROR sync failed\n2'],
    ]);
  },
  'huge-header-line.eml': (mail) => {
    expect(mail.subject).toBe('One very long header');
    expect(mail.headers['x-junk']).toBe('x'.repeat(16 * 1024));
    expect(mail.text).toBe('The body after a one-megabyte header line.\n');
  },
  'nested-500-multiparts.eml': (mail) => {
    expect(mail.subject).toBe('Deeply nested');
    expect(mail.text).toBe('The innermost part.');
  },
  'base64-garbage.eml': (mail) => {
    expect(mail.text).toBe('See attachment.\n');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ filename: 'export.zip', contentType: 'application/zip' });
    expect(mail.attachments[0]?.size).toBe(mail.attachments[0]?.content.length);
  },
  'invalid-charset.eml': (mail) => {
    // An unknown charset is read as UTF-8, for the subject and the body alike.
    expect(mail.subject).toBe('Café bug');
    expect(mail.text).toBe('Plain ASCII survives; ünïcödé bytes are UTF-8.\n');
  },
  'nul-bytes.eml': (mail) => {
    expect(mail.subject).toBe('Null in subject');
    expect(mail.text).toBe('Beforeafter.\nOld Mac line.\nEnd\n');
  },
  'missing-message-id.eml': (mail) => {
    expect(mail.messageId).toBeNull();
    expect(mail.date).toBeNull();
    expect(mail.from).toBeNull();
    expect(mail.subject).toBe('No id here');
  },
  'odd-in-reply-to.eml': (mail) => {
    expect(mail.messageId).toBe('bare-id-20250320@client.test');
    expect(mail.inReplyTo).toEqual(['ticket-1042-msg-1@acme.test']);
    expect(mail.references).toEqual(['root@acme.test', 'ticket-1042-msg-1@acme.test', 'broken@acme.test']);
    expect(mail.date).toBe(Date.UTC(2025, 2, 20, 9, 0));
  },
  '8bit-headers.eml': (mail) => {
    expect(mail.subject).toBe('Résumé du problème');
    expect(mail.from).toEqual({ address: 'jerome@berard.test', name: 'Jérôme Bérard' });
    expect(mail.text).toBe('Détails ci-dessous.\n');
  },
};

/** Messages the parser must refuse, and why. */
const refused: Record<string, RegExp> = {
  'thousands-of-parts.eml': /child nodes/,
};

describe('parseMail on the corpus', () => {
  it('has an expectation for every fixture, and at least 15 fixtures', () => {
    expect([...Object.keys(corpus), ...Object.keys(refused)].sort()).toEqual([...mailFixtureNames]);
    expect(mailFixtureNames.length).toBeGreaterThanOrEqual(15);
  });

  it.each(Object.entries(corpus))('%s', async (name, expectations) => {
    const mail = await parseMail(mailFixture(name));
    expectations(mail);
    expectWellFormed(mail, {});
  });

  it.each(Object.entries(refused))('refuses %s', async (name, reason) => {
    const parsing = parseMail(mailFixture(name));
    await expect(parsing).rejects.toBeInstanceOf(MailParseError);
    await expect(parsing).rejects.toThrow(reason);
  });
});

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const limits = { maxAttachmentBytes: 4096, maxAttachments: 3 };
// Well above any parse here, so that a hang shows as a missed bound, not as a parse error.
const PARSE_BOUND_MS = 3000;

/** The promises ParsedMail makes whatever the input. */
function expectWellFormed(
  mail: ParsedMail,
  bounds: { maxAttachmentBytes?: number; maxAttachments?: number },
): void {
  expect(Array.from(mail.subject).length).toBeLessThanOrEqual(300);
  expect(mail.subject).not.toMatch(/\p{Cc}/u);
  for (const value of [mail.subject, mail.text, mail.html ?? '', ...Object.values(mail.headers)]) {
    expect(value).not.toContain('\0');
    expect(value).not.toMatch(LONE_SURROGATE);
  }
  expect(mail.text).not.toContain('\r');
  for (const id of [mail.messageId ?? 'x', ...mail.inReplyTo, ...mail.references]) {
    expect(id).toMatch(/^[^<>\s]+$/);
  }
  for (const address of [mail.from?.address, mail.replyTo, ...mail.to, ...mail.cc, ...mail.deliveredTo]) {
    if (address != null) expect(address).toMatch(/^[^\sA-Z@]+@[^\sA-Z@]+$/);
  }
  expect(Object.keys(mail.headers).every((name) => name === name.toLowerCase())).toBe(true);
  expect(mail.date === null || Number.isFinite(mail.date)).toBe(true);
  expect(mail.attachments.length).toBeLessThanOrEqual(bounds.maxAttachments ?? 20);
  for (const file of mail.attachments) {
    expect(file.size).toBe(file.content.length);
    expect(file.size).toBeLessThanOrEqual(bounds.maxAttachmentBytes ?? 10 * 1024 * 1024);
    expect(file.filename).not.toMatch(/[\\/]|^$/);
  }
}

const byteCharacter = fc.integer({ min: 0, max: 255 }).map((code) => String.fromCharCode(code));

/** Any bytes as a one-character-per-byte string (to be encoded as latin1), CR and LF included. */
function binary(maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: byteCharacter, maxLength });
}

/** Parses within the bound; a rejection must be a MailParseError. */
async function parsesOrRefuses(input: Buffer): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), PARSE_BOUND_MS);
  });
  const outcome = await Promise.race([
    parseMail(input, { ...limits, timeoutMs: PARSE_BOUND_MS * 10 }).then(
      (mail) => ({ mail }),
      (error: unknown) => ({ error }),
    ),
    bound,
  ]);
  clearTimeout(timer);
  expect(outcome, 'parseMail neither resolved nor rejected in time').not.toBe('hung');
  if (outcome === 'hung') return;
  if ('error' in outcome) expect(outcome.error).toBeInstanceOf(MailParseError);
  else expectWellFormed(outcome.mail, limits);
}

// The heavy fixtures are exercised once above; mutating them 200 times would only slow the suite.
const mutable = mailFixtureNames.filter(
  (name) => !['huge-header-line.eml', 'nested-500-multiparts.eml', 'thousands-of-parts.eml'].includes(name),
);

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number[]; value: number }
  | { kind: 'duplicate-header'; line: number; times: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
    value: fc.nat(255),
  }),
  fc.record({
    kind: fc.constant('duplicate-header' as const),
    line: fc.nat(),
    times: fc.integer({ min: 1, max: 50 }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
  }),
);

function mutate(source: Buffer, change: Mutation): Buffer {
  switch (change.kind) {
    case 'truncate':
      return source.subarray(0, change.at % (source.length + 1));
    case 'flip': {
      const copy = Buffer.from(source);
      for (const at of change.at) copy[at % copy.length] = change.value;
      return copy;
    }
    case 'insert': {
      const at = change.at % (source.length + 1);
      return Buffer.concat([source.subarray(0, at), change.bytes, source.subarray(at)]);
    }
    case 'duplicate-header': {
      const text = source.toString('latin1');
      const headerEnd = text.indexOf('\r\n\r\n');
      const lines = text.slice(0, headerEnd < 0 ? text.length : headerEnd).split('\r\n');
      const index = change.line % lines.length;
      const copies = Array.from({ length: change.times }, () => lines[index] ?? '');
      lines.splice(index, 0, ...copies);
      return Buffer.from(lines.join('\r\n') + (headerEnd < 0 ? '' : text.slice(headerEnd)), 'latin1');
    }
  }
}

describe('parseMail on hostile input', () => {
  it('resolves or rejects with MailParseError for arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
        await parsesOrRefuses(Buffer.from(bytes));
      }),
      { numRuns: 200 },
    );
  });

  it('resolves or rejects with MailParseError for arbitrary headers and MIME parts', async () => {
    const names = [
      'From',
      'To',
      'Cc',
      'Subject',
      'Date',
      'Message-ID',
      'In-Reply-To',
      'References',
      'Reply-To',
    ];
    const headerLine = fc
      .tuple(fc.constantFrom(...names, 'Delivered-To', 'X-Failed-Recipients', 'List-Id'), binary(120))
      .map(([name, value]) => `${name}: ${value}`);
    const part = fc
      .record({
        type: fc.constantFrom(
          'text/plain; charset=x-unknown',
          'text/html',
          'text/plain; charset=utf-16',
          'message/rfc822',
          'message/delivery-status',
          'image/png; name=a.png',
          'multipart/mixed; boundary=b',
          '',
          ';;;',
          'text/plain; format=flowed; delsp=yes',
          'text/plain; charset="iso-2022-jp"',
        ),
        encoding: fc.constantFrom('base64', 'quoted-printable', '8bit', 'x-uuencode', ''),
        disposition: fc.constantFrom(
          '',
          'attachment',
          'inline',
          'attachment; filename="=?utf-8?B?w6k=?="',
          "inline; filename*=utf-8''%FF%FE",
        ),
        body: binary(300),
      })
      .map(
        (p) =>
          `--b\r\nContent-Type: ${p.type}\r\nContent-Transfer-Encoding: ${p.encoding}\r\n` +
          `Content-Disposition: ${p.disposition}\r\nContent-ID: <x@y>\r\n\r\n${p.body}\r\n`,
      );
    await fc.assert(
      fc.asyncProperty(
        fc.array(headerLine, { maxLength: 12 }),
        fc.array(part, { maxLength: 6 }),
        fc.boolean(),
        async (lines, parts, closed) => {
          const head = [...lines, 'Content-Type: multipart/mixed; boundary=b'].join('\r\n');
          const body = parts.join('') + (closed ? '--b--\r\n' : '');
          await parsesOrRefuses(Buffer.from(`${head}\r\n\r\n${body}`, 'latin1'));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('resolves or rejects with MailParseError for mutations of the corpus', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...mutable),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        async (name, changes) => {
          await parsesOrRefuses(changes.reduce(mutate, mailFixture(name)));
        },
      ),
      { numRuns: 200 },
    );
  });
});
