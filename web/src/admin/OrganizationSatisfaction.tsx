import { useTranslation } from 'react-i18next';
import { useSatisfactionReport } from '../api/satisfaction';
import type { Organization } from '../api/types';
import { addDays, todayUtc } from '../reports/period';
import { LatestAnswers, SatisfactionTotals } from '../reports/SatisfactionSection';
import { ErrorMessage, Loading } from '../shared/components';

/** The organization's satisfaction over the last 90 days: its score and its latest answers. */
export function OrganizationSatisfaction({ org }: { org: Organization }) {
  const { t } = useTranslation('satisfaction');
  const today = todayUtc();
  const report = useSatisfactionReport({
    from: addDays(today, -89),
    to: addDays(today, 1),
    organizationId: org.id,
  });
  return (
    <section
      aria-labelledby="organization-satisfaction-title"
      className="card"
      data-testid="organization-satisfaction"
    >
      <h2 id="organization-satisfaction-title">{t('organization.title')}</h2>
      {report.isPending && <Loading />}
      <ErrorMessage error={report.error} />
      {report.data && report.data.totals.sent === 0 && <p className="muted">{t('report.empty')}</p>}
      {report.data && report.data.totals.sent > 0 && (
        <>
          <SatisfactionTotals totals={report.data.totals} />
          <LatestAnswers report={report.data} ticketPath={(id) => `/console/tickets/${id}`} />
        </>
      )}
    </section>
  );
}
