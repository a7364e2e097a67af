/**
 * FHIR REST client for the EHR's server, tuned for a hook's latency budget: undici with short
 * connect/headers/body timeouts, a response-size cap, no redirects, an overall deadline per request,
 * Bundle paging on the same origin only, and at most one retry of a GET when the deadline allows.
 */
import { Agent, errors as undiciErrors, request } from 'undici';
import type { Bundle, BundleEntry, BundleLink, Resource } from 'fhir/r4';
import { jsonDepthExceeds, MAX_JSON_DEPTH, refusedResourceName, valueDepthExceeds } from './json-guard';
import { guardedLookup } from './ssrf';

export interface FhirClientOptions {
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** per response; the application passes its request-body limit (one size guard for all JSON from outside) */
  maxResponseBytes?: number;
  /** deepest nesting accepted in a resource (default: the request bodies' limit) */
  maxDepth?: number;
  /** hosts allowed even when they resolve to private/loopback addresses */
  allowedHosts: readonly string[];
  /** longest Retry-After we are willing to wait */
  maxRetryAfterMs?: number;
}

export interface FhirQuery {
  /** the request's fhirServer (already SSRF-checked) */
  base: URL;
  /** relative query, e.g. "Observation?patient=123&code=..." or "Patient/123" */
  path: string;
  accessToken: string;
  /** absolute time (ms since epoch) by which everything must be done */
  deadline: number;
  maxPages: number;
}

export type FhirResult =
  | {
      ok: true;
      resources: Resource[];
      pages: number;
      truncated: boolean;
      /** Bundle lists sent as one object and read as one-item lists ("Bundle.entry", "Bundle.link") */
      singleAsList?: string[];
      /** resources left out because they nest deeper than the limit, named for the data-gap card */
      refused?: string[];
    }
  | { ok: false; reason: string; kind: FhirFailureKind };

/** What kind of failure a fetch met: a fixed vocabulary, counted by the metrics (`reason` is for people). */
export type FhirFailureKind = 'timeout' | 'network' | 'http' | 'invalid' | 'other';
export const FHIR_FAILURE_KINDS: readonly FhirFailureKind[] = ['timeout', 'network', 'http', 'invalid', 'other'];

/** Why a fetch failed, in words safe for a clinician-facing card (no URLs, no tokens, no ids), and its kind. */
class FetchFailure extends Error {
  constructor(
    readonly reason: string,
    readonly kind: FhirFailureKind,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(reason);
  }
}

export class FhirClient {
  private readonly agent: Agent;
  private readonly maxBytes: number;
  private readonly maxDepth: number;
  private readonly maxRetryAfterMs: number;

  constructor(opts: FhirClientOptions) {
    this.maxBytes = opts.maxResponseBytes ?? 5 * 1024 * 1024;
    this.maxDepth = opts.maxDepth ?? MAX_JSON_DEPTH;
    this.maxRetryAfterMs = opts.maxRetryAfterMs ?? 1000;
    this.agent = new Agent({
      connect: { timeout: opts.connectTimeoutMs ?? 300, lookup: guardedLookup(opts.allowedHosts) },
      headersTimeout: opts.headersTimeoutMs ?? 800,
      bodyTimeout: opts.bodyTimeoutMs ?? 800,
      maxResponseSize: this.maxBytes,
      keepAliveTimeout: 4000,
    });
  }

