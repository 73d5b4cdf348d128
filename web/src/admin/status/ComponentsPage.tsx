import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { del, patch, post } from '../../api/client';
import { COMPONENT_STATES, statusKeys, type ComponentState, type StatusComponent } from '../../api/status';
import { ErrorMessage, Loading } from '../../shared/components';
import { fieldErrorsOf, FormField, Notice, ProblemAlert, useDocumentTitle } from '../common';
import { groupComponents, useComponents } from './queries';

function CreateComponent({ count }: { count: number }) {
  const { t } = useTranslation('admin');
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [groupName, setGroupName] = useState('');
  const [description, setDescription] = useState('');
  const [created, setCreated] = useState<StatusComponent | null>(null);
  const create = useMutation({
    mutationFn: () =>
      post<StatusComponent>('/status/components', {
        name: name.trim(),
        group: groupName.trim() || null,
        description: description.trim(),
        position: count,
      }),
    onSuccess: async (component) => {
      setCreated(component);
      setName('');
      setDescription('');
      await queryClient.invalidateQueries({ queryKey: statusKeys.components });
    },
  });
  const errors = fieldErrorsOf(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCreated(null);
    create.mutate();
  };
  return (
    <section aria-labelledby="status-create-component" className="card admin-form">
      <h2 id="status-create-component">{t('status.components.create')}</h2>
      <form onSubmit={submit}>
        <div className="inline-fields">
          <FormField label={t('status.components.name')} error={errors['body.name']}>
            {(p) => (
              <input {...p} required maxLength={120} value={name} onChange={(e) => setName(e.target.value)} />
            )}
          </FormField>
          <FormField
            label={t('status.components.group')}
            hint={t('status.components.groupHint')}
            error={errors['body.group']}
          >
            {(p) => (
              <input
                {...p}
                maxLength={120}
                value={groupName}
                onChange={(e) => setGroupName(e.target.value)}
              />
            )}
          </FormField>
          <FormField label={t('status.components.description')} error={errors['body.description']}>
            {(p) => (
              <input
                {...p}
                maxLength={500}
                value={description}
                onChange={(e) => setDescription(e.target.value)}
              />
            )}
          </FormField>
        </div>
        <ProblemAlert error={create.error} />
        {created && <Notice>{t('status.components.created', { name: created.name })}</Notice>}
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('status.components.create')}
        </button>
      </form>
    </section>
  );
}

function DeleteComponent({
  component,
  busy,
  onDelete,
}: {
  component: StatusComponent;
  busy: boolean;
  onDelete: () => void;
}) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  if (!confirming)
    return (
      <button
        type="button"
        aria-label={t('status.components.deleteNamed', { name: component.name })}
        onClick={() => setConfirming(true)}
      >
        {t('status.components.delete')}
      </button>
    );
  const question = t('status.components.confirmDelete', { name: component.name });
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <button type="button" className="danger" disabled={busy} onClick={onDelete}>
        {t('status.components.delete')}
      </button>
      <button type="button" onClick={() => setConfirming(false)}>
        {tc('cancel')}
      </button>
    </span>
  );
}

/** The services customers watch on the status page, by group, each with its state set by hand. */
export function ComponentsPage() {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  useDocumentTitle(t('status.components.title'));
  const queryClient = useQueryClient();
  const query = useComponents();
  const [done, setDone] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: statusKeys.all });
  const setState = useMutation({
    mutationFn: ({ component, state }: { component: StatusComponent; state: ComponentState }) =>
      patch<StatusComponent>(`/status/components/${component.id}`, { state }),
    onSuccess: async (_, { component, state }) => {
      setDone(
        t('status.components.stateSaved', {
          name: component.name,
          state: tc(`statusPage.componentState.${state}`),
        }),
      );
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (component: StatusComponent) => del(`/status/components/${component.id}`),
    onSuccess: async (_, component) => {
      setDone(t('status.components.deleted', { name: component.name }));
      await refresh();
    },
  });
  const components = query.data ?? [];
  return (
    <section aria-labelledby="status-components-title">
      <h1 id="status-components-title">{t('status.components.title')}</h1>
      <p className="muted">{t('status.components.intro')}</p>
      {query.isPending && <Loading />}
      <ErrorMessage error={query.error} />
      {query.isSuccess && components.length === 0 && <p>{t('status.components.empty')}</p>}
      {groupComponents(components).map(([group, members]) => (
        <div key={group ?? ''} className="table-wrap">
          <table className="responsive" data-testid="status-components">
            <caption>{group ?? t('status.components.ungrouped')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('status.components.name')}</th>
                <th scope="col">{t('status.components.description')}</th>
                <th scope="col">{t('status.components.state')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('status.components.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.name}</th>
                  <td data-label={t('status.components.description')}>
                    {c.description || <span className="muted">—</span>}
                  </td>
                  <td data-label={t('status.components.state')}>
                    <select
                      aria-label={t('status.components.stateOf', { name: c.name })}
                      value={c.state}
                      disabled={setState.isPending}
                      onChange={(e) => {
                        setDone('');
                        setState.mutate({ component: c, state: e.target.value as ComponentState });
                      }}
                    >
                      {COMPONENT_STATES.map((s) => (
                        <option key={s} value={s}>
                          {tc(`statusPage.componentState.${s}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <DeleteComponent
                      component={c}
                      busy={remove.isPending}
                      onDelete={() => {
                        setDone('');
                        remove.mutate(c);
                      }}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      <p role="status" className="muted">
        {done}
      </p>
      <ProblemAlert error={setState.error ?? remove.error} />
      <CreateComponent count={components.length} />
    </section>
  );
}
