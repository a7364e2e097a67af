/**
 * The playground: a small browser page that lets a person play EHR against this service with the sample
 * patients. The page builds nothing itself: it asks `GET /playground/examples/{id}/request` for the hook
 * request (made by the one shared builder, src/sample-patients/build-request.ts), POSTs it to the real
 * `/cds-services/{id}` endpoint and renders the answer the way EHRs render cards.
 *
 * Register it with `await app.register(playground)` (after buildApp's own plugins). The sample data is
 * read once here, at registration; the page's files are served by src/http/static-page.ts.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { UnverifiedIssuers } from '../cdshooks/unverified-issuers';
import { PbhError } from '../errors';
import { buildHookRequest, type ExampleFile, type PlanBindings } from '../sample-patients/build-request';
import { staticPage } from '../http/static-page';
import { projectPath } from '../paths';
import { loadPlaygroundData, parseOrderIndexes, summarise } from './examples';
import { exampleListResponse, hookRequestResponse, playgroundError, requestParams, requestQuery, unverifiedIssuersResponse } from './schemas';

export interface PlaygroundOptions {
  /** the clock used to date the sample data (default: real time) */
  now?: () => Date;
  /** hookInstance generator (default: random UUID) */
  newId?: () => string;
  /** sample data override (default: examples/patients.json + examples/plan-bindings.json) */
  examples?: ExampleFile;
  bindings?: PlanBindings;
  /** issuers of signed calls answered without verification, shown on the page */
  unverifiedIssuers?: UnverifiedIssuers;
}

/**
 * The app's helmet policy is API-first (`default-src 'none'`); the page needs its own scripts, styles and
 * same-origin fetches, and nothing else: no inline script, no third-party origin, no framing.
 */
export const PLAYGROUND_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** a file of an installed package, beside the package's resolved entry point (exports-safe) */
const packageFile = (pkg: string, fileBesideEntry: string): string => path.join(path.dirname(require.resolve(pkg)), fileBesideEntry);

export async function playground(app: FastifyInstance, opts: PlaygroundOptions = {}): Promise<void> {
  const loaded = opts.examples && opts.bindings ? { examples: opts.examples, bindings: opts.bindings } : loadPlaygroundData();
  const examples = opts.examples ?? loaded.examples;
  const bindings = opts.bindings ?? loaded.bindings;
  const byId = new Map(examples.patients.map((p) => [p.id, p]));
  const list = { patients: examples.patients.map((p) => summarise(p, bindings)) };
  const clock = opts.now ?? (() => new Date());
  const newId = opts.newId ?? randomUUID;

  // our own page, and the two browser libraries from node_modules, so the page works offline and never
  // touches a CDN; hidden from the OpenAPI document: HTML and static files, not API
  await staticPage(app, {
    url: '/playground',
    root: projectPath('public', 'playground'),
    csp: PLAYGROUND_CSP,
    vendor: {
      'marked.esm.js': packageFile('marked', 'marked.esm.js'),
      'purify.es.mjs': packageFile('dompurify', 'purify.es.mjs'),
    },
  });
  // the page's asset URLs are absolute, but a bookmarked trailing slash should still land on it
  app.get('/playground/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/playground', 301));

  app.get(
    '/playground/examples',
    {
      schema: {
        summary: 'Sample patients of the playground',
        description: 'Fictional patients (examples/patients.json): id, title, story, plan, genes with results, and their draft orders.',
        tags: ['playground'],
        response: { 200: exampleListResponse },
      },
    },
    async () => list,
  );

  app.get(
    '/playground/unverified-issuers',
    {
      schema: {
        summary: 'Issuers whose signed calls were answered without verification',
        description:
          'Demo profile: a signed call from an issuer not in PBH_TRUSTED_ISSUERS (e.g. the public CDS Hooks sandbox) cannot be ' +
          'verified offline and is answered like an unsigned one. Lists those issuers (at most 20; further calls count as other).',
        tags: ['playground'],
        response: { 200: unverifiedIssuersResponse },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return opts.unverifiedIssuers?.list() ?? { issuers: [], otherCalls: 0 };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { hook?: 'order-select' | 'order-sign'; orders?: string } }>(
    '/playground/examples/:id/request',
    {
      schema: {
        summary: 'The CDS Hooks request for a sample patient',
        description:
          'A complete CDS Hooks 2.0 request (context + prefetch) for the sample patient, dated now, with a fresh hookInstance; ' +
          'built by the same builder as `npm run demo` and the tests. POST it to /cds-services/{serviceId}.',
        tags: ['playground'],
        params: requestParams,
        querystring: requestQuery,
        response: { 200: hookRequestResponse, 400: playgroundError, 404: playgroundError },
      },
    },
    async (request, reply) => {
      const spec = byId.get(request.params.id);
      if (!spec) throw new PbhError('PBH_ERR_NOT_FOUND', 'no sample patient with that id');
      const hook = request.query.hook ?? 'order-sign';
      const orderIndexes = parseOrderIndexes(request.query.orders, spec.orders.length);
      if (!Array.isArray(orderIndexes)) throw new PbhError('PBH_ERR_VALIDATION', orderIndexes.error, { instancePath: '/orders' });
      reply.header('cache-control', 'no-store');
      return buildHookRequest(spec, { hook, now: clock().toISOString(), bindings, hookInstance: newId(), orderIndexes });
    },
  );
}
