/**
 * A local FHIR server for HTTP tests (node:http): serves reads and searches from in-memory data, with
 * per-resource-type behaviours — latency, 500/429/503 failures (optionally only the first N times),
 * connection resets, paging, an endless `next` chain, a `next` link to another origin, a redirect,
 * and another patient's data. It records every request and the peak number of concurrent requests.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Resource } from 'fhir/r4';

export interface Behaviour {
  latencyMs?: number;
  /** answer with this status (e.g. 500, 429, 503) */
  status?: number;
  /** only the first N requests get `status` / `reset`; later ones succeed */
  failTimes?: number;
  retryAfter?: string;
  /** destroy the socket instead of answering */
  reset?: boolean;
  /** split the search result into pages of this size */
  pageSize?: number;
  /** every page links to another page, forever */
  endlessNext?: boolean;
  /** the first page's next link points at this origin */
  nextOrigin?: string;
  /** answer 302 to this location */
  redirectTo?: string;
  /** answer 200 with exactly this JSON body (a server's own shapes) */
  body?: unknown;
  /** extra search results given as raw JSON text (for resources JSON.stringify cannot write, e.g. nested 100,000 deep) */
  rawEntries?: string[];
}

export interface RecordedRequest {
  path: string;
  authorization?: string;
  startedAt: number;
}

export class FhirTestServer {
  readonly requests: RecordedRequest[] = [];
  maxConcurrent = 0;
  private inFlight = 0;
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly failures = new Map<string, number>();
  behaviours: Record<string, Behaviour> = {};
  /** resource type → resources */
  data: Record<string, Resource[]> = {};
  port = 0;

  constructor() {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}/fhir`;
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.inFlight++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.inFlight);
    res.on('close', () => this.inFlight--);
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${this.port}`);
    this.requests.push({ path: url.pathname + url.search, authorization: req.headers.authorization, startedAt: Date.now() });
    const [, fhir, type, id] = url.pathname.split('/');
    if (fhir !== 'fhir' || !type) return this.json(res, 404, { resourceType: 'OperationOutcome' });
    const b = this.behaviours[type] ?? {};
    if (b.latencyMs) await new Promise((r) => setTimeout(r, b.latencyMs));
    if (res.destroyed) return;
    const failedSoFar = this.failures.get(type) ?? 0;
    const failing = b.failTimes === undefined || failedSoFar < b.failTimes;
    if ((b.status || b.reset) && failing) {
      this.failures.set(type, failedSoFar + 1);
      if (b.reset) {
        req.socket.destroy();
        return;
      }
      if (b.retryAfter) res.setHeader('retry-after', b.retryAfter);
      return this.json(res, b.status!, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient' }] });
    }
    if (b.body !== undefined) return this.json(res, 200, b.body);
    if (b.redirectTo) {
      res.writeHead(302, { location: b.redirectTo });
      res.end();
      return;
    }
    // a category search (laboratory genomics vs vital signs) returns only the resources of that category
    const category = url.searchParams.get('category');
    const all = (this.data[type] ?? []).filter(
      (r) => !category || !('category' in r) || JSON.stringify((r as { category?: unknown }).category ?? []).includes(`"code":"${category}"`),
    );
    if (id) {
      const found = all.find((r) => r.id === id);
      return found ? this.json(res, 200, found) : this.json(res, 404, { resourceType: 'OperationOutcome' });
    }
    const page = Number(url.searchParams.get('_page') ?? '1');
    const size = b.pageSize ?? (all.length || 1);
    const slice = all.slice((page - 1) * size, page * size);
    const hasMore = b.endlessNext || page * size < all.length;
    const nextUrl = new URL(url.href);
    nextUrl.searchParams.set('_page', String(page + 1));
    const nextHref = b.nextOrigin ? `${b.nextOrigin}${nextUrl.pathname}${nextUrl.search}` : nextUrl.href;
    const bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      link: hasMore ? [{ relation: 'next', url: nextHref }] : [],
      entry: slice.map((resource) => ({ resource, search: { mode: 'match' } })),
    };
    if (!b.rawEntries?.length) return this.json(res, 200, bundle);
    const text = JSON.stringify(bundle);
    const raw = b.rawEntries.map((r) => `{"resource":${r},"search":{"mode":"match"}}`).join(',');
    res.writeHead(200, { 'content-type': 'application/fhir+json' });
    res.end(`${text.slice(0, -2)}${slice.length ? ',' : ''}${raw}]}`);
  }

  private json(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/fhir+json' });
    res.end(JSON.stringify(body));
  }
}

export async function startFhirServer(): Promise<FhirTestServer> {
  return new FhirTestServer().start();
}
