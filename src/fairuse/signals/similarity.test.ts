import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  articleAnswers,
  articleTerms,
  REPEAT_THRESHOLD,
  repeatMatches,
  repeatSimilarity,
  ticketTerms,
  unchangedReopen,
  type TicketText,
} from './similarity.js';
import { cosine, coverage, plainText, sameField, termsOf } from './text.js';

const ticket = (subject: string, body: string, repro: Partial<TicketText> = {}): TicketText => ({
  subject,
  body,
  reproSteps: null,
  reproExpected: null,
  reproActual: null,
  reproEnvironment: null,
  ...repro,
});
const similarity = (a: TicketText, b: TicketText) =>
  repeatSimilarity({ terms: ticketTerms('en', a), text: a }, { terms: ticketTerms('en', b), text: b });

const original = ticket(
  'Work order export fails with error 500',
  'When I click Export on the work orders list, the page shows error 500 and no file is downloaded. This started after the update.',
);

describe('a repeat of a resolved ticket', () => {
  it.each([
    [
      'Exporting work orders gives error 500 again',
      'Again the export of work orders fails: error 500 appears when clicking Export, nothing downloads.',
    ],
    [
      'Export broken - error 500',
      'Clicking the export button in work orders returns an error 500. No CSV file.',
    ],
    [
      "Can't export work orders",
      'The work orders export throws error 500 whenever I try to download the list.',
    ],
    [
      'Error 500 when exporting orders',
      'Export of the work order list fails with a 500 error, no file downloaded.',
    ],
    ['Work orders export not working', 'I get error 500 when I export work orders. Please fix.'],
  ])('matches the same problem written again differently: %s', (subject, body) => {
    expect(similarity(original, ticket(subject, body))).toBeGreaterThanOrEqual(REPEAT_THRESHOLD);
  });

  it.each([
    [
      'Password reset email never arrives',
      'I requested a password reset for a technician account but no email came through.',
    ],
    [
      'Work order assignment notifications missing',
      'Technicians are no longer notified when a work order is assigned to them.',
    ],
    ['Work order list is slow to load', 'The work orders page takes a minute to load since this morning.'],
    [
      'Invoice export to accounting shows wrong totals',
      'The monthly invoice export to our accounting software has wrong VAT totals.',
    ],
  ])('does not match a different problem of the same product: %s', (subject, body) => {
    expect(similarity(original, ticket(subject, body))).toBeLessThan(REPEAT_THRESHOLD);
  });

  it('folds accents and stems French: « Créer » and « creer », « exportations » and « export »', () => {
    const a = termsOf('fr', [{ text: 'Impossible de créer les exportations', weight: 1 }]);
    const b = termsOf('fr', [{ text: 'impossible de creer une exportation', weight: 1 }]);
    expect(cosine(a, b)).toBeCloseTo(1, 5);
  });

  it('adds weight for equal reproduction steps and environment, never beyond 1', () => {
    const a = ticket('Export problem', 'The file never arrives in the downloads folder of the technicians.', {
      reproSteps: 'Open orders, click Export',
      reproEnvironment: 'Chrome 120, Windows 11',
    });
    const b = (reproSteps: string, reproEnvironment: string) =>
      ticket('Problem with the export', 'Our dispatcher sees a spinner forever, then a blank page.', {
        reproSteps,
        reproEnvironment,
      });
    // The same words in another order: the same terms, but not the same steps.
    const base = similarity(a, b('click Export, open orders', 'Firefox'));
    expect(base).toBeLessThan(0.8);
    expect(similarity(a, b('open orders; click export', 'Firefox'))).toBeCloseTo(base + 0.15, 5);
    expect(similarity(a, b('open orders; click export', 'chrome 120 / windows 11'))).toBeCloseTo(
      base + 0.2,
      5,
    );
    expect(similarity(original, { ...original, reproSteps: 'x y', reproEnvironment: 'z' })).toBe(1);
  });

  it('keeps the closest matches first, at most five', () => {
    const candidates = Array.from({ length: 8 }, (_, i) => ({
      id: `t${i}`,
      text: i % 2 ? original : ticket('Invoices', 'VAT totals are wrong'),
    }));
    const matches = repeatMatches(
      'en',
      ticket('Exporting work orders gives error 500', 'no file is downloaded'),
      candidates,
    );
    expect(matches).toHaveLength(4);
    expect(matches.every((m) => m.candidate.text === original)).toBe(true);
  });

  it('finds nothing in a text of stopwords only', () => {
    expect(repeatMatches('en', ticket('it is', 'and the'), [{ text: original }])).toEqual([]);
  });
});

