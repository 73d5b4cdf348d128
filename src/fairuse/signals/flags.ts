import { toIso } from '../../shared/time.js';

/**
 * Flags: what a lead reviews per organization, computed from the stored signals (and, for volume,
 * from ticket counts) whenever they are read. Pure: the service reads the rows and the clock.
 *
 * Thresholds, over the last 30 days (or since the flag's last dismissal, whichever is later):
 * - repeat_incident: 3 tickets or more that repeat a resolved ticket (text similarity ≥ 0.6, see
 *   similarity.ts) or reopen a resolved ticket without new information;
 * - helpcenter_answered: 3 tickets or more whose question a published article answers, suggested
 *   to the sender before sending or later sent by staff as the answer;
 * - off_topic: 2 tickets or more marked off-topic by staff;
 * - volume: 10 tickets or more, and more than twice the organization's own monthly average over
 *   the 90 days before, and more than twice the median of the other organizations of its tier
 *   that filed in those 30 days (each baseline counted as at least one ticket).
 * A count flag scores count / (2 × threshold), a volume flag the smaller ratio / 4, both capped at
 * 1: a flag just at its threshold scores 0.5, at twice it 1.
 */

export const DAY = 86_400_000;
export const FLAG_WINDOW_DAYS = 30;
export const VOLUME_BASELINE_DAYS = 90;
/** How far back a new ticket looks for the resolved ticket it may repeat. */
export const REPEAT_LOOKBACK_DAYS = 180;
/** The resolved tickets a new ticket is compared with, most recently resolved first. */
export const REPEAT_CANDIDATES = 200;

