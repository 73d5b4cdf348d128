import type { FastifyReply } from 'fastify';
import { html, trusted, type Html } from './html.js';

/**
 * The one-off pages a mailed link opens (a status subscription's confirmation, a satisfaction
 * question): they run no script and load nothing, and their few styles are inline.
 */
export const STANDALONE_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const BASE_CSS = `
body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5; color: #1f2933; }
button { font: inherit; padding: 0.5rem 1.25rem; }`;

/** A page with its title as its heading; `css` (a constant of the caller's, never input) adds styles. */
export function standalonePage(locale: string, title: string, body: Html, css = ''): string {
  return html`<!doctype html>
    <html lang="${locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title}</title>
        <style>
          ${trusted(BASE_CSS + css)}
        </style>
      </head>
      <body>
        <main>
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html> `.value;
}

/** Sends such a page: never cached, no referrer, under its CSP. */
export const sendStandalonePage = (reply: FastifyReply, status: number, body: string) =>
  reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', STANDALONE_PAGE_CSP)
    .send(body);
