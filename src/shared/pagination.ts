import { z } from 'zod';
import { badRequest } from './problem.js';

/** A keyset cursor: the sort key of the last row seen, opaque to clients. */
export interface Cursor {
  k: string | number;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

// Keys are instants (safe integers) or names (text without NUL); ids are UUIDs. Anything else was not issued here.
const cursorSchemas = {
  number: z.strictObject({ k: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), id: z.uuid() }),
  string: z.strictObject({
    k: z
      .string()
      .max(500)
      .refine((k) => !k.includes('\u0000')),
    id: z.uuid(),
  }),
};

/** Reads a cursor whose sort key is a number (the default: instants) or a string (names). */
export function decodeCursor(
  raw: string | undefined,
  key: 'number' | 'string' = 'number',
): Cursor | undefined {
  if (raw === undefined) return undefined;
  try {
    return cursorSchemas[key].parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
  } catch {
    throw badRequest('The cursor is not one this API issued.', [
      { field: 'query.cursor', message: 'invalid cursor' },
    ]);
  }
}

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
};

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });

/** Turns limit+1 fetched rows into a page and the cursor that continues it. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  present: (row: R) => T,
  keyOf: (row: R) => Cursor,
): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { data: kept.map(present), nextCursor: more && last ? encodeCursor(keyOf(last)) : null };
}
