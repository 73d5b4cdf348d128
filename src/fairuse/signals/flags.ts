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
 * - volume: 10 tickets or more, and more than twice each baseline there is: the organization's own
 *   monthly average over the 90 days before (when it filed then; an average under one ticket a
 *   month counts as one), and the median of the other organizations of its tier that filed in those
 *   30 days (when any did). A baseline that does not exist is said so, never shown as a multiple,
 *   and with neither there is nothing to compare with: no flag.
 * One ticket is never a pattern: a ticket's own signal (a suggested article it was sent after, say)
 * counts only towards its organization's flag, and the console shows it only once that flag is up.
 * A count flag scores count / (2 × threshold), a volume flag the smaller ratio / 4, both capped at
 * 1: a flag just at its threshold scores 0.5, at twice it 1.
 *
 * Each flag and each piece of evidence carries its facts (`facts`, `fact`: a kind and numbers) for
 * the web app to word in the reader's language; `summary` and `note` say the same in English for
 * API clients and the audit log.
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

/** What one piece of evidence rests on, as facts to word in the reader's language. */
export type EvidenceFact =
  | { kind: 'repeat'; matches: number }
  | { kind: 'reopen'; excerpt: string; words: number; coverage: number }
  | { kind: 'suggested_article'; opened: boolean; coverage: number }
  | { kind: 'answered_with_article' }
  | { kind: 'off_topic'; note: string | null }
  | {
      kind: 'volume';
      tickets: number;
      ownAverage: number | null;
      baselineDays: number;
      tier: string | null;
      tierMedian: number | null;
    }
  | { kind: 'top_requester'; name: string; tickets: number; ownAverage: number };

export interface Evidence {
  ticket?: TicketRef;
  matches?: { id: string; number: number; subject: string; similarity: number }[];
  article?: { id: string; title: string; url: string; opened: boolean };
  note?: string;
  fact: EvidenceFact;
  at: string;
}

/**
 * The counts behind a flag, as its summary says them, and the rule that raised it: `threshold`
 * tickets (or, for volume, `minimum` tickets and more than `ratio` times each baseline) within
 * `windowDays` days.
 */
export type FlagFacts = { windowDays: number } & (
  | {
      kind: 'repeat_incident';
      threshold: number;
      tickets: number;
      repeats: number;
      originals: number;
      reopens: number;
    }
  | {
      kind: 'helpcenter_answered';
      threshold: number;
      tickets: number;
      articles: number;
      suggested: number;
      opened: number;
      answered: number;
    }
  | { kind: 'off_topic'; threshold: number; tickets: number }
  | {
      kind: 'volume';
      minimum: number;
      ratio: number;
      tickets: number;
      baselineDays: number;
      ownAverage: number | null;
      ownRatio: number | null;
      tier: string | null;
      tierMedian: number | null;
      tierRatio: number | null;
    }
);

export interface Flag {
  id: string;
  organizationId: string;
  organizationName: string;
  kind: FlagKind;
  score: number;
  summary: string;
  facts: FlagFacts;
  window: { from: string; to: string };
  /** When the evidence runs from a dismissal rather than the start of the 30 days. */
  dismissedAt: string | null;
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
  facts: FlagFacts,
  score: number,
  summary: string,
  evidence: Evidence[],
): Flag {
  evidence.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return {
    id: `${scope.organizationId}:${facts.kind}`,
    organizationId: scope.organizationId,
    organizationName: scope.organizationName,
    kind: facts.kind,
    score: round2(clamp01(score)),
    summary,
    facts,
    window: { from: toIso(scope.since), to: toIso(scope.now) },
    dismissedAt: scope.dismissedAt === null ? null : toIso(scope.dismissedAt),
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
          fact: { kind: 'repeat', matches: matches.length },
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
          fact: { kind: 'reopen', excerpt: e.excerpt, words: e.words, coverage: e.coverage },
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
        fact: { kind: 'suggested_article', opened: article.opened, coverage: article.similarity },
        at,
      }));
    }
    case 'off_topic': {
      const { note } = signal.evidence as OffTopicEvidence;
      return [
        {
          ticket,
          note: note ? `Marked off-topic: ${note}` : 'Marked off-topic by staff.',
          fact: { kind: 'off_topic', note },
          at,
        },
      ];
    }
  }
}

