import { escapeXml } from '../../helpcenter/site/html.js';
import { localizedPlain, statusT, type StatusLocale } from './i18n.js';
import { feedPath, homePath, incidentPath } from './paths.js';
import type { FeedEntry } from './repository.js';

/** Text fit for XML 1.0: the characters it cannot carry at all are dropped, the rest escaped. */
export function xmlText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return escapeXml(text.toWellFormed().replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, ''));
}

const iso = (at: number) => new Date(at).toISOString();

/**
 * The newest incident updates as an Atom 1.0 feed (RFC 4287): one entry per update, titled
 * "<incident> — <status>", linking to the incident's page. Its `updated` is the newest entry's, so
 * the document changes only when an update is published.
 */
export function atomFeed(publicUrl: string, locale: StatusLocale, entries: FeedEntry[], now: number): string {
  const t = statusT(locale);
  const self = `${publicUrl}${feedPath(locale)}`;
  const updated = entries[0]?.update.created_at ?? now;
  const items = entries.map(({ update, incident }) => {
    const name = localizedPlain(locale, incident.name, incident.name_fr);
    const status = t(`status.${update.status}`, { defaultValue: update.status });
    const link = `${publicUrl}${incidentPath(locale, incident.id)}`;
    return `  <entry>
    <id>urn:accord:status:update:${xmlText(update.id)}:${locale}</id>
    <title type="text">${xmlText(`${name} — ${status}`)}</title>
    <updated>${iso(update.created_at)}</updated>
    <link rel="alternate" type="text/html" href="${xmlText(link)}"/>
    <content type="text">${xmlText(localizedPlain(locale, update.body, update.body_fr))}</content>
  </entry>
`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${locale}">
  <id>${xmlText(self)}</id>
  <title type="text">${xmlText(t('site.feedTitle'))}</title>
  <updated>${iso(updated)}</updated>
  <author><name>${xmlText(t('site.name'))}</name></author>
  <link rel="self" type="application/atom+xml" href="${xmlText(self)}"/>
  <link rel="alternate" type="text/html" href="${xmlText(`${publicUrl}${homePath(locale)}`)}"/>
${items.join('')}</feed>
`;
}
