import type { Terms } from './text.js';

/**
 * A bag of terms in little memory: each stem's 32-bit hash (FNV-1a), sorted, with its weight, and
 * the norm. Kept for many tickets at once, where a Map of strings takes ten times the room. Two stems
 * of a few hundred that share a hash are one chance in tens of thousands, and move a cosine a little.
 */
export interface TermVector {
  hashes: Int32Array;
  weights: Float64Array;
  norm: number;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

export function termVector(terms: Terms): TermVector {
  const byHash = new Map<number, number>();
  for (const [term, weight] of terms) {
    const hash = fnv1a(term);
    byHash.set(hash, (byHash.get(hash) ?? 0) + weight);
  }
  const hashes = Int32Array.from(byHash.keys()).sort();
  const weights = Float64Array.from(hashes, (h) => byHash.get(h)!);
  let sum = 0;
  for (const w of weights) sum += w * w;
  return { hashes, weights, norm: Math.sqrt(sum) };
}

/** The cosine of two term vectors, as `cosine` of their bags of terms. */
export function vectorCosine(a: TermVector, b: TermVector): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  let dot = 0;
  let i = 0;
  let j = 0;
  while (i < a.hashes.length && j < b.hashes.length) {
    const x = a.hashes[i]!;
    const y = b.hashes[j]!;
    if (x === y) dot += a.weights[i++]! * b.weights[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return dot / (a.norm * b.norm);
}
