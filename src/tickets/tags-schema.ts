import { z } from 'zod';
import { MAX_TAGS_PER_TICKET, normalizeTag } from './tags.js';

/** One tag as a client writes it, normalized (src/tickets/tags.ts); a tag that cannot be is a 400. */
export const tagSchema = z
  .string()
  .max(200, 'must be at most 200 characters')
  .transform((raw, ctx) => {
    const result = normalizeTag(raw);
    if (result.ok) return result.tag;
    ctx.addIssue({ code: 'custom', message: result.reason });
    return z.NEVER;
  })
  .describe(
    'Trimmed, lower-cased, NFC, spaces as "-"; letters and digits joined by "-", "_", "." or ":"; at most 50 characters.',
  );

/** A list of tags without repeats once normalized. */
export const tagListSchema = (max: number) =>
  z
    .array(tagSchema)
    .max(max, `must hold at most ${max} tags`)
    .transform((tags) => [...new Set(tags)]);

export const ticketTagsPut = z.strictObject({
  tags: tagListSchema(MAX_TAGS_PER_TICKET).describe('Every tag the ticket carries after the call.'),
});
export const ticketTagsPatch = z
  .strictObject({
    add: tagListSchema(MAX_TAGS_PER_TICKET).optional(),
    remove: tagListSchema(100).optional(),
  })
  .refine((p) => (p.add?.length ?? 0) + (p.remove?.length ?? 0) > 0, {
    message: 'give a tag to add or remove',
  });
export const ticketTagsOut = z.object({ tags: z.array(z.string()) });

/** `tag=` on the ticket list: once, or repeated for tickets that carry all of them. */
export const tagFilterSchema = z
  .union([tagSchema, z.array(tagSchema).min(1).max(10, 'at most 10 tags')])
  .transform((value) => [...new Set(Array.isArray(value) ? value : [value])]);
