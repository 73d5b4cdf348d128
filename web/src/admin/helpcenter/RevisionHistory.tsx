import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import type { Revision } from '../../api/helpcenter';
import type { Locale } from '../../api/types';
import { ErrorMessage, Loading, Time } from '../../shared/components';
import { hcKeys } from './queries';

/** Every save of one language's words, newest first, each readable as it was written. */
export function RevisionHistory({ articleId, locale }: { articleId: string; locale: Locale }) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const headingId = useId();
  // Every language's revisions at once (a few hundred at most), so switching tabs needs no request.
  const query = useQuery({
    queryKey: hcKeys.revisions(articleId),
    queryFn: async () =>
      (await get<{ data: Revision[] }>(`/helpcenter/articles/${articleId}/revisions`)).data,
  });
  const revisions = query.data?.filter((r) => r.locale === locale);
  const language = tc(`languageName.${locale}`);
  return (
    <section className="card hc-revisions" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('hc.revisions.title', { language })}</h2>
      {query.isPending && <Loading />}
      <ErrorMessage error={query.error} />
      {revisions?.length === 0 && <p className="muted">{t('hc.revisions.none', { language })}</p>}
      {revisions && revisions.length > 0 && (
        <ol className="hc-revision-list">
          {revisions.map((r) => (
            <li key={r.id}>
              <details>
                <summary>
                  {t('hc.revisions.revision', { number: r.revision })} · <Time iso={r.at} /> ·{' '}
                  {r.author?.name ?? t('hc.revisions.unknownAuthor')} — {r.title}
                </summary>
                {r.summary && <p className="muted">{r.summary}</p>}
                {r.symptom && (
                  <p>
                    <strong>{t('hc.editor.symptom')}:</strong> {r.symptom}
                  </p>
                )}
                {r.workaroundMarkdown && (
                  <>
                    <p>
                      <strong>{t('hc.editor.workaround')}:</strong>
                    </p>
                    <pre className="hc-markdown">{r.workaroundMarkdown}</pre>
                  </>
                )}
                <pre className="hc-markdown">{r.bodyMarkdown}</pre>
              </details>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
