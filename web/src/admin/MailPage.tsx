import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../api/client';
import type { Page } from '../api/types';
import { ErrorMessage, Loading, Time } from '../shared/components';
import { ProblemAlert, useDocumentTitle } from './common';

type OutboxStatus = 'pending' | 'sent' | 'failed';

interface OutboxMail {
  id: string;
  kind: string;
  ticketId: string | null;
  to: string;
  subject: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** Outgoing mail: what delivery gave up on (to send again once the cause is fixed), what waits, what left. */
export function MailPage() {
  const { t } = useTranslation('admin');
  useDocumentTitle(t('mail.title'));
  const [status, setStatus] = useState<OutboxStatus>('failed');
  const queryClient = useQueryClient();
  const query = useInfiniteQuery({
    queryKey: ['admin', 'outbox', status],
    queryFn: ({ pageParam }) =>
      get<Page<OutboxMail>>('/mail/outbox', { status, limit: 50, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const retry = useMutation({
    mutationFn: (id: string) => post(`/mail/outbox/${id}/retry`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'outbox'] }),
  });
  const mails = query.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <section aria-labelledby="mail-title">
      <h1 id="mail-title">{t('mail.title')}</h1>
      <p className="muted">{t('mail.intro')}</p>
      <fieldset className="inline-fields">
        <legend className="field-label">{t('mail.show')}</legend>
        {(['failed', 'pending', 'sent'] as const).map((s) => (
          <label key={s} className="check">
            <input type="radio" name="outbox-status" checked={status === s} onChange={() => setStatus(s)} />{' '}
            {t(`mail.status.${s}`)}
          </label>
        ))}
      </fieldset>
      {query.isPending && <Loading />}
      <ErrorMessage error={query.error} />
      <ProblemAlert error={retry.error} />
      {query.isSuccess && mails.length === 0 && <p>{t(`mail.empty.${status}`)}</p>}
      {mails.length > 0 && (
        <div className="table-wrap">
          <table className="responsive">
            <caption className="visually-hidden">{t('mail.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('mail.to')}</th>
                <th scope="col">{t('mail.subject')}</th>
                <th scope="col">{t('mail.queued')}</th>
                <th scope="col">{t('mail.attempts')}</th>
                <th scope="col">{status === 'sent' ? t('mail.sent') : t('mail.lastError')}</th>
                {status === 'failed' && <th scope="col">{t('mail.action')}</th>}
              </tr>
            </thead>
            <tbody>
              {mails.map((m) => (
                <tr key={m.id}>
                  <td data-label={t('mail.to')}>{m.to}</td>
                  <td data-label={t('mail.subject')}>{m.subject}</td>
                  <td data-label={t('mail.queued')}>
                    <Time iso={m.createdAt} />
                  </td>
                  <td data-label={t('mail.attempts')}>{m.attempts}</td>
                  <td data-label={status === 'sent' ? t('mail.sent') : t('mail.lastError')}>
                    {status === 'sent' && m.sentAt ? <Time iso={m.sentAt} /> : (m.lastError ?? '')}
                  </td>
                  {status === 'failed' && (
                    <td data-label={t('mail.action')}>
                      <button type="button" onClick={() => retry.mutate(m.id)} disabled={retry.isPending}>
                        {t('mail.retry')}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {query.hasNextPage && (
        <button type="button" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {t('common:more')}
        </button>
      )}
    </section>
  );
}
