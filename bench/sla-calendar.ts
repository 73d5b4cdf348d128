/**
 * `npx tsx bench/sla-calendar.ts`: how many first-response due times per second the business clock
 * computes. Tickets are opened at random instants spread over ten years (2026–2035, a seeded
 * sequence so runs compare) with business-day targets of 1 and 2 days (480 and 960 business
 * minutes) on the policy's US eastern calendar. BENCH_CALENDAR_ITERATIONS overrides the count.
 */
import { addBusinessTime, compileCalendar } from '../src/calendar/calendar.js';
import { US_EASTERN_BUSINESS_HOURS } from '../src/calendar/default.js';

const MINUTE = 60_000;
const FROM = Date.UTC(2026, 0, 1);
const SPAN = Date.UTC(2036, 0, 1) - FROM;
const DURATIONS = [480 * MINUTE, 960 * MINUTE];

/** mulberry32: a small seeded generator, so every run times the same openings. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Times addBusinessTime over seeded random openings across ten years; prints and returns the rate. */
export async function runCalendarBench(
  options: { iterations?: number } = {},
): Promise<{ dueTimesPerSecond: number; iterations: number }> {
  const iterations = Math.max(1, Math.floor(options.iterations ?? 1_000_000));
  const calendar = compileCalendar(US_EASTERN_BUSINESS_HOURS);
  const random = seeded(20_261_127);
  const openings = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) openings[i] = FROM + Math.floor(random() * SPAN);

  // Warm-up: lets the JIT settle and fills the zone's offset table, as a running desk would have.
  let checksum = 0;
  const warmup = Math.min(iterations, 50_000);
  for (let i = 0; i < warmup; i++) checksum += addBusinessTime(calendar, openings[i]!, DURATIONS[i & 1]!) % 7;

  const started = performance.now();
  for (let i = 0; i < iterations; i++)
    checksum += addBusinessTime(calendar, openings[i]!, DURATIONS[i & 1]!) % 7;
  const seconds = (performance.now() - started) / 1000;
  const dueTimesPerSecond = Math.round(iterations / seconds);
  process.stdout.write(
    `business clock: ${dueTimesPerSecond.toLocaleString('en-US')} due times/s ` +
      `(${iterations.toLocaleString('en-US')} openings over 2026–2035, +1 or +2 business days, ` +
      `America/New_York; checksum ${checksum})\n`,
  );
  return { dueTimesPerSecond, iterations };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const raw = process.env.BENCH_CALENDAR_ITERATIONS;
  await runCalendarBench(raw ? { iterations: Number(raw.replace(/_/g, '')) } : {});
}
