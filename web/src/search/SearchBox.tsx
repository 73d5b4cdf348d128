import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { isStaffUser, useSession } from '../auth/session';
import { useShortcuts } from '../console/shortcuts';
import './search.css';

/** Where a signed-in user's search results are shown: the console for staff, the portal for customers. */
export function useSearchPath(): string {
  const { user } = useSession();
  return user && isStaffUser(user) ? '/console/search' : '/portal/search';
}

/** The header's ticket search; `/` focuses it from anywhere that is not a text field. */
export function SearchBox() {
  const { t } = useTranslation('search');
  const navigate = useNavigate();
  const path = useSearchPath();
  const { pathname } = useLocation();
  const [params] = useSearchParams();
  const current = pathname === path ? (params.get('q') ?? '') : '';
  const [text, setText] = useState(current);
  const input = useRef<HTMLInputElement>(null);
  // Follows the results page's query (back and forward), and empties when another page is opened.
  useEffect(() => setText(current), [current]);
  useShortcuts({ '/': () => input.current?.focus() });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const q = text.trim();
    if (q) void navigate(`${path}?${new URLSearchParams({ q }).toString()}`);
  };
  return (
    <form role="search" className="ticket-search" onSubmit={submit}>
      <input
        ref={input}
        type="search"
        name="q"
        value={text}
        maxLength={500}
        onChange={(e) => setText(e.target.value)}
        placeholder={t('placeholder')}
        aria-label={t('label')}
        aria-keyshortcuts="/"
        onKeyDown={(e) => {
          if (e.key === 'Escape') input.current?.blur();
        }}
      />
      <kbd aria-hidden="true">/</kbd>
    </form>
  );
}
