import { instantText, type MailLocale } from '../../notifications/mail-text.js';
import type { Channel } from '../../tickets/schema.js';
import type { LimitKind, LimitSettings } from './schema.js';

/** A support limit as the customer is told about it. */
export interface LimitFacts {
  kind: LimitKind;
  settings: LimitSettings;
  reason: string;
  endsAt: number | null;
}

/** A filing a limit refused: the limit, the channel tried, and what was counted. */
export interface Refusal extends LimitFacts {
  limitId: string;
  organizationId: string;
  channel: Channel;
  /** Open tickets, or tickets filed in the period, as the check counted them. */
  count: number | null;
  /** When filing is possible again under a cap per period (before the limit itself ends). */
  availableAt: number | null;
}

interface Values {
  max: number;
  days: number;
  channels: string;
  count: number;
  channel: string;
}

type Texts = {
  channels: Record<Channel, string>;
  limit: Record<LimitKind, (v: Values) => string>;
  refused: Record<LimitKind, (v: Values) => string>;
  reason: string;
  endsAt: string;
  noEnd: string;
  openUntil: string;
  availableAt: string;
  p0: string;
  listJoin: string;
};

const plural = (n: number, one: string, other: string) => `${n} ${n === 1 ? one : other}`;

const TEXTS: Record<MailLocale, Texts> = {
  en: {
    channels: {
      portal: 'the customer portal',
      email: 'email',
      chat: 'live chat',
      in_app: 'the in-app support button',
      api: 'the API',
      phone: 'phone',
    },
    limit: {
      open_tickets: (v) => `at most ${plural(v.max, 'open ticket', 'open tickets')} at a time`,
      tickets_per_period: (v) =>
        `at most ${plural(v.max, 'new ticket', 'new tickets')} every ${plural(v.days, 'day', 'days')}`,
      channels: (v) => `support only through ${v.channels}`,
      suspension: () => 'support suspended',
    },
    refused: {
      open_tickets: (v) =>
        `Your organization may have at most ${plural(v.max, 'open ticket', 'open tickets')} at a time; ${v.count} ${v.count === 1 ? 'is' : 'are'} open now.`,
      tickets_per_period: (v) =>
        `Your organization may file at most ${plural(v.max, 'ticket', 'tickets')} every ${plural(v.days, 'day', 'days')}; ${v.count} ${v.count === 1 ? 'was' : 'were'} filed in the last ${plural(v.days, 'day', 'days')}.`,
      channels: (v) =>
        `Support for your organization goes through ${v.channels} only; ${v.channel} is not one of them.`,
      suspension: () => 'Support for your organization is suspended.',
    },
    reason: 'Reason: {reason}',
    endsAt: 'This limit ends on {date}.',
    noEnd: 'This limit stays until our support team lifts it.',
    openUntil: 'You can file again once one of your open tickets is resolved.',
    availableAt: 'You can file again from {date}.',
    p0: 'A P0 request (critical: production down) always reaches us.',
    listJoin: ' or ',
  },
  fr: {
    channels: {
      portal: 'le portail client',
      email: 'l\u2019e-mail',
      chat: 'le chat en direct',
      in_app: 'le bouton d\u2019assistance dans l\u2019application',
      api: 'l\u2019API',
      phone: 'le t\u00e9l\u00e9phone',
    },
    limit: {
      open_tickets: (v) => `au plus ${plural(v.max, 'ticket ouvert', 'tickets ouverts')} \u00e0 la fois`,
      tickets_per_period: (v) =>
        `au plus ${plural(v.max, 'nouveau ticket', 'nouveaux tickets')} ${v.days === 1 ? 'par jour' : `tous les ${v.days} jours`}`,
      channels: (v) => `support uniquement par ${v.channels}`,
      suspension: () => 'support suspendu',
    },
    refused: {
      open_tickets: (v) =>
        `Votre organisation peut avoir au plus ${plural(v.max, 'ticket ouvert', 'tickets ouverts')} \u00e0 la fois ; ${v.count} ${v.count > 1 ? 'sont ouverts' : 'est ouvert'} actuellement.`,
      tickets_per_period: (v) =>
        `Votre organisation peut ouvrir au plus ${plural(v.max, 'ticket', 'tickets')} ${v.days === 1 ? 'par jour' : `tous les ${v.days} jours`} ; ${v.count} ${v.count > 1 ? 'ont \u00e9t\u00e9 ouverts' : 'a \u00e9t\u00e9 ouvert'} ${v.days === 1 ? 'ces derni\u00e8res 24 heures' : `ces ${v.days} derniers jours`}.`,
      channels: (v) =>
        `Le support de votre organisation passe uniquement par ${v.channels} ; ${v.channel} n\u2019en fait pas partie.`,
      suspension: () => 'Le support de votre organisation est suspendu.',
    },
    reason: 'Motif : {reason}',
    endsAt: 'Cette limite prend fin le {date}.',
    noEnd: 'Cette limite reste en place jusqu\u2019\u00e0 ce que notre \u00e9quipe de support la l\u00e8ve.',
    openUntil:
      'Vous pourrez de nouveau ouvrir un ticket d\u00e8s que l\u2019un de vos tickets ouverts sera r\u00e9solu.',
    availableAt: 'Vous pourrez de nouveau ouvrir un ticket \u00e0 partir du {date}.',
    p0: 'Une demande P0 (critique : production \u00e0 l\u2019arr\u00eat) nous parvient toujours.',
    listJoin: ' ou ',
  },
};

