/** The longest tag, in characters, after normalization. */
export const MAX_TAG_LENGTH = 50;
/** The most tags one ticket carries. */
export const MAX_TAGS_PER_TICKET = 20;

/** Letters and digits of any script, then single `-`, `_`, `.` or `:` between them. */
const TAG_PATTERN = /^[\p{L}\p{N}]+(?:[-_.:][\p{L}\p{N}]+)*$/u;

export type TagResult = { ok: true; tag: string } | { ok: false; reason: string };

/**
 * A tag as the desk stores it: NFC, trimmed, lower-case, runs of spaces as one `-`. What remains
 * must be letters and digits joined by `-`, `_`, `.` or `:`, at most 50 characters, so that
 * "Billing Issue", " billing-issue " and "BILLING  ISSUE" are one tag.
 */
export function normalizeTag(raw: string): TagResult {
  const tag = raw.normalize('NFC').trim().toLowerCase().replace(/\s+/gu, '-');
  if (tag.length === 0) return { ok: false, reason: 'must not be empty' };
  if ([...tag].length > MAX_TAG_LENGTH)
    return { ok: false, reason: `must be at most ${MAX_TAG_LENGTH} characters` };
  if (!TAG_PATTERN.test(tag))
    return {
      ok: false,
      reason: 'letters and digits, joined by single "-", "_", "." or ":" (spaces become "-")',
    };
  return { ok: true, tag };
}

/** Normalized tags without repeats, in the order first given; the first bad one is reported. */
export function normalizeTags(
  raw: readonly string[],
): { tags: string[] } | { index: number; reason: string } {
  const tags: string[] = [];
  for (const [index, value] of raw.entries()) {
    const result = normalizeTag(value);
    if (!result.ok) return { index, reason: result.reason };
    if (!tags.includes(result.tag)) tags.push(result.tag);
  }
  return { tags };
}
