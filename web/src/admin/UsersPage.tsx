import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../api/client';
import { CUSTOMER_ROLES, STAFF_ROLES, type Page, type Role, type User } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorMessage, Loading } from '../shared/components';
import { PersonFields, type PersonDraft } from './PersonFields';
import { adminKeys, fieldErrorsOf, Notice, ProblemAlert, useDocumentTitle, FormField } from './common';
import { UsersTable } from './UsersTable';

const PAGE_SIZE = 50;

export function UsersPage() {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const { user: me } = useSession();
  useDocumentTitle(t('users.title'));
  const [role, setRole] = useState<Role | ''>('');
  const query = useInfiniteQuery({
    queryKey: [...adminKeys.users, { role }],
    queryFn: ({ pageParam }) => get<Page<User>>('/users', { role, limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const users = query.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">{t('users.title')}</h1>
      <div className="toolbar">
        <FormField label={t('users.filterRole')}>
          {(p) => (
            <select {...p} value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
              <option value="">{t('users.everyone')}</option>
              <optgroup label={t('users.staffGroup')}>
                {STAFF_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {tc(`role.${r}`)}
                  </option>
                ))}
              </optgroup>
              <optgroup label={t('users.customerGroup')}>
                {CUSTOMER_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {tc(`role.${r}`)}
                  </option>
                ))}
              </optgroup>
            </select>
          )}
        </FormField>
      </div>
      {query.isPending && <Loading />}
      <ErrorMessage error={query.error} />
      {query.isSuccess && users.length === 0 && <p>{t('users.empty')}</p>}
      {users.length > 0 && <UsersTable users={users} showOrganization />}
      {query.hasNextPage && (
        <button type="button" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {tc('more')}
        </button>
      )}
      {me?.role === 'admin' ? (
        <CreateStaffUser />
      ) : (
        <p className="muted">{t('users.onlyAdminsCreateStaff')}</p>
      )}
    </section>
  );
}

function CreateStaffUser() {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const queryClient = useQueryClient();
  const [person, setPerson] = useState<PersonDraft>({ name: '', email: '', role: 'agent' });
  const [password, setPassword] = useState('');
  const [created, setCreated] = useState<User | null>(null);
  const create = useMutation({
    mutationFn: () => post<User>('/users', { ...person, ...(password ? { password } : {}) }),
    onSuccess: async (user) => {
      setCreated(user);
      setPerson((p) => ({ ...p, name: '', email: '' }));
      setPassword('');
      await queryClient.invalidateQueries({ queryKey: adminKeys.users });
    },
  });
  const fieldErrors = fieldErrorsOf(create.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    setCreated(null);
    create.mutate();
  }

  return (
    <section aria-labelledby="create-staff-title" className="card admin-form">
      <h2 id="create-staff-title">{t('users.createStaff')}</h2>
      <form onSubmit={submit}>
        <div className="inline-fields">
          <PersonFields value={person} onChange={setPerson} roles={STAFF_ROLES} fieldErrors={fieldErrors} />
          <FormField
            label={t('users.password')}
            hint={t('users.passwordHint')}
            error={fieldErrors['body.password']}
          >
            {(p) => (
              <input
                {...p}
                type="password"
                autoComplete="new-password"
                minLength={10}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </FormField>
        </div>
        <ProblemAlert error={create.error} />
        {created && (
          <Notice>{t('users.created', { name: created.name, role: tc(`role.${created.role}`) })}</Notice>
        )}
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('users.createSubmit')}
        </button>
      </form>
    </section>
  );
}
