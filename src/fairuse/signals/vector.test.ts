import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cosine, type Terms } from './text.js';
import { termVector, vectorCosine } from './vector.js';

const bag = fc
  .dictionary(fc.stringMatching(/^[a-zà-ÿ]{2,12}$/), fc.double({ min: 0.1, max: 5, noNaN: true }), {
    maxKeys: 200,
  })
  .map((d): Terms => new Map(Object.entries(d)));

describe('term vectors', () => {
  it('give the cosine of the bags of terms they were made of', () => {
    fc.assert(
      fc.property(bag, bag, (a, b) => {
        expect(vectorCosine(termVector(a), termVector(b))).toBeCloseTo(cosine(a, b), 9);
      }),
    );
  });

  it('are 1 for the same words in the same proportions and 0 for no word shared', () => {
    const a: Terms = new Map([
      ['export', 2],
      ['order', 1],
    ]);
    const doubled: Terms = new Map([
      ['export', 4],
      ['order', 2],
    ]);
    expect(vectorCosine(termVector(a), termVector(doubled))).toBeCloseTo(1, 12);
    expect(vectorCosine(termVector(a), termVector(new Map([['invoic', 1]])))).toBe(0);
    expect(vectorCosine(termVector(a), termVector(new Map()))).toBe(0);
  });
});
