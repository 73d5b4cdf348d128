import { useTranslation } from 'react-i18next';
import type { Role } from '../api/types';
import { FormField } from './common';

export interface PersonDraft {
  name: string;
  email: string;
  role: Role;
}

/** Name, email and role of a new user, for staff and for an organization's people alike. */
export function PersonFields({
  value,
  onChange,
  roles,
  fieldErrors,
}: {
  value: PersonDraft;
  onChange: (next: PersonDraft) => void;
  roles: Role[];
  fieldErrors: Record<string, string>;
}) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  return (
    <>
      <FormField label={t('users.name')} error={fieldErrors['body.name']}>
        {(p) => (
          <input
            {...p}
            required
            value={value.name}
            onChange={(e) => onChange({ ...value, name: e.target.value })}
          />
        )}
      </FormField>
      <FormField label={t('users.email')} error={fieldErrors['body.email']}>
        {(p) => (
          <input
            {...p}
            type="email"
            required
            value={value.email}
            onChange={(e) => onChange({ ...value, email: e.target.value })}
          />
        )}
      </FormField>
      <FormField label={t('users.role')}>
        {(p) => (
          <select
            {...p}
            value={value.role}
            onChange={(e) => onChange({ ...value, role: e.target.value as Role })}
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {tc(`role.${r}`)}
              </option>
            ))}
          </select>
        )}
      </FormField>
    </>
  );
}
