import { describe, expect, it } from 'vitest';
import { MAX_TAG_LENGTH, normalizeTag, normalizeTags } from './tags.js';

const tagOf = (raw: string) => {
  const result = normalizeTag(raw);
  return result.ok ? result.tag : `!${result.reason}`;
};

describe('tag normalization', () => {
  it('trims, lower-cases and joins words with one hyphen', () => {
    expect(tagOf('  Billing Issue ')).toBe('billing-issue');
    expect(tagOf('BILLING\t\tISSUE')).toBe('billing-issue');
    expect(tagOf('sso:okta')).toBe('sso:okta');
    expect(tagOf('v2.3_rc')).toBe('v2.3_rc');
  });

  it('composes accents (NFC), so a decomposed é is the same tag as a composed one', () => {
    const decomposed = 'Fact\u0075\u0072e\u0301';
    expect(tagOf(decomposed)).toBe('facturé');
    expect(tagOf(decomposed)).toBe(tagOf('FACTURÉ'));
  });

  it('refuses punctuation, markup, empty words and leading or doubled separators', () => {
    for (const bad of ['', '   ', '<script>', 'a,b', 'a--b', '-a', 'a-', 'x/y', "o'brien", 'a\u0000b'])
      expect(tagOf(bad)).toMatch(/^!/);
  });

  it('allows 50 characters and refuses 51', () => {
    expect(tagOf('a'.repeat(MAX_TAG_LENGTH))).toBe('a'.repeat(MAX_TAG_LENGTH));
    expect(tagOf('a'.repeat(MAX_TAG_LENGTH + 1))).toMatch(/^!must be at most 50/);
  });

  it('drops repeats that normalize alike and names the first bad one', () => {
    expect(normalizeTags(['VIP', 'vip', ' Vip ', 'sso'])).toEqual({ tags: ['vip', 'sso'] });
    expect(normalizeTags(['ok', 'not ok!', '<b>'])).toMatchObject({ index: 1 });
  });
});