  /** Run a search or read; a searchset is followed through `next` links (same origin, ≤ maxPages). */
  async fetch(q: FhirQuery): Promise<FhirResult> {
    const resources: Resource[] = [];
    // a Bundle list sent as one object is read as a one-item list (R4 says list; some servers send one)
    const singleAsList: string[] = [];
    const listOf = <T>(bundle: Bundle, key: 'entry' | 'link'): T[] => {
      const v: unknown = bundle[key];
      if (Array.isArray(v)) return v as T[];
      if (v === undefined || v === null || typeof v !== 'object') return [];
      singleAsList.push(`Bundle.${key}`);
      return [v as T];
    };
    const refused: string[] = [];
    const lenient = () => ({ ...(singleAsList.length ? { singleAsList } : {}), ...(refused.length ? { refused } : {}) });
    let url: URL;
    try {
      url = new URL(q.path.replace(/^\/+/, ''), q.base.href.endsWith('/') ? q.base.href : `${q.base.href}/`);
    } catch {
      return { ok: false, reason: 'the query could not be built', kind: 'other' };
    }
    for (let page = 1; ; page++) {
      let parsed: Parsed | undefined;
      try {
        parsed = await this.getWithRetry(url, q);
      } catch (e) {
        return e instanceof FetchFailure ? { ok: false, reason: e.reason, kind: e.kind } : { ok: false, reason: 'the FHIR server request failed', kind: 'other' };
      }
      const body = parsed?.value;
      // only a response whose text nests too deeply pays for measuring each resource
      const admit = (r: unknown): boolean => {
        if (!parsed!.deep || !valueDepthExceeds(r, this.maxDepth)) return true;
        refused.push(refusedResourceName(r));
        return false;
      };
      if (parsed === undefined) return { ok: true, resources, pages: page, truncated: false, ...lenient() }; // 404 on a read
      if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, reason: 'the FHIR server did not send a FHIR resource', kind: 'invalid' };
      const res = body as Resource;
      if (res.resourceType !== 'Bundle') {
        if (admit(res)) resources.push(res);
        return { ok: true, resources, pages: page, truncated: false, ...lenient() };
      }
      const bundle = res as Bundle;
      const entry: unknown = bundle.entry;
      if (entry !== undefined && (entry === null || typeof entry !== 'object')) {
        return { ok: false, reason: 'the FHIR server sent a malformed Bundle (entry is not a list)', kind: 'invalid' };
      }
      for (const entry of listOf<BundleEntry>(bundle, 'entry')) {
        // search.mode "outcome" entries are server messages, not data
        if (entry && typeof entry === 'object' && entry.resource && entry.search?.mode !== 'outcome' && admit(entry.resource)) resources.push(entry.resource);
      }
      const next = listOf<BundleLink>(bundle, 'link').find((l) => l && typeof l === 'object' && l.relation === 'next')?.url;
      if (!next) return { ok: true, resources, pages: page, truncated: false, ...lenient() };
      let nextUrl: URL;
      try {
        nextUrl = new URL(next, url);
      } catch {
        return { ok: false, reason: 'the FHIR server sent an invalid next-page link', kind: 'invalid' };
      }
      // Paging must stay on the server the EHR named, or the bearer token would leak elsewhere.
      if (nextUrl.origin !== q.base.origin) {
        return { ok: false, reason: 'the FHIR server sent a next-page link to another server', kind: 'invalid' };
      }
      if (page >= q.maxPages) return { ok: true, resources, pages: page, truncated: true, ...lenient() };
      url = nextUrl;
    }
  }

  private async getWithRetry(url: URL, q: FhirQuery): Promise<Parsed | undefined> {
    try {
      return await this.get(url, q);
    } catch (e) {
      if (!(e instanceof FetchFailure) || !e.retryable) throw e;
      const wait = Math.min(e.retryAfterMs ?? 50, this.maxRetryAfterMs);
      // Retry only if the wait plus a minimal round trip still fits the deadline.
      if (Date.now() + wait + 100 >= q.deadline) throw e;
      await new Promise((r) => setTimeout(r, wait));
      return this.get(url, q);
    }
  }

  private async get(url: URL, q: FhirQuery): Promise<Parsed | undefined> {
    const remaining = q.deadline - Date.now();
    if (remaining <= 0) throw new FetchFailure('no time left within the deadline', 'timeout', false);
    let res;
    try {
      res = await request(url, {
        method: 'GET',
        dispatcher: this.agent,
        headers: { accept: 'application/fhir+json, application/json', authorization: `Bearer ${q.accessToken}` },
        signal: AbortSignal.timeout(remaining),
      });
    } catch (e) {
      throw classify(e);
    }
    try {
      if (res.statusCode === 429 || res.statusCode === 503) {
        await res.body.dump();
        throw new FetchFailure(`the FHIR server answered ${res.statusCode}`, 'http', true, parseRetryAfter(res.headers['retry-after']));
      }
      if (res.statusCode === 404 && !url.search) {
        await res.body.dump();
        return undefined;
      }
      if (res.statusCode >= 300 && res.statusCode < 400) {
        await res.body.dump();
        throw new FetchFailure('the FHIR server answered with a redirect (not followed)', 'http', false);
      }
      if (res.statusCode !== 200) {
        await res.body.dump();
        throw new FetchFailure(`the FHIR server answered ${res.statusCode}`, 'http', false);
      }
      const bytes = await readCapped(res.body, this.maxBytes);
      // V8's JSON.parse is not recursive: parsing deep JSON is safe, walking it afterwards is not
      const deep = jsonDepthExceeds(bytes, this.maxDepth);
      try {
        return { value: JSON.parse(bytes.toString('utf8')) as unknown, deep };
      } catch {
        throw new FetchFailure('the FHIR server sent a response that is not JSON', 'invalid', false);
      }
    } catch (e) {
      if (e instanceof FetchFailure) throw e;
      throw classify(e);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

interface Parsed {
  value: unknown;
  /** the text nests deeper than a resource may: measure each resource (a Bundle adds three levels of its own) */
  deep: boolean;
}

async function readCapped(body: AsyncIterable<Buffer>, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) throw new FetchFailure('the FHIR server response was too large', 'invalid', false);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function parseRetryAfter(v: string | string[] | undefined): number | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  if (!s) return undefined;
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : Math.max(0, t - Date.now());
}

function classify(e: unknown): FetchFailure {
  const err = e as { name?: string; code?: string };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
    return new FetchFailure('the FHIR server did not answer within the deadline', 'timeout', false);
  }
  if (e instanceof undiciErrors.ConnectTimeoutError) return new FetchFailure('connecting to the FHIR server timed out', 'timeout', false);
  if (e instanceof undiciErrors.HeadersTimeoutError || e instanceof undiciErrors.BodyTimeoutError) {
    return new FetchFailure('the FHIR server was too slow to answer', 'timeout', false);
  }
  if (e instanceof undiciErrors.ResponseExceededMaxSizeError) return new FetchFailure('the FHIR server response was too large', 'invalid', false);
  if (err?.code === 'PBH_SSRF_BLOCKED') return new FetchFailure('the FHIR server address is not allowed', 'other', false);
  if (err?.code === 'ECONNRESET' || err?.code === 'UND_ERR_SOCKET') return new FetchFailure('the connection to the FHIR server was reset', 'network', true);
  if (err?.code === 'ECONNREFUSED') return new FetchFailure('the FHIR server refused the connection', 'network', false);
  if (err?.code === 'ENOTFOUND' || err?.code === 'EAI_AGAIN') return new FetchFailure('the FHIR server name could not be resolved', 'network', false);
  return new FetchFailure('the FHIR server request failed', 'other', false);
}
