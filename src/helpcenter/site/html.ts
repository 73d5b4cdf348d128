import { escapeHtml } from '../markdown.js';

/** Markup that is already safe to send: built by `html`, or stored HTML sanitized when it was saved. */
export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

/** What a template may interpolate; `false`, `null` and `undefined` render nothing, so `cond && html`…`` works. */
export type HtmlPart = Html | string | number | null | undefined | false | readonly HtmlPart[];

/** Marks markup as safe. Only for HTML sanitized at save time or escaped by the search engine. */
export const trusted = (markup: string) => new Html(markup);

function render(part: HtmlPart): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return (part as readonly HtmlPart[]).map(render).join('');
  return escapeHtml(String(part));
}

/** A template whose every interpolation is escaped unless it is `Html`. */
export function html(strings: TemplateStringsArray, ...parts: HtmlPart[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < parts.length; i++) out += render(parts[i]) + (strings[i + 1] ?? '');
  return new Html(out);
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text for XML (the sitemap), where `&#39;` is fine too but `&apos;` is the XML spelling. */
export const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
