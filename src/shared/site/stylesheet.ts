import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, RouteShorthandOptions } from 'fastify';

// Read from the source tree at start-up, from src or dist alike (tsc does not copy CSS).
const BASE = new URL('../../../src/shared/site/base.css', import.meta.url);

export interface SiteStylesheet {
  /** The address pages link to, versioned by content so it can be cached for good. */
  href: string;
  register(fastify: FastifyInstance, route: RouteShorthandOptions): void;
}

/**
 * A public site's stylesheet: the shared base followed by the site's own rules, served with an
 * ETag, and cached immutably when asked for by its versioned address.
 */
export function siteStylesheet(path: string, own: URL): SiteStylesheet {
  const css = Buffer.concat([readFileSync(fileURLToPath(BASE)), readFileSync(fileURLToPath(own))]);
  const version = createHash('sha256').update(css).digest('hex').slice(0, 12);
  const etag = `"${version}"`;
  return {
    href: `${path}?v=${version}`,
    register(fastify, route) {
      fastify.get(path, route, (request, reply) => {
        const versioned = (request.query as Record<string, unknown>).v === version;
        void reply
          .type('text/css; charset=utf-8')
          .header('etag', etag)
          .header(
            'cache-control',
            versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
          );
        if (request.headers['if-none-match'] === etag) return reply.code(304).send();
        return reply.send(css);
      });
    },
  };
}
