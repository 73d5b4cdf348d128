import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { get, post } from '../api/client';
import type { Ticket } from '../api/types';
import { ErrorMessage } from '../shared/components';

/** Tickets a merge may continue in: the same organization's, still open, this one left out. */
function useMergeTargets(ticket: Ticket, enabled: boolean) {
  return useQuery({
    queryKey: ['tickets', 'merge-targets', ticket.organizationId],
    queryFn: () =>
      get<{ data: Ticket[] }>('/tickets', {
        organizationId: ticket.organizationId,
        status: 'new,open,waiting_on_customer,resolved',
        limit: 100,
      }),
    enabled,
    select: (page) => page.data.filter((t) => t.id !== ticket.id && !t.mergedInto),
  });
}

/** Staff merge a duplicate into another ticket of the same organization, after confirming. */
export function MergeDialog({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('collab');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const headingId = useId();
  const selectId = useId();
  const [open, setOpen] = useState(false);
  const [targetId, setTargetId] = useState('');
  const targets = useMergeTargets(ticket, open);
  const target = targets.data?.find((c) => c.id === targetId);
  const merge = useMutation({
    mutationFn: (into: string) => post<Ticket>(`/tickets/${ticket.id}/merge`, { into }),
    onSuccess: (merged) => {
      void queryClient.invalidateQueries({ queryKey: ['ticket', ticket.id] });
      void queryClient.invalidateQueries({ queryKey: ['ticket', merged.id] });
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
      void navigate(`/console/tickets/${merged.id}`);
    },
  });
  if (ticket.mergedInto || ticket.status === 'closed') return null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (targetId && !merge.isPending) merge.mutate(targetId);
  };

  return (
    <section className="card merge-dialog" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('merge.heading')}</h2>
      {!open ? (
        <button type="button" onClick={() => setOpen(true)}>
          {t('merge.open')}
        </button>
      ) : (
        <form onSubmit={submit}>
          <label htmlFor={selectId} className="field-label">
            {t('merge.target')}
          </label>
          {targets.data?.length === 0 ? (
            <p className="muted">{t('merge.none', { organization: ticket.organization.name })}</p>
          ) : (
            <select id={selectId} value={targetId} onChange={(e) => setTargetId(e.target.value)}>
              <option value="">{t('merge.choose', { organization: ticket.organization.name })}</option>
              {targets.data?.map((c) => (
                <option key={c.id} value={c.id}>
                  #{c.number} {c.subject}
                </option>
              ))}
            </select>
          )}
          {target && (
            <p className="field-hint" data-testid="merge-explain">
              {t('merge.explain', { source: ticket.number, target: target.number })}
            </p>
          )}
          <div className="action-row">
            <button type="submit" className="danger" disabled={!target || merge.isPending}>
              {target
                ? t('merge.confirm', { source: ticket.number, target: target.number })
                : t('merge.heading')}
            </button>
            <button
              type="button"
              onClick={() => {
                setOpen(false);
                setTargetId('');
                merge.reset();
              }}
            >
              {t('merge.cancel')}
            </button>
          </div>
          <ErrorMessage error={targets.error ?? merge.error} />
        </form>
      )}
    </section>
  );
}

/** On a merged ticket: where its conversation continues. */
export function MergedNotice({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('collab');
  if (!ticket.mergedInto) return null;
  const { id, number } = ticket.mergedInto;
  return (
    <p className="merged-notice" role="note" data-testid="merged-notice">
      <Trans t={t} i18nKey="merge.mergedInto" values={{ number }}>
        This ticket was merged into <Link to={`/console/tickets/${id}`}>#{'{{number}}'}</Link>; the
        conversation continues there.
      </Trans>
    </p>
  );
}
