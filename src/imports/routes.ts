import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principal } from '../auth/hook.js';
import { commonProblems, problemSchema } from '../http/problem-schema.js';
import { badRequest, forbidden, Problem } from '../shared/problem.js';
import {
  DEFAULT_MAX_IMPORT_BYTES,
  IMPORT_MEDIA_TYPES,
  importReportSchema,
  MAX_LINE_BYTES,
  MAX_LINES,
  MAX_MESSAGES,
  ticketLine,
} from './schema.js';
import { splitLines } from './lines.js';
import type { TicketImportService } from './service.js';

const tooLarge = (detail: string, extensions?: Record<string, unknown>) =>
  new Problem(413, 'Content Too Large', detail, 'about:blank', undefined, extensions);

const mediaType = (request: FastifyRequest) =>
  (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

const isByteStream = (body: unknown): body is AsyncIterable<Uint8Array> =>
  typeof body === 'object' &&
  body !== null &&
  typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function';

/**
 * POST /import/tickets: historic tickets as JSON lines, read from the request as it arrives, one
 * line at a time, each imported in its own transaction (docs/import.md). Admins only.
 */
export function importRoutes(service: TicketImportService, options: { maxBytes?: number } = {}) {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_IMPORT_BYTES;
  return async (fastify: FastifyInstance) => {
    // Registered in this plugin only: elsewhere JSON lines remain an unsupported media type. The
    // body is handed on as the stream it is, so that a large file is never held whole.
    fastify.addContentTypeParser([...IMPORT_MEDIA_TYPES], (_request, payload, done) => done(null, payload));
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.post('/import/tickets', {
      // Refused before a byte of the body is read.
      onRequest: async (request) => {
        if (principal(request).role !== 'admin') throw forbidden('Only admins import tickets.');
        if (!(IMPORT_MEDIA_TYPES as readonly string[]).includes(mediaType(request))) {
          throw new Problem(
            415,
            'Unsupported Media Type',
            `Send the tickets as JSON lines, one ticket per line, with Content-Type ${IMPORT_MEDIA_TYPES.join(' or ')}.`,
          );
        }
        const length = Number(request.headers['content-length']);
        if (length > maxBytes)
          throw tooLarge(`The body is ${length} bytes; an import takes at most ${maxBytes}: split the file.`);
      },
      // Each line is validated by the import, which reports a bad line and goes on with the others;
      // the schema below documents one line.
      validatorCompiler: () => (data: unknown) => ({ value: data }),
      schema: {
        tags: ['import'],
        summary: 'Import historic tickets from another helpdesk (admins)',
        description: [
          'The body is JSON lines (`application/x-ndjson` or `application/jsonl`): one ticket per line, as described by the schema, with its messages and the instants of its history. See docs/import.md for every rule and a mapping from a Zendesk export.',
          `Each line is imported in its own transaction; a bad line is reported with its line number and field errors, and the good lines are imported. A line whose externalId was imported before is reported unchanged, so sending a file again is safe.`,
          `Limits: ${maxBytes} bytes per request (413 beyond, with the report of the lines read until then), ${MAX_LINES} lines, ${MAX_LINE_BYTES} bytes per line, ${MAX_MESSAGES} messages per ticket. Nothing is mailed or announced, and SLA effects that fell due before the import are not fired.`,
        ].join('\n\n'),
        consumes: [...IMPORT_MEDIA_TYPES],
        body: ticketLine,
        response: {
          200: importReportSchema,
          ...commonProblems,
          413: problemSchema.describe(
            'The body is too large. When found while reading, `report` holds the outcome of the lines read before the limit.',
          ),
          415: problemSchema,
        },
      },
      handler: async (request) => {
        const body: unknown = request.body;
        if (!isByteStream(body)) throw badRequest('The body holds no ticket: send one JSON object per line.');
        const { lines, overLimit } = splitLines(body, { maxBytes });
        const report = await service.importLines(principal(request), lines, service.now());
        if (overLimit()) {
          throw tooLarge(
            `The body is larger than ${maxBytes} bytes: the lines before that point were imported or reported (see report), the rest were not read. Send them in another request; lines imported before are reported unchanged.`,
            { report },
          );
        }
        if (report.imported + report.unchanged + report.failed === 0)
          throw badRequest('The body holds no ticket: send one JSON object per line.');
        return report;
      },
    });
  };
}
