import { describe, expect, it } from 'vitest';
import { mailFixture } from '../../../test/fixtures/mail/index.js';
import { parseMail } from './parse.js';
import { latestReply, latestReplyHtml } from './quote.js';

describe('latestReply', () => {
  it.each([
    [
      'Gmail, attribution wrapped over two lines',
      'Thanks, works now.\n\nOn Mon, Mar 3, 2025 at 10:02 AM Acme Support <support@acme.test>\nwrote:\n\n> Could you update?\n',
      'Thanks, works now.',
    ],
    [
      'Gmail in French, narrow no-break space before the colon',
      "Merci, c'est réglé.\n\nLe lun. 3 mars 2025 à 10:00, Support <s@acme.test> a écrit\u202f:\n> Bonjour\n",
      "Merci, c'est réglé.",
    ],
    [
      'French attribution without a blank line above',
      'Toujours en panne.\nLe lun. 3 mars 2025 à 10:00, Support <s@acme.test> a écrit :\n> Bonjour\n',
      'Toujours en panne.',
    ],
    [
      'Outlook in English',
      'Still failing.\n\nFrom: Acme Support <support@acme.test>\nSent: Monday, March 3, 2025 10:02 AM\nTo: Jane\nSubject: RE: sync\n\nHello Jane\n',
      'Still failing.',
    ],
    [
      'Outlook in French, with a rule and no address in brackets',
      'Bonjour,\n\nCela ne marche pas.\n\n________________________________\nDe : Support Acme\nEnvoyé : lundi 3 mars 2025 10:02\nÀ : Jean\nObjet : sync\n\nvieux\n',
      'Bonjour,\n\nCela ne marche pas.',
    ],
    ['-----Original Message-----', 'Done.\n-----Original Message-----\nFrom: John\nold\n', 'Done.'],
    ["----- Message d'origine -----", "Fait.\n\n----- Message d'origine -----\nDe : Jean\nvieux\n", 'Fait.'],
    ['interleaved answers keep the answers', '> Which version?\n4.2\n> Which OS?\nLinux\n', '4.2\nLinux'],
    ['a "-- " signature', 'It crashes on start.\n\n-- \nJohn Doe\nACME Corp\n', 'It crashes on start.'],
    [
      'a phone signature above the quote',
      'Yes please\n\nSent from my iPhone\n\nOn 3 Mar 2025, at 10:00, Support <s@acme.test> wrote:\n\n> old',
      'Yes please',
    ],
    ['CRLF line ends', 'New text\r\n\r\nOn Mon, X <x@y.test> wrote:\r\n> old\r\n', 'New text'],
  ])('%s', (_name, text, expected) => {
    expect(latestReply(text)).toBe(expected);
  });

  it('keeps a forwarded message, which the customer sends on purpose', () => {
    const text =
      'See below from our vendor.\n\n---------- Forwarded message ---------\nFrom: Vendor <v@vendor.test>\n' +
      'Date: Mon, Mar 3, 2025\nSubject: outage\n\nThe vendor text.\n';
    expect(latestReply(text)).toBe(text.trim());
  });

  it('returns the whole text, trimmed, when it is nothing but quotation', () => {
    expect(latestReply('\n> only\n> quoted\n\n')).toBe('> only\n> quoted');
    expect(latestReply('On Mon, X <x@y.test> wrote:\n> old\n')).toBe('On Mon, X <x@y.test> wrote:\n> old');
    expect(latestReply('   ')).toBe('');
  });

  it('does not take a sentence that starts with "On" or "From:" for a quote header', () => {
    const text = 'On Monday the sync stopped.\nFrom: the logs, the token expired.\nPlease help.';
    expect(latestReply(text)).toBe(text);
  });

  it('keeps long lines intact', () => {
    const long = 'word on at '.repeat(1000).trim();
    expect(latestReply(`${long}\n\nOn Mon, X <x@y.test> wrote:\n> old`)).toBe(long);
  });

  it('stays fast on lines built to make the quote-header patterns backtrack', () => {
    const hostile = `${`On ${'a on at '.repeat(45)}\n`.repeat(2000)}${'x on at '.repeat(5000)}`;
    const started = performance.now();
    latestReply(hostile);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('trims the Gmail and Outlook fixtures to the new text', async () => {
    const gmail = await parseMail(mailFixture('gmail-reply.eml'));
    expect(latestReply(gmail.text)).toBe('Thanks, the sync works again after the update.\n\nJane');
    const outlook = await parseMail(mailFixture('outlook-reply-fr.eml'));
    expect(latestReply(outlook.text)).toBe(
      'Bonjour,\n\nLa synchronisation échoue toujours après la mise à jour.',
    );
  });
});

describe('latestReplyHtml', () => {
  it('removes the Gmail quote', async () => {
    const gmail = await parseMail(mailFixture('gmail-reply.eml'));
    const reply = latestReplyHtml(gmail.html ?? '');
    expect(reply).toContain('Thanks, the sync works again after the update.');
    expect(reply).not.toContain('gmail_quote');
    expect(reply).not.toContain('Could you update');
  });

  it('removes Outlook history from its marker to the end, closing what was open', async () => {
    const outlook = await parseMail(mailFixture('outlook-reply-fr.eml'));
    const reply = latestReplyHtml(outlook.html ?? '');
    expect(reply).toContain('La synchronisation échoue toujours après la mise à jour.');
    expect(reply).not.toContain('divRplyFwdMsg');
    expect(reply).not.toContain('Pouvez-vous');
    expect(reply).toMatch(/<\/body><\/html>$/);
  });

  it('removes an Apple Mail cite blockquote and keeps the inline image reference', async () => {
    const apple = await parseMail(mailFixture('apple-mail-inline-image.eml'));
    const reply = latestReplyHtml(apple.html ?? '');
    expect(reply).toContain('Here is the screenshot.');
    expect(reply).toContain('src="cid:F2A1B3C4-5D6E-7F80-9A1B-2C3D4E5F6A7B@home"');
    expect(reply).not.toContain('Could you send a screenshot?');
  });

  it.each([
    [
      'Thunderbird',
      '<p>New</p><div class="moz-cite-prefix">On Mon, X wrote:<br></div><blockquote type="cite">old</blockquote>',
    ],
    ['Yahoo', '<div>New</div><div class="yahoo_quoted"><div>On Monday, X wrote:</div>old</div>'],
    ['new Outlook', '<div>New</div><div id="mail-editor-reference-message-container">old</div>'],
    [
      'Outlook nested marker',
      '<div><p>New</p><div id="divRplyFwdMsg">From: X</div><p>old</p></div><p>old</p>',
    ],
  ])('removes the %s quote', (_name, html) => {
    const reply = latestReplyHtml(html);
    expect(reply).toMatch(/New/);
    expect(reply).not.toMatch(/old/);
  });

  it('keeps what follows a quote when the history marker sat inside the quote', () => {
    expect(
      latestReplyHtml(
        '<p>mine</p><blockquote type="cite"><div id="appendonsend"></div>old</blockquote><p>after</p>',
      ),
    ).toBe('<p>mine</p><p>after</p>');
  });

  it('returns the HTML unchanged when nothing but quotation is left', () => {
    const html = '<blockquote type="cite">only quoted</blockquote>';
    expect(latestReplyHtml(html)).toBe(html);
  });

  it('returns HTML over 2 MiB as it came, rather than spend seconds parsing it', () => {
    const html = `<p>new</p><p>${'a'.repeat(2 * 1024 * 1024)}</p><blockquote type="cite">old</blockquote>`;
    expect(latestReplyHtml(html)).toBe(html);
  });

  it('leaves HTML without quotes as it was, apart from serialization', () => {
    expect(latestReplyHtml('<p>Hello <b>world</b></p>')).toBe('<p>Hello <b>world</b></p>');
  });
});
