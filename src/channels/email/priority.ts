import type { Priority } from '../../policy/tiers.js';

export interface StatedPriority {
  priority: Priority | null;
  /** The subject without the tag that stated the priority; unchanged when none did. */
  subject: string;
}

// The policy's own names, in English and French, accents and case ignored.
const PRIORITY_NAMES: Record<string, Priority> = {
  critical: 'P0',
  critique: 'P0',
  major: 'P1',
  majeur: 'P1',
  majeure: 'P1',
  minor: 'P2',
  mineur: 'P2',
  mineure: 'P2',
  cosmetic: 'P3',
  cosmetique: 'P3',
  esthetique: 'P3',
};

// "P1" standing alone: not inside "MP3", "P10" or "P1a".
const CODE = /(?<![\p{L}\p{N}_])P([0-3])(?![\p{L}\p{N}_])/iu;
// A whole bracket group: "[P1]", "(Critical)", "[Priority: P0]".
const BRACKETED = /[[(]\s*([^[\]()]{1,40}?)\s*[\])]/gu;
// Re:, Fwd: and the like, which a stated priority comes after.
const REPLY_PREFIXES = /^(?:\s*(?:re|fwd?|tr|aw|wg|sv|rv|rif|réf)\s*(?:\[\d+\])?\s*:)*\s*/iu;
// A leading tag: "P0: outage", "Critical: sync", "Critique : sync", "P1 - sync".
const LEADING_TAG = /^([\p{L}\p{N}]{2,12})\s*(?::|\s[-–—|]\s)\s*/u;
const BODY_LINE = /^\s*\**\s*(?:priority|priorité|priorite)\s*\**\s*[:：]\s*\**\s*([\p{L}\p{N}]+)/iu;
const BODY_LINES_READ = 10;

/**
 * The priority a customer states in a mail, read from, in order: a bracketed tag in the subject,
 * a leading tag in the subject, a "Priority:" line near the top of the body, and a P0–P3 word
 * anywhere in the subject. The returned subject has the tag it came from removed.
 */
export function priorityFromMail(subject: string, text: string): StatedPriority {
  return (
    fromBracketedTag(subject) ??
    fromLeadingTag(subject) ??
    fromBodyLine(text, subject) ??
    fromCodeWord(subject) ?? { priority: null, subject }
  );
}

/** "P1", "p0", "Critical", "Majeur", "Esthétique", "Priority: P2" → the priority, else null. */
function priorityOfTag(tag: string): Priority | null {
  const word = tag
    .trim()
    .replace(/^(?:priority|priorité|priorite)\s*[:：]?\s*/iu, '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
  const code = /^p([0-3])$/.exec(word)?.[1];
  if (code !== undefined) return `P${code}` as Priority;
  return PRIORITY_NAMES[word] ?? null;
}

function fromBracketedTag(subject: string): StatedPriority | null {
  for (const match of subject.matchAll(BRACKETED)) {
    const priority = priorityOfTag(match[1] ?? '');
    if (priority) return { priority, subject: removeSpan(subject, match.index, match[0].length) };
  }
  return null;
}

function fromLeadingTag(subject: string): StatedPriority | null {
  const prefix = REPLY_PREFIXES.exec(subject)?.[0] ?? '';
  const match = LEADING_TAG.exec(subject.slice(prefix.length));
  if (!match) return null;
  const priority = priorityOfTag(match[1] ?? '');
  if (!priority) return null;
  return { priority, subject: removeSpan(subject, prefix.length, match[0].length) };
}

function fromBodyLine(text: string, subject: string): StatedPriority | null {
  const lines = text.replace(/\r\n?/g, '\n').split('\n', BODY_LINES_READ * 4);
  const firstLines = lines.filter((line) => line.trim() !== '').slice(0, BODY_LINES_READ);
  for (const line of firstLines) {
    const value = BODY_LINE.exec(line.slice(0, 200))?.[1];
    const priority = value === undefined ? null : priorityOfTag(value);
    if (priority) return { priority, subject };
  }
  return null;
}

function fromCodeWord(subject: string): StatedPriority | null {
  const match = CODE.exec(subject);
  if (!match) return null;
  return { priority: `P${match[1]}` as Priority, subject: removeSpan(subject, match.index, match[0].length) };
}

/** The subject without [start, start+length), the spaces around the cut closed up. */
function removeSpan(subject: string, start: number, length: number): string {
  const before = subject.slice(0, start).replace(/\s+$/, '');
  const after = subject.slice(start + length).replace(/^\s+/, '');
  if (before === '') return after;
  if (after === '') return before;
  return `${before} ${after}`;
}
