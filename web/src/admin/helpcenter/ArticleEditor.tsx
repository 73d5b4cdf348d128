import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { del, patch, post, put } from '../../api/client';
import type { Article, ArticleKind, ArticleStatus } from '../../api/helpcenter';
import type { Locale } from '../../api/types';
import { LOCALES } from '../../i18n';
import { Time, useLocale } from '../../shared/components';
import { fieldErrorsOf, Notice, ProblemAlert } from '../common';
import {
  EMPTY_TRANSLATION,
  LocaleTabs,
  sameDraft,
  settingsBody,
  settingsDraft,
  SettingsFields,
  translationBody,
  translationDrafts,
  TranslationFields,
  type TranslationDraft,
} from './ArticleFields';
import { hcKeys } from './queries';
import { RevisionHistory } from './RevisionHistory';

const TRANSLATION_FIELDS: (keyof TranslationDraft)[] = [
  'title',
  'slug',
  'summary',
  'body',
  'symptom',
  'workaround',
];

/** The status changes offered from each status. */
const NEXT_STATUSES: Record<ArticleStatus, ArticleStatus[]> = {
  draft: ['published', 'archived'],
  published: ['archived', 'draft'],
  archived: ['published', 'draft'],
};

/** Publish, archive or take back to draft; the public address of each translation. */
function StatusBar({
  article,
  dirty,
  onChanged,
}: {
  article: Article;
  dirty: boolean;
  onChanged: (message: string) => void;
}) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const queryClient = useQueryClient();
  const hintId = useId();
  const change = useMutation({
    mutationFn: (status: ArticleStatus) => patch<Article>(`/helpcenter/articles/${article.id}`, { status }),
    onSuccess: (updated) => {
      queryClient.setQueryData(hcKeys.article(updated.id), updated);
      void queryClient.invalidateQueries({ queryKey: hcKeys.articles });
      onChanged(t(`hc.status.changed.${updated.status}`));
    },
  });
  return (
    <div className="hc-status-bar">
      <p className="hc-meta">
        <span className={`badge article-${article.status}`}>{t(`hc.status.${article.status}`)}</span>{' '}
        {article.publishedAt && article.status === 'published' && (
          <span className="muted">
            {t('hc.editor.publishedAt')} <Time iso={article.publishedAt} />
          </span>
        )}{' '}
        <span className="muted">
          {t('hc.editor.updatedAt')} <Time iso={article.updatedAt} />
        </span>
      </p>
      <div className="action-row">
        {NEXT_STATUSES[article.status].map((status) => (
          <button
            key={status}
            type="button"
            className={status === 'published' ? 'primary' : undefined}
            disabled={dirty || change.isPending}
            aria-describedby={dirty ? hintId : undefined}
            onClick={() => change.mutate(status)}
          >
            {t(`hc.status.action.${status}`)}
          </button>
        ))}
        {/* The public site shows published articles only. */}
        {article.status === 'published' &&
          article.translations.map((tr) => (
            <a key={tr.locale} href={tr.url} target="_blank" rel="noreferrer">
              {t('hc.editor.view', { language: tc(`languageName.${tr.locale}`) })}
              <span className="visually-hidden"> {t('hc.newTab')}</span>
            </a>
          ))}
      </div>
      {dirty && (
        <p id={hintId} className="field-hint">
          {t('hc.editor.saveFirst')}
        </p>
      )}
      <ProblemAlert error={change.error} />
    </div>
  );
}

function RemoveTranslation({
  article,
  locale,
  onRemoved,
}: {
  article: Article;
  locale: Locale;
  onRemoved: () => void;
}) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const language = tc(`languageName.${locale}`);
  const remove = useMutation({
    mutationFn: () => del(`/helpcenter/articles/${article.id}/translations/${locale}`),
    onSuccess: async () => {
      setConfirming(false);
      onRemoved();
      await queryClient.invalidateQueries({ queryKey: hcKeys.article(article.id) });
    },
  });
  return (
    <div className="hc-remove-translation">
      {confirming ? (
        <span className="confirm" role="group" aria-label={t('hc.editor.confirmRemove', { language })}>
          <span>{t('hc.editor.confirmRemove', { language })}</span>
          <button
            type="button"
            className="danger"
            onClick={() => remove.mutate()}
            disabled={remove.isPending}
          >
            {t('hc.editor.remove')}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {tc('cancel')}
          </button>
        </span>
      ) : (
        <button type="button" onClick={() => setConfirming(true)}>
          {t('hc.editor.removeTranslation', { language })}
        </button>
      )}
      <ProblemAlert error={remove.error} />
    </div>
  );
}

/**
 * Writes an article or known issue: where it is filed and who reads it, and its words in each
 * language (a tab each). One Save sends what changed: the article's fields, then each edited
 * translation, every one of which becomes a revision. Without `article`, Save creates a draft.
 */
