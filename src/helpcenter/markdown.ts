import { Marked, type Token, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';

// Raw HTML in an article is kept as text: authors write Markdown, and a pasted <script> stays inert.
const marked = new Marked({ gfm: true, breaks: false, async: false });
marked.use({
  renderer: {
    html: ({ text }) => escapeHtml(text),
  },
});

/** What an article's HTML may hold: formatting, links, images over https, tables; nothing that runs. */
const articleHtml: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'b',
    'strong',
    'i',
    'em',
    'del',
    's',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'a',
    'img',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'hr',
    'kbd',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title'],
    th: ['align'],
    td: ['align'],
    ol: ['start'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['https'] },
  allowProtocolRelative: false,
  // An article's own "# Title" would compete with the page's h1.
  transformTags: {
    h1: 'h2',
    a: (tagName, attribs) => {
      const href = attribs.href ?? '';
      const external = /^https?:/i.test(href);
      return {
        tagName,
        attribs: external ? { ...attribs, rel: 'noopener noreferrer nofollow' } : attribs,
      };
    },
  },
};

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Markdown to the sanitized HTML stored beside it and served as is. */
export function renderMarkdown(markdown: string): string {
  return sanitizeHtml(marked.parse(markdown) as string, articleHtml);
}

/** The words of a Markdown text without its markup: for search and for summaries. */
export function markdownToText(markdown: string): string {
  const out: string[] = [];
  const walk = (tokens: Token[]) => {
    for (const token of tokens) {
      if ('tokens' in token && Array.isArray(token.tokens) && token.tokens.length > 0) {
        walk(token.tokens);
      } else if (token.type === 'list') {
        for (const item of (token as Tokens.List).items) walk(item.tokens);
      } else if (token.type === 'table') {
        const table = token as Tokens.Table;
        for (const cell of table.header) walk(cell.tokens);
        for (const row of table.rows) for (const cell of row) walk(cell.tokens);
      } else if (token.type === 'code' || token.type === 'codespan' || token.type === 'text') {
        out.push((token as Tokens.Text).text);
      } else if (token.type === 'space' || token.type === 'hr' || token.type === 'br') {
        out.push(' ');
      } else if ('text' in token && typeof token.text === 'string') {
        out.push(token.text);
      }
      if (token.type === 'paragraph' || token.type === 'heading' || token.type === 'list_item')
        out.push('\n');
    }
  };
  walk(marked.lexer(markdown));
  return out
    .join(' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}
