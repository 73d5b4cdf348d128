import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import type { ArticleKind } from '../../api/helpcenter';
import { ErrorMessage, KnownIssueBadge, Loading, useLocale } from '../../shared/components';
import { Notice, useDocumentTitle } from '../common';
import { ArticleEditor } from './ArticleEditor';
import { articleTitle, useArticle } from './queries';

function BackToList() {
  const { t } = useTranslation('admin');
  return (
    <p className="breadcrumb">
      <Link to="/admin/helpcenter/articles">{t('hc.articles.back')}</Link>
    </p>
  );
}

/** /admin/helpcenter/articles/new[?kind=known_issue]: a new draft, in one language or both. */
export function NewArticlePage() {
  const { t } = useTranslation('admin');
  const [params] = useSearchParams();
  const kind: ArticleKind = params.get('kind') === 'known_issue' ? 'known_issue' : 'article';
  const title = kind === 'known_issue' ? t('hc.articles.newKnownIssue') : t('hc.articles.newArticle');
  useDocumentTitle(title);
  return (
    <section aria-labelledby="hc-new-title">
      <BackToList />
      <h1 id="hc-new-title">{title}</h1>
      <p className="muted">{t('hc.editor.newIntro')}</p>
      {/* Keyed by kind: switching from a new article to a new known issue starts afresh. */}
      <ArticleEditor key={kind} kind={kind} />
    </section>
  );
}

/** /admin/helpcenter/articles/:id: one article's editor, status and revision history. */
export function EditArticlePage() {
  const { t } = useTranslation('admin');
  const locale = useLocale();
  const { id = '' } = useParams();
  const created = !!(useLocation().state as { created?: boolean } | null)?.created;
  const query = useArticle(id);
  const article = query.data;
  useDocumentTitle(article ? articleTitle(article, locale) : t('hc.articles.title'));
  return (
    <section aria-labelledby="hc-article-title">
      <BackToList />
      {query.isPending && <Loading />}
      <ErrorMessage error={query.error} />
      {article && (
        <>
          <h1 id="hc-article-title">
            {articleTitle(article, locale)}{' '}
            {article.kind === 'known_issue' && <KnownIssueBadge status={article.issueStatus} />}
          </h1>
          {created && <Notice>{t('hc.editor.created')}</Notice>}
          <ArticleEditor key={article.id} article={article} kind={article.kind} />
        </>
      )}
    </section>
  );
}
