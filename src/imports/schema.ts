import { z } from 'zod';
import { tagListSchema } from '../tickets/tags-schema.js';
import { MAX_TAGS_PER_TICKET } from '../tickets/tags.js';
import { domainSchema } from '../customers/schema.js';
import { tierSchema } from '../policy/tiers.js';
import type { FieldError } from '../shared/problem.js';
import {
  bodyFormatSchema,
  channelSchema,
  MAX_BODY_CHARS,
  prioritySchema,
  requestTypeSchema,
} from '../tickets/schema.js';

/** The caps of one import: per line, per ticket and per request or file (docs/import.md). */
export const MAX_LINE_BYTES = 1024 * 1024;
export const MAX_MESSAGES = 500;
export const MAX_LINES = 100_000;
/** The HTTP body cap unless the route is given another. */
export const DEFAULT_MAX_IMPORT_BYTES = 50 * 1024 * 1024;
/** A report lists this many failed lines in full and counts the rest. */
export const MAX_REPORTED_LINES = 1_000;
/** The field errors listed for one line. */
export const MAX_ERRORS_PER_LINE = 20;

/** The media types the import accepts: JSON lines. */
export const IMPORT_MEDIA_TYPES = ['application/x-ndjson', 'application/jsonl'] as const;

/** Text as both databases store it alike: no NUL (PostgreSQL refuses it), no lone surrogate. */
const storableText = <T extends z.ZodString>(schema: T) =>
  schema
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters')
    .refine((s) => s.isWellFormed(), 'must be valid Unicode (a lone surrogate was sent)');

/** Instants travel with their zone, so that "14:05" is never read in the importer's own time zone. */
const EARLIEST = Date.parse('1970-01-01T00:00:00Z');
const instant = z
  .string()
  .pipe(
    z.iso.datetime({
      offset: true,
      message: 'must be an ISO 8601 date-time with seconds and a time zone, e.g. 2026-03-02T14:05:00Z',
    }),
  )
  .transform((value) => Date.parse(value))
  .refine((ms) => ms >= EARLIEST, 'must not be before 1970');

const email = z
  .email({ message: 'must be an email address' })
  .max(254)
  .transform((s) => s.toLowerCase());
const personName = storableText(z.string().trim().min(1, 'must not be empty').max(200));

const requesterSchema = z
  .strictObject({
    email,
    name: personName
      .optional()
      .describe('Used when the user is created; defaults to the email\u2019s local part.'),
  })
  .describe('The customer the ticket is for.');

const authorSchema = z.strictObject({
  email,
  name: personName.optional(),
  staff: z
    .boolean()
    .optional()
    .describe(
      'true: must be a staff user of this desk; false: must not be; absent: staff exactly when the email is a staff user\u2019s.',
    ),
});

const organizationRef = z.union(
  [
    storableText(z.string().trim().min(1).max(200)),
    z.strictObject({ name: storableText(z.string().trim().min(1).max(200)) }),
    z.strictObject({ domain: domainSchema }),
  ],
  {
    error: (issue) =>
      issue.input === undefined
        ? 'required'
        : 'must be an organization\u2019s name, {"name": "\u2026"} or {"domain": "\u2026"}',
  },
);

const messageSchema = z.strictObject({
  at: instant,
  author: authorSchema,
  public: z.boolean().describe('false: an internal note, which only staff write.'),
  body: storableText(
    z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(MAX_BODY_CHARS, `must be at most ${MAX_BODY_CHARS} characters`),
  ),
  format: bodyFormatSchema.default('text').describe('html is sanitized as the desk sanitizes replies.'),
});

/** One line of an import file: a ticket with its conversation and its history's instants. */
export const ticketLine = z
  .strictObject({
    externalId: storableText(z.string().trim().min(1, 'must not be empty').max(200)).describe(
      'The ticket\u2019s id in the helpdesk it comes from, e.g. zd-1234; a line whose externalId was imported before is left unchanged.',
    ),
    organization: organizationRef,
    requester: requesterSchema,
    subject: storableText(z.string().trim().min(1, 'must not be empty').max(300)),
    priority: prioritySchema,
    channel: channelSchema.default('api'),
    requestType: requestTypeSchema.default('question'),
    tier: tierSchema.optional().describe('Default: the organization\u2019s tier at openedAt.'),
    openedAt: instant,
    messages: z
      .array(messageSchema)
      .min(1, 'must hold at least the message that opened the ticket')
      .max(MAX_MESSAGES, `must hold at most ${MAX_MESSAGES} messages`)
      .describe('Oldest first; messages.0 is the message that opened the ticket and is never a response.'),
    resolvedAt: instant.optional(),
    closedAt: instant.optional(),
    assignee: z.strictObject({ email, name: personName.optional() }).optional(),
    tags: tagListSchema(MAX_TAGS_PER_TICKET)
      .optional()
      .describe('Tags of the ticket, normalized as the desk normalizes them (see docs/import.md).'),
  })
  .describe(
    'One ticket per line (JSON lines). Every instant is an ISO 8601 date-time with a time zone. See docs/import.md.',
  );
