import { MailParser, parseAddressHeader } from 'mailparser';
import type { AddressObject, AttachmentStream, HeaderLines, Headers, MessageText } from 'mailparser';

export interface ParsedAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
  inline: boolean;
  contentId: string | null;
  size: number;
}

export interface DroppedAttachment {
  filename: string;
  reason: string;
}

/** One inbound mail as the desk needs it; every field is safe to store as is except `html`. */
export interface ParsedMail {
  /** Without angle brackets, case kept; null when absent or unusable. */
  messageId: string | null;
  /** Message ids without angle brackets. */
  inReplyTo: string[];
  /** Message ids without angle brackets, in header order. */
  references: string[];
  /** Address lowercased; null when the From header has no usable address. */
  from: { address: string; name: string } | null;
  replyTo: string | null;
  /** Lowercased addresses, groups flattened. */
  to: string[];
  cc: string[];
  /** Delivered-To, X-Original-To and Envelope-To addresses, lowercased. */
  deliveredTo: string[];
  /** Decoded, one line, control characters removed, at most 300 characters. */
  subject: string;
  /** Epoch milliseconds, null when the Date header is absent or unreadable. */
  date: number | null;
  /** The text part, else the text of the HTML part; \n line ends, no NUL or lone surrogates. */
  text: string;
  /** The HTML part as sent, unsanitized: the caller sanitizes. */
  html: string | null;
  /**
   * Lowercased header name → first value, unfolded and as sent (encoded words left encoded),
   * control characters removed, at most 16 KiB; the record has no prototype.
   */
  headers: Record<string, string>;
  attachments: ParsedAttachment[];
  dropped: DroppedAttachment[];
}

export interface MailLimits {
  /** Decoded size above which an attachment is dropped. */
  maxAttachmentBytes?: number;
  /** Attachments kept; later ones are dropped. */
  maxAttachments?: number;
  /** The largest header block of one MIME part; a larger one makes the mail unreadable. */
  maxHeaderBytes?: number;
  /** Time after which parsing gives up, so that a mail the parser chokes on cannot hold a worker. */
  timeoutMs?: number;
}

/** The only error parseMail rejects with: the input is not a mail the desk can read. */
export class MailParseError extends Error {
  override name = 'MailParseError';
}

export const DEFAULT_MAIL_LIMITS = {
  maxAttachmentBytes: 10 * 1024 * 1024,
  maxAttachments: 20,
  maxHeaderBytes: 1024 * 1024,
  timeoutMs: 20_000,
} as const satisfies Required<MailLimits>;

const WHITESPACE_BYTES = new Set([0x09, 0x0a, 0x0d, 0x20]);
const MAX_SUBJECT_LENGTH = 300;
// HTML past this is not converted to text: html-to-text's cost grows with the markup, and a
// mail this large is not written by a person.
const MAX_HTML_TO_TEXT_LENGTH = 1024 * 1024;
// A header value is kept for lookups, not for display; a megabyte-long one would only weigh on
// every copy of the record.
const MAX_HEADER_VALUE_LENGTH = 16 * 1024;
// Threading needs the root (first) and the nearest ancestors (last); thousands of ids are noise.
const MAX_REFERENCES = 100;
const MAX_MESSAGE_ID_LENGTH = 998;

/**
 * Parses a raw RFC 5322 message. Rejects only with MailParseError; attachments over the limits
 * are dropped while streaming, so an oversized one is never held in memory.
 */
export function parseMail(raw: Buffer, limits: MailLimits = {}): Promise<ParsedMail> {
  const settings = { ...DEFAULT_MAIL_LIMITS, ...definedOnly(limits) };
  return new Promise<ParsedMail>((resolve, reject) => {
    let settled = false;
    let parser: MailParser | undefined;
    const fail = (reason: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      parser?.destroy();
      reject(
        reason instanceof MailParseError
          ? reason
          : new MailParseError(`Unreadable mail: ${errorMessage(reason)}`, { cause: reason }),
      );
    };
    const timer = setTimeout(
      () => fail(new MailParseError(`Mail parsing took longer than ${settings.timeoutMs} ms`)),
      settings.timeoutMs,
    );
    try {
      if (!Buffer.isBuffer(raw)) throw new MailParseError('The mail must be given as bytes');
      if (raw.findIndex((byte) => !WHITESPACE_BYTES.has(byte)) < 0)
        throw new MailParseError('The mail is empty');
      const collected: Collected = { headers: new Map(), headerLines: [], text: null, kept: [], dropped: [] };
      const activeParser = new MailParser({
        skipTextToHtml: true,
        skipImageLinks: true,
        // Delivery reports stay out of the body text and become attachments, where loop
        // detection reads the failed recipients.
        keepDeliveryStatus: true,
        checksumAlgo: false,
        maxHtmlLengthToParse: MAX_HTML_TO_TEXT_LENGTH,
        maxHeadSize: settings.maxHeaderBytes,
      });
      parser = activeParser;
      activeParser.on('error', fail);
      activeParser.on('headers', (headers: Headers) => {
        collected.headers = headers;
      });
      activeParser.on('headerLines', (lines: HeaderLines) => {
        collected.headerLines = lines;
      });
      activeParser.on('data', (data: AttachmentStream | MessageText) => {
        try {
          if (data.type === 'text') collected.text = data;
          else collectAttachment(data, collected, settings, fail);
        } catch (error) {
          fail(error);
        }
      });
      activeParser.on('end', () => {
        if (settled) return;
        try {
          const mail = toParsedMail(collected);
          settled = true;
          clearTimeout(timer);
          resolve(mail);
        } catch (error) {
          fail(error);
        }
      });
      activeParser.end(raw);
    } catch (error) {
      fail(error);
    }
  });
}

