import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { get, post } from '../api/client';
import { TIERS, type Locale, type Organization, type Page, type Tier } from '../api/types';
import { ErrorMessage, Loading, TierBadge, useLocale } from '../shared/components';
import { formatDate } from '../shared/format';
import {
  addYears,
  adminKeys,
  dayToInstant,
  errorsUnder,
  fieldErrorsOf,
  ProblemAlert,
  todayUtc,
  useDocumentTitle,
  FormField,
} from './common';

const PAGE_SIZE = 50;

/** Domains as typed: one per line or separated by commas or spaces. */
export const parseDomains = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);

export function OrganizationsPage() {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const locale = useLocale();
  useDocumentTitle(t('organizations.title'));
  const query = useInfiniteQuery({
    queryKey: adminKeys.organizations,
    queryFn: ({ pageParam }) =>
      get<Page<Organization>>('/organizations', { limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const organizations = query.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <section aria-labelledby="organizations-title">
      <h1 id="organizations-title">{t('organizations.title')}</h1>
      {query.isPending && <Loading />}
      <ErrorMessage error={query.error} />
      {query.isSuccess && organizations.length === 0 && <p>{t('organizations.empty')}</p>}
      {organizations.length > 0 && (
        <div className="table-wrap">
          <table className="responsive">
            <caption className="visually-hidden">{t('organizations.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('organizations.name')}</th>
                <th scope="col">{t('organizations.tier')}</th>
                <th scope="col">{t('organizations.termEnd')}</th>
                <th scope="col">{t('organizations.domains')}</th>
                <th scope="col">{t('organizations.locale')}</th>
              </tr>
            </thead>
            <tbody>
              {organizations.map((org) => (
                <tr key={org.id}>
                  <td>
                    <Link to={`/admin/organizations/${org.id}`}>{org.name}</Link>
                  </td>
                  <td data-label={t('organizations.tier')}>
                    <TierBadge tier={org.tier} />
                  </td>
                  <td data-label={t('organizations.termEnd')}>
                    {org.subscription ? (
                      <time dateTime={org.subscription.termEnd}>
                        {formatDate(org.subscription.termEnd, locale)}
                      </time>
                    ) : (
                      <span className="muted">{t('organizations.noTerm')}</span>
                    )}
                  </td>
                  <td data-label={t('organizations.domains')}>{org.domains.join(', ')}</td>
                  <td data-label={t('organizations.locale')}>{tc(`languageName.${org.locale}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {query.hasNextPage && (
        <button type="button" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {tc('more')}
        </button>
      )}
      <CreateOrganization />
    </section>
  );
}

function CreateOrganization() {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [domains, setDomains] = useState('');
  const [orgLocale, setOrgLocale] = useState<Locale>('en');
  const [withTerm, setWithTerm] = useState(false);
  const [tier, setTier] = useState<Tier>('essential');
  const [termStart, setTermStart] = useState(todayUtc);
  const [termEnd, setTermEnd] = useState(() => addYears(todayUtc(), 1));
  const create = useMutation({
    mutationFn: () =>
      post<Organization>('/organizations', {
        name,
        domains: parseDomains(domains),
        locale: orgLocale,
        ...(withTerm
          ? { subscription: { tier, termStart: dayToInstant(termStart), termEnd: dayToInstant(termEnd) } }
          : {}),
      }),
    onSuccess: async (org) => {
      await queryClient.invalidateQueries({ queryKey: adminKeys.organizations });
      void navigate(`/admin/organizations/${org.id}`);
    },
  });
  const fieldErrors = fieldErrorsOf(create.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate();
  }

  return (
    <section aria-labelledby="create-organization" className="card admin-form">
      <h2 id="create-organization">{t('organizations.create')}</h2>
      <form onSubmit={submit}>
        <FormField label={t('organizations.name')} error={fieldErrors['body.name']}>
          {(p) => <input {...p} required value={name} onChange={(e) => setName(e.target.value)} />}
        </FormField>
        <FormField
          label={t('organizations.domains')}
          hint={t('organizations.domainsHint')}
          error={errorsUnder(fieldErrors, 'body.domains')}
        >
          {(p) => (
            <textarea
              {...p}
              rows={2}
              value={domains}
              onChange={(e) => setDomains(e.target.value)}
              placeholder="example.com"
            />
          )}
        </FormField>
        <FormField label={t('organizations.locale')}>
          {(p) => (
            <select {...p} value={orgLocale} onChange={(e) => setOrgLocale(e.target.value as Locale)}>
              <option value="en">{tc('languageName.en')}</option>
              <option value="fr">{tc('languageName.fr')}</option>
            </select>
          )}
        </FormField>
        <label className="checkbox">
          <input type="checkbox" checked={withTerm} onChange={(e) => setWithTerm(e.target.checked)} />
          {t('organizations.withSubscription')}
        </label>
        {withTerm && (
          <fieldset className="inline-fields">
            <legend>{t('organizations.firstSubscription')}</legend>
            <FormField label={t('subscriptions.tier')}>
              {(p) => (
                <select {...p} value={tier} onChange={(e) => setTier(e.target.value as Tier)}>
                  {TIERS.map((x) => (
                    <option key={x} value={x}>
                      {tc(`tier.${x}`)}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            <FormField
              label={t('subscriptions.termStart')}
              error={fieldErrors['body.subscription.termStart']}
            >
              {(p) => (
                <input
                  {...p}
                  type="date"
                  required
                  value={termStart}
                  onChange={(e) => setTermStart(e.target.value)}
                />
              )}
            </FormField>
            <FormField
              label={t('subscriptions.termEnd')}
              hint={t('subscriptions.termEndHint')}
              error={fieldErrors['body.subscription.termEnd']}
            >
              {(p) => (
                <input
                  {...p}
                  type="date"
                  required
                  value={termEnd}
                  onChange={(e) => setTermEnd(e.target.value)}
                />
              )}
            </FormField>
          </fieldset>
        )}
        <ProblemAlert error={create.error} />
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('organizations.createSubmit')}
        </button>
      </form>
    </section>
  );
}
