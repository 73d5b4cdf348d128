import { useTranslation } from 'react-i18next';
import type { Evidence, Flag } from '../../api/fairuse';
import type { Locale } from '../../api/types';
import { useLocale } from '../../shared/components';
import { formatDate } from '../../shared/format';

/**
 * Fair-use flags and their evidence in the reader's language. The API gives the facts (a kind and
 * its numbers, `facts` and `fact`); the sentences are written here, with the `fairuse` namespace.
 */

type Translate = (key: string, options?: Record<string, unknown>) => string;

const tag = (locale: Locale) => (locale === 'fr' ? 'fr-FR' : 'en-US');

/** "2.1" / "2,1": at most one decimal. */
const decimal = (value: number, locale: Locale) =>
  new Intl.NumberFormat(tag(locale), { maximumFractionDigits: 1 }).format(value);

/** A share 0..1 as the reader writes a percentage: "84%" / "84 %". */
export const share = (value: number, locale: Locale) =>
  new Intl.NumberFormat(tag(locale), { style: 'percent', maximumFractionDigits: 0 }).format(
    Math.max(0, Math.min(1, value)),
  );

const DAY = 86_400_000;

function period(flag: Pick<Flag, 'dismissedAt' | 'window'>, t: Translate, locale: Locale) {
  if (flag.dismissedAt) return t('period.sinceDismissal', { date: formatDate(flag.dismissedAt, locale) });
  const days = Math.round((Date.parse(flag.window.to) - Date.parse(flag.window.from)) / DAY);
  return t('period.days', { count: days });
}

const tierName = (tier: string | null, t: Translate) =>
  tier ? t(`common:tier.${tier}`, { defaultValue: tier }) : null;

function flagSummary(flag: Flag, t: Translate, locale: Locale): string {
  const facts = flag.facts;
  const when = period(flag, t, locale);
  const tickets = t('count.tickets', { count: facts.tickets });
  switch (facts.kind) {
    case 'repeat_incident': {
      const parts = [
        facts.repeats > 0 &&
          t('summary.repeats', {
            repeats: t('count.newTickets', { count: facts.repeats }),
            originals: t('count.resolvedTickets', { count: facts.originals }),
          }),
        facts.reopens > 0 && t('summary.reopens', { count: facts.reopens }),
      ].filter(Boolean);
      return t('summary.repeat_incident', {
        count: facts.tickets,
        tickets,
        period: when,
        parts: parts.join(', '),
      });
    }
    case 'helpcenter_answered': {
      const parts = [
        facts.suggested > 0 &&
          (facts.opened > 0
            ? t('summary.suggestedOpened', { count: facts.suggested, opened: facts.opened })
            : t('summary.suggested', { count: facts.suggested })),
        facts.answered > 0 && t('summary.answered', { count: facts.answered }),
      ].filter(Boolean);
      return t('summary.helpcenter_answered', {
        count: facts.articles,
        tickets,
        period: when,
        articles: t('count.articles', { count: facts.articles }),
        parts: parts.join(locale === 'fr' ? ' ; ' : '; '),
      });
    }
    case 'off_topic':
      return t('summary.off_topic', { count: facts.tickets, tickets, period: when });
    case 'volume': {
      const tier = tierName(facts.tier, t);
      const own =
        facts.ownRatio === null
          ? t('summary.noOwnBaseline')
          : t('summary.ownRatio', { ratio: decimal(facts.ownRatio, locale) });
      const compared =
        facts.tierRatio !== null
          ? t('summary.tierRatio', { ratio: decimal(facts.tierRatio, locale), tier })
          : tier
            ? t('summary.noTierBaseline', { tier })
            : t('summary.noTier');
      const both = facts.ownRatio !== null && facts.tierRatio !== null;
      return t('summary.volume', {
        tickets,
        period: when,
        comparisons: t(both ? 'summary.both' : 'summary.either', { own, tier: compared }),
      });
    }
  }
}

function evidenceSentence(
  evidence: Evidence,
  flag: Pick<Flag, 'dismissedAt' | 'window'> | undefined,
  t: Translate,
  locale: Locale,
): string | null {
  const fact = evidence.fact;
  switch (fact.kind) {
    // The resolved tickets it repeats and the articles are listed as such beside the sentence.
    case 'repeat':
      return fact.matches === 0 ? t('evidence.repeatNone') : null;
    case 'suggested_article':
      return t(fact.opened ? 'evidence.suggestedOpened' : 'evidence.suggested', {
        coverage: share(fact.coverage, locale),
      });
    case 'answered_with_article':
      return t('evidence.answered');
    case 'reopen':
      return t('evidence.reopen', {
        count: fact.words,
        excerpt: fact.excerpt,
        coverage: share(fact.coverage, locale),
      });
    case 'off_topic':
      return fact.note ? t('evidence.offTopicNote', { note: fact.note }) : t('evidence.offTopic');
    case 'volume': {
      const tier = tierName(fact.tier, t);
      return t('evidence.volume', {
        tickets: t('count.tickets', { count: fact.tickets }),
        period: flag ? period(flag, t, locale) : '',
        own:
          fact.ownAverage === null
            ? t('evidence.noOwnAverage', { days: fact.baselineDays })
            : t('evidence.ownAverage', {
                average: decimal(fact.ownAverage, locale),
                days: fact.baselineDays,
              }),
        tier:
          fact.tierMedian !== null
            ? t('evidence.tierMedian', { tier, median: decimal(fact.tierMedian, locale) })
            : tier
              ? t('evidence.noTierMedian', { tier })
              : t('evidence.noTier'),
      });
    }
    case 'top_requester':
      return t('evidence.topRequester', {
        count: fact.tickets,
        name: fact.name,
        average: decimal(fact.ownAverage, locale),
      });
  }
}

function flagRule(flag: Flag, t: Translate): string {
  const facts = flag.facts;
  const rule =
    facts.kind === 'volume'
      ? t('rule.volume', {
          minimum: facts.minimum,
          days: facts.windowDays,
          ratio: facts.ratio,
          baselineDays: facts.baselineDays,
        })
      : t(`rule.${facts.kind}`, { threshold: facts.threshold, days: facts.windowDays });
  return `${rule} ${t('rule.strength')}`;
}

/** The sentences of fair use in the reader's language, re-rendered when the language changes. */
export function useFairUseWording() {
  const { t } = useTranslation(['fairuse', 'common']);
  const locale = useLocale();
  return {
    locale,
    /** "5 tickets in the last 30 days repeat resolved incidents: …" */
    summary: (flag: Flag) => flagSummary(flag, t, locale),
    /** What one piece of evidence says beyond its ticket and article links; null when nothing. */
    sentence: (evidence: Evidence, flag?: Flag) => evidenceSentence(evidence, flag, t, locale),
    /** When the flag is raised, and how its strength reads. */
    rule: (flag: Flag) => flagRule(flag, t),
    share: (value: number) => share(value, locale),
  };
}
