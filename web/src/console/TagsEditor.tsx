import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_TAG_LENGTH, MAX_TAGS, normalizeTag, TAG_PATTERN, useSetTags } from '../api/macros';
import type { Ticket } from '../api/types';
import { ErrorMessage } from '../shared/components';
import './macros.css';

/** The ticket's tags, staff's own: shown as chips, added by typing, removed with their ×. */
export function TagsEditor({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('macros');
  const headingId = useId();
  const inputId = useId();
  const hintId = useId();
  const save = useSetTags(ticket.id);
  const [draft, setDraft] = useState('');
  const tags = ticket.tags ?? [];
  const next = normalizeTag(draft);
  const invalid = draft.trim() !== '' && (!TAG_PATTERN.test(next) || [...next].length > MAX_TAG_LENGTH);
  const full = tags.length >= MAX_TAGS && !tags.includes(next);

  const add = (event: FormEvent) => {
    event.preventDefault();
    if (!next || invalid || full) return;
    if (tags.includes(next)) {
      setDraft('');
      return;
    }
    save.mutate([...tags, next], { onSuccess: () => setDraft('') });
  };

  return (
    <section className="card tags-editor" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('tags.heading')}</h2>
      {tags.length === 0 ? (
        <p className="muted">{t('tags.none')}</p>
      ) : (
        <ul className="tag-list" aria-labelledby={headingId}>
          {tags.map((tag) => (
            <li key={tag} className="tag-chip">
              <span>{tag}</span>
              <button
                type="button"
                className="link"
                aria-label={t('tags.remove', { tag })}
                disabled={save.isPending}
                onClick={() => save.mutate(tags.filter((x) => x !== tag))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="action-row tag-form" onSubmit={add}>
        <label htmlFor={inputId} className="visually-hidden">
          {t('tags.add')}
        </label>
        <input
          id={inputId}
          value={draft}
          maxLength={200}
          placeholder={t('tags.add')}
          aria-invalid={invalid || full}
          aria-describedby={invalid || full ? hintId : undefined}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit" disabled={save.isPending || !next || invalid || full}>
          {t('tags.addButton')}
        </button>
      </form>
      {(invalid || full) && (
        <p id={hintId} className="field-error">
          {full ? t('tags.tooMany') : t('tags.invalid')}
        </p>
      )}
      <ErrorMessage error={save.error} />
    </section>
  );
}
