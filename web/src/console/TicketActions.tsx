import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { patch } from '../api/client';
import { PRIORITIES, REQUEST_TYPES, STATUSES, type Priority, type Status, type Ticket } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorMessage } from '../shared/components';
import { ticketKey, useStaff } from './queries';

type TicketPatch = Partial<{
  status: Status;
  priority: Priority;
  priorityReason: string;
  assigneeId: string | null;
  requestType: string;
}>;

/** One PATCH of the ticket; the answer replaces the cached ticket, and lists and the log refresh. */
export function useUpdateTicket(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TicketPatch) => patch<Ticket>(`/tickets/${id}`, body),
    onSuccess: (ticket) => {
      queryClient.setQueryData(ticketKey(id), ticket);
      void queryClient.invalidateQueries({ queryKey: ticketKey(id) });
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
    },
  });
}

function AssignForm({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('console');
  const { user } = useSession();
  const staff = useStaff();
  const update = useUpdateTicket(ticket.id);
  const [choice, setChoice] = useState(ticket.assigneeId ?? '');
  const selectId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ assigneeId: choice || null });
  };
  return (
    <form className="action" onSubmit={submit}>
      <label htmlFor={selectId} className="field-label">
        {t('actions.assignee')}
      </label>
      <div className="action-row">
        <select id={selectId} value={choice} onChange={(e) => setChoice(e.target.value)}>
          <option value="">{t('queue.unassigned')}</option>
          {(staff.data ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.id === user?.id ? t('actions.meNamed', { name: s.name }) : s.name}
            </option>
          ))}
        </select>
        <button type="submit" disabled={update.isPending || choice === (ticket.assigneeId ?? '')}>
          {t('actions.assign')}
        </button>
      </div>
      {user && ticket.assigneeId !== user.id && (
        <button
          type="button"
          className="primary"
          disabled={update.isPending}
          onClick={() => {
            setChoice(user.id);
            update.mutate({ assigneeId: user.id });
          }}
        >
          {t('actions.assignToMe')}
        </button>
      )}
      <ErrorMessage error={update.error} />
    </form>
  );
}

/** One field of the ticket changed through a select and a button (status, request type). */
function SelectAction<T extends string>({
  ticketId,
  label,
  current,
  options,
  submitText,
  patchOf,
}: {
  ticketId: string;
  label: string;
  current: T;
  options: { value: T; label: string }[];
  submitText: string;
  patchOf: (value: T) => TicketPatch;
}) {
  const update = useUpdateTicket(ticketId);
  const [value, setValue] = useState<T>(current);
  const selectId = useId();
  return (
    <form
      className="action"
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate(patchOf(value));
      }}
    >
      <label htmlFor={selectId} className="field-label">
        {label}
      </label>
      <div className="action-row">
        <select id={selectId} value={value} onChange={(e) => setValue(e.target.value as T)}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        <button type="submit" disabled={update.isPending || value === current}>
          {submitText}
        </button>
      </div>
      <ErrorMessage error={update.error} />
    </form>
  );
}

function StatusForm({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('console');
  return (
    <SelectAction<Status>
      ticketId={ticket.id}
      label={t('actions.status')}
      current={ticket.status}
      options={STATUSES.map((s) => ({ value: s, label: t(`common:status.${s}`) }))}
      submitText={t('actions.setStatus')}
      patchOf={(status) => ({ status })}
    />
  );
}

/** Re-triage: the API and the audit trail both need to know why the priority moved. */
function PriorityForm({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('console');
  const update = useUpdateTicket(ticket.id);
  const [priority, setPriority] = useState<Priority>(ticket.priority);
  const [reason, setReason] = useState('');
  const [missingReason, setMissingReason] = useState(false);
  const selectId = useId();
  const reasonId = useId();
  const reasonErrorId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setMissingReason(true);
      return;
    }
    setMissingReason(false);
    update.mutate(
      { priority, priorityReason: reason.trim() },
      {
        onSuccess: () => setReason(''),
      },
    );
  };
  return (
    <form className="action" onSubmit={submit} noValidate>
      <label htmlFor={selectId} className="field-label">
        {t('actions.priority')}
      </label>
      <select id={selectId} value={priority} onChange={(e) => setPriority(e.target.value as Priority)}>
        {PRIORITIES.map((p) => (
          <option key={p} value={p}>
            {t(`common:priority.${p}`)}
          </option>
        ))}
      </select>
      <label htmlFor={reasonId} className="field-label">
        {t('actions.reason')}
      </label>
      <textarea
        id={reasonId}
        className="reason"
        required
        aria-required="true"
        aria-invalid={missingReason || undefined}
        aria-describedby={missingReason ? reasonErrorId : undefined}
        value={reason}
        onChange={(e) => {
          setReason(e.target.value);
          if (e.target.value.trim()) setMissingReason(false);
        }}
      />
      {missingReason && (
        <p id={reasonErrorId} role="alert" className="error">
          {t('actions.reasonRequired')}
        </p>
      )}
      <button type="submit" disabled={update.isPending || priority === ticket.priority}>
        {t('actions.changePriority')}
      </button>
      <ErrorMessage error={update.error} />
    </form>
  );
}

function RequestTypeForm({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('console');
  return (
    <SelectAction<string>
      ticketId={ticket.id}
      label={t('actions.requestType')}
      current={ticket.requestType}
      options={REQUEST_TYPES.map((r) => ({ value: r, label: t(`common:requestType.${r}`) }))}
      submitText={t('actions.setRequestType')}
      patchOf={(requestType) => ({ requestType })}
    />
  );
}

export function TicketActions({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('console');
  const headingId = useId();
  // Keyed by the ticket's current values, so each form starts again from the server's state after
  // a change made here, by a colleague, or by the live stream.
  return (
    <section className="card ticket-actions" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('actions.heading')}</h2>
      <AssignForm key={`a-${ticket.assigneeId}`} ticket={ticket} />
      <StatusForm key={`s-${ticket.status}`} ticket={ticket} />
      <PriorityForm key={`p-${ticket.priority}`} ticket={ticket} />
      <RequestTypeForm key={`r-${ticket.requestType}`} ticket={ticket} />
    </section>
  );
}
