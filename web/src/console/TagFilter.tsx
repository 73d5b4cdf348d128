import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_TAG_LENGTH, normalizeTag, TAG_PATTERN } from '../api/macros';

/** The queue's tag filter: applied when the field is left or Enter is pressed, cleared when emptied. */
export function TagFilter({
  tag,
  onChange,
}: {
  tag: string | undefined;
  onChange: (tag: string | undefined) => void;
}) {
  const { t } = useTranslation('macros');
  const [draft, setDraft] = useState(tag ?? '');
  useEffect(() => setDraft(tag ?? ''), [tag]);
  const commit = () => {
    const next = normalizeTag(draft);
    if (next === '') onChange(undefined);
    else if (TAG_PATTERN.test(next) && [...next].length <= MAX_TAG_LENGTH) onChange(next);
  };
  const valid = draft.trim() === '' || TAG_PATTERN.test(normalizeTag(draft));
  return (
    <label className="field">
      <span className="field-label">{t('tags.filter')}</span>
      <input
        type="search"
        value={draft}
        maxLength={200}
        placeholder={t('tags.filterPlaceholder')}
        aria-invalid={!valid}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          }
        }}
      />
    </label>
  );
}