const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (_m, key: string) => String(values[key] ?? ''));

/** Limits' times are told in UTC: customers are anywhere, and UTC reads the same everywhere. */
export const limitDate = (at: number, locale: MailLocale) => instantText(at, 'UTC', locale);

const channelList = (channels: readonly Channel[] | undefined, locale: MailLocale) =>
  (channels ?? []).map((c) => TEXTS[locale].channels[c]).join(TEXTS[locale].listJoin);

function values(facts: LimitFacts, locale: MailLocale, count = 0, channel: Channel = 'api'): Values {
  return {
    max: facts.settings.max ?? 0,
    days: facts.settings.periodDays ?? 0,
    channels: channelList(facts.settings.channels, locale),
    count,
    channel: TEXTS[locale].channels[channel],
  };
}

/** What a limit allows, in a phrase: "at most 3 open tickets at a time". */
export function limitPhrase(facts: LimitFacts, locale: MailLocale): string {
  return TEXTS[locale].limit[facts.kind](values(facts, locale));
}

/** Until when, in a sentence: the limit's end, or that it stays until lifted. */
export function untilSentence(endsAt: number | null, locale: MailLocale): string {
  const t = TEXTS[locale];
  return endsAt === null ? t.noEnd : fill(t.endsAt, { date: limitDate(endsAt, locale) });
}

/** The lead's reason as a sentence of its own (a final stop added when it has none). */
export const reasonSentence = (reason: string, locale: MailLocale) =>
  fill(TEXTS[locale].reason, {
    reason: /[.!?\u2026]$/.test(reason.trim()) ? reason.trim() : `${reason.trim()}.`,
  });

export const p0Sentence = (locale: MailLocale) => TEXTS[locale].p0;

/** Why a filing was refused: what is limited, why, until when, and that a P0 still gets through. */
export function refusalSentences(refusal: Refusal, locale: MailLocale): string[] {
  const t = TEXTS[locale];
  const lines = [
    t.refused[refusal.kind](values(refusal, locale, refusal.count ?? 0, refusal.channel)),
    reasonSentence(refusal.reason, locale),
  ];
  if (refusal.kind === 'open_tickets') lines.push(t.openUntil);
  if (refusal.availableAt !== null)
    lines.push(fill(t.availableAt, { date: limitDate(refusal.availableAt, locale) }));
  lines.push(untilSentence(refusal.endsAt, locale), t.p0);
  return lines;
}