interface Collected {
  headers: Headers;
  headerLines: HeaderLines;
  text: MessageText | null;
  kept: ParsedAttachment[];
  dropped: DroppedAttachment[];
}

function collectAttachment(
  attachment: AttachmentStream,
  collected: Collected,
  limits: Required<MailLimits>,
  fail: (reason: unknown) => void,
): void {
  const position = collected.kept.length + collected.dropped.length + 1;
  // Typed as a string, yet false for a part whose Content-Type header is empty.
  const declaredType: unknown = attachment.contentType;
  const contentType =
    (typeof declaredType === 'string' ? cleanText(declaredType).toLowerCase() : '') ||
    'application/octet-stream';
  const filename = attachmentFilename(attachment.filename, contentType, position);
  const release = (): void => {
    attachment.release?.();
  };
  if (collected.kept.length >= limits.maxAttachments) {
    collected.dropped.push({ filename, reason: `more than ${limits.maxAttachments} attachments` });
    // Released unread, the parser drains the part itself; resume() discards what it passes on.
    attachment.content.resume();
    release();
    return;
  }
  let chunks: Buffer[] = [];
  let size = 0;
  attachment.content.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limits.maxAttachmentBytes) chunks = [];
    else chunks.push(chunk);
  });
  attachment.content.once('error', fail);
  attachment.content.once('end', () => {
    if (size > limits.maxAttachmentBytes) {
      collected.dropped.push({
        filename,
        reason: `larger than ${limits.maxAttachmentBytes} bytes (${size} bytes)`,
      });
    } else {
      collected.kept.push({
        filename,
        contentType,
        content: Buffer.concat(chunks, size),
        inline: attachment.contentDisposition === 'inline' || attachment.related === true,
        contentId: attachment.cid ? cleanText(attachment.cid) || null : null,
        size,
      });
    }
    release();
  });
}

function toParsedMail(collected: Collected): ParsedMail {
  const { headers: parsed, headerLines } = collected;
  const raw = rawHeaderValues(headerLines);
  const first = (name: string): string | undefined => raw.get(name)?.[0];
  const text = collected.text;
  return {
    messageId: messageIds(first('message-id') ?? '')[0] ?? null,
    inReplyTo: messageIds(first('in-reply-to') ?? ''),
    references: capReferences(messageIds((raw.get('references') ?? []).join(' '))),
    // Addresses come from the raw values, whose 8-bit bytes were decoded above, rather than
    // from mailparser's, which turns Latin-1 names into replacement characters.
    from: mailboxes(addresses(raw.get('from')?.slice(0, 1)))[0] ?? null,
    replyTo: addressList(addresses(raw.get('reply-to')?.slice(0, 1)))[0] ?? null,
    to: addressList(addresses(raw.get('to'))),
    cc: addressList(addresses(raw.get('cc'))),
    deliveredTo: addressList(
      addresses(['delivered-to', 'x-original-to', 'envelope-to'].flatMap((name) => raw.get(name) ?? [])),
    ),
    subject: subjectOf(parsed.get('subject'), first('subject')),
    date: dateOf(first('date')),
    text: cleanBody(text?.text ?? ''),
    html: text?.html ? cleanBody(text.html) : null,
    headers: headerRecord(raw),
    attachments: collected.kept,
    dropped: collected.dropped,
  };
}

/** Header values in order, keyed by lowercased name; 8-bit bytes read as UTF-8, else Windows-1252. */
function rawHeaderValues(lines: HeaderLines): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const { key, line } of lines) {
    const colon = line.indexOf(':');
    const name = key.trim().toLowerCase();
    if (colon < 0 || name === '') continue;
    const value = decodeHeaderBytes(line.slice(colon + 1))
      .replace(/\r?\n[ \t]*/g, ' ')
      .trim();
    const list = values.get(name);
    if (list) list.push(value);
    else values.set(name, [value]);
  }
  return values;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const windows1252 = new TextDecoder('windows-1252');

