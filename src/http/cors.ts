import type { FastifyInstance } from 'fastify';

/**
 * Lets pages on any website call these routes without credentials (the chat button and its help
 * center suggestions run on the vendor's website): `*` origin, no cookies, the listed request
 * headers. Authorization rides in a header the route checks itself, so no other site gains access.
 */
export function allowAnyOrigin(app: FastifyInstance, paths: string[], headers: string[] = ['content-type']) {
  const prefixes = paths.map((p) => p.replace(/\*$/, ''));
  const covered = (url: string) => {
    const path = url.split('?')[0] ?? url;
    return paths.some((p, i) => (p.endsWith('*') ? path.includes(prefixes[i]!) : path.endsWith(p)));
  };
  app.addHook('onSend', async (request, reply) => {
    if (covered(request.url)) void reply.header('access-control-allow-origin', '*').header('vary', 'origin');
  });
  for (const path of paths)
    app.options(path, { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
      reply
        .code(204)
        .header('access-control-allow-methods', 'GET, POST')
        .header('access-control-allow-headers', headers.join(', '))
        .header('access-control-max-age', '600')
        .send(),
    );
}
