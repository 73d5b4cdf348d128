import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import type { Category, LocalizedTitles, Section } from '../../api/helpcenter';
import type { Locale } from '../../api/types';
import { LOCALES } from '../../i18n';
import { ErrorMessage, Loading, useLocale } from '../../shared/components';
import { fieldErrorsOf, FormField, Notice, ProblemAlert, useDocumentTitle } from '../common';
import { hcKeys, titleIn, useCategories } from './queries';

/** Titles typed per language; languages left blank are not sent. */
const filled = (titles: Record<Locale, string>): LocalizedTitles =>
  Object.fromEntries(LOCALES.filter((l) => titles[l].trim()).map((l) => [l, titles[l].trim()]));

const NO_TITLES: Record<Locale, string> = { en: '', fr: '' };

function TitleFields({
  value,
  onChange,
  errors,
  label,
}: {
  value: Record<Locale, string>;
  onChange: (next: Record<Locale, string>) => void;
  errors: Record<string, string>;
  label: (language: string) => string;
}) {
  const { t: tc } = useTranslation();
  return (
    <>
      {LOCALES.map((l) => (
        <FormField key={l} label={label(tc(`languageName.${l}`))} error={errors[`body.titles.${l}`]}>
          {(p) => (
            <input
              {...p}
              maxLength={200}
              value={value[l]}
              onChange={(e) => onChange({ ...value, [l]: e.target.value })}
            />
          )}
        </FormField>
      ))}
    </>
  );
}

function CreateCategory() {
  const { t } = useTranslation('admin');
  const queryClient = useQueryClient();
  const [key, setKey] = useState('');
  const [titles, setTitles] = useState(NO_TITLES);
  const [descriptions, setDescriptions] = useState(NO_TITLES);
  const [created, setCreated] = useState<Category | null>(null);
  const create = useMutation({
    mutationFn: () =>
      post<Category>('/helpcenter/categories', {
        key: key.trim(),
        titles: filled(titles),
        descriptions: filled(descriptions),
      }),
    onSuccess: async (category) => {
      setCreated(category);
      setKey('');
      setTitles(NO_TITLES);
      setDescriptions(NO_TITLES);
      await queryClient.invalidateQueries({ queryKey: hcKeys.categories });
    },
  });
  const errors = fieldErrorsOf(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCreated(null);
    create.mutate();
  };
  return (
    <section aria-labelledby="hc-create-category" className="card admin-form">
      <h2 id="hc-create-category">{t('hc.categories.createCategory')}</h2>
      <form onSubmit={submit}>
        <div className="inline-fields">
          <FormField
            label={t('hc.categories.key')}
            hint={t('hc.categories.keyHint')}
            error={errors['body.key']}
          >
            {(p) => (
              <input {...p} required maxLength={80} value={key} onChange={(e) => setKey(e.target.value)} />
            )}
          </FormField>
          <TitleFields
            value={titles}
            onChange={setTitles}
            errors={errors}
            label={(language) => t('hc.categories.titleIn', { language })}
          />
        </div>
        <div className="inline-fields">
          {LOCALES.map((l) => (
            <FormField
              key={l}
              label={t('hc.categories.descriptionIn', { language: t(`common:languageName.${l}`) })}
              error={errors[`body.descriptions.${l}`]}
            >
              {(p) => (
                <input
                  {...p}
                  maxLength={500}
                  value={descriptions[l]}
                  onChange={(e) => setDescriptions({ ...descriptions, [l]: e.target.value })}
                />
              )}
            </FormField>
          ))}
        </div>
        <ProblemAlert error={create.error} />
        {created && <Notice>{t('hc.categories.categoryCreated', { key: created.key })}</Notice>}
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('hc.categories.createCategory')}
        </button>
      </form>
    </section>
  );
}

