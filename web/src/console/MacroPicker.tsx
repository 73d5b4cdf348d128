import Fuse from 'fuse.js';
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useApplyMacro, useMacroPreview, useMacros, type Macro, type MacroPreview } from '../api/macros';
import type { Ticket } from '../api/types';
import { ErrorMessage, Loading } from '../shared/components';
import './macros.css';

/** The macros that best match the words typed, fuzzily, on title first, then texts and tags. */
function useMatches(macros: Macro[], query: string): Macro[] {
  const fuse = useMemo(
    () =>
      new Fuse(macros, {
        keys: [
          { name: 'title', weight: 3 },
          { name: 'text.en', weight: 1 },
          { name: 'text.fr', weight: 1 },
          { name: 'tags', weight: 1 },
        ],
        threshold: 0.4,
        ignoreLocation: true,
        // Words typed apart must each match (in any order).
        useExtendedSearch: true,
      }),
    [macros],
  );
  return query.trim() ? fuse.search(query.trim(), { limit: 30 }).map((r) => r.item) : macros.slice(0, 30);
}

function PreviewBody({ preview }: { preview: MacroPreview }) {
  const { t } = useTranslation('macros');
  const language = preview.language ? t(`common:languageName.${preview.language}`) : '';
  const changes = [
    preview.status && t('picker.status', { status: t(`common:status.${preview.status}`) }),
    preview.priority &&
      t('picker.priority', { priority: preview.priority, reason: preview.priorityReason ?? '' }),
    preview.assignee && t('picker.assignee', { name: preview.assignee.name }),
    preview.tags.length > 0 && t('picker.tags', { tags: preview.tags.join(', ') }),
  ].filter((c): c is string => typeof c === 'string' && c !== '');
  return (
    <div className="macro-preview" data-testid="macro-preview">
      {preview.body !== null ? (
        <>
          <p className="field-label">{t(preview.public ? 'picker.reply' : 'picker.note', { language })}</p>
          <blockquote className={preview.public ? 'macro-reply' : 'macro-reply macro-note'}>
            {preview.body}
          </blockquote>
        </>
      ) : (
        <p className="muted">{t('picker.noText')}</p>
      )}
      {changes.length > 0 ? (
        <ul className="macro-changes">
          {changes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      ) : (
        preview.body === null && <p className="muted">{t('picker.nothing')}</p>
      )}
    </div>
  );
}

/**
 * The macro picker of the ticket view (`m`): fuzzy search over the shared and personal macros, the
 * chosen one previewed as the requester will read it, applied in one step.
 */
export function MacroPicker({
  ticket,
  onClose,
  onApplied,
}: {
  ticket: Ticket;
  onClose: () => void;
  onApplied: (title: string) => void;
}) {
  const { t } = useTranslation('macros');
  const ref = useRef<HTMLDialogElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const titleId = useId();
  const listId = useId();
  const hintId = useId();
  const macros = useMacros();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const matches = useMatches(macros.data ?? [], query);
  const chosen = matches[Math.min(active, matches.length - 1)] ?? null;
  const preview = useMacroPreview(ticket.id, chosen?.id ?? null);
  const apply = useApplyMacro(ticket.id);

  useLayoutEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    // showModal focuses the first focusable element; the search field is where typing goes.
    searchRef.current?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      opener?.focus();
    };
  }, []);
  useEffect(() => setActive(0), [query]);

  const run = () => {
    if (!chosen || !preview.data || apply.isPending) return;
    apply.mutate(chosen.id, { onSuccess: () => onApplied(chosen.title) });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((i) => Math.min(i + 1, matches.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      run();
    }
  };
  const optionId = (m: Macro) => `${listId}-${m.id}`;

  return (
    <dialog
      ref={ref}
      className="macro-picker"
      aria-labelledby={titleId}
      data-testid="macro-picker"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <div className="macro-picker-head">
        <h2 id={titleId}>{t('picker.title')}</h2>
        <Link to="/console/macros">{t('picker.manage')}</Link>
      </div>
      <input
        type="search"
        role="combobox"
        aria-label={t('picker.search')}
        aria-controls={listId}
        aria-expanded="true"
        aria-autocomplete="list"
        aria-activedescendant={chosen ? optionId(chosen) : undefined}
        aria-describedby={hintId}
        placeholder={t('picker.search')}
        value={query}
        ref={searchRef}
        maxLength={100}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <p id={hintId} className="muted macro-hint">
        {t('picker.hint')}
      </p>
      <div className="macro-picker-body">
        {macros.isPending && <Loading />}
        <ErrorMessage error={macros.error} />
        <ul id={listId} role="listbox" aria-label={t('picker.search')} className="macro-options">
          {matches.map((m, i) => (
            <li
              key={m.id}
              id={optionId(m)}
              role="option"
              aria-selected={m.id === chosen?.id}
              className={m.id === chosen?.id ? 'macro-option active' : 'macro-option'}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => setActive(i)}
            >
              <span>{m.title}</span>
              <span className="muted">{t(m.shared ? 'picker.shared' : 'picker.personal')}</span>
            </li>
          ))}
        </ul>
        {macros.data && matches.length === 0 && (
          <p className="muted">{t(macros.data.length === 0 ? 'picker.noneYet' : 'picker.none')}</p>
        )}
        <section className="macro-preview-pane" aria-label={t('picker.preview')} aria-live="polite">
          {!chosen && <p className="muted">{t('picker.choose')}</p>}
          {chosen && preview.isPending && <Loading />}
          <ErrorMessage error={preview.error} />
          {preview.data && <PreviewBody preview={preview.data} />}
        </section>
      </div>
      <ErrorMessage error={apply.error} />
      <div className="macro-picker-actions">
        <button type="button" onClick={onClose}>
          {t('picker.cancel')}
        </button>
        <button type="button" className="primary" disabled={!preview.data || apply.isPending} onClick={run}>
          {apply.isPending ? t('picker.applying') : t('picker.apply')}
        </button>
      </div>
    </dialog>
  );
}

/** The ticket view's macro card: opens the picker (also with `m`) and says what was applied. */
export function MacroPanel({
  ticket,
  open,
  onOpenChange,
}: {
  ticket: Ticket;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const { t } = useTranslation('macros');
  const [applied, setApplied] = useState('');
  return (
    <section className="card macro-panel" aria-label={t('picker.open')}>
      <button type="button" onClick={() => onOpenChange(true)}>
        {t('picker.open')} <kbd>m</kbd>
      </button>
      <p role="status" className="muted">
        {applied}
      </p>
      {open && (
        <MacroPicker
          ticket={ticket}
          onClose={() => onOpenChange(false)}
          onApplied={(title) => {
            setApplied(t('picker.applied', { title }));
            onOpenChange(false);
          }}
        />
      )}
    </section>
  );
}
