import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type KeyboardEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../api/client';
import type { Message } from '../api/types';
import { ErrorMessage } from '../shared/components';
import { ticketKey } from './queries';

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
}: {
  ticketId: string;
  mode: ReplyMode;
  onModeChange: (mode: ReplyMode) => void;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
}) {
  const { t } = useTranslation('console');
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const [sent, setSent] = useState<ReplyMode | null>(null);
  const headingId = useId();
  const textareaId = useId();
  const hintId = useId();
  const send = useMutation({
    mutationFn: (input: { body: string; public: boolean }) =>
      post<Message>(`/tickets/${ticketId}/messages`, input),
    onSuccess: (_message, input) => {
      setBody('');
      setSent(input.public ? 'public' : 'internal');
      // A reply can also move the status and meet a response target: refresh the whole ticket.
      void queryClient.invalidateQueries({ queryKey: ticketKey(ticketId) });
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
    },
  });

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!body.trim() || send.isPending) return;
    setSent(null);
    send.mutate({ body, public: mode === 'public' });
  };

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
          onChange={(e) => setBody(e.target.value)}
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
        <ErrorMessage error={send.error} />
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
