import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  AUDIENCES,
  ISSUE_STATUSES,
  type Article,
  type ArticleKind,
  type Audience,
  type IssueStatus,
} from '../../api/helpcenter';
import { TIERS, type Locale, type Tier } from '../../api/types';
import { LOCALES } from '../../i18n';
import { useLocale } from '../../shared/components';
import { FormField } from '../common';
import { titleIn, useCategories } from './queries';

/** One locale's words as typed; empty strings are fields left blank. */
export interface TranslationDraft {
  title: string;
  slug: string;
  summary: string;
  body: string;
  symptom: string;
  workaround: string;
}
export const EMPTY_TRANSLATION: TranslationDraft = {
  title: '',
  slug: '',
  summary: '',
  body: '',
  symptom: '',
  workaround: '',
};

/** Where the article is filed and who may read it; for a known issue, where its fix stands. */
export interface SettingsDraft {
  sectionId: string;
  audience: Audience;
  tiers: Tier[];
  issueStatus: IssueStatus;
  affectedArea: string;
  fixedIn: string;
}

export function translationDrafts(article: Article | undefined): Record<Locale, TranslationDraft> {
  const drafts = { en: EMPTY_TRANSLATION, fr: EMPTY_TRANSLATION };
  for (const t of article?.translations ?? [])
    drafts[t.locale] = {
      title: t.title,
      slug: t.slug,
      summary: t.summary,
      body: t.bodyMarkdown,
      symptom: t.symptom ?? '',
      workaround: t.workaroundMarkdown ?? '',
    };
  return drafts;
}

export function settingsDraft(article: Article | undefined): SettingsDraft {
  return {
    sectionId: article?.sectionId ?? '',
    audience: article?.audience ?? 'public',
    tiers: article?.tiers ?? [],
    issueStatus: article?.issueStatus ?? 'investigating',
    affectedArea: article?.affectedArea ?? '',
    fixedIn: article?.fixedIn ?? '',
  };
}

export const sameDraft = <T extends object>(a: T, b: T) =>
  (Object.keys(a) as (keyof T)[]).every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));

/** The body of PUT /translations/{locale} (and of each locale in POST /articles); blanks left out. */
export function translationBody(draft: TranslationDraft, kind: ArticleKind) {
  const slug = draft.slug.trim();
  return {
    title: draft.title.trim(),
    ...(slug ? { slug } : {}),
    summary: draft.summary.trim(),
    body: draft.body,
    ...(kind === 'known_issue' ? { symptom: draft.symptom.trim(), workaround: draft.workaround } : {}),
  };
}

/** The article's own fields as PATCH and POST take them. */
export function settingsBody(settings: SettingsDraft, kind: ArticleKind) {
  return {
    sectionId: settings.sectionId || null,
    audience: settings.audience,
    ...(settings.audience === 'tiers' ? { tiers: settings.tiers } : {}),
    ...(kind === 'known_issue'
      ? {
          issueStatus: settings.issueStatus,
          affectedArea: settings.affectedArea.trim() || null,
          fixedIn: settings.fixedIn.trim() || null,
        }
      : {}),
  };
}

