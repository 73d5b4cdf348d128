import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getBearerToken } from '../api/client';
import type { Attachment } from '../api/types';
import { ErrorMessage, Loading, Time, useLocale } from '../shared/components';
import { formatBytes } from '../shared/format';
import { FileButton } from './FormParts';
import { downloadAttachment, uploadAttachment, useAttachments, type UploadFailure } from './api';

function DownloadLink({ attachment }: { attachment: Attachment }) {
  const [error, setError] = useState<unknown>(null);
  // With the cookie session a plain link downloads; the widget's bearer token cannot ride on one.
  if (!getBearerToken())
    return (
      <a href={`/api/v1/attachments/${attachment.id}`} download={attachment.filename}>
        {attachment.filename}
      </a>
    );
  return (
    <>
      <button
        type="button"
        className="link"
        onClick={() => {
          setError(null);
          downloadAttachment(attachment).catch(setError);
        }}
      >
        {attachment.filename}
      </button>
      <ErrorMessage error={error} />
    </>
  );
}

/** The files of a request, and a way to add more (each chosen file is uploaded at once). */
export function Attachments({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation('portal');
  const locale = useLocale();
  const queryClient = useQueryClient();
  const query = useAttachments(ticketId);

  const upload = useMutation({
    mutationFn: async (files: File[]) => {
      const failures: UploadFailure[] = [];
      for (const file of files) {
        try {
          await uploadAttachment(ticketId, file);
        } catch (error) {
          failures.push({
            filename: file.name,
            message: error instanceof Error ? error.message : String(error),
          });
        }
      }
      return failures;
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['ticket', ticketId, 'attachments'] }),
  });

  return (
    <section className="attachments" aria-labelledby={`attachments-${ticketId}`}>
      <h2 id={`attachments-${ticketId}`}>{t('attachments.title')}</h2>
      {query.isError ? (
        <ErrorMessage error={query.error} />
      ) : !query.data ? (
        <Loading />
      ) : query.data.length === 0 ? (
        <p className="muted">{t('attachments.none')}</p>
      ) : (
        <ul className="file-list">
          {query.data.map((a) => (
            <li key={a.id}>
              <DownloadLink attachment={a} /> <span className="muted">{formatBytes(a.size, locale)}</span>{' '}
              <span className="muted">
                <Time iso={a.createdAt} />
              </span>
            </li>
          ))}
        </ul>
      )}
      <div className="upload-row">
        <FileButton
          label={t('attachments.add')}
          onFiles={(files) => upload.mutate(files)}
          disabled={upload.isPending}
        />
        {upload.isPending && (
          <span className="muted" role="status">
            {t('attachments.uploading')}
          </span>
        )}
      </div>
      <ErrorMessage error={upload.error} />
      {upload.data && upload.data.length > 0 && <UploadFailures failures={upload.data} />}
    </section>
  );
}

export function UploadFailures({ failures }: { failures: UploadFailure[] }) {
  const { t } = useTranslation('portal');
  return (
    <div role="alert" className="error">
      <strong>{t('attachments.failed', { count: failures.length })}</strong>
      <ul>
        {failures.map((f, i) => (
          <li key={i}>
            <span className="file-name">{f.filename}</span>: {f.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