/** Answered by staff with an article link, as evidence. */
export function answerEvidence(link: AnswerLinkRecord): Evidence {
  return {
    ticket: link.ticket,
    article: link.article,
    note: 'Staff answered with this help center article.',
    fact: { kind: 'answered_with_article' },
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
    {
      windowDays: FLAG_WINDOW_DAYS,
      kind: 'repeat_incident',
      threshold,
      tickets: tickets.size,
      repeats: repeats.size,
      originals: originals.size,
      reopens: reopens.size,
    },
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
  const opened = suggested.filter((s) =>
    (s.evidence as HelpCenterEvidence).articles.some((a) => a.opened),
  ).length;
  const parts = [
    suggested.length > 0 && `${suggested.length} sent after the answer was suggested`,
    answeredTickets > 0 && `${answeredTickets} answered by staff with an article link`,
  ].filter(Boolean);
  return flagOf(
    scope,
    {
      windowDays: FLAG_WINDOW_DAYS,
      kind: 'helpcenter_answered',
      threshold,
      tickets: tickets.size,
      articles: articles.size,
      suggested: suggested.length,
      opened,
      answered: answeredTickets,
    },
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
    { windowDays: FLAG_WINDOW_DAYS, kind: 'off_topic', threshold, tickets: marked.length },
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
  if (counts.recent < VOLUME_MIN_TICKETS) return null;
  // A baseline exists only when there was something to count: earlier tickets of its own, other
  // organizations of its tier filing in the same days. An average under one a month counts as one.
  const ownAverage = counts.baseline > 0 ? monthly(counts.baseline) : null;
  const ownRatio = ownAverage === null ? null : counts.recent / Math.max(ownAverage, 1);
  const tierMedian = counts.tierMedian !== null && counts.tierMedian > 0 ? counts.tierMedian : null;
  const tierRatio = tierMedian === null ? null : counts.recent / Math.max(tierMedian, 1);
  const ratios = [ownRatio, tierRatio].filter((r): r is number => r !== null);
  if (ratios.length === 0 || ratios.some((r) => r <= VOLUME_RATIO)) return null;
  const tierName = counts.tier ? `the ${counts.tier} tier` : 'its tier';
  const at = toIso(scope.now);
  const evidence: Evidence[] = [
    {
      note: `${plural(counts.recent, 'ticket')} ${period(scope)}; ${ownAverage === null ? `no tickets in the ${VOLUME_BASELINE_DAYS} days before` : `its own average ${oneDecimal(ownAverage)} a month over the ${VOLUME_BASELINE_DAYS} days before`}; ${tierMedian === null ? `no other organization of ${tierName} filed, so no median to compare with` : `${tierName}’s median ${oneDecimal(tierMedian)}`}.`,
      fact: {
        kind: 'volume',
        tickets: counts.recent,
        ownAverage,
        baselineDays: VOLUME_BASELINE_DAYS,
        tier: counts.tier,
        tierMedian,
      },
      at,
    },
  ];
  const top = counts.topRequester;
  if (top)
    evidence.push({
      note: `Its top requester, ${top.name}, filed ${plural(top.recent, 'ticket')}; their own average ${oneDecimal(monthly(top.baseline))} a month.`,
      fact: { kind: 'top_requester', name: top.name, tickets: top.recent, ownAverage: monthly(top.baseline) },
      at,
    });
  const comparisons = [
    ownRatio === null
      ? 'no earlier tickets of its own to compare with'
      : `${oneDecimal(ownRatio)}× its own monthly average`,
    tierRatio === null
      ? `no other organization of ${tierName} to compare with`
      : `${oneDecimal(tierRatio)}× ${tierName}’s median`,
  ];
  return flagOf(
    scope,
    {
      windowDays: FLAG_WINDOW_DAYS,
      kind: 'volume',
      minimum: VOLUME_MIN_TICKETS,
      ratio: VOLUME_RATIO,
      tickets: counts.recent,
      baselineDays: VOLUME_BASELINE_DAYS,
      ownAverage,
      ownRatio,
      tier: counts.tier,
      tierMedian,
      tierRatio,
    },
    Math.min(...ratios) / (2 * VOLUME_RATIO),
    `${plural(counts.recent, 'ticket')} ${period(scope)}: ${ownRatio !== null && tierRatio !== null ? comparisons.join(' and ') : comparisons.join('; ')}.`,
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
