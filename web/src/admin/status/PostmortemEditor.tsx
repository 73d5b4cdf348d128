import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { patch } from '../../api/client';
import { statusKeys, type Incident } from '../../api/status';
import { fieldErrorsOf, FormField, Notice, ProblemAlert } from '../common';

/** What happened and what changes, in Markdown, published on the incident once it is resolved. */
export function PostmortemEditor({ incident }: { incident: Incident }) {
  const { t } = useTranslation('admin');
  const queryClient = useQueryClient();
  const [text, setText] = useState(incident.postmortemMarkdown ?? '');
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      patch<Incident>(`/status/incidents/${incident.id}`, { postmortem: text.trim() ? text : null }),
    onSuccess: (updated) => {
      setSaved(true);
      queryClient.setQueryData(statusKeys.incident(incident.id), (old: Incident | undefined) =>
        old ? { ...old, ...updated } : updated,
      );
      void queryClient.invalidateQueries({ queryKey: statusKeys.all });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    save.mutate();
  };
  return (
    <section aria-labelledby="status-postmortem" className="card admin-form">
      <h2 id="status-postmortem">{t('status.postmortem.title')}</h2>
      <form onSubmit={submit}>
        <FormField
          label={t('status.postmortem.text')}
          hint={t('status.postmortem.hint')}
          error={fieldErrorsOf(save.error)['body.postmortem']}
        >
          {(p) => <textarea {...p} rows={10} value={text} onChange={(e) => setText(e.target.value)} />}
        </FormField>
        <ProblemAlert error={save.error} />
        {saved && <Notice>{t('status.postmortem.saved')}</Notice>}
        <button type="submit" className="primary" disabled={save.isPending}>
          {t('status.postmortem.save')}
        </button>
      </form>
      {incident.postmortemHtml && (
        <details>
          <summary>{t('status.postmortem.preview')}</summary>
          {/* Rendered from Markdown and sanitized by the desk when saved. */}
          <div className="article-body" dangerouslySetInnerHTML={{ __html: incident.postmortemHtml }} />
        </details>
      )}
    </section>
  );
}
