import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { get, patch } from '../api/client';
import type { Locale, Organization } from '../api/types';
import { ErrorMessage, Loading, TierBadge, useLocale } from '../shared/components';
import { formatDate } from '../shared/format';
import {
  adminKeys,
  errorsUnder,
  fieldErrorsOf,
  Notice,
  ProblemAlert,
  useDocumentTitle,
  FormField,
} from './common';
import { OrganizationUsers } from './OrganizationUsers';
import { parseDomains } from './OrganizationsPage';
import { NoticesSection } from './NoticesSection';
import { OrganizationSatisfaction } from './OrganizationSatisfaction';
import { OverridesSection } from './OverridesSection';
import { SubscriptionsSection } from './SubscriptionsSection';

export function OrganizationPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('admin');
  const locale = useLocale();
  const query = useQuery({
    queryKey: adminKeys.organization(id),
    queryFn: () => get<Organization>(`/organizations/${id}`),
  });
  const org = query.data;
  useDocumentTitle(org?.name ?? t('organizations.title'));

  if (query.isPending) return <Loading />;
  if (!org) return <ErrorMessage error={query.error} />;
  const term = org.subscription;
  return (
    <article aria-labelledby="organization-title" className="organization">
      <p className="breadcrumb">
        <Link to="/admin/organizations">{t('organizations.back')}</Link>
      </p>
      <h1 id="organization-title">{org.name}</h1>
      <dl className="summary">
        <div>
          <dt>{t('organization.currentTier')}</dt>
          <dd data-testid="org-tier">
            <TierBadge tier={org.tier} />
          </dd>
        </div>
        <div>
          <dt>{t('organization.currentTerm')}</dt>
          <dd>
            {term ? (
              t('organization.termRange', {
                start: formatDate(term.termStart, locale),
                end: formatDate(term.termEnd, locale),
              })
            ) : (
              <span className="muted">{t('organization.noTerm')}</span>
            )}
          </dd>
        </div>
      </dl>
      <OrganizationDetails key={org.id} org={org} />
      <SubscriptionsSection org={org} />
      <OrganizationUsers org={org} />
      <OverridesSection org={org} />
      <NoticesSection org={org} />
      <OrganizationSatisfaction org={org} />
    </article>
  );
}

function OrganizationDetails({ org }: { org: Organization }) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState(org.name);
  const [domains, setDomains] = useState(org.domains.join('\n'));
  const [orgLocale, setOrgLocale] = useState<Locale>(org.locale);
  const [emailSignup, setEmailSignup] = useState(org.emailSignup);
  const [saved, setSaved] = useState(false);

  const save = useMutation({
    mutationFn: () =>
      patch<Organization>(`/organizations/${org.id}`, {
        name,
        domains: parseDomains(domains),
        locale: orgLocale,
        emailSignup,
      }),
    onSuccess: async (updated) => {
      queryClient.setQueryData(adminKeys.organization(org.id), updated);
      await queryClient.invalidateQueries({ queryKey: adminKeys.organizations, exact: true });
      setSaved(true);
    },
  });

  const fieldErrors = fieldErrorsOf(save.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    save.mutate();
  }

  return (
    <section aria-labelledby="details-title" className="card admin-form">
      <h2 id="details-title">{t('organization.details')}</h2>
      <form onSubmit={submit}>
        <FormField label={t('organizations.name')} error={fieldErrors['body.name']}>
          {(p) => <input {...p} required value={name} onChange={(e) => setName(e.target.value)} />}
        </FormField>
        <FormField
          label={t('organizations.domains')}
          hint={t('organizations.domainsHint')}
          error={errorsUnder(fieldErrors, 'body.domains')}
        >
          {(p) => <textarea {...p} rows={2} value={domains} onChange={(e) => setDomains(e.target.value)} />}
        </FormField>
        <FormField label={t('organizations.locale')}>
          {(p) => (
            <select {...p} value={orgLocale} onChange={(e) => setOrgLocale(e.target.value as Locale)}>
              <option value="en">{tc('languageName.en')}</option>
              <option value="fr">{tc('languageName.fr')}</option>
            </select>
          )}
        </FormField>
        <div className="field">
          <label className="check">
            <input type="checkbox" checked={emailSignup} onChange={(e) => setEmailSignup(e.target.checked)} />{' '}
            {t('organization.emailSignup')}
          </label>
          <span className="field-hint">{t('organization.emailSignupHint')}</span>
        </div>
        <ProblemAlert error={save.error} />
        {saved && <Notice>{t('organization.saved')}</Notice>}
        <button type="submit" className="primary" disabled={save.isPending}>
          {t('organization.save')}
        </button>
      </form>
    </section>
  );
}
