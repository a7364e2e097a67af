/**
 * The one loader of static pages (the playground, the admin reports page): @fastify/static serves a page's
 * files from its directory, each with the page's own Content-Security-Policy (the app's helmet policy is
 * API-first, `default-src 'none'`), revalidated on every use (`no-cache` with an ETag, so a deploy is seen
 * at once and an unchanged file costs a 304). A name that is not a file answers the app's catalogued 404.
 */
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export interface StaticPageOptions {
  /** URL of the page (its index.html), e.g. "/playground"; its other files are under `${url}/` */
  url: string;
  /** directory holding index.html and the page's files */
  root: string;
  csp: string;
  /** files from elsewhere (browser libraries in node_modules), served under `${url}/vendor/`: name → file */
  vendor?: Record<string, string>;
}

export async function staticPage(app: FastifyInstance, opts: StaticPageOptions): Promise<void> {
  await app.register(fastifyStatic, {
    root: opts.root,
    prefix: `${opts.url}/`,
    index: false,
    redirect: false,
    cacheControl: false,
    setHeaders: (reply, file) => {
      reply.header('content-security-policy', opts.csp).header('cache-control', 'no-cache');
      // the type RFC 9239 names for JavaScript (send's table still says application/javascript)
      if (/\.m?js$/.test(file)) reply.type('text/javascript; charset=utf-8');
    },
  });
  app.get(opts.url, { schema: { hide: true } }, (_request, reply) => reply.sendFile('index.html'));
  // each vendored file from its own package directory, by name: never a neighbour of it
  for (const [name, file] of Object.entries(opts.vendor ?? {})) {
    app.get(`${opts.url}/vendor/${name}`, { schema: { hide: true } }, (_request, reply) => reply.sendFile(path.basename(file), path.dirname(file)));
  }
}
