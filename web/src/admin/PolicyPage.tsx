import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  PRIORITIES,
  TIERS,
  type Duration,
  type Locale,
  type PolicyDocument,
  type Priority,
  type Tier,
} from '../api/types';
import { LOCALES } from '../i18n';
import { ErrorMessage, Loading, useLocale } from '../shared/components';
import { formatDate, humanizeDuration, localized } from '../shared/format';
import { formatDay, usePolicy, useDocumentTitle } from './common';

/**
 * The policy in force, laid out as the published document's tables. The document is shown in
 * either language whatever the screen's language, since both versions are what customers read.
 */
export function PolicyPage() {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const uiLocale = useLocale();
  const [chosen, setChosen] = useState<Locale | null>(null);
  const docLocale = chosen ?? uiLocale;
  useDocumentTitle(t('policy.title'));
  const query = usePolicy();

  return (
    <section aria-labelledby="policy-title">
      <h1 id="policy-title">{t('policy.title')}</h1>
      <fieldset className="segmented">
        <legend>{t('policy.documentLanguage')}</legend>
        {LOCALES.map((l) => (
          <label key={l}>
            <input
              type="radio"
              name="policy-language"
              value={l}
              checked={docLocale === l}
              onChange={() => setChosen(l)}
            />
            {tc(`languageName.${l}`)}
          </label>
        ))}
      </fieldset>
      {query.isPending && <Loading />}
      <ErrorMessage error={query.error} />
      {query.data && (
        <PolicyDocumentView
          policy={query.data.policy}
          version={query.data.version}
          effectiveFrom={query.data.effectiveFrom}
          locale={docLocale}
        />
      )}
    </section>
  );
}

