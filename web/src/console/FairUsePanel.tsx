import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, post } from '../api/client';
import {
  EXCLUSION_REASONS,
  fairuseKeys,
  type Classification,
  type ExclusionReason,
  type TicketFairUse,
} from '../api/fairuse';
import type { Ticket } from '../api/types';
import { EvidenceList } from '../admin/fairuse/Evidence';
import { useFairUseWording } from '../admin/fairuse/wording';
import { ErrorMessage, Time } from '../shared/components';
import './fairuse.css';
import { ticketKey } from './queries';

function useTicketFairUse(ticketId: string) {
  return useQuery({
    queryKey: fairuseKeys.ticket(ticketId),
    queryFn: () => get<TicketFairUse>(`/tickets/${ticketId}/fairuse`),
  });
}

/** The optional classifier's guess; nothing shows when it is off, untrained or unreachable. */
function useClassification(ticketId: string) {
  return useQuery({
    queryKey: fairuseKeys.classifier(ticketId),
    queryFn: () => get<Classification>('/fairuse/classifier', { ticketId }),
    retry: false,
    staleTime: 5 * 60_000,
  });
}

/** Not support-related (one action, undone the same way); the classifier learns from these marks. */
function OffTopic({ ticketId, state }: { ticketId: string; state: TicketFairUse['offTopic'] | undefined }) {
  const { t } = useTranslation('fairuse');
  const { share } = useFairUseWording();
  const id = useId();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const classification = useClassification(ticketId);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: fairuseKeys.ticket(ticketId) });
  const mark = useMutation({
    mutationFn: () => post(`/tickets/${ticketId}/off-topic`, note.trim() ? { note: note.trim() } : {}),
    onSuccess: () => {
      setNote('');
      refresh();
    },
  });
  const unmark = useMutation({
    mutationFn: () => api('DELETE', `/tickets/${ticketId}/off-topic`),
    onSuccess: refresh,
  });
  const guess = classification.data?.offTopicProbability;
  return (
    <div className="action" data-testid="fairuse-off-topic">
      <h3 className="field-label">{t('console.offTopic')}</h3>
      {state ? (
        <>
          <p>
            <strong>{t('console.markedOffTopic')}</strong>{' '}
            <span className="muted">
              {state.markedBy && t('console.by', { name: state.markedBy.name })} <Time iso={state.markedAt} />
            </span>
          </p>
          {state.note && <p className="preformatted">{state.note}</p>}
          <button type="button" disabled={unmark.isPending} onClick={() => unmark.mutate()}>
            {t('console.markOnTopic')}
          </button>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            mark.mutate();
          }}
        >
          <p className="muted">{t('console.notOffTopic')}</p>
          {typeof guess === 'number' && (
            <p className="muted" data-testid="fairuse-classifier">
              {t('console.classifier', {
                value: share(guess),
                count: classification.data?.trainedOn ?? 0,
              })}
            </p>
          )}
          <label htmlFor={`${id}-note`} className="field-label">
            {t('console.offTopicNote')}
          </label>
          <input id={`${id}-note`} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
          <button type="submit" disabled={mark.isPending || state === undefined}>
            {t('console.markOffTopic')}
          </button>
        </form>
      )}
      <ErrorMessage error={mark.error ?? unmark.error} />
    </div>
  );
}

/**
 * Outside the promise (policy section 5): use not conforming to the agreement or the documentation,
 * or gross negligence. The ticket's SLA clocks stop, it leaves the median reports, and the customer
 * reads the reason on their request.
 */
