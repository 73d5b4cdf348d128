import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  PLACEHOLDERS,
  useDeleteMacro,
  useMacros,
  useSaveMacro,
  type Macro,
  type MacroInput,
} from '../api/macros';
import { PRIORITIES, STATUSES, type Priority, type Status } from '../api/types';
import { isAdminUser, useSession } from '../auth/session';
import { useStaff } from '../console/queries';
import { ErrorMessage, Field, Loading, useDocumentTitle } from '../shared/components';
import '../console/macros.css';

interface Draft {
  title: string;
  shared: boolean;
  en: string;
  fr: string;
  public: boolean;
  status: Status | '';
  priority: Priority | '';
  priorityReason: string;
  assigneeId: string;
  tags: string;
}

const EMPTY: Draft = {
  title: '',
  shared: false,
  en: '',
  fr: '',
  public: true,
  status: '',
  priority: '',
  priorityReason: '',
  assigneeId: '',
  tags: '',
};

const draftOf = (m: Macro): Draft => ({
  title: m.title,
  shared: m.shared,
  en: m.text.en ?? '',
  fr: m.text.fr ?? '',
  public: m.public,
  status: m.status ?? '',
  priority: m.priority ?? '',
  priorityReason: m.priorityReason ?? '',
  assigneeId: m.assigneeId ?? '',
  tags: m.tags.join(', '),
});

const inputOf = (d: Draft): MacroInput => ({
  title: d.title,
  shared: d.shared,
  text: { en: d.en.trim() || null, fr: d.fr.trim() || null },
  public: d.public,
  status: d.status === '' || d.status === 'new' ? null : d.status,
  priority: d.priority || null,
  priorityReason: d.priority ? d.priorityReason || null : null,
  assigneeId: d.assigneeId || null,
  tags: d.tags
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean),
});

function MacroForm({ editing, onDone }: { editing: Macro | null; onDone: () => void }) {
  const { t } = useTranslation('macros');
  const { user } = useSession();
  const staff = useStaff();
  const save = useSaveMacro();
  const [draft, setDraft] = useState<Draft>(editing ? draftOf(editing) : EMPTY);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ ...inputOf(draft), ...(editing ? { id: editing.id } : {}) }, { onSuccess: onDone });
  };
  const placeholders = PLACEHOLDERS.map((p) => `{{${p}}}`).join(' ');
  return (
    <form className="card macro-form" onSubmit={submit} aria-label={editing ? t('page.edit') : t('page.new')}>
      <Field label={t('page.titleField')}>
        <input
          required
          maxLength={100}
          value={draft.title}
          onChange={(e) => set({ title: e.target.value })}
        />
      </Field>
      {isAdminUser(user) && (
        <label className="check">
          <input type="checkbox" checked={draft.shared} onChange={(e) => set({ shared: e.target.checked })} />
          {t('page.shared')}
        </label>
      )}
      <Field label={t('page.textEn')} hint={t('page.placeholders', { list: placeholders })}>
        <textarea maxLength={20_000} value={draft.en} onChange={(e) => set({ en: e.target.value })} />
      </Field>
      <Field label={t('page.textFr')}>
        <textarea maxLength={20_000} value={draft.fr} onChange={(e) => set({ fr: e.target.value })} />
      </Field>
      <label className="check">
        <input type="checkbox" checked={draft.public} onChange={(e) => set({ public: e.target.checked })} />
        {t('page.public')}
      </label>
      <div className="macro-form-row">
        <Field label={t('page.status')}>
          <select value={draft.status} onChange={(e) => set({ status: e.target.value as Status | '' })}>
            <option value="">{t('page.unchanged')}</option>
            {STATUSES.filter((s) => s !== 'new').map((s) => (
              <option key={s} value={s}>
                {t(`common:status.${s}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('page.priority')}>
          <select value={draft.priority} onChange={(e) => set({ priority: e.target.value as Priority | '' })}>
            <option value="">{t('page.unchanged')}</option>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {p} · {t(`common:priority.${p}`)}
              </option>
            ))}
          </select>
        </Field>
        {draft.priority && (
          <Field label={t('page.priorityReason')}>
            <input
              required
              maxLength={2000}
              value={draft.priorityReason}
              onChange={(e) => set({ priorityReason: e.target.value })}
            />
          </Field>
        )}
        <Field label={t('page.assignee')}>
          <select value={draft.assigneeId} onChange={(e) => set({ assigneeId: e.target.value })}>
            <option value="">{t('page.unchanged')}</option>
            {(staff.data ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field label={t('page.tags')}>
        <input value={draft.tags} maxLength={1200} onChange={(e) => set({ tags: e.target.value })} />
      </Field>
      <ErrorMessage error={save.error} />
      <div className="action-row">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? t('page.saving') : t('page.save')}
        </button>
        <button type="button" onClick={onDone}>
          {t('page.cancel')}
        </button>
      </div>
    </form>
  );
}

/** /console/macros: the shared macros and one's own, to write, edit and delete. */
export function MacrosPage() {
  const { t } = useTranslation('macros');
  useDocumentTitle(t('page.title'));
  const { user } = useSession();
  const macros = useMacros();
  const remove = useDeleteMacro();
  const [editing, setEditing] = useState<Macro | 'new' | null>(null);
  const mayEdit = (m: Macro) => !m.shared || isAdminUser(user);
  const actionsOf = (m: Macro) =>
    [
      m.status && t(`common:status.${m.status}`),
      m.priority,
      m.assignee?.name,
      ...m.tags.map((tag) => `#${tag}`),
    ].filter(Boolean);

  return (
    <div className="macros-page">
      <h1>{t('page.title')}</h1>
      <p className="muted">{t('page.intro')}</p>
      {editing === null ? (
        <p>
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            {t('page.new')}
          </button>
        </p>
      ) : (
        <MacroForm
          key={editing === 'new' ? 'new' : editing.id}
          editing={editing === 'new' ? null : editing}
          onDone={() => setEditing(null)}
        />
      )}
      {macros.isPending && <Loading />}
      <ErrorMessage error={macros.error ?? remove.error} />
      {macros.data && macros.data.length === 0 && <p className="muted">{t('page.empty')}</p>}
      {macros.data && macros.data.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('page.titleField')}</th>
              <th scope="col">{t('page.kind')}</th>
              <th scope="col">{t('page.actions')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('page.edit')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {macros.data.map((m) => {
              const actions = actionsOf(m);
              return (
                <tr key={m.id}>
                  <td>{m.title}</td>
                  <td>{t(m.shared ? 'picker.shared' : 'picker.personal')}</td>
                  <td>{actions.length > 0 ? actions.join(' · ') : t('page.textOnly')}</td>
                  <td className="macro-row-actions">
                    {mayEdit(m) && (
                      <>
                        <button type="button" className="link" onClick={() => setEditing(m)}>
                          {t('page.edit')}
                        </button>{' '}
                        <button
                          type="button"
                          className="link"
                          disabled={remove.isPending}
                          onClick={() => {
                            if (window.confirm(t('page.confirmDelete', { title: m.title })))
                              remove.mutate(m.id);
                          }}
                        >
                          {t('page.delete')}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