function CreateSection({ categories }: { categories: Category[] }) {
  const { t } = useTranslation('admin');
  const locale = useLocale();
  const queryClient = useQueryClient();
  const [categoryId, setCategoryId] = useState(categories[0]?.id ?? '');
  const [key, setKey] = useState('');
  const [titles, setTitles] = useState(NO_TITLES);
  const [created, setCreated] = useState<Section | null>(null);
  const create = useMutation({
    mutationFn: () =>
      post<Section>('/helpcenter/sections', { categoryId, key: key.trim(), titles: filled(titles) }),
    onSuccess: async (section) => {
      setCreated(section);
      setKey('');
      setTitles(NO_TITLES);
      await queryClient.invalidateQueries({ queryKey: hcKeys.categories });
    },
  });
  const errors = fieldErrorsOf(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCreated(null);
    create.mutate();
  };
  return (
    <section aria-labelledby="hc-create-section" className="card admin-form">
      <h2 id="hc-create-section">{t('hc.categories.createSection')}</h2>
      <form onSubmit={submit}>
        <div className="inline-fields">
          <FormField label={t('hc.categories.category')} error={errors['body.categoryId']}>
            {(p) => (
              <select {...p} required value={categoryId} onChange={(e) => setCategoryId(e.target.value)}>
                {categories.map((c) => (
                  <option key={c.id} value={c.id}>
                    {titleIn(c.titles, locale, c.key)}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <FormField
            label={t('hc.categories.key')}
            hint={t('hc.categories.keyHint')}
            error={errors['body.key']}
          >
            {(p) => (
              <input {...p} required maxLength={80} value={key} onChange={(e) => setKey(e.target.value)} />
            )}
          </FormField>
          <TitleFields
            value={titles}
            onChange={setTitles}
            errors={errors}
            label={(language) => t('hc.categories.titleIn', { language })}
          />
        </div>
        <ProblemAlert error={create.error} />
        {created && <Notice>{t('hc.categories.sectionCreated', { key: created.key })}</Notice>}
        <button type="submit" className="primary" disabled={create.isPending || !categoryId}>
          {t('hc.categories.createSection')}
        </button>
      </form>
    </section>
  );
}

/** The help center's structure: categories and the sections articles are filed in (leads and admins). */
export function CategoriesPage() {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  useDocumentTitle(t('hc.categories.title'));
  const query = useCategories();
  const categories = query.data ?? [];
  return (
    <section aria-labelledby="hc-categories-title">
      <h1 id="hc-categories-title">{t('hc.categories.title')}</h1>
      <p className="muted">{t('hc.categories.intro')}</p>
      {query.isPending && <Loading />}
      <ErrorMessage error={query.error} />
      {query.isSuccess && categories.length === 0 && <p>{t('hc.categories.empty')}</p>}
      {categories.length > 0 && (
        <div className="table-wrap">
          <table className="responsive">
            <caption className="visually-hidden">{t('hc.categories.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('hc.categories.key')}</th>
                {LOCALES.map((l) => (
                  <th key={l} scope="col">
                    {tc(`languageName.${l}`)}
                  </th>
                ))}
                <th scope="col">{t('hc.categories.sections')}</th>
              </tr>
            </thead>
            <tbody>
              {categories.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <code>{c.key}</code>
                  </th>
                  {LOCALES.map((l) => (
                    <td key={l} data-label={tc(`languageName.${l}`)}>
                      {c.titles[l] ?? <span className="muted">—</span>}
                    </td>
                  ))}
                  <td data-label={t('hc.categories.sections')}>
                    {c.sections.length === 0 ? (
                      <span className="muted">{t('hc.categories.noSections')}</span>
                    ) : (
                      <ul className="plain">
                        {c.sections.map((s) => (
                          <li key={s.id}>
                            {LOCALES.map((l) => s.titles[l])
                              .filter(Boolean)
                              .join(' / ')}{' '}
                            <code className="muted">{s.key}</code>
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <CreateCategory />
      {categories.length > 0 && <CreateSection categories={categories} />}
    </section>
  );
}
