import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, toPage } from './pagination.js';
import { Problem } from './problem.js';

describe('keyset cursors', () => {
  it('round-trip', () => {
    const cursor = { k: 1780315200000, id: '0190a1b2-0000-7000-8000-000000000000' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor(undefined)).toBeUndefined();
  });

  it.each([
    '',
    'not base64 !',
    Buffer.from('{"k":1}').toString('base64url'),
    Buffer.from('[1,2]').toString('base64url'),
    Buffer.from('{"k":{},"id":"x"}').toString('base64url'),
  ])('refuses %j as a 400', (raw) => {
    expect(() => decodeCursor(raw)).toThrow(Problem);
  });

  it('turns limit+1 rows into a page and a cursor at its last row', () => {
    const rows = [1, 2, 3].map((n) => ({ n, id: `0190a1b2-0000-7000-8000-00000000000${n}` }));
    const page = toPage(
      rows,
      2,
      (r) => r.n,
      (r) => ({ k: r.n, id: r.id }),
    );
    expect(page.data).toEqual([1, 2]);
    expect(decodeCursor(page.nextCursor!)).toEqual({ k: 2, id: '0190a1b2-0000-7000-8000-000000000002' });
    expect(
      toPage(
        rows.slice(0, 2),
        2,
        (r) => r.n,
        (r) => ({ k: r.n, id: r.id }),
      ).nextCursor,
    ).toBeNull();
  });
});