export const FLAG_KINDS = ['repeat_incident', 'helpcenter_answered', 'off_topic', 'volume'] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];
export const SIGNAL_KINDS = [
  'repeat_incident',
  'reopened_unchanged',
  'helpcenter_answered',
  'off_topic',
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

export const COUNT_THRESHOLDS = { repeat_incident: 3, helpcenter_answered: 3, off_topic: 2 } as const;
export const VOLUME_MIN_TICKETS = 10;
export const VOLUME_RATIO = 2;
/** The most evidence items one flag lists (newest first); the summary counts them all. */
export const MAX_EVIDENCE = 50;

export interface TicketRef {
  id: string;
  number: number;
  subject: string;
  createdAt: string;
}

export interface Evidence {
  ticket?: TicketRef;
  matches?: { id: string; number: number; subject: string; similarity: number }[];
  article?: { id: string; title: string; url: string; opened: boolean };
  note?: string;
  at: string;
}

export interface Flag {
  id: string;
  organizationId: string;
  organizationName: string;
  kind: FlagKind;
  score: number;
  summary: string;
  window: { from: string; to: string };
  evidence: Evidence[];
}

/** What one stored signal holds, by kind (the `evidence` JSON column). */
export interface RepeatEvidence {
  matches: { id: string; number: number; subject: string; similarity: number }[];
}
export interface ReopenEvidence {
  messageId: string;
  excerpt: string;
  words: number;
  coverage: number;
}
export interface HelpCenterEvidence {
  articles: { id: string; title: string; url: string; opened: boolean; similarity: number }[];
}
export interface OffTopicEvidence {
  note: string | null;
}

/** A stored signal with its ticket, as the repository reads it. */
export interface SignalRecord {
  id: string;
  kind: SignalKind;
  score: number;
  evidence: unknown;
  at: number;
  ticket: TicketRef;
}

/** A staff answer with an article link (hc_ticket_links kind 'answer'). */
export interface AnswerLinkRecord {
  at: number;
  ticket: TicketRef;
  article: { id: string; title: string; url: string; opened: boolean };
}

export interface FlagScope {
  organizationId: string;
  organizationName: string;
  /** Evidence after this instant counts: the window's start, or the last dismissal if later. */
  since: number;
  now: number;
  /** Whether `since` is a dismissal, for the summary's wording. */
  dismissedAt: number | null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const clamp01 = (x: number) => Math.max(0, Math.min(1, x));
const round2 = (x: number) => Math.round(x * 100) / 100;
const period = (scope: FlagScope) =>
  scope.dismissedAt === null
    ? `in the last ${FLAG_WINDOW_DAYS} days`
    : `since the flag was dismissed on ${toIso(scope.dismissedAt).slice(0, 10)}`;

function flagOf(
  scope: FlagScope,
  kind: FlagKind,
  score: number,
  summary: string,
  evidence: Evidence[],
): Flag {
  evidence.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return {
    id: `${scope.organizationId}:${kind}`,
    organizationId: scope.organizationId,
    organizationName: scope.organizationName,
    kind,
    score: round2(clamp01(score)),
    summary,
    window: { from: toIso(scope.since), to: toIso(scope.now) },
    evidence: evidence.slice(0, MAX_EVIDENCE),
  };
}

const countScore = (count: number, threshold: number) => count / (2 * threshold);

/** One signal's evidence as the API shows it. */
export function signalEvidence(signal: SignalRecord): Evidence[] {
  const at = toIso(signal.at);
  const ticket = signal.ticket;
  switch (signal.kind) {
    case 'repeat_incident': {
      const { matches } = signal.evidence as RepeatEvidence;
      const best = matches[0];
      return [
        {
          ticket,
          matches,
          note: best
            ? `Repeats #${best.number} (similarity ${best.similarity.toFixed(2)})${matches.length > 1 ? ` and ${plural(matches.length - 1, 'other resolved ticket')}` : ''}.`
            : 'Repeats a resolved ticket.',
          at,
        },
      ];
    }
    case 'reopened_unchanged': {
      const e = signal.evidence as ReopenEvidence;
      return [
        {
          ticket,
          note: `Reopened after resolution without new information: “${e.excerpt}” (${plural(e.words, 'word')}, ${Math.round(e.coverage * 100)}% already in the ticket, no new attachment).`,
          at,
        },
      ];
    }
    case 'helpcenter_answered': {
      const { articles } = signal.evidence as HelpCenterEvidence;
      return articles.map((article) => ({
        ticket,
        article: { id: article.id, title: article.title, url: article.url, opened: article.opened },
        note: `The article was suggested before sending${article.opened ? ' and opened' : ', not opened'}; it holds ${Math.round(article.similarity * 100)}% of the ticket’s words.`,
        at,
      }));
    }
    case 'off_topic': {
      const { note } = signal.evidence as OffTopicEvidence;
      return [{ ticket, note: note ? `Marked off-topic: ${note}` : 'Marked off-topic by staff.', at }];
    }
  }
}

/** Answered by staff with an article link, as evidence. */
export function answerEvidence(link: AnswerLinkRecord): Evidence {
  return {
    ticket: link.ticket,
    article: link.article,
    note: 'Staff answered with this help center article.',
    at: toIso(link.at),
  };
}

export function repeatFlag(scope: FlagScope, signals: SignalRecord[]): Flag | null {
  const relevant = signals.filter((s) => s.kind === 'repeat_incident' || s.kind === 'reopened_unchanged');
  const tickets = new Set(relevant.map((s) => s.ticket.id));
  const threshold = COUNT_THRESHOLDS.repeat_incident;
  if (tickets.size < threshold) return null;
  const repeats = new Set(relevant.filter((s) => s.kind === 'repeat_incident').map((s) => s.ticket.id));
  const reopens = new Set(relevant.filter((s) => s.kind === 'reopened_unchanged').map((s) => s.ticket.id));
  const originals = new Set(
    relevant
      .flatMap((s) => (s.kind === 'repeat_incident' ? (s.evidence as RepeatEvidence).matches : []))
      .map((m) => m.id),
  );
  const parts = [
    repeats.size > 0 &&
      `${plural(repeats.size, 'new ticket')} closely matching ${plural(originals.size, 'resolved ticket')}`,
    reopens.size > 0 && `${plural(reopens.size, 'reopen')} without new information`,
  ].filter(Boolean);
  return flagOf(
    scope,
    'repeat_incident',
    countScore(tickets.size, threshold),
    `${plural(tickets.size, 'ticket')} ${period(scope)} repeat resolved incidents: ${parts.join(', ')}.`,
    relevant.flatMap(signalEvidence),
  );
}

export function helpCenterFlag(
  scope: FlagScope,
  signals: SignalRecord[],
  answers: AnswerLinkRecord[],
): Flag | null {
  const suggested = signals.filter((s) => s.kind === 'helpcenter_answered');
  const tickets = new Set([...suggested.map((s) => s.ticket.id), ...answers.map((a) => a.ticket.id)]);
  const threshold = COUNT_THRESHOLDS.helpcenter_answered;
  if (tickets.size < threshold) return null;
  const articles = new Set([
    ...suggested.flatMap((s) => (s.evidence as HelpCenterEvidence).articles.map((a) => a.id)),
    ...answers.map((a) => a.article.id),
  ]);
  const answeredTickets = new Set(answers.map((a) => a.ticket.id)).size;
  const parts = [
    suggested.length > 0 && `${suggested.length} sent after the answer was suggested`,
    answeredTickets > 0 && `${answeredTickets} answered by staff with an article link`,
  ].filter(Boolean);
  return flagOf(
    scope,
    'helpcenter_answered',
    countScore(tickets.size, threshold),
    `${plural(tickets.size, 'ticket')} ${period(scope)} asked what ${plural(articles.size, 'help center article')} already ${articles.size === 1 ? 'answers' : 'answer'} (${parts.join('; ')}).`,
    [...suggested.flatMap(signalEvidence), ...answers.map(answerEvidence)],
  );
}

export function offTopicFlag(scope: FlagScope, signals: SignalRecord[]): Flag | null {
  const marked = signals.filter((s) => s.kind === 'off_topic');
  const threshold = COUNT_THRESHOLDS.off_topic;
  if (marked.length < threshold) return null;
  return flagOf(
    scope,
    'off_topic',
    countScore(marked.length, threshold),
    `${plural(marked.length, 'ticket')} ${period(scope)} ${marked.length === 1 ? 'was' : 'were'} marked off-topic by staff.`,
    marked.flatMap(signalEvidence),
  );
}

export interface VolumeCounts {
  /** Tickets after `since`, up to now. */
  recent: number;
  /** Tickets in the 90 days before the window. */
  baseline: number;
  tier: string | null;
  /** The median 30-day count of the tier's other organizations that filed; null when none did. */
  tierMedian: number | null;
  topRequester: { id: string; name: string; recent: number; baseline: number } | null;
}

const monthly = (baselineCount: number) => (baselineCount * FLAG_WINDOW_DAYS) / VOLUME_BASELINE_DAYS;
const oneDecimal = (x: number) => String(Math.round(x * 10) / 10);

export function volumeFlag(scope: FlagScope, counts: VolumeCounts): Flag | null {
  const ownAverage = monthly(counts.baseline);
  const ownRatio = counts.recent / Math.max(ownAverage, 1);
  const tierRatio = counts.recent / Math.max(counts.tierMedian ?? 0, 1);
  if (counts.recent < VOLUME_MIN_TICKETS || ownRatio <= VOLUME_RATIO || tierRatio <= VOLUME_RATIO)
    return null;
  const tierName = counts.tier ? `the ${counts.tier} tier’s` : 'its tier’s';
  const at = toIso(scope.now);
  const evidence: Evidence[] = [
    {
      note: `${plural(counts.recent, 'ticket')} ${period(scope)}; its own average ${oneDecimal(ownAverage)} a month over the ${VOLUME_BASELINE_DAYS} days before; ${tierName} median ${counts.tierMedian === null ? 'unknown (no other organization filed)' : oneDecimal(counts.tierMedian)}.`,
      at,
    },
  ];
  const top = counts.topRequester;
  if (top)
    evidence.push({
      note: `Its top requester, ${top.name}, filed ${plural(top.recent, 'ticket')}; their own average ${oneDecimal(monthly(top.baseline))} a month.`,
      at,
    });
  return flagOf(
    scope,
    'volume',
    Math.min(ownRatio, tierRatio) / (2 * VOLUME_RATIO),
    `${plural(counts.recent, 'ticket')} ${period(scope)}: ${oneDecimal(ownRatio)}× its own monthly average and ${oneDecimal(tierRatio)}× ${tierName} median.`,
    evidence,
  );
}

/** Most serious first: score, then organization name, then kind. */
export function bySeriousness(a: Flag, b: Flag): number {
  return (
    b.score - a.score ||
    a.organizationName.localeCompare(b.organizationName) ||
    FLAG_KINDS.indexOf(a.kind) - FLAG_KINDS.indexOf(b.kind)
  );
}
