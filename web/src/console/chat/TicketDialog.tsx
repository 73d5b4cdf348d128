import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PRIORITIES, type Priority } from '../../api/types';
import { ErrorMessage } from '../../shared/components';
import { Dialog } from './Dialog';
import { useChatToTicket, type ChatTicket } from './queries';
import type { ActiveChat } from './store';

const SUBJECT_MAX = 300;

/** The ticket's subject to start from: the visitor's first words, on one line. */
function subjectFrom(chat: ActiveChat): string {
  const first = chat.messages.find((m) => m.author.kind === 'visitor' && m.body.trim());
  const line = first?.body.trim().split('\n')[0]?.replace(/\s+/g, ' ').trim() ?? '';
  return line.slice(0, SUBJECT_MAX);
}

/** Turns a chat into a ticket: its transcript becomes the ticket's conversation. */
export function TicketDialog({
  chat,
  onClose,
  onCreated,
}: {
  chat: ActiveChat;
  onClose: () => void;
  onCreated: (ticket: ChatTicket) => void;
}) {
  const { t } = useTranslation('chat');
  const toTicket = useChatToTicket();
  const [subject, setSubject] = useState(
    () => subjectFrom(chat) || t('ticket.defaultSubject', { name: chat.conversation.visitor.name }),
  );
  const [priority, setPriority] = useState<Priority>(chat.conversation.priority);
  const subjectId = useId();
  const priorityId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = subject.trim();
    if (!trimmed) return;
    toTicket.mutate(
      { conversationId: chat.conversation.id, subject: trimmed, priority },
      {
        onSuccess: ({ ticket }) => {
          onCreated(ticket);
          onClose();
        },
      },
    );
  };

  return (
    <Dialog title={t('ticket.heading')} onClose={onClose} testId="chat-ticket-dialog">
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor={subjectId} className="field-label">
            {t('ticket.subject')}
          </label>
          <input
            id={subjectId}
            value={subject}
            required
            maxLength={SUBJECT_MAX}
            onChange={(e) => setSubject(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={priorityId} className="field-label">
            {t('ticket.priority')}
          </label>
          <select id={priorityId} value={priority} onChange={(e) => setPriority(e.target.value as Priority)}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`common:priority.${p}`)}
              </option>
            ))}
          </select>
        </div>
        <p className="field-hint">{t('ticket.hint')}</p>
        <ErrorMessage error={toTicket.error} />
        <div className="action-row">
          <button
            type="submit"
            className="primary"
            data-testid="chat-ticket-create"
            disabled={!subject.trim() || toTicket.isPending}
          >
            {t('ticket.create')}
          </button>
          <button type="button" onClick={onClose}>
            {t('dialog.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
