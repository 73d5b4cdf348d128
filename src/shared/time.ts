/** Instants travel as epoch milliseconds inside Accord and as ISO 8601 UTC strings at its edges. */
export const toIso = (ms: number): string => new Date(ms).toISOString();
export const toIsoOrNull = (ms: number | null): string | null => (ms === null ? null : toIso(ms));

/** Parses an ISO 8601 date or date-time; a bare date means midnight UTC. */
export function parseInstant(value: string): number {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${value}`);
  return ms;
}

/** The time source, injected so that services and tests agree on "now". */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();
