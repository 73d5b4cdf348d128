import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';

/**
 * Sends a stored file as a download: never rendered by the browser (attachment, nosniff and a
 * sandboxing CSP), its name kept in UTF-8 with an ASCII fallback.
 */
export function sendDownload(
  reply: FastifyReply,
  file: { filename: string; contentType: string; size: number },
  stream: Readable,
) {
  const asciiName = file.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .type(file.contentType)
    .header('content-length', String(file.size))
    .header(
      'content-disposition',
      `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    )
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .send(stream);
}
