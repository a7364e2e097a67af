import { Worker } from 'node:worker_threads';
import type { Queryable, SqlClient } from './sql-client';

/**
 * Embedded PostgreSQL: PGlite (Postgres compiled to WASM) run in a worker thread. The thread matters:
 * PGlite executes SQL synchronously inside WASM, so on the main thread every audit batch would stall the
 * event loop that answers hooks. In the worker, queries cost the request path a message round trip only.
 * (It also keeps PGlite's ESM-style dynamic imports out of module sandboxes such as Jest's.)
 *
 * PGlite is a single connection, so a transaction holds a lock that other statements wait for.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglitePath);
const db = new PGlite(workerData.dataDir);
const fail = (id, err) => parentPort.postMessage({ id, error: { message: String(err && err.message || err), code: err && err.code } });
parentPort.on('message', async ({ id, op, text, params }) => {
  try {
    if (op === 'query') parentPort.postMessage({ id, rows: (await db.query(text, params)).rows });
    else if (op === 'exec') { await db.exec(text); parentPort.postMessage({ id }); }
    else if (op === 'close') { if (!db.closed) await db.close(); parentPort.postMessage({ id }); }
  } catch (err) { fail(id, err); }
});
`;

interface Reply {
  id: number;
  rows?: unknown[];
  error?: { message: string; code?: string };
}

export class PgliteClient implements SqlClient {
  readonly dialect = 'pglite' as const;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  /** tail of the chain of top-level operations: serialises transactions against everything else */
  private lock: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(dataDir: string) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { dataDir, pglitePath: require.resolve('@electric-sql/pglite') },
    });
    this.worker.unref();
    this.worker.on('message', (msg: Reply) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (this.pending.size === 0) this.worker.unref();
      if (msg.error) p.reject(Object.assign(new Error(msg.error.message), { code: msg.error.code }));
      else p.resolve(msg);
    });
    this.worker.on('error', (err) => this.failAll(err));
    this.worker.on('exit', () => this.failAll(new Error('PGlite worker exited')));
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  /** one request to the worker; the thread is kept alive (ref'd) only while requests are pending */
  private call(op: 'query' | 'exec' | 'close', text?: string, params?: unknown[]): Promise<Reply> {
    if (this.closed && op !== 'close') return Promise.reject(new Error('PGlite client is closed'));
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, op, text, params });
    });
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private readonly direct: Queryable = {
    query: async <T>(text: string, params: unknown[] = []) => (await this.call('query', text, params)).rows as T[],
    exec: async (text: string) => {
      await this.call('exec', text);
    },
  };

  query<T>(text: string, params: unknown[] = []): Promise<T[]> {
    return this.exclusive(() => this.direct.query<T>(text, params));
  }

  exec(text: string): Promise<void> {
    return this.exclusive(() => this.direct.exec(text));
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      await this.direct.exec('BEGIN');
      try {
        const out = await fn(this.direct);
        await this.direct.exec('COMMIT');
        return out;
      } catch (err) {
        await this.direct.exec('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.lock;
    try {
      await this.call('close');
    } finally {
      await this.worker.terminate();
    }
  }
}
