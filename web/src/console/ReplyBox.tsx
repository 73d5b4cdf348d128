import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type KeyboardEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../api/client';
import type { Message } from '../api/types';
import { ErrorMessage } from '../shared/components';
import { ticketKey } from './queries';
import { StaleReply, staleChanges } from './StaleReply';

export type ReplyMode = 'public' | 'internal';

/**
 * Where the agent answers: a public reply to the customer or an internal note for colleagues. The
 * mode is always visible and colours the box, because sending a note to a customer is the costly
 * mistake here.
 */
export function ReplyBox({
  ticketId,
  mode,
  onModeChange,
  textareaRef,
  updatedAt,
  onDraftChange,
}: {
  ticketId: string;
  mode: ReplyMode;
  onModeChange: (mode: ReplyMode) => void;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  /** The ticket as last read: a reply started then is checked against later changes when sent. */
  updatedAt?: string;
  /** Told when a draft starts or ends, so others see this agent replying. */
  onDraftChange?: (drafting: boolean) => void;
}) {
  const { t } = useTranslation('console');
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const [sent, setSent] = useState<ReplyMode | null>(null);
  const [startedWith, setStartedWith] = useState<string | null>(null);
  const headingId = useId();
  const textareaId = useId();
  const hintId = useId();
  const send = useMutation({
    mutationFn: (input: { body: string; public: boolean; ifUnchangedSince?: string; confirm?: boolean }) =>
      post<Message>(`/tickets/${ticketId}/messages`, input),
    onSuccess: (_message, input) => {
      setBody('');
      setStartedWith(null);
      onDraftChange?.(false);
      setSent(input.public ? 'public' : 'internal');
      // A reply can also move the status and meet a response target: refresh the whole ticket.
      void queryClient.invalidateQueries({ queryKey: ticketKey(ticketId) });
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
    },
    // Refused because the ticket changed: show the changes in the thread too.
    onError: (error) => {
      if (staleChanges(error)) void queryClient.invalidateQueries({ queryKey: ticketKey(ticketId) });
    },
  });

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!body.trim() || send.isPending) return;
    setSent(null);
    send.mutate({
      body,
      public: mode === 'public',
      ...(startedWith ? { ifUnchangedSince: startedWith } : {}),
    });
  };
  const edit = (next: string) => {
    setBody(next);
    const drafting = next.trim().length > 0;
    if (!drafting) setStartedWith(null);
    else if (!startedWith && updatedAt) setStartedWith(updatedAt);
    onDraftChange?.(drafting);
  };
  const stale = staleChanges(send.error);

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <section className={`reply-box card reply-${mode}`} aria-labelledby={headingId}>
      <h2 id={headingId}>{t('reply.heading')}</h2>
      <form onSubmit={submit}>
        <fieldset className="reply-mode">
          <legend className="field-label">{t('reply.mode')}</legend>
          <label className="check">
            <input
              type="radio"
              name={`reply-mode-${ticketId}`}
              value="public"
              checked={mode === 'public'}
              onChange={() => onModeChange('public')}
            />
            {t('reply.public')}
          </label>
          <label className="check">
            <input
              type="radio"
              name={`reply-mode-${ticketId}`}
              value="internal"
              checked={mode === 'internal'}
              onChange={() => onModeChange('internal')}
            />
            {t('reply.internal')}
          </label>
        </fieldset>
        <label htmlFor={textareaId} className="field-label">
          {t('reply.label')}
        </label>
        <textarea
          id={textareaId}
          ref={textareaRef}
          aria-label={t('reply.label')}
          aria-describedby={hintId}
          value={body}
          onChange={(e) => edit(e.target.value)}
          onKeyDown={onKeyDown}
          rows={5}
        />
        <p id={hintId} className="field-hint">
          {mode === 'internal' ? t('reply.internalHint') : t('reply.publicHint')} {t('reply.sendHint')}
        </p>
        <div className="action-row">
          <button type="submit" className="primary" disabled={send.isPending || !body.trim()}>
            {t('reply.send')}
          </button>
          <span role="status" className="muted">
            {sent === 'internal' ? t('reply.noteAdded') : sent === 'public' ? t('reply.replySent') : ''}
          </span>
        </div>
        {stale ? (
          <StaleReply
            changes={stale}
            sending={send.isPending}
            onSendAnyway={() => send.mutate({ body, public: mode === 'public', confirm: true })}
            onReview={() => {
              // What changed is now read: a send from here is checked against later changes only.
              setStartedWith(stale.at(-1)?.at ?? updatedAt ?? null);
              send.reset();
            }}
          />
        ) : (
          <ErrorMessage error={send.error} />
        )}
      </form>
      <MailAddress ticketId={ticketId} />
    </section>
  );
}

/** The agent's own address for answering this ticket from their mailbox, fetched when asked for. */
function MailAddress({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation('console');
  const [open, setOpen] = useState(false);
  const address = useQuery({
    queryKey: ['ticket', ticketId, 'mail-address'],
    queryFn: () => get<{ address: string }>(`/tickets/${ticketId}/mail-address`),
    enabled: open,
    staleTime: Infinity,
  });
  return (
    <details className="mail-address" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('reply.byMail')}</summary>
      <p className="field-hint">{t('reply.byMailHint')}</p>
      {address.data && (
        <code className="preformatted" data-testid="mail-address">
          {address.data.address}
        </code>
      )}
      <ErrorMessage error={address.error} />
    </details>
  );
}
