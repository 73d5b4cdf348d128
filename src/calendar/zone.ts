/**
 * UTC offsets of an IANA time zone, read from the runtime's Intl data and kept as a small table of
 * offset changes so that turning a local business day into UTC instants is arithmetic, not an
 * Intl call per question. Shared by every calendar on the same zone; memory is bounded.
 */
import { DAY_MS } from './civil.js';

/** Offsets are looked up in chunks of four weeks; a chunk holds its offset changes (usually none). */
const CHUNK_MS = 28 * DAY_MS;
/** Offset changes are found between daily samples; a change undone within a day would go unseen, and no zone has one. */
const SAMPLE_MS = DAY_MS;
const CHUNK_CACHE_LIMIT = 512;
const ZONE_CACHE_LIMIT = 1024;
/** Wider than any offset the tz database has ever had (±15:56), so a local day's instants are all inside. */
export const OFFSET_BOUND_MS = 16 * 3_600_000;

interface Chunk {
  /** Instants from which offsets[i] applies; starts[0] is the chunk start. */
  readonly starts: number[];
  readonly offsets: number[];
  readonly end: number;
}

/** The range of instants a JavaScript Date can represent. */
const MAX_INSTANT = 8.64e15;
const OFFSET_TEXT = /GMT(?:([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?)?$/;

export class ZoneClock {
  private readonly formatter: Intl.DateTimeFormat;
  private readonly chunks = new Map<number, Chunk>();

  constructor(readonly timeZone: string) {
    // Throws RangeError for a zone the runtime does not know; compileCalendar reports it.
    this.formatter = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  }

  /** Offset (local minus UTC, ms) at an instant, straight from Intl. */
  intlOffset(at: number): number {
    // Chunks at the ends of the Date range reach past it; the offset there is the one at the end.
    const text = this.formatter.format(Math.min(Math.max(at, -MAX_INSTANT), MAX_INSTANT));
    const match = OFFSET_TEXT.exec(text);
    if (!match) throw new Error(`Cannot read the UTC offset of ${this.timeZone} from '${text}'`);
    if (match[1] === undefined) return 0;
    const sign = match[1] === '-' ? -1 : 1;
    const seconds = Number(match[2]) * 3600 + Number(match[3] ?? 0) * 60 + Number(match[4] ?? 0);
    return sign * seconds * 1000;
  }

  private chunk(index: number): Chunk {
    let chunk = this.chunks.get(index);
    if (chunk === undefined) {
      chunk = this.buildChunk(index);
      if (this.chunks.size >= CHUNK_CACHE_LIMIT) {
        for (const oldest of this.chunks.keys()) {
          this.chunks.delete(oldest);
          break;
        }
      }
      this.chunks.set(index, chunk);
    }
    return chunk;
  }

  private buildChunk(index: number): Chunk {
    const start = index * CHUNK_MS;
    const end = start + CHUNK_MS;
    const starts = [start];
    const offsets = [this.intlOffset(start)];
    let previousAt = start;
    let previousOffset = offsets[0]!;
    for (let at = start + SAMPLE_MS; at <= end; at += SAMPLE_MS) {
      const offset = this.intlOffset(at);
      if (offset !== previousOffset)
        this.findChanges(previousAt, previousOffset, at, offset, end, starts, offsets);
      previousAt = at;
      previousOffset = offset;
    }
    return { starts, offsets, end };
  }

  /** Bisects (lo, hi] to the second for each change between two samples; a change at `end` belongs to the next chunk. */
  private findChanges(
    lo: number,
    loOffset: number,
    hi: number,
    hiOffset: number,
    end: number,
    starts: number[],
    offsets: number[],
  ): void {
    while (loOffset !== hiOffset) {
      let a = lo;
      let b = hi;
      while (b - a > 1000) {
        const mid = a + Math.floor((b - a) / 2000) * 1000;
        if (this.intlOffset(mid) === loOffset) a = mid;
        else b = mid;
      }
      const offset = this.intlOffset(b);
      if (b < end) {
        starts.push(b);
        offsets.push(offset);
      }
      lo = b;
      loOffset = offset;
    }
  }

  /** Offset (local minus UTC, ms) in force at an instant. */
  offsetAt(at: number): number {
    const chunk = this.chunk(Math.floor(at / CHUNK_MS));
    const { starts, offsets } = chunk;
    let i = 0;
    while (i + 1 < starts.length && starts[i + 1]! <= at) i++;
    return offsets[i]!;
  }

  /**
   * Appends to `out` the UTC intervals [open, close) of the instants whose wall-clock time lies in
   * one of the local ranges (pairs of ms from `localMidnight`, a local wall time expressed as if UTC),
   * in order and merged. Exact across offset changes: a wall time skipped by a spring-forward is
   * never open, and one repeated by a fall-back is open both times.
   */
  wallRangesToUtc(localMidnight: number, ranges: readonly number[], out: number[]): void {
    let at = localMidnight + ranges[0]! - OFFSET_BOUND_MS;
    const until = localMidnight + ranges[ranges.length - 1]! + OFFSET_BOUND_MS;
    while (at < until) {
      const { starts, offsets, end } = this.chunk(Math.floor(at / CHUNK_MS));
      let i = 0;
      while (i + 1 < starts.length && starts[i + 1]! <= at) i++;
      const offset = offsets[i]!;
      const segmentEnd = i + 1 < starts.length ? starts[i + 1]! : end;
      for (let r = 0; r < ranges.length; r += 2) {
        const open = Math.max(at, localMidnight + ranges[r]! - offset);
        const close = Math.min(segmentEnd, localMidnight + ranges[r + 1]! - offset);
        if (open >= close) continue;
        const last = out.length - 1;
        if (last > 0 && out[last]! >= open) out[last] = Math.max(out[last]!, close);
        else out.push(open, close);
      }
      at = segmentEnd;
    }
  }
}

const zones = new Map<string, ZoneClock>();

/** The shared offset table of a time zone (throws RangeError for an unknown zone). */
export function zoneClock(timeZone: string): ZoneClock {
  let zone = zones.get(timeZone);
  if (zone === undefined) {
    zone = new ZoneClock(timeZone);
    if (zones.size >= ZONE_CACHE_LIMIT) zones.clear();
    zones.set(timeZone, zone);
  }
  return zone;
}
