import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../shared/components';
import { useChat } from './ChatProvider';
import { useSetPresence, type PresenceStatus } from './queries';

const STATUSES: PresenceStatus[] = ['online', 'away', 'offline'];
export const MIN_CAPACITY = 1;
export const MAX_CAPACITY = 20;

/** Whether the agent takes chats now, and how many at once. */
export function PresenceBar({ onManageCanned }: { onManageCanned: () => void }) {
  const { t } = useTranslation('chat');
  const { queue } = useChat();
  const setPresence = useSetPresence();
  const presence = queue.data?.presence;
  const [draft, setDraft] = useState<string | null>(null);
  const headingId = useId();
  const capacityId = useId();
  const capacityHintId = useId();

  // The choice shows at once; the desk's answer then confirms it.
  const status = setPresence.isPending ? setPresence.variables.status : presence?.status;
  const capacityText = draft ?? (presence ? String(presence.capacity) : '');
  const capacity = Number(capacityText);
  const capacityValid = Number.isInteger(capacity) && capacity >= MIN_CAPACITY && capacity <= MAX_CAPACITY;

  const saveCapacity = (event: FormEvent) => {
    event.preventDefault();
    if (!presence || !capacityValid) return;
    setPresence.mutate({ status: presence.status, capacity }, { onSuccess: () => setDraft(null) });
  };

  return (
    <section className="chat-presence card" aria-labelledby={headingId} data-testid="chat-presence">
      <h2 id={headingId} className="visually-hidden">
        {t('presence.heading')}
      </h2>
      <fieldset className="chat-presence-status" disabled={!presence}>
        <legend className="field-label">{t('presence.status')}</legend>
        {STATUSES.map((s) => (
          <label key={s} className={`check chat-status-choice status-${s}`}>
            <input
              type="radio"
              name="chat-presence"
              value={s}
              checked={status === s}
              data-testid={`chat-presence-${s}`}
              onChange={() => setPresence.mutate({ status: s })}
            />
            {t(`presence.${s}`)}
          </label>
        ))}
      </fieldset>
      <form className="chat-capacity" onSubmit={saveCapacity} noValidate>
        <label htmlFor={capacityId} className="field-label">
          {t('presence.capacity')}
        </label>
        <input
          id={capacityId}
          type="number"
          min={MIN_CAPACITY}
          max={MAX_CAPACITY}
          step={1}
          value={capacityText}
          disabled={!presence}
          aria-describedby={capacityHintId}
          aria-invalid={!capacityValid && draft !== null ? true : undefined}
          data-testid="chat-capacity"
          onChange={(e) => setDraft(e.target.value)}
        />
        <button
          type="submit"
          disabled={!presence || !capacityValid || capacity === presence.capacity || setPresence.isPending}
        >
          {t('presence.setCapacity')}
        </button>
        {/* Said to screen readers always; shown when the number is out of range. */}
        <span
          id={capacityHintId}
          className={!capacityValid && draft !== null ? 'field-hint chat-capacity-hint' : 'visually-hidden'}
        >
          {t('presence.capacityHint', { min: MIN_CAPACITY, max: MAX_CAPACITY })}
        </span>
      </form>
      <p className="chat-load" data-testid="chat-load">
        {presence && t('presence.load', { active: presence.activeChats, capacity: presence.capacity })}
      </p>
      <button type="button" className="chat-manage-canned" onClick={onManageCanned}>
        {t('canned.manage')}
      </button>
      <ErrorMessage error={setPresence.error} />
    </section>
  );
}
