import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { del, fetchAll, get, patch } from '../api/client';
import {
  CUSTOMER_ROLES,
  STAFF_ROLES,
  type Organization,
  type Role,
  type StaffRole,
  type User,
} from '../api/types';
import { useSession } from '../auth/session';
import { useLocale } from '../shared/components';
import { localized } from '../shared/format';
import { adminKeys, isLastContactRefusal, ProblemAlert, usePolicy } from './common';

const isStaffRole = (role: Role): role is StaffRole => (STAFF_ROLES as Role[]).includes(role);

/** A failed change to one user, kept with that user's name so the message says whom it was about. */
interface RowFailure {
  user: User;
  error: unknown;
}

/**
 * Whether this user is the only active designated contact of an organization with a term in force,
 * whom the API refuses to remove or demote (policy section 4.1). The organization and its contacts
 * are asked for, not taken from the rows shown: a list of everyone is paged and filtered.
 */
function useIsLastContact(user: User): boolean {
  const orgId = user.role === 'contact' && user.active ? user.organizationId : null;
  const org = useQuery({
    queryKey: adminKeys.organization(orgId ?? ''),
    queryFn: () => get<Organization>(`/organizations/${orgId}`),
    enabled: orgId !== null,
    staleTime: 60_000,
  });
  const contacts = useQuery({
    queryKey: [...adminKeys.users, { organizationId: orgId, role: 'contact' }],
    queryFn: () => fetchAll<User>('/users', { organizationId: orgId, role: 'contact' }),
    enabled: orgId !== null,
  });
  if (!orgId || !org.data?.subscription || !contacts.data) return false;
  const active = contacts.data.filter((c) => c.active);
  return active.length === 1 && active[0]!.id === user.id;
}

/**
 * People with their role and access. A role moves only within its family (staff or customer), as
 * the API requires; removing access keeps the user's tickets and messages.
 */
