import { MAX_LINE_BYTES } from './schema.js';

/**
 * Splits a byte stream into lines of UTF-8 text (LF or CRLF; invalid bytes read as U+FFFD). A line
 * longer than `maxLineBytes` is kept only to one byte more, enough to be refused without being held
 * whole; after `maxBytes` reading stops, the partial line there is dropped, and `overLimit()` says so.
 */
export function splitLines(
  source: AsyncIterable<Uint8Array | string>,
  options: { maxLineBytes?: number; maxBytes?: number } = {},
): { lines: AsyncIterable<string>; overLimit: () => boolean } {
  const keep = (options.maxLineBytes ?? MAX_LINE_BYTES) + 1;
  let over = false;
  async function* lines() {
    let parts: Buffer[] = [];
    let kept = 0;
    let total = 0;
    const take = () => {
      const text = Buffer.concat(parts, kept).toString('utf8');
      parts = [];
      kept = 0;
      return text;
    };
    for await (const chunk of source) {
      let buffer =
        typeof chunk === 'string'
          ? Buffer.from(chunk)
          : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      total += buffer.length;
      if (options.maxBytes !== undefined && total > options.maxBytes) {
        over = true;
        buffer = buffer.subarray(0, buffer.length - (total - options.maxBytes));
      }
      let start = 0;
      for (;;) {
        const newline = buffer.indexOf(0x0a, start);
        const end = newline === -1 ? buffer.length : newline;
        if (kept < keep && end > start) {
          const piece = buffer.subarray(start, Math.min(end, start + keep - kept));
          parts.push(piece);
          kept += piece.length;
        }
        if (newline === -1) break;
        yield take();
        start = newline + 1;
      }
      if (over) return;
    }
    if (kept > 0) yield take();
  }
  return { lines: lines(), overLimit: () => over };
}