describe('a reopen without new information', () => {
  const said = [original.subject, original.body];
  it('is a short reply: "Still not working!"', () => {
    expect(unchangedReopen('en', 'Still not working!', said)).toMatchObject({ words: 2 });
  });
  it('is a reply the ticket already says, however long', () => {
    const verdict = unchangedReopen(
      'en',
      'The export on the work orders list fails again with error 500, no file is downloaded, this started after the update.',
      said,
    );
    expect(verdict?.coverage).toBeGreaterThanOrEqual(0.8);
  });
  it('is not a reply with new details', () => {
    expect(
      unchangedReopen(
        'en',
        'It now also fails on Firefox 121 under macOS 14; the console shows TypeError: rows is undefined in exporter.js line 88.',
        said,
      ),
    ).toBeNull();
  });
});

describe('an article that answers a ticket', () => {
  const article = articleTerms('en', {
    title: 'Reset your password',
    summary: 'Resetting a forgotten password takes a minute.',
    body: 'Open the sign-in page, choose Forgot password, and follow the link in the mail to reset your password. The link is valid for one hour.',
    symptom: null,
    workaround: null,
  });
  it('holds most of the question’s words', () => {
    expect(
      articleAnswers(
        ticketTerms(
          'en',
          ticket('How do I reset my password?', 'I forgot my password and need to reset it.'),
        ),
        article,
      ),
    ).toBeGreaterThanOrEqual(0.5);
  });
  it('does not answer a different question that shares a word', () => {
    expect(
      articleAnswers(
        ticketTerms(
          'en',
          ticket(
            'Password reset email never arrives',
            'I requested a password reset for a technician account but no email came through.',
          ),
        ),
        article,
      ),
    ).toBeNull();
    expect(articleAnswers(ticketTerms('en', original), article)).toBeNull();
  });
});

describe('text helpers', () => {
  it('reads HTML bodies without their markup', () => {
    expect(plainText('<p>Export <strong>fails</strong>&nbsp;again</p>', 'html').trim().split(/\s+/)).toEqual([
      'Export',
      'fails',
      'again',
    ]);
  });
  it('compares fields word by word, ignoring case, accents and punctuation', () => {
    expect(sameField('Édition 2, Chrome', 'edition 2 chrome')).toBe(true);
    expect(sameField('', '')).toBe(false);
    expect(sameField('Chrome', null)).toBe(false);
  });
  it('gives a cosine between 0 and 1, symmetric, 1 for a text with itself', () => {
    const words = fc.array(
      fc.constantFrom('export', 'error', 'order', 'invoice', 'password', 'mail', 'slow'),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(words, words, (a, b) => {
        const x = termsOf('en', [{ text: a.join(' '), weight: 1 }]);
        const y = termsOf('en', [{ text: b.join(' '), weight: 2 }]);
        const c = cosine(x, y);
        expect(c).toBeGreaterThanOrEqual(0);
        expect(c).toBeLessThanOrEqual(1 + 1e-9);
        expect(cosine(y, x)).toBeCloseTo(c, 10);
        if (x.size > 0) expect(cosine(x, x)).toBeCloseTo(1, 10);
        expect(coverage(x, x)).toBe(x.size > 0 ? 1 : 0);
      }),
    );
  });
});