export function SettingsFields({
  kind,
  value,
  onChange,
  errors,
}: {
  kind: ArticleKind;
  value: SettingsDraft;
  onChange: (next: SettingsDraft) => void;
  errors: Record<string, string>;
}) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const locale = useLocale();
  const categories = useCategories();
  const set = (patch: Partial<SettingsDraft>) => onChange({ ...value, ...patch });
  return (
    <>
      <div className="inline-fields">
        <FormField label={t('hc.editor.section')} error={errors['body.sectionId']}>
          {(p) => (
            <select {...p} value={value.sectionId} onChange={(e) => set({ sectionId: e.target.value })}>
              <option value="">{t('hc.editor.noSection')}</option>
              {(categories.data ?? []).map((c) => (
                <optgroup key={c.id} label={titleIn(c.titles, locale, c.key)}>
                  {c.sections.map((s) => (
                    <option key={s.id} value={s.id}>
                      {titleIn(s.titles, locale, s.key)}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          )}
        </FormField>
        {kind === 'known_issue' && (
          <>
            <FormField label={t('hc.editor.issueStatus')} error={errors['body.issueStatus']}>
              {(p) => (
                <select
                  {...p}
                  value={value.issueStatus}
                  onChange={(e) => set({ issueStatus: e.target.value as IssueStatus })}
                >
                  {ISSUE_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {tc(`helpCenter.issueStatus.${s}`)}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            <FormField
              label={t('hc.editor.affectedArea')}
              hint={t('hc.editor.affectedAreaHint')}
              error={errors['body.affectedArea']}
            >
              {(p) => (
                <input
                  {...p}
                  maxLength={120}
                  value={value.affectedArea}
                  onChange={(e) => set({ affectedArea: e.target.value })}
                />
              )}
            </FormField>
            <FormField
              label={t('hc.editor.fixedIn')}
              hint={t('hc.editor.fixedInHint')}
              error={errors['body.fixedIn']}
            >
              {(p) => (
                <input
                  {...p}
                  maxLength={40}
                  value={value.fixedIn}
                  onChange={(e) => set({ fixedIn: e.target.value })}
                />
              )}
            </FormField>
          </>
        )}
      </div>
      <fieldset className="inline-fields hc-audience">
        <legend>{t('hc.editor.audience')}</legend>
        {AUDIENCES.map((a) => (
          <label key={a} className="checkbox">
            <input
              type="radio"
              name="audience"
              value={a}
              checked={value.audience === a}
              onChange={() => set({ audience: a })}
            />
            {t(`hc.audience.${a}`)}
          </label>
        ))}
      </fieldset>
      {value.audience === 'tiers' && (
        <fieldset className="inline-fields hc-tiers">
          <legend>{t('hc.editor.tiers')}</legend>
          {TIERS.map((tier) => (
            <label key={tier} className="checkbox">
              <input
                type="checkbox"
                checked={value.tiers.includes(tier)}
                onChange={(e) =>
                  set({
                    tiers: e.target.checked ? [...value.tiers, tier] : value.tiers.filter((x) => x !== tier),
                  })
                }
              />
              {tc(`tier.${tier}`)}
            </label>
          ))}
          {errors['body.tiers'] && <span className="field-error">{errors['body.tiers']}</span>}
        </fieldset>
      )}
    </>
  );
}

export function TranslationFields({
  kind,
  locale,
  value,
  onChange,
  errors,
}: {
  kind: ArticleKind;
  locale: Locale;
  value: TranslationDraft;
  onChange: (next: TranslationDraft) => void;
  /** Field messages by name (title, slug, body …). */
  errors: Partial<Record<keyof TranslationDraft, string>>;
}) {
  const { t } = useTranslation('admin');
  const set = (patch: Partial<TranslationDraft>) => onChange({ ...value, ...patch });
  return (
    <>
      <FormField label={t('hc.editor.title')} error={errors.title}>
        {(p) => (
          <input
            {...p}
            className="wide"
            maxLength={200}
            value={value.title}
            onChange={(e) => set({ title: e.target.value })}
          />
        )}
      </FormField>
      <FormField
        label={t('hc.editor.slug')}
        hint={t('hc.editor.slugHint', { path: `/hc/${locale}/articles/${value.slug || '…'}` })}
        error={errors.slug}
      >
        {(p) => (
          <input {...p} maxLength={80} value={value.slug} onChange={(e) => set({ slug: e.target.value })} />
        )}
      </FormField>
      <FormField label={t('hc.editor.summary')} hint={t('hc.editor.summaryHint')} error={errors.summary}>
        {(p) => (
          <textarea
            {...p}
            rows={2}
            maxLength={300}
            className="short"
            value={value.summary}
            onChange={(e) => set({ summary: e.target.value })}
          />
        )}
      </FormField>
      {kind === 'known_issue' && (
        <>
          <FormField label={t('hc.editor.symptom')} hint={t('hc.editor.symptomHint')} error={errors.symptom}>
            {(p) => (
              <textarea
                {...p}
                rows={2}
                maxLength={1000}
                className="short"
                value={value.symptom}
                onChange={(e) => set({ symptom: e.target.value })}
              />
            )}
          </FormField>
          <FormField
            label={t('hc.editor.workaround')}
            hint={t('hc.editor.markdownHint')}
            error={errors.workaround}
          >
            {(p) => (
              <textarea
                {...p}
                rows={5}
                className="markdown"
                value={value.workaround}
                onChange={(e) => set({ workaround: e.target.value })}
              />
            )}
          </FormField>
        </>
      )}
      <FormField label={t('hc.editor.body')} hint={t('hc.editor.markdownHint')} error={errors.body}>
        {(p) => (
          <textarea
            {...p}
            rows={14}
            className="markdown"
            value={value.body}
            onChange={(e) => set({ body: e.target.value })}
          />
        )}
      </FormField>
    </>
  );
}

/**
 * One tab per help center language (the ARIA tabs pattern: arrow keys move between tabs); the
 * panel holds the chosen locale's fields.
 */
export function LocaleTabs({
  active,
  onSelect,
  label,
  describe,
  children,
}: {
  active: Locale;
  onSelect: (locale: Locale) => void;
  label: string;
  /** A word beside the language's name: not written yet, unsaved changes. */
  describe: (locale: Locale) => string | undefined;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const id = useId();
  const tabs = useRef<Partial<Record<Locale, HTMLButtonElement | null>>>({});
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = LOCALES[(LOCALES.indexOf(active) + step + LOCALES.length) % LOCALES.length]!;
    onSelect(next);
    tabs.current[next]?.focus();
  };
  return (
    <div className="locale-tabs">
      <div role="tablist" aria-label={label} className="tablist">
        {LOCALES.map((l) => {
          const note = describe(l);
          return (
            <button
              key={l}
              ref={(el) => {
                tabs.current[l] = el;
              }}
              type="button"
              role="tab"
              id={`${id}-tab-${l}`}
              aria-controls={`${id}-panel`}
              aria-selected={active === l}
              tabIndex={active === l ? 0 : -1}
              onClick={() => onSelect(l)}
              onKeyDown={onKeyDown}
            >
              {t(`languageName.${l}`)}
              {note && <span className="tab-note"> ({note})</span>}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${active}`} className="tabpanel">
        {children}
      </div>
    </div>
  );
}
