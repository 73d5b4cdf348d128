import { describe, expect, it } from 'vitest';
import { clockText, durationText, htmlToText, instantText, mailLocale } from './mail-text.js';
import { threadHeaders } from './ticket-mail.js';

const BUSINESS_DAY = 480;

describe('durationText', () => {
  it.each([
    [{ minutes: 15, clock: 'calendar' as const }, 'en', '15 minutes'],
    [{ minutes: 60, clock: 'calendar' as const }, 'en', '1 hour'],
    [{ minutes: 60, clock: 'calendar' as const }, 'fr', '1 heure'],
    [{ minutes: 240, clock: 'calendar' as const }, 'fr', '4 heures'],
    [{ minutes: 480, clock: 'business' as const }, 'en', '1 business day'],
    [{ minutes: 480, clock: 'business' as const }, 'fr', '1 jour ouvrable'],
    [{ minutes: 960, clock: 'business' as const }, 'fr', '2 jours ouvrables'],
    [{ minutes: 240, clock: 'business' as const }, 'en', '4 business hours'],
    [{ minutes: 90, clock: 'calendar' as const }, 'en', '90 minutes'],
  ] as const)('%o in %s is "%s"', (term, locale, text) => {
    expect(durationText(term, BUSINESS_DAY, locale)).toBe(text);
  });
});

describe('clockText and instantText', () => {
  it('names the clock and the policy zone in each language', () => {
    expect(clockText('calendar', 'America/New_York', 'en')).toBe('around the clock');
    expect(clockText('business', 'America/New_York', 'en')).toBe('business hours, US Eastern');
    expect(clockText('business', 'America/New_York', 'fr')).toBe("heures ouvrables, heure de l'Est");
  });

  it('writes Monday 2026-06-01 13:00 UTC as New York time, with the zone', () => {
    const at = Date.parse('2026-06-01T13:00:00Z');
    expect(instantText(at, 'America/New_York', 'en')).toBe('Monday, June 1, 2026 at 9:00 AM EDT');
    expect(instantText(at, 'America/New_York', 'fr')).toBe('lundi 1 juin 2026 à 09:00 UTC\u22124');
  });

  it('writes a winter instant with standard time: 2026-12-01 14:00 UTC is 9:00 EST', () => {
    expect(instantText(Date.parse('2026-12-01T14:00:00Z'), 'America/New_York', 'en')).toBe(
      'Tuesday, December 1, 2026 at 9:00 AM EST',
    );
  });
});

describe('mailLocale', () => {
  it('takes the first preference the desk writes, else English', () => {
    expect(mailLocale(null, 'fr')).toBe('fr');
    expect(mailLocale('en', 'fr')).toBe('en');
    expect(mailLocale('fr-CA')).toBe('fr');
    expect(mailLocale('de', undefined)).toBe('en');
  });
});

describe('htmlToText', () => {
  it('keeps paragraphs, list items and link targets, and decodes entities', () => {
    expect(
      htmlToText(
        '<p>Fixed in <b>v2</b> &amp; deployed.</p><ul><li>Clear the cache</li><li>Sign in</li></ul><p>See <a href="https://help.test/x" rel="noopener">the guide</a>.</p>',
      ),
    ).toBe('Fixed in v2 & deployed.\n- Clear the cache\n- Sign in\n\nSee the guide (https://help.test/x).');
  });
});

describe('threadHeaders', () => {
  it('answers the latest mail and references the thread, oldest first', () => {
    expect(threadHeaders(['a@x', 'b@x'])).toEqual({ 'In-Reply-To': '<b@x>', References: '<a@x> <b@x>' });
    expect(threadHeaders([])).toEqual({});
  });

  it('keeps the first mail and the 19 latest in a long thread', () => {
    const thread = Array.from({ length: 30 }, (_, i) => `m${i}@x`);
    const references = threadHeaders(thread).References!.split(' ');
    expect(references).toHaveLength(20);
    expect(references[0]).toBe('<m0@x>');
    expect(references[1]).toBe('<m11@x>');
    expect(references.at(-1)).toBe('<m29@x>');
  });
});
