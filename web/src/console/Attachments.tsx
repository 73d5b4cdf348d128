import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../api/client';
import type { Attachment } from '../api/types';
import { formatBytes } from '../shared/format';
import { ErrorMessage, Loading, Time, useLocale } from '../shared/components';
import { ticketKey, useAttachments } from './queries';

export function Attachments({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation('console');
  const locale = useLocale();
  const queryClient = useQueryClient();
  const attachments = useAttachments(ticketId);
  const fileInput = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const headingId = useId();
  const upload = useMutation({
    mutationFn: (f: File) => {
      const form = new FormData();
      form.append('file', f);
      return post<Attachment>(`/tickets/${ticketId}/attachments`, form);
    },
    onSuccess: () => {
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
      void queryClient.invalidateQueries({ queryKey: ticketKey(ticketId) });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (file) upload.mutate(file);
  };

  return (
    <section className="card attachments" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('attachments.heading')}</h2>
      {attachments.isPending && <Loading />}
      <ErrorMessage error={attachments.error} />
      {attachments.data?.length === 0 && <p className="muted">{t('attachments.none')}</p>}
      {!!attachments.data?.length && (
        <ul className="attachment-list">
          {attachments.data.map((a) => (
            <li key={a.id}>
              <a href={`/api/v1/attachments/${a.id}`} download={a.filename}>
                {a.filename}
              </a>{' '}
              <span className="muted">
                {formatBytes(a.size, locale)} · <Time iso={a.createdAt} />
              </span>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} className="attachment-upload">
        <label className="field">
          <span className="field-label">{t('attachments.file')}</span>
          <input
            ref={fileInput}
            type="file"
            name="file"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              upload.reset();
            }}
          />
        </label>
        <button type="submit" disabled={!file || upload.isPending}>
          {upload.isPending ? t('attachments.uploading') : t('attachments.upload')}
        </button>
      </form>
      <ErrorMessage error={upload.error} />
    </section>
  );
}
