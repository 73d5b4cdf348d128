import type { FastifyInstance } from 'fastify';
import { badRequest } from '../shared/problem.js';

/**
 * JSON bodies go through Fastify's parser (which refuses prototype pollution) after one extra check:
 * NUL characters are refused, because PostgreSQL cannot store them in text and no field needs them.
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
    void parse(request, text, done);
  });
}
