import { z } from 'zod';

/** The request shapes every context shares: ids, instants and the desk's languages. */

export const LOCALES = ['en', 'fr'] as const;
export const localeSchema = z.enum(LOCALES);
export const idSchema = z.uuid({ message: 'must be an id (UUID)' });
export const idParams = z.strictObject({ id: idSchema });

/** Support terms and tickets live between these instants; anything outside is a typo, not a date. */
const EARLIEST = Date.parse('1970-01-01T00:00:00Z');
const LATEST = Date.parse('2200-01-01T00:00:00Z');

/** An instant as clients send it: an ISO 8601 date (midnight UTC) or a date-time with offset, 1970–2199. */
export const instantInput = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    message: 'must be an ISO 8601 date or date-time',
  })
  .refine(
    (value) => {
      const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
      return ms >= EARLIEST && ms < LATEST;
    },
    { message: 'must be between 1970 and 2199' },
  );
export const isoOut = z.iso.datetime();