export function UsersTable({
  users,
  showOrganization = false,
}: {
  users: User[];
  showOrganization?: boolean;
}) {
  const { t } = useTranslation('admin');
  const [failure, setFailure] = useState<RowFailure | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <>
      {failure && <UserProblem failure={failure} />}
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      <div className="table-wrap">
        <table className="responsive">
          <thead>
            <tr>
              <th scope="col">{t('users.name')}</th>
              <th scope="col">{t('users.email')}</th>
              {showOrganization && <th scope="col">{t('users.organization')}</th>}
              <th scope="col">{t('users.role')}</th>
              <th scope="col">{t('users.access')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('users.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <UserRow
                key={user.id}
                user={user}
                showOrganization={showOrganization}
                onFailure={(error) => {
                  setDone(null);
                  setFailure({ user, error });
                }}
                onDone={(message) => {
                  setFailure(null);
                  setDone(message);
                }}
              />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function UserRow({
  user,
  showOrganization,
  onFailure,
  onDone,
}: {
  user: User;
  showOrganization: boolean;
  onFailure: (error: unknown) => void;
  onDone: (message: string) => void;
}) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const { user: me } = useSession();
  const queryClient = useQueryClient();
  const [role, setRole] = useState<Role>(user.role);
  const [confirming, setConfirming] = useState(false);
  const isLastContact = useIsLastContact(user);
  const lastContactReason = useId();
  const roles = isStaffRole(user.role) ? STAFF_ROLES : CUSTOMER_ROLES;
  // Only admins change staff; leads manage customer users (the API enforces it, the screen says it).
  const mayManage = me?.role === 'admin' || !isStaffRole(user.role);
  const refresh = () => queryClient.invalidateQueries({ queryKey: adminKeys.users });

  const changeRole = useMutation({
    mutationFn: () => patch<User>(`/users/${user.id}`, { role }),
    onSuccess: async (updated) => {
      onDone(t('users.roleChanged', { name: updated.name, role: tc(`role.${updated.role}`) }));
      await refresh();
    },
    onError: (error) => {
      setRole(user.role);
      onFailure(error);
    },
  });
  const remove = useMutation({
    mutationFn: () => del(`/users/${user.id}`),
    onSuccess: async () => {
      setConfirming(false);
      onDone(t('users.removed', { name: user.name }));
      await refresh();
    },
    onError: (error) => {
      setConfirming(false);
      onFailure(error);
    },
  });
  const busy = changeRole.isPending || remove.isPending;
  // Nobody changes their own role or access here: an admin demoting themselves would lock the door.
  const editable = user.active && mayManage && me?.id !== user.id;

  return (
    <tr className={user.active ? undefined : 'inactive'}>
      <th scope="row">{user.name}</th>
      <td data-label={t('users.email')}>{user.email}</td>
      {showOrganization && (
        <td data-label={t('users.organization')}>
          {user.organizationId ? <OrganizationName id={user.organizationId} /> : t('users.staff')}
        </td>
      )}
      <td data-label={t('users.role')}>
        {editable ? (
          <span className="role-control">
            <select
              aria-label={t('users.roleFor', { name: user.name })}
              value={role}
              onChange={(e) => setRole(e.target.value as Role)}
              disabled={busy || isLastContact}
              aria-describedby={isLastContact ? lastContactReason : undefined}
            >
              {roles.map((r) => (
                <option key={r} value={r}>
                  {tc(`role.${r}`)}
                </option>
              ))}
            </select>
            {role !== user.role && (
              <button type="button" onClick={() => changeRole.mutate()} disabled={busy}>
                {t('users.changeRole')}
              </button>
            )}
          </span>
        ) : (
          tc(`role.${user.role}`)
        )}
        {isLastContact && <span className="tag">{t('users.onlyContact')}</span>}
      </td>
      <td data-label={t('users.access')}>{user.active ? t('users.active') : t('users.inactive')}</td>
      <td>
        {editable && !confirming && (
          <button
            type="button"
            onClick={() => setConfirming(true)}
            disabled={busy || isLastContact}
            aria-describedby={isLastContact ? lastContactReason : undefined}
          >
            {t('users.remove')}
            <span className="visually-hidden"> {user.name}</span>
          </button>
        )}
        {editable && isLastContact && (
          <p id={lastContactReason} className="field-hint last-contact-reason">
            {t('users.lastContactKept')}
          </p>
        )}
        {confirming && (
          <span className="confirm" role="group" aria-label={t('users.confirmRemove', { name: user.name })}>
            <span>{t('users.confirmRemove', { name: user.name })}</span>
            <button type="button" className="danger" onClick={() => remove.mutate()} disabled={busy}>
              {t('users.confirm')}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {tc('cancel')}
            </button>
          </span>
        )}
      </td>
    </tr>
  );
}

function OrganizationName({ id }: { id: string }) {
  const query = useQuery({
    queryKey: adminKeys.organization(id),
    queryFn: () => get<Organization>(`/organizations/${id}`),
    staleTime: 60_000,
  });
  return <Link to={`/admin/organizations/${id}`}>{query.data?.name ?? '…'}</Link>;
}

/** Why a change to a user was refused; the last-contact rule gets its full explanation. */
function UserProblem({ failure }: { failure: RowFailure }) {
  const { t } = useTranslation('admin');
  const locale = useLocale();
  const policy = usePolicy();
  const box = useRef<HTMLDivElement>(null);
  // The refusal shows above the table, possibly far from the row that caused it.
  useEffect(() => {
    // Braces matter: newer browsers return a promise from scrollIntoView, which is no cleanup.
    box.current?.scrollIntoView({ block: 'nearest' });
  }, [failure]);
  if (!isLastContactRefusal(failure.error))
    return (
      <div ref={box}>
        <ProblemAlert error={failure.error} />
      </div>
    );
  // The policy's own words on the designated contact (section 4.1).
  const policyText = policy.data?.policy.customerResponsibilities?.contact?.text;
  return (
    <div ref={box}>
      <ProblemAlert error={failure.error}>
        <div className="last-contact">
          <h3>{t('lastContact.title', { name: failure.user.name })}</h3>
          <p>{t('lastContact.rule')}</p>
          <p>
            <strong>{t('lastContact.todo')}</strong>
          </p>
          {policyText && (
            <blockquote lang={locale}>
              <p>{localized(policyText, locale)}</p>
              <footer>{t('lastContact.source')}</footer>
            </blockquote>
          )}
        </div>
      </ProblemAlert>
    </div>
  );
}
