import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../api/client';
import { CUSTOMER_ROLES, type Organization, type Page, type User } from '../api/types';
import { ErrorMessage, Loading } from '../shared/components';
import { adminKeys, fieldErrorsOf, Notice, ProblemAlert } from './common';
import { PersonFields, type PersonDraft } from './PersonFields';
import { UsersTable } from './UsersTable';

export function OrganizationUsers({ org }: { org: Organization }) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const query = useInfiniteQuery({
    queryKey: [...adminKeys.users, { organizationId: org.id }],
    queryFn: ({ pageParam }) =>
      get<Page<User>>('/users', { organizationId: org.id, limit: 200, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const users = query.data?.pages.flatMap((p) => p.data) ?? [];
  const activeContacts = users.filter((u) => u.active && u.role === 'contact');

  return (
    <section aria-labelledby="org-users-title" className="card">
      <h2 id="org-users-title">{t('orgUsers.title')}</h2>
      <p className="muted">{t('orgUsers.intro')}</p>
      {org.subscription && activeContacts.length === 0 && query.isSuccess && (
        <p className="warning-text">{t('orgUsers.noContact')}</p>
      )}
      {query.isPending && <Loading />}
      <ErrorMessage error={query.error} />
      {query.isSuccess && users.length === 0 && <p>{t('orgUsers.empty')}</p>}
      {users.length > 0 && <UsersTable users={users} />}
      {query.hasNextPage && (
        <button type="button" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {tc('more')}
        </button>
      )}
      <AddCustomerUser orgId={org.id} />
    </section>
  );
}

function AddCustomerUser({ orgId }: { orgId: string }) {
  const { t } = useTranslation('admin');
  const queryClient = useQueryClient();
  const blank: PersonDraft = { name: '', email: '', role: 'member' };
  const [person, setPerson] = useState<PersonDraft>(blank);
  const [added, setAdded] = useState<User | null>(null);
  const add = useMutation({
    mutationFn: () => post<User>('/users', { ...person, organizationId: orgId }),
    onSuccess: async (user) => {
      setAdded(user);
      setPerson(blank);
      await queryClient.invalidateQueries({ queryKey: adminKeys.users });
    },
  });
  const fieldErrors = fieldErrorsOf(add.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    setAdded(null);
    add.mutate();
  }

  return (
    <form onSubmit={submit} className="admin-form" aria-labelledby="add-user-title">
      <h3 id="add-user-title">{t('orgUsers.addTitle')}</h3>
      <div className="inline-fields">
        <PersonFields value={person} onChange={setPerson} roles={CUSTOMER_ROLES} fieldErrors={fieldErrors} />
      </div>
      <p className="field-hint">{t('orgUsers.roleHint')}</p>
      <ProblemAlert error={add.error} />
      {added && <Notice>{t('orgUsers.added', { name: added.name })}</Notice>}
      <button type="submit" className="primary" disabled={add.isPending}>
        {t('orgUsers.add')}
      </button>
    </form>
  );
}