function Exclusion({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('fairuse');
  const id = useId();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState<ExclusionReason>('nonconforming_use');
  const [note, setNote] = useState('');
  const [removal, setRemoval] = useState('');
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ticketKey(ticket.id) });
    void queryClient.invalidateQueries({ queryKey: ['tickets'] });
  };
  const exclude = useMutation({
    mutationFn: () => post(`/tickets/${ticket.id}/exclusion`, { reason, note: note.trim() }),
    onSuccess: () => {
      setNote('');
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => api('DELETE', `/tickets/${ticket.id}/exclusion`, { reason: removal.trim() }),
    onSuccess: () => {
      setRemoval('');
      refresh();
    },
  });
  const current = ticket.exclusion;
  return (
    <div className="action" data-testid="fairuse-exclusion">
      <h3 className="field-label">{t('console.exclusion')}</h3>
      {current ? (
        <>
          <p>
            <strong>{t(`exclusion.reason.${current.reason}`)}</strong>{' '}
            <span className="muted">
              <Time iso={current.at} />
            </span>
          </p>
          <p className="preformatted">{current.note}</p>
          <p className="muted">{t('console.excludedEffect')}</p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              remove.mutate();
            }}
          >
            <label htmlFor={`${id}-removal`} className="field-label">
              {t('console.removeReason')}
            </label>
            <div className="action-row">
              <input
                id={`${id}-removal`}
                required
                maxLength={2000}
                value={removal}
                onChange={(e) => setRemoval(e.target.value)}
              />
              <button type="submit" disabled={remove.isPending || !removal.trim()}>
                {t('console.removeExclusion')}
              </button>
            </div>
          </form>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            exclude.mutate();
          }}
        >
          <label htmlFor={`${id}-reason`} className="field-label">
            {t('console.exclusionReason')}
          </label>
          <select
            id={`${id}-reason`}
            value={reason}
            onChange={(e) => setReason(e.target.value as ExclusionReason)}
          >
            {EXCLUSION_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`exclusion.reason.${r}`)}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-note`} className="field-label">
            {t('console.exclusionNote')}
          </label>
          <textarea
            id={`${id}-note`}
            className="reason"
            required
            maxLength={2000}
            rows={2}
            value={note}
            aria-describedby={`${id}-hint`}
            onChange={(e) => setNote(e.target.value)}
          />
          <p id={`${id}-hint`} className="field-hint">
            {t('console.exclusionHint')}
          </p>
          <button type="submit" disabled={exclude.isPending || !note.trim()}>
            {t('console.exclude')}
          </button>
        </form>
      )}
      <ErrorMessage error={exclude.error ?? remove.error} />
    </div>
  );
}

/**
 * Fair use beside a ticket: marking it off-topic, excluding it from the promise, and the signs of
 * inappropriate use the desk saw on it, with their evidence. A sign is listed only once it is part
 * of a pattern (its organization's flag is raised): one unopened suggestion is not misuse.
 */
export function FairUsePanel({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('fairuse');
  const { share } = useFairUseWording();
  const headingId = useId();
  const fairuse = useTicketFairUse(ticket.id);
  const patterns = (fairuse.data?.signals ?? []).flatMap((signal) =>
    signal.flag ? [{ ...signal, flag: signal.flag }] : [],
  );
  return (
    <section
      className="card ticket-actions fairuse-panel"
      aria-labelledby={headingId}
      data-testid="fairuse-panel"
    >
      <h2 id={headingId}>{t('console.heading')}</h2>
      <ErrorMessage error={fairuse.error} />
      <OffTopic ticketId={ticket.id} state={fairuse.isSuccess ? fairuse.data.offTopic : undefined} />
      <Exclusion ticket={ticket} />
      {patterns.length > 0 && (
        <div className="action" data-testid="fairuse-signals">
          <h3 className="field-label">{t('console.signals')}</h3>
          <p className="field-hint">{t('console.signalsHint')}</p>
          <ul className="hc-list">
            {patterns.map((signal) => (
              <li key={signal.id} className="hc-article">
                <span>
                  <strong>{t(`signal.${signal.kind}`, { defaultValue: signal.kind })}</strong>{' '}
                  <span className="muted">
                    <Time iso={signal.at} />
                  </span>
                </span>
                <span className="muted">
                  {t('console.partOf', {
                    flag: t(`kind.${signal.flag.kind}`),
                    strength: share(signal.flag.score),
                  })}
                </span>
                <EvidenceList evidence={signal.evidence} />
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
