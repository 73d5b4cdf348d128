import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import { fairuseKeys, type SpamItem, type SpamStatus } from '../../api/fairuse';
import { ErrorMessage, Loading, Time } from '../../shared/components';
import { Notice, ProblemAlert, useDocumentTitle } from '../common';
import { useSpam } from './queries';

const STATUSES: SpamStatus[] = ['pending', 'reviewed'];

/** Release (let it through as if it had not been refused) or discard with a reason: one item. */
function Review({ item, onDone }: { item: SpamItem; onDone: (message: string) => void }) {
  const { t } = useTranslation('fairuse');
  const id = useId();
  const queryClient = useQueryClient();
  const [discarding, setDiscarding] = useState(false);
  const [reason, setReason] = useState('');
  const refresh = () => void queryClient.invalidateQueries({ queryKey: fairuseKeys.spamAll });
  const release = useMutation({
    mutationFn: () => post(`/spam/${item.id}/release`),
    onSuccess: () => {
      refresh();
      onDone(t('spam.released', { summary: item.summary }));
    },
  });
  const discard = useMutation({
    mutationFn: () => post(`/spam/${item.id}/discard`, { reason: reason.trim() }),
    onSuccess: () => {
      refresh();
      onDone(t('spam.discarded', { summary: item.summary }));
    },
  });
  const busy = release.isPending || discard.isPending;
  return (
    <div className="fairuse-spam-review">
      <div className="action-row">
        <button
          type="button"
          disabled={busy}
          onClick={() => release.mutate()}
          aria-label={t('spam.releaseNamed', { summary: item.summary })}
        >
          {t('spam.release')}
        </button>
        {!discarding && (
          <button
            type="button"
            disabled={busy}
            onClick={() => setDiscarding(true)}
            aria-label={t('spam.discardNamed', { summary: item.summary })}
          >
            {t('spam.discard')}
          </button>
        )}
      </div>
      {discarding && (
        <form
          className="confirm"
          onSubmit={(e) => {
            e.preventDefault();
            discard.mutate();
          }}
        >
          <label htmlFor={`${id}-reason`} className="field-label">
            {t('spam.discardReason')}
          </label>
          <input
            id={`${id}-reason`}
            required
            maxLength={1000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <button type="submit" className="danger" disabled={busy || !reason.trim()}>
            {t('spam.discardConfirm')}
          </button>
          <button type="button" onClick={() => setDiscarding(false)}>
            {t('spam.cancel')}
          </button>
        </form>
      )}
      <ProblemAlert error={release.error ?? discard.error} />
    </div>
  );
}

/** Admin → Fair use → Spam folder: what the public doors refused, kept for staff to release or discard. */
export function SpamPage() {
  const { t } = useTranslation('fairuse');
  const { t: tc } = useTranslation();
  useDocumentTitle(t('spam.title'));
  const [status, setStatus] = useState<SpamStatus>('pending');
  const [done, setDone] = useState('');
  const spam = useSpam(status);
  const items = spam.data?.pages.flatMap((p) => p.data) ?? [];
  const caption = t(`spam.caption.${status}`);
  return (
    <section aria-labelledby="fairuse-spam-title">
      <div className="page-head">
        <h1 id="fairuse-spam-title">{t('spam.title')}</h1>
      </div>
      <p className="fairuse-intro">{t('spam.intro')}</p>
      <fieldset className="segmented">
        <legend>{t('spam.show')}</legend>
        {STATUSES.map((s) => (
          <label key={s}>
            <input
              type="radio"
              name="spam-status"
              value={s}
              checked={status === s}
              onChange={() => {
                setDone('');
                setStatus(s);
              }}
            />
            {t(`spam.status.${s}`)}
          </label>
        ))}
      </fieldset>
      {done && <Notice>{done}</Notice>}
      {spam.isPending && <Loading />}
      <ErrorMessage error={spam.error} />
      {spam.isSuccess && items.length === 0 && <p className="muted">{t(`spam.empty.${status}`)}</p>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="responsive" data-testid="spam-items">
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t('spam.summary')}</th>
                <th scope="col">{t('spam.channel')}</th>
                <th scope="col">{t('spam.source')}</th>
                <th scope="col">{t('spam.reason')}</th>
                <th scope="col">{t('spam.received')}</th>
                <th scope="col">{status === 'pending' ? t('spam.action') : t('spam.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  <th scope="row" className="fairuse-reason">
                    {item.summary}
                  </th>
                  <td data-label={t('spam.channel')}>
                    {item.channel === 'helpcenter'
                      ? t('spam.helpCenter')
                      : tc(`channel.${item.channel}`, { defaultValue: item.channel })}
                  </td>
                  <td data-label={t('spam.source')} className="fairuse-reason">
                    {item.source}
                  </td>
                  <td data-label={t('spam.reason')}>{item.reason}</td>
                  <td data-label={t('spam.received')}>
                    <Time iso={item.createdAt} />
                  </td>
                  <td data-label={status === 'pending' ? t('spam.action') : t('spam.outcome')}>
                    {item.outcome ? (
                      <>
                        {t(`spam.outcomes.${item.outcome}`)}
                        {item.reviewedAt && (
                          <>
                            {' '}
                            <Time iso={item.reviewedAt} />
                          </>
                        )}
                        {item.reviewedBy && <span className="muted"> {item.reviewedBy.name}</span>}
                      </>
                    ) : (
                      <Review item={item} onDone={setDone} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {spam.hasNextPage && (
        <button type="button" onClick={() => void spam.fetchNextPage()} disabled={spam.isFetchingNextPage}>
          {t('spam.more')}
        </button>
      )}
    </section>
  );
}
