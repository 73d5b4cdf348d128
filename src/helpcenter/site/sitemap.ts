import { escapeXml } from './html.js';
import type { SitemapEntry } from './site-content.js';

/** The sitemaps.org XML of the given addresses, with each page's translations as hreflang alternates. */
export async function sitemapXml(publicUrl: string, entries: AsyncIterable<SitemapEntry>): Promise<string> {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n',
  ];
  const absolute = (path: string) => escapeXml(`${publicUrl}${path}`);
  for await (const entry of entries) {
    out.push(`<url><loc>${absolute(entry.path)}</loc>`);
    if (entry.lastmod !== null) out.push(`<lastmod>${new Date(entry.lastmod).toISOString()}</lastmod>`);
    if (entry.alternates.length > 1) {
      for (const alternate of entry.alternates)
        out.push(
          `<xhtml:link rel="alternate" hreflang="${alternate.locale}" href="${absolute(alternate.path)}"/>`,
        );
      const xDefault = entry.alternates.find((a) => a.locale === 'en') ?? entry.alternates[0]!;
      out.push(`<xhtml:link rel="alternate" hreflang="x-default" href="${absolute(xDefault.path)}"/>`);
    }
    out.push('</url>\n');
  }
  out.push('</urlset>\n');
  return out.join('');
}
