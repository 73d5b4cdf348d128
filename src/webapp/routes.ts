import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where `npm run build` puts the browser app: dist/web, beside the compiled server. */
export const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));

// The app's own pages may load scripts only from the desk itself; the support widget's page may be
// framed by any site (the vendor's app), every other page by none.
const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'; object-src 'none'";
const WIDGET_CSP = APP_CSP.replace("frame-ancestors 'self'", 'frame-ancestors *');

function securityHeaders(reply: FastifyReply, path: string) {
  void reply.header('x-content-type-options', 'nosniff');
  void reply.header('referrer-policy', 'same-origin');
  // The demo page stands for a vendor's app, which frames the widget: it keeps the default CSP-free
  // behaviour a vendor's page would have, apart from nosniff.
  if (path.startsWith('/demo/')) return;
  void reply.header('content-security-policy', path.startsWith('/widget') ? WIDGET_CSP : APP_CSP);
}

/**
 * Serves the built browser app: hashed assets with long caching, and index.html for every app route
 * (the console, the portal, admin, the widget), so deep links and reloads work.
 */
export function webAppRoutes(root: string = WEB_ROOT) {
  return async (app: FastifyInstance) => {
    const built = existsSync(`${root}/index.html`);
    if (built) {
      await app.register(fastifyStatic, {
        root,
        prefix: '/',
        index: false,
        wildcard: false,
        // Caching is decided below: hashed assets forever, everything else revalidated.
        cacheControl: false,
        setHeaders: (res, filePath) => {
          if (filePath.includes('/assets/'))
            res.setHeader('cache-control', 'public, max-age=31536000, immutable');
          else res.setHeader('cache-control', 'no-cache');
        },
      });
    }

    // The security headers are set by the onSend hook below, for these pages as for every file.
    const sendApp = async (_request: FastifyRequest, reply: FastifyReply) => {
      if (!built) {
        return reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send('The Accord web app is not built. Run `npm run build`, then start the server again.\n');
      }
      return reply.header('cache-control', 'no-cache').sendFile('index.html', root);
    };
    app.addHook('onSend', async (request, reply, payload) => {
      const path = request.url.split('?')[0] ?? '/';
      if (!path.startsWith('/api/')) securityHeaders(reply, path);
      return payload;
    });

    for (const path of ['/', '/login', '/forgot-password', '/reset-password']) {
      app.get(path, { schema: { hide: true } }, sendApp);
    }
    for (const area of ['/console', '/portal', '/admin', '/widget']) {
      app.get(area, { schema: { hide: true } }, sendApp);
      app.get(`${area}/*`, { schema: { hide: true } }, sendApp);
    }
    app.get('/demo', { schema: { hide: true } }, (_request, reply) => reply.redirect('/demo/'));
    if (built) {
      app.get('/demo/', { schema: { hide: true } }, (_request, reply) =>
        reply.header('cache-control', 'no-cache').sendFile('demo/index.html', root),
      );
    }
  };
}
