import { fileTypeFromBuffer } from 'file-type';

/** Binary types recognised by their magic bytes. Anything executable or scriptable is refused. */
const ALLOWED_DETECTED = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/bmp',
  'image/heic',
  'application/pdf',
  'application/zip',
  'application/gzip',
  'video/mp4',
  'video/webm',
  'video/quicktime',
  'audio/mpeg',
  'audio/wav',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
]);

/** Text formats have no magic bytes: accepted when declared as one of these and valid UTF-8. */
const TEXT_TYPES = new Map<string, string>([
  ['text/plain', 'text/plain; charset=utf-8'],
  ['text/csv', 'text/csv; charset=utf-8'],
  ['text/markdown', 'text/markdown; charset=utf-8'],
  ['application/json', 'application/json'],
  ['application/x-ndjson', 'application/x-ndjson'],
]);
const TEXT_EXTENSIONS = new Map<string, string>([
  ['.txt', 'text/plain; charset=utf-8'],
  ['.log', 'text/plain; charset=utf-8'],
  ['.csv', 'text/csv; charset=utf-8'],
  ['.md', 'text/markdown; charset=utf-8'],
  ['.json', 'application/json'],
  ['.har', 'application/json'],
]);

export type ContentCheck = { ok: true; contentType: string } | { ok: false; reason: string };

/**
 * Decides an upload's content type from its bytes, never from the client's word alone:
 * a declared image that is really an executable is refused, and HTML or SVG is never stored as such.
 */
export async function checkContent(
  data: Buffer,
  declaredType: string,
  filename: string,
): Promise<ContentCheck> {
  const detected = await fileTypeFromBuffer(data);
  if (detected) {
    return ALLOWED_DETECTED.has(detected.mime)
      ? { ok: true, contentType: detected.mime }
      : { ok: false, reason: `files of type ${detected.mime} are not accepted` };
  }
  const declared = declaredType.split(';')[0]!.trim().toLowerCase();
  const extension = filename.toLowerCase().match(/\.[a-z0-9]+$/)?.[0] ?? '';
  const textType = TEXT_TYPES.get(declared) ?? TEXT_EXTENSIONS.get(extension);
  if (!textType) {
    return { ok: false, reason: `files of type ${declared || 'unknown'} are not accepted` };
  }
  if (data.includes(0)) return { ok: false, reason: 'the file is declared as text but contains binary data' };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return { ok: false, reason: 'text files must be UTF-8' };
  }
  return { ok: true, contentType: textType };
}

/** Keeps a filename displayable and harmless: no path, no control characters, bounded length. */
export function cleanFilename(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
    .replace(/[\u0000-\u001f\u007f"<>|*?:]/g, '_')
    // Direction overrides make "evil\u202Etxt.exe" display as "evilexe.txt".
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim()
    .slice(-200);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'attachment' : cleaned;
}
