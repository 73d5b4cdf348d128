import EmailReplyParser from 'email-reply-parser';
import sanitizeHtml from 'sanitize-html';

// email-reply-parser's quote-header patterns backtrack cubically on long lines (16 KB of
// "on at " takes half a minute), so it only ever sees short lines and a bounded text; a longer
// line cannot be a quote header or a signature line anyway.
const MAX_LIBRARY_LINE = 400;
const MAX_LIBRARY_TEXT = 32 * 1024;
// A private-use character stands in for each long line while the library runs.
const PLACEHOLDER = '\uE000';
// Quote headers are short; longer lines are prose and are not tested against the patterns.
const MAX_HEADER_LINE = 400;

const ORIGINAL_MESSAGE =
  /^\s*-{2,}\s*(?:original message|message d['’]origine|message original|mensaje original|ursprüngliche nachricht|oorspronkelijk bericht)\s*-{2,}\s*$/i;
const ON_WROTE_START = /^\s*(?:on|le|el|am|il|em|op)\s\S/i;
const ON_WROTE_END = /(?:wrote|écrit|ecrit|escribió|schrieb|scritto|escreveu|schreef)\s*:\s*$/i;
const FROM_LINE = /^\s*\**\s*(?:from|de|von|van|da)\s*\**\s*:/i;
const SENT_LINE = /^\s*\**\s*(?:sent|date|envoyé|envoye|gesendet|datum|verzonden|enviado|inviato)\s*\**\s*:/i;
const QUOTED_LINE = /^\s*>/;
// A forwarded message is content the customer chose to send, not history to hide.
const FORWARD_MARKER =
  /^\s*-{2,}\s*(?:forwarded message|message transféré|weitergeleitete nachricht|mensaje reenviado)\s*-{2,}\s*$|^\s*(?:begin forwarded message|début du message réexpédié)\s*:\s*$/i;

/**
 * The new part of a reply: the quoted history, the "On … wrote:" header above it and the
 * signature removed. A mail that is nothing but quotation comes back whole, trimmed.
 */
export function latestReply(text: string): string {
  const full = text.replace(/\r\n?/g, '\n');
  const lines = full.split('\n');
  const boundary = firstBoundary(lines);
  const above = (boundary ? lines.slice(0, boundary.index) : lines).join('\n');
  const forwarded = boundary?.kind === 'forward' ? lines.slice(boundary.index).join('\n').trim() : '';
  const reply = [withoutQuotesAndSignature(above).trim(), forwarded]
    .filter((part) => part !== '')
    .join('\n\n');
  return reply === '' ? full.trim() : reply;
}

/** The first line that introduces quoted history or a forwarded message. */
function firstBoundary(lines: string[]): { index: number; kind: 'quote' | 'forward' } | null {
  for (let index = 0; index < lines.length; index++) {
    const kind = boundaryAt(lines, index);
    if (kind) return { index, kind };
  }
  return null;
}

function boundaryAt(lines: string[], index: number): 'quote' | 'forward' | null {
  const line = lines[index] ?? '';
  if (line.length > MAX_HEADER_LINE) return null;
  if (FORWARD_MARKER.test(line)) return 'forward';
  if (ORIGINAL_MESSAGE.test(line)) return 'quote';
  // Clients wrap a long "On <date>, <name> <address> wrote:" over up to three lines.
  if (ON_WROTE_START.test(line)) {
    const attribution = lines.slice(index, index + 3);
    for (let end = 0; end < attribution.length; end++) {
      const part = attribution[end] ?? '';
      if (part.length > MAX_HEADER_LINE || (end > 0 && part.trim() === '')) break;
      if (ON_WROTE_END.test(part)) return 'quote';
    }
  }
  // Outlook's block: "From: …" followed within a few lines by "Sent: …" or "Date: …".
  if (FROM_LINE.test(line) && lines.slice(index + 1, index + 5).some((next) => SENT_LINE.test(next))) {
    return 'quote';
  }
  return null;
}

function withoutQuotesAndSignature(text: string): string {
  if (text.length > MAX_LIBRARY_TEXT) return withoutQuotedLines(text);
  const longLines: string[] = [];
  const shortened = text
    .replaceAll(PLACEHOLDER, '')
    .split('\n')
    .map((line) => {
      if (line.length <= MAX_LIBRARY_LINE) return line;
      longLines.push(line);
      return `${PLACEHOLDER}${longLines.length - 1}${PLACEHOLDER}`;
    })
    .join('\n');
  const visible = new EmailReplyParser().read(shortened).getVisibleText();
  const restored = visible.replace(
    new RegExp(`${PLACEHOLDER}(\\d+)${PLACEHOLDER}`, 'g'),
    (_, position: string) => longLines[Number(position)] ?? '',
  );
  return withoutQuotedLines(restored);
}

// The library hides "> " blocks it recognises; interleaved ones it keeps are removed here.
function withoutQuotedLines(text: string): string {
  return text
    .split('\n')
    .filter((line) => !QUOTED_LINE.test(line))
    .join('\n');
}

// Elements that hold the quoted history themselves.
const QUOTE_CLASSES = [
  'gmail_quote',
  'gmail_quote_container',
  'yahoo_quoted',
  'moz-cite-prefix',
  'protonmail_quote',
];
const QUOTE_IDS = ['mail-editor-reference-message-container'];
// Outlook marks where the history starts; it runs to the end of the message.
const HISTORY_START_IDS = ['divRplyFwdMsg', 'appendonsend', 'stopSpelling'];

// Parsed, not sanitized: the caller sanitizes, this pass only removes the history.
const passThrough: sanitizeHtml.IOptions = {
  allowedTags: false,
  allowedAttributes: false,
  allowVulnerableTags: true,
  allowedSchemesAppliedToAttributes: [],
  parseStyleAttributes: false,
  nonTextTags: [],
};

// Past this the HTML is returned as it came: each sanitize-html pass parses the whole document,
// and a reply that large is mostly history the agent can scroll past.
const MAX_TRIMMED_HTML = 2 * 1024 * 1024;

// Every marker the filter below looks for has one of these names in it; HTML without any of them
// has no history to remove, and is not parsed at all.
const HISTORY_MARKERS = new RegExp(
  ['blockquote', ...QUOTE_CLASSES, ...QUOTE_IDS, ...HISTORY_START_IDS].join('|'),
  'i',
);

/** The HTML of a reply without the quoted history that mail clients append. */
export function latestReplyHtml(html: string): string {
  if (html.length > MAX_TRIMMED_HTML || !HISTORY_MARKERS.test(html)) return html.trim();
  let historyStarts: number[] = [];
  const trimmed = sanitizeHtml(html, {
    ...passThrough,
    exclusiveFilter: (frame) => {
      const id = frame.attribs.id ?? '';
      const classes = (frame.attribs.class ?? '').split(/\s+/);
      const removed =
        (frame.tag === 'blockquote' && frame.attribs.type?.toLowerCase() === 'cite') ||
        classes.some((name) => QUOTE_CLASSES.includes(name)) ||
        QUOTE_IDS.includes(id);
      if (removed) {
        // A history marker inside a removed quote belongs to that quote, not to this reply.
        historyStarts = historyStarts.filter((position) => position < frame.tagPosition);
        return true;
      }
      if (HISTORY_START_IDS.includes(id)) {
        historyStarts.push(frame.tagPosition);
        return true;
      }
      return false;
    },
  });
  const cut = historyStarts.length > 0 ? Math.min(...historyStarts) : trimmed.length;
  // Cutting leaves elements open; a second pass closes them.
  const reply = (cut < trimmed.length ? sanitizeHtml(trimmed.slice(0, cut), passThrough) : trimmed).trim();
  const hasContent =
    /<img\b/i.test(reply) || sanitizeHtml(reply, { allowedTags: [], allowedAttributes: {} }).trim() !== '';
  return hasContent ? reply : html.trim();
}