export function ArticleEditor({ article, kind }: { article?: Article; kind: ArticleKind }) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const uiLocale = useLocale();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const settingsHeading = useId();
  const wordsHeading = useId();
  const [tab, setTab] = useState<Locale>(() =>
    !article || article.translations.some((tr) => tr.locale === uiLocale)
      ? uiLocale
      : (article.translations[0]?.locale ?? uiLocale),
  );
  const [drafts, setDrafts] = useState(() => translationDrafts(article));
  const [settings, setSettings] = useState(() => settingsDraft(article));
  const [failedLocale, setFailedLocale] = useState<Locale | null>(null);
  const [notice, setNotice] = useState('');

  const saved = useMemo(
    () => ({ drafts: translationDrafts(article), settings: settingsDraft(article) }),
    [article],
  );
  const dirtyLocales = LOCALES.filter((l) => !sameDraft(drafts[l], saved.drafts[l]));
  const settingsDirty = !sameDraft(settings, saved.settings);
  const dirty = dirtyLocales.length > 0 || settingsDirty;
  const written = (l: Locale) => article?.translations.some((tr) => tr.locale === l) ?? false;

  const save = useMutation({
    mutationFn: async (): Promise<Article> => {
      setFailedLocale(null);
      if (!article) {
        const locales = LOCALES.filter((l) => !sameDraft(drafts[l], EMPTY_TRANSLATION));
        return post<Article>('/helpcenter/articles', {
          kind,
          ...settingsBody(settings, kind),
          translations: Object.fromEntries(locales.map((l) => [l, translationBody(drafts[l], kind)])),
        });
      }
      let latest = article;
      if (settingsDirty)
        latest = await patch<Article>(`/helpcenter/articles/${article.id}`, settingsBody(settings, kind));
      for (const l of dirtyLocales) {
        try {
          latest = await put<Article>(
            `/helpcenter/articles/${article.id}/translations/${l}`,
            translationBody(drafts[l], kind),
          );
        } catch (error) {
          setFailedLocale(l);
          setTab(l);
          throw error;
        }
      }
      return latest;
    },
    onSuccess: (result) => {
      queryClient.setQueryData(hcKeys.article(result.id), result);
      void queryClient.invalidateQueries({ queryKey: hcKeys.articles });
      if (!article) {
        void navigate(`/admin/helpcenter/articles/${result.id}`, { state: { created: true } });
        return;
      }
      // The revisions list is under the article's key.
      void queryClient.invalidateQueries({ queryKey: hcKeys.article(result.id) });
      // The desk fills blanks (slug, summary): show what it stored.
      setDrafts(translationDrafts(result));
      setSettings(settingsDraft(result));
      setNotice(t('hc.editor.saved'));
    },
    onError: (error) => {
      const fields = Object.keys(fieldErrorsOf(error));
      const failing = LOCALES.find((l) => fields.some((f) => f.startsWith(`body.translations.${l}.`)));
      if (failing) setTab(failing);
    },
  });

  const fields = fieldErrorsOf(save.error);
  const translationErrors = (l: Locale) =>
    Object.fromEntries(
      TRANSLATION_FIELDS.map((name) => [
        name,
        fields[`body.translations.${l}.${name}`] ?? (failedLocale === l ? fields[`body.${name}`] : undefined),
      ]),
    ) as Partial<Record<keyof TranslationDraft, string>>;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setNotice('');
    if (!save.isPending) save.mutate();
  };

  return (
    <>
      {article && <StatusBar article={article} dirty={dirty} onChanged={setNotice} />}
      {notice && !dirty && <Notice>{notice}</Notice>}
      <form className="hc-editor" onSubmit={submit}>
        <section className="card" aria-labelledby={settingsHeading}>
          <h2 id={settingsHeading}>{t('hc.editor.settings')}</h2>
          <SettingsFields kind={kind} value={settings} onChange={setSettings} errors={fields} />
        </section>
        <section className="card" aria-labelledby={wordsHeading}>
          <h2 id={wordsHeading}>{t('hc.editor.words')}</h2>
          <LocaleTabs
            active={tab}
            onSelect={setTab}
            label={t('hc.editor.languages')}
            describe={(l) =>
              dirtyLocales.includes(l)
                ? t('hc.editor.unsaved')
                : !written(l)
                  ? t('hc.editor.notWritten')
                  : undefined
            }
          >
            <TranslationFields
              key={tab}
              kind={kind}
              locale={tab}
              value={drafts[tab]}
              onChange={(draft) => setDrafts((all) => ({ ...all, [tab]: draft }))}
              errors={translationErrors(tab)}
            />
            {article && written(tab) && article.translations.length > 1 && (
              <RemoveTranslation
                article={article}
                locale={tab}
                onRemoved={() => setDrafts((all) => ({ ...all, [tab]: EMPTY_TRANSLATION }))}
              />
            )}
          </LocaleTabs>
        </section>
        <ProblemAlert error={save.error} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={save.isPending || (!!article && !dirty)}>
            {article ? tc('save') : t('hc.editor.create')}
          </button>
          {article && dirty && <span className="muted">{t('hc.editor.unsavedChanges')}</span>}
          {save.isPending && (
            <span className="muted" role="status">
              {t('hc.editor.saving')}
            </span>
          )}
        </div>
      </form>
      {article && <RevisionHistory articleId={article.id} locale={tab} />}
    </>
  );
}
