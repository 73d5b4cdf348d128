import type { FastifyInstance } from 'fastify';
import { badRequest } from '../shared/problem.js';

/**
 * JSON bodies go through Fastify's parser (which refuses prototype pollution) with two extra checks:
 * NUL characters are refused, because PostgreSQL cannot store them in text and no field needs them,
 * and so are lone surrogates, which the two databases would each store differently.
 */
export function registerJsonParser(app: FastifyInstance) {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.includes('\u0000') || /(?<!\\)\\u0000/i.test(text)) {
      done(badRequest('Text fields must not contain NUL characters.'), undefined);
      return;
    }
    void parse(request, text, (error, value) => {
      if (error) return done(error, undefined);
      if (!wellFormed(value))
        return done(badRequest('Text fields must be valid Unicode (a lone surrogate was sent).'), undefined);
      done(null, value);
    });
  });
}

/** Every string in a parsed body is well-formed UTF-16: each database would otherwise store a different replacement. */
function wellFormed(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.isWellFormed();
  if (depth > 64 || value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every((v) => wellFormed(v, depth + 1));
  return Object.entries(value).every(([k, v]) => k.isWellFormed() && wellFormed(v, depth + 1));
}