function PolicyDocumentView({
  policy,
  version,
  effectiveFrom,
  locale,
}: {
  policy: PolicyDocument;
  version: string;
  effectiveFrom: string;
  locale: Locale;
}) {
  // Headings the document itself does not title come from admin.json, in the document's language.
  const { t } = useTranslation('admin', { lng: locale });
  const { t: tc } = useTranslation('common', { lng: locale });
  const L = (text: Parameters<typeof localized>[0]) => localized(text, locale);
  const priorityName = (p: Priority) => `${p} — ${L(policy.priorities[p].name)}`;
  const tierName = (tier: Tier) => L(policy.tiers[tier].name);
  const responsibilities = policy.customerResponsibilities;
  const resolutionTiers = TIERS.filter(
    (tier) => Object.keys(policy.resolutionTargets[tier] ?? {}).length > 0,
  );

  return (
    <article className="policy-document" lang={locale} aria-labelledby="policy-doc-title">
      <header>
        <h2 id="policy-doc-title">{L(policy.title)}</h2>
        <dl className="summary">
          <div>
            <dt>{t('policy.version')}</dt>
            <dd>{version}</dd>
          </div>
          <div>
            <dt>{t('policy.effectiveFrom')}</dt>
            <dd>
              <time dateTime={effectiveFrom}>{formatDate(effectiveFrom, locale)}</time>
            </dd>
          </div>
          <div>
            <dt>{t('policy.revised')}</dt>
            <dd>{formatDay(policy.revisionDate, locale, false)}</dd>
          </div>
        </dl>
        <p>{L(policy.support.text)}</p>
      </header>

      <section aria-labelledby="response-times-title">
        <h3 id="response-times-title">{L(policy.responseTimes.title)}</h3>
        <p>{L(policy.responseTimes.text)}</p>
        <TargetTable
          testId="response-time-table"
          caption={L(policy.responseTimes.caption)}
          corner={t('policy.priority')}
          tiers={TIERS}
          tierName={tierName}
          priorityName={priorityName}
          cell={(tier, p) => policy.targets[tier][p]}
          locale={locale}
        />
        {usesStandardClocks(policy) && <p className="muted">{t('policy.clocks')}</p>}
      </section>

      {resolutionTiers.length > 0 && (
        <section aria-labelledby="resolution-title">
          <h3 id="resolution-title">{t('policy.resolutionTargets')}</h3>
          <TargetTable
            caption={t('policy.resolutionTargets')}
            corner={t('policy.priority')}
            tiers={resolutionTiers}
            tierName={tierName}
            priorityName={priorityName}
            cell={(tier, p) => policy.resolutionTargets[tier]?.[p]}
            locale={locale}
          />
        </section>
      )}

      <section aria-labelledby="priorities-title">
        <h3 id="priorities-title">{t('policy.priorities')}</h3>
        <p>{L(policy.severity.text)}</p>
        <div className="table-wrap">
          <table className="responsive">
            <caption className="visually-hidden">{t('policy.priorities')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('policy.priority')}</th>
                <th scope="col">{t('policy.description')}</th>
                <th scope="col">{t('policy.resolutionEffort')}</th>
              </tr>
            </thead>
            <tbody>
              {PRIORITIES.map((p) => (
                <tr key={p}>
                  <th scope="row">{priorityName(p)}</th>
                  <td data-label={t('policy.description')}>{L(policy.priorities[p].description)}</td>
                  <td data-label={t('policy.resolutionEffort')}>
                    {L(policy.priorities[p].resolutionEffort)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="tiers-title">
        <h3 id="tiers-title">{t('policy.tiers')}</h3>
        <div className="table-wrap">
          <table className="responsive">
            <caption className="visually-hidden">{t('policy.tiers')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('policy.tier')}</th>
                <th scope="col">{t('policy.description')}</th>
                <th scope="col">{t('policy.requestTypes')}</th>
              </tr>
            </thead>
            <tbody>
              {TIERS.map((tier) => (
                <tr key={tier}>
                  <th scope="row">{tierName(tier)}</th>
                  <td data-label={t('policy.description')}>{L(policy.tiers[tier].description)}</td>
                  <td data-label={t('policy.requestTypes')}>
                    <ul className="plain">
                      {policy.tiers[tier].requestTypes.map((rt) => (
                        <li key={rt}>{tc(`requestType.${rt}`, { defaultValue: rt })}</li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="p0-title">
        <h3 id="p0-title">{t('policy.p0Title', { name: priorityName('P0') })}</h3>
        <dl className="pairs">
          <dt>{t('policy.updateEvery')}</dt>
          <dd>{humanizeDuration(policy.p0.updateEvery, locale)}</dd>
          <dt>{t('policy.escalationFirst')}</dt>
          <dd>{humanizeDuration(policy.p0.escalation.first, locale)}</dd>
          <dt>{t('policy.escalationEvery')}</dt>
          <dd>{humanizeDuration(policy.p0.escalation.every, locale)}</dd>
        </dl>
      </section>

      <section aria-labelledby="channels-title">
        <h3 id="channels-title">{L(policy.channels.title)}</h3>
        <p>{L(policy.channels.text)}</p>
        <ul>
          {policy.channels.list.map((c) => (
            <li key={c.id}>
              {L(c.label)}
              {c.address && (
                <>
                  {' '}
                  — <a href={`mailto:${c.address}`}>{c.address}</a>
                </>
              )}
              {c.url && (
                <>
                  {' '}
                  — <a href={c.url}>{c.url}</a>
                </>
              )}
            </li>
          ))}
        </ul>
        <p>{L(policy.channels.helpCenter.text)}</p>
        <p>{L(policy.channels.urgent.text)}</p>
        <p>{L(policy.channels.statusPage.text)}</p>
      </section>

      <section aria-labelledby="responsibilities-title">
        <h3 id="responsibilities-title">{L(responsibilities.title)}</h3>
        <section aria-labelledby="customer-contact-title">
          <h4 id="customer-contact-title">{L(responsibilities.contact.title)}</h4>
          <p>{L(responsibilities.contact.text)}</p>
          <p>{L(responsibilities.contact.dutiesIntro)}</p>
          <ul>
            {responsibilities.contact.duties.map((duty, i) => (
              // The duties have no ids; their order is the document's.
              <li key={i}>{L(duty)}</li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="cooperation-title">
          <h4 id="cooperation-title">{L(responsibilities.cooperation.title)}</h4>
          {responsibilities.cooperation.paragraphs.map((paragraph, i) => (
            <p key={i}>{L(paragraph)}</p>
          ))}
        </section>
      </section>

      <section aria-labelledby="exclusions-title">
        <h3 id="exclusions-title">{L(policy.exclusions.title)}</h3>
        <p>{L(policy.exclusions.text)}</p>
        <ul>
          {policy.exclusions.excluded.map((e) => (
            <li key={e.id}>{L(e.text)}</li>
          ))}
        </ul>
        <p>{L(policy.exclusions.inappropriateUse.text)}</p>
        <p>{L(policy.exclusions.inappropriateUse.examplesIntro)}</p>
        <ul>
          {policy.exclusions.inappropriateUse.examples.map((e) => (
            <li key={e.id}>{L(e.text)}</li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="changes-title">
        <h3 id="changes-title">{L(policy.changes.title)}</h3>
        <p>{L(policy.changes.text)}</p>
      </section>
    </article>
  );
}

/** True when minutes and hours run 24/7 and business days on business hours, as the note says. */
function usesStandardClocks(policy: PolicyDocument): boolean {
  const all = TIERS.flatMap((tier) => PRIORITIES.map((p) => policy.targets[tier][p]));
  return all.every((d) => d.clock === (d.unit === 'business_day' ? 'business' : 'calendar'));
}

function TargetTable({
  testId,
  caption,
  corner,
  tiers,
  tierName,
  priorityName,
  cell,
  locale,
}: {
  testId?: string;
  caption: string;
  corner: string;
  tiers: Tier[];
  tierName: (tier: Tier) => string;
  priorityName: (p: Priority) => string;
  cell: (tier: Tier, p: Priority) => Duration | undefined;
  locale: Locale;
}) {
  // On a phone the table scrolls sideways; the scrolling box must be reachable by keyboard.
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="target-table" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{corner}</th>
            {tiers.map((tier) => (
              <th key={tier} scope="col">
                {tierName(tier)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {PRIORITIES.map((p) => (
            <tr key={p}>
              <th scope="row">{priorityName(p)}</th>
              {tiers.map((tier) => {
                const d = cell(tier, p);
                return <td key={tier}>{d ? humanizeDuration(d, locale) : '—'}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