export type TicketLine = z.output<typeof ticketLine>;
export type ImportMessage = TicketLine['messages'][number];

/** A line that could not be imported, with what was wrong with it. */
export const lineErrorSchema = z.object({
  line: z.number().int().describe('The line\u2019s number in the file, from 1.'),
  externalId: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })),
});
export type LineError = z.infer<typeof lineErrorSchema>;

export const importReportSchema = z.object({
  imported: z.number().int(),
  unchanged: z.number().int().describe('Lines whose externalId had been imported before; left as they are.'),
  failed: z.number().int(),
  errors: z.array(lineErrorSchema).describe(`The first ${MAX_REPORTED_LINES} failed lines.`),
  errorsOmitted: z.number().int().describe('Failed lines not listed in errors.'),
});
export type ImportReport = z.infer<typeof importReportSchema>;

const LINE = '(line)';

/** Zod's issues as field errors: `messages.2.at: …`, one per unknown field, "required" for a missing one. */
export function fieldErrorsOf(error: z.ZodError): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const field = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push({ field: field ? `${field}.${key}` : key, message: 'unknown field' });
    } else {
      out.push({ field: field || LINE, message: issue.message });
    }
  }
  return out;
}

/** Parses one line's JSON against the format; the errors name each bad field. */
export function parseTicketLine(value: unknown): { line: TicketLine } | { errors: FieldError[] } {
  const result = ticketLine.safeParse(value, {
    error: (issue) =>
      issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value')
        ? 'required'
        : undefined,
  });
  return result.success ? { line: result.data } : { errors: fieldErrorsOf(result.error) };
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The rules of a ticket's history that a schema cannot say: everything happened by `now`, messages
 * are oldest first and none before the opening, a resolution follows the opening, a closing follows
 * the resolution and nothing is written after it, and the opening message is public.
 */
export function chronologyErrors(line: TicketLine, now: number): FieldError[] {
  const errors: FieldError[] = [];
  const notFuture = (field: string, at: number) => {
    if (at > now) errors.push({ field, message: `must not be after the import (${iso(now)})` });
  };
  notFuture('openedAt', line.openedAt);
  line.messages.forEach((m, i) => {
    const field = `messages.${i}.at`;
    if (m.at < line.openedAt) errors.push({ field, message: 'must not be before openedAt' });
    else if (i > 0 && m.at < line.messages[i - 1]!.at)
      errors.push({
        field,
        message: `must not be before messages.${i - 1}.at: messages are listed oldest first`,
      });
    else if (line.closedAt !== undefined && m.at > line.closedAt)
      errors.push({ field, message: 'must not be after closedAt: a closed ticket takes no messages' });
    notFuture(field, m.at);
  });
  if (line.messages[0] && !line.messages[0].public)
    errors.push({
      field: 'messages.0.public',
      message: 'must be true: the message that opened the ticket is public',
    });
  if (line.resolvedAt !== undefined) {
    if (line.resolvedAt < line.openedAt)
      errors.push({ field: 'resolvedAt', message: 'must not be before openedAt' });
    notFuture('resolvedAt', line.resolvedAt);
  }
  if (line.closedAt !== undefined) {
    if (line.closedAt < line.openedAt)
      errors.push({ field: 'closedAt', message: 'must not be before openedAt' });
    else if (line.resolvedAt !== undefined && line.closedAt < line.resolvedAt)
      errors.push({ field: 'closedAt', message: 'must not be before resolvedAt' });
    notFuture('closedAt', line.closedAt);
  }
  return errors;
}

/** The externalId of a line that could not be parsed whole, when it can be seen, for the report. */
export function sniffExternalId(text: string): string | undefined {
  const match = /"externalId"\s*:\s*"((?:[^"\\]|\\.){1,200})"/.exec(text.slice(0, 64 * 1024));
  if (!match) return undefined;
  try {
    return (JSON.parse(`"${match[1]}"`) as string).trim() || undefined;
  } catch {
    return undefined;
  }
}
