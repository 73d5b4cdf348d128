import { useQuery } from '@tanstack/react-query';
import { get } from '../../api/client';
import type { Article, Category, LocalizedTitles } from '../../api/helpcenter';
import type { Locale } from '../../api/types';

/** The help center's cache entries in the admin area, all under ['admin', 'helpcenter']. */
export const hcKeys = {
  all: ['admin', 'helpcenter'] as const,
  categories: ['admin', 'helpcenter', 'categories'] as const,
  articles: ['admin', 'helpcenter', 'articles'] as const,
  article: (id: string) => ['admin', 'helpcenter', 'article', id] as const,
  revisions: (id: string) => ['admin', 'helpcenter', 'article', id, 'revisions'] as const,
  metrics: (from: string, to: string, locale: string) =>
    ['admin', 'helpcenter', 'metrics', from, to, locale] as const,
};

export function useCategories() {
  return useQuery({
    queryKey: hcKeys.categories,
    queryFn: async () => (await get<{ data: Category[] }>('/helpcenter/categories')).data,
    staleTime: 60_000,
  });
}

export function useArticle(id: string) {
  return useQuery({
    queryKey: hcKeys.article(id),
    queryFn: () => get<Article>(`/helpcenter/articles/${id}`),
  });
}

/** A category's or section's name in the viewer's language, else any it has, else its key. */
export const titleIn = (titles: LocalizedTitles, locale: Locale, key: string) =>
  titles[locale] || titles.en || titles.fr || key;

/** An article's name in the viewer's language, else any translation's. */
export const articleTitle = (article: Article, locale: Locale) =>
  (article.translations.find((t) => t.locale === locale) ?? article.translations[0])?.title ?? article.key;
