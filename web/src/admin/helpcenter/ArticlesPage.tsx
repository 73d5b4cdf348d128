import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { get } from '../../api/client';
import {
  ARTICLE_KINDS,
  ARTICLE_STATUSES,
  type Article,
  type ArticleKind,
  type ArticleStatus,
  type Category,
} from '../../api/helpcenter';
import type { Locale, Page } from '../../api/types';
import { ErrorMessage, KnownIssueBadge, Loading, Time, useLocale } from '../../shared/components';
import { FormField, useDocumentTitle } from '../common';
import { articleTitle, hcKeys, titleIn, useCategories } from './queries';

const PAGE_SIZE = 25;

function sectionName(categories: Category[] | undefined, sectionId: string | null, locale: Locale) {
  if (!sectionId) return null;
  for (const c of categories ?? []) {
    const section = c.sections.find((s) => s.id === sectionId);
    if (section)
      return `${titleIn(c.titles, locale, c.key)} › ${titleIn(section.titles, locale, section.key)}`;
  }
  return null;
}

/** Every article and known issue, most recently changed first, filtered by kind and status. */
export function ArticlesPage() {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const locale = useLocale();
  useDocumentTitle(t('hc.articles.title'));
  const [params, setParams] = useSearchParams();
  const kind = (params.get('kind') ?? '') as ArticleKind | '';
  const status = (params.get('status') ?? '') as ArticleStatus | '';
  const setFilter = (name: 'kind' | 'status', value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  const categories = useCategories();
  const query = useInfiniteQuery({
    queryKey: [...hcKeys.articles, { kind, status }],
    queryFn: ({ pageParam }) =>
      get<Page<Article>>('/helpcenter/articles', { kind, status, limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const articles = query.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <section aria-labelledby="hc-articles-title">
      <div className="page-head">
        <h1 id="hc-articles-title">{t('hc.articles.title')}</h1>
        <div className="action-row">
          <Link className="button primary" to="/admin/helpcenter/articles/new">
            {t('hc.articles.newArticle')}
          </Link>
          <Link className="button" to="/admin/helpcenter/articles/new?kind=known_issue">
            {t('hc.articles.newKnownIssue')}
          </Link>
        </div>
      </div>
      <div className="toolbar">
        <FormField label={t('hc.articles.kind')}>
          {(p) => (
            <select {...p} value={kind} onChange={(e) => setFilter('kind', e.target.value)}>
              <option value="">{tc('all')}</option>
              {ARTICLE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`hc.kind.${k}`)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label={t('hc.articles.status')}>
          {(p) => (
            <select {...p} value={status} onChange={(e) => setFilter('status', e.target.value)}>
              <option value="">{tc('all')}</option>
              {ARTICLE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`hc.status.${s}`)}
                </option>
              ))}
            </select>
          )}
        </FormField>
      </div>
      {query.isPending && <Loading />}
      <ErrorMessage error={query.error} />
      {query.isSuccess && articles.length === 0 && <p>{t('hc.articles.empty')}</p>}
      {articles.length > 0 && (
        <div className="table-wrap">
          <table className="responsive">
            <caption className="visually-hidden">{t('hc.articles.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('hc.articles.articleTitle')}</th>
                <th scope="col">{t('hc.articles.kind')}</th>
                <th scope="col">{t('hc.articles.status')}</th>
                <th scope="col">{t('hc.articles.languages')}</th>
                <th scope="col">{t('hc.articles.section')}</th>
                <th scope="col">{t('hc.articles.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {articles.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Link to={`/admin/helpcenter/articles/${a.id}`}>{articleTitle(a, locale)}</Link>
                  </td>
                  <td data-label={t('hc.articles.kind')}>
                    {a.kind === 'known_issue' ? (
                      <KnownIssueBadge status={a.issueStatus} />
                    ) : (
                      t('hc.kind.article')
                    )}
                  </td>
                  <td data-label={t('hc.articles.status')}>
                    <span className={`badge article-${a.status}`}>{t(`hc.status.${a.status}`)}</span>
                  </td>
                  <td data-label={t('hc.articles.languages')}>
                    {a.translations.map((tr) => tc(`languageName.${tr.locale}`)).join(', ')}
                  </td>
                  <td data-label={t('hc.articles.section')}>
                    {sectionName(categories.data, a.sectionId, locale) ?? (
                      <span className="muted">{t('hc.editor.noSection')}</span>
                    )}
                  </td>
                  <td data-label={t('hc.articles.updated')}>
                    <Time iso={a.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {query.hasNextPage && (
        <button type="button" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {tc('more')}
        </button>
      )}
    </section>
  );
}