// mailsplit hands header lines over as binary strings, one character per byte.
function decodeHeaderBytes(binary: string): string {
  if (!/[\x80-\xff]/.test(binary)) return binary;
  const bytes = Buffer.from(binary, 'latin1');
  try {
    return utf8.decode(bytes);
  } catch {
    return windows1252.decode(bytes);
  }
}

function headerRecord(raw: Map<string, string[]>): Record<string, string> {
  // No prototype: a lookup of a header named "constructor" must not find Object's.
  const record = Object.create(null) as Record<string, string>;
  for (const [name, values] of raw) {
    record[name] = cleanText(values[0] ?? '').slice(0, MAX_HEADER_VALUE_LENGTH);
  }
  return record;
}

/** The ids of a Message-ID, In-Reply-To or References value; junk around them is ignored. */
function messageIds(value: string): string[] {
  const bracketed = [...value.matchAll(/<([^<>\s]+)>/g)].map((match) => match[1] ?? '');
  // Some mailers omit the brackets; a bare token counts only if it looks like local@domain.
  const ids =
    bracketed.length > 0
      ? bracketed
      : value.split(/\s+/).filter((token) => /^[^<>()",;\s@]+@[^<>()",;\s@]+$/.test(token));
  return unique(
    ids.map((id) => cleanText(id)).filter((id) => id !== '' && id.length <= MAX_MESSAGE_ID_LENGTH),
  );
}

function capReferences(ids: string[]): string[] {
  if (ids.length <= MAX_REFERENCES) return ids;
  return [...ids.slice(0, 1), ...ids.slice(ids.length - (MAX_REFERENCES - 1))];
}

const USABLE_ADDRESS = /^[^\s@<>()[\]",;:\\]+@[^\s@<>()[\]",;:\\]+$/;

function addresses(values: string[] | undefined): AddressObject {
  return parseAddressHeader(values ?? [], { flatten: true });
}

function mailboxes(object: AddressObject): { address: string; name: string }[] {
  const found: { address: string; name: string }[] = [];
  for (const entry of object.value) {
    const address = cleanText(entry.address ?? '').toLowerCase();
    if (address.length <= 254 && USABLE_ADDRESS.test(address)) {
      found.push({ address, name: cleanText(entry.name.replace(/\s+/g, ' ')) });
    }
  }
  return found;
}

function addressList(object: AddressObject): string[] {
  return unique(mailboxes(object).map((mailbox) => mailbox.address));
}

function subjectOf(decoded: unknown, raw: string | undefined): string {
  let subject = typeof decoded === 'string' ? decoded : (raw ?? '');
  // An unencoded 8-bit subject that is not UTF-8 comes out of mailparser as replacement
  // characters; the raw bytes read as Windows-1252 are the likelier intent.
  if (subject.includes('\uFFFD') && raw !== undefined && !raw.includes('=?') && !raw.includes('\uFFFD')) {
    subject = raw;
  }
  const oneLine = cleanText(subject.replace(/\s+/g, ' '));
  const codePoints = Array.from(oneLine);
  return codePoints.length > MAX_SUBJECT_LENGTH
    ? codePoints.slice(0, MAX_SUBJECT_LENGTH).join('').trimEnd()
    : oneLine;
}

function dateOf(value: string | undefined): number | null {
  // Read from the raw header: mailparser substitutes the current time for an unreadable date.
  if (value === undefined) return null;
  const time = Date.parse(value);
  return Number.isFinite(time) ? time : null;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Bodies keep their layout; NUL (which PostgreSQL refuses in text) and lone surrogates go. */
function cleanBody(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(/\0/g, '').replace(LONE_SURROGATE, '');
}

/** One-line values: every control character and lone surrogate goes. */
function cleanText(value: string): string {
  return value
    .replace(/\p{Cc}/gu, '')
    .replace(LONE_SURROGATE, '')
    .trim();
}

// Extensions for unnamed parts, so that a downloaded copy opens with the right program.
const EXTENSIONS: Record<string, string> = {
  'message/rfc822': '.eml',
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'application/pdf': '.pdf',
  'text/plain': '.txt',
};

function attachmentFilename(name: string | undefined, contentType: string, position: number): string {
  // Only the last path segment: a name is never a place to write to.
  const base = cleanText((name ?? '').split(/[\\/]/).pop() ?? '').replace(/^\.+$/, '');
  const codePoints = Array.from(base);
  // Over-long names lose their start, so that the extension survives.
  const short = codePoints.length > 255 ? codePoints.slice(codePoints.length - 255).join('') : base;
  return short || `attachment-${position}${EXTENSIONS[contentType] ?? ''}`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

// An undefined or nonsensical limit falls back to the default rather than disabling the check.
function definedOnly(limits: MailLimits): MailLimits {
  const usable: MailLimits = {};
  for (const key of ['maxAttachmentBytes', 'maxAttachments', 'maxHeaderBytes', 'timeoutMs'] as const) {
    const value = limits[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) usable[key] = value;
  }
  return usable;
}

function errorMessage(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
