import type { ClockKind } from '../api/types';
import { useLocale } from '../shared/components';
import { formatCount, formatMeasured, formatShare, measureTerms } from './format';
import { useReportPolicy } from './queries';

/** The figures of a report in the viewer's language, with the policy's business day and warning lead. */
export function useMeasure() {
  const locale = useLocale();
  const terms = measureTerms(useReportPolicy().data);
  return {
    locale,
    terms,
    duration: (seconds: number, clock: ClockKind | null) => formatMeasured(seconds, clock, locale, terms),
    share: (share: number) => formatShare(share, locale),
    count: (count: number) => formatCount(count, locale),
  };
}

export type Measure = ReturnType<typeof useMeasure>;
