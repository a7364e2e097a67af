import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { Queryable, SqlClient } from './sql-client';

/**
 * Embedded PostgreSQL: PGlite (Postgres compiled to WASM) run in a worker thread. The thread matters:
 * PGlite executes SQL synchronously inside WASM, so on the main thread every audit batch would stall the
 * event loop that answers hooks. In the worker, queries cost the request path a message round trip only.
 * (It also keeps PGlite's ESM-style dynamic imports out of module sandboxes such as Jest's.)
 *
 * Memory: initdb (first start on an empty directory) grows the WASM heap to ~700 MB that WASM never gives
 * back, so it runs in a throw-away child process; the long-lived thread then opens the initialised directory.
 * Postgres' default 128 MB shared_buffers are touched at start; an audit log written in small batches
 * needs a few MB (RSS of the thread ≈ 280 → 150 MB). The WASM heap's peak is what the process keeps, so
 * audit-writer.ts bounds the JSON per INSERT statement (~4 MB of WASM heap per 256 kB). V8: Liftoff only
 * and a small young generation for the worker (below). Measured for the whole service (bench patient,
 * ~900 order-sign/s): RSS after start ~310 → ~200 MB, of which the embedded store ~75 MB (worker heap
 * ~20, WASM heap ~25, compiled code, PGlite's data bundle and the module's bytes ~30).
 *
 * PGlite is a single connection, so a transaction holds a lock that other statements wait for.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglitePath);
const db = new PGlite(workerData.dataDir, { postgresqlconf: workerData.postgresqlconf });
const fail = (id, err) => parentPort.postMessage({ id, error: { message: String(err && err.message || err), code: err && err.code } });
parentPort.on('message', async ({ id, op, text, params }) => {
  try {
    if (op === 'query') parentPort.postMessage({ id, rows: (await db.query(text, params)).rows });
    else if (op === 'exec') { await db.exec(text); parentPort.postMessage({ id }); }
    else if (op === 'close') { if (!db.closed) await db.close(); parentPort.postMessage({ id }); }
  } catch (err) { fail(id, err); }
});
`;

/** see above: small buffers for a small write load */
const POSTGRESQL_CONF = ['shared_buffers=8MB', 'wal_buffers=256kB', 'work_mem=2MB', 'maintenance_work_mem=8MB'].join('\n');

/**
 * WASM compiled by V8's baseline compiler (Liftoff) only, never tiered up to TurboFan. Tier-up compiles
 * PGlite's hot functions on V8's background threads, and their compiler memory stays in this process' RSS
 * (glibc keeps the freed arenas): measured ~80–100 MB right after start, against ~12 MB without. The cost
 * is CPU: Liftoff code runs PGlite's part of an audit insert ~25 % slower (the single-statement insert in
 * audit-writer.ts more than makes up for it). `--liftoff-only` is process-wide and applies to WASM compiled
 * from now on (undici's HTTP parser too, a small state machine); it is set only when the embedded store
 * is used. V8 flags set at run time apply to code compiled afterwards; if a Node version refused it, the
 * store would still work, with the larger footprint.
 */
let baselineWasm = false;
function useBaselineWasmCompiler(): void {
  if (baselineWasm) return;
  baselineWasm = true;
  try {
    v8.setFlagsFromString('--liftoff-only');
  } catch {
    /* memory only, see above */
  }
}

/**
 * The worker's young generation (semi-spaces) in MB. V8's default (48 here: 32 MB committed) is sized for
 * throughput; the worker's garbage is short-lived message and protocol buffers, and 8 MB keeps its heap at
 * ~20 MB instead of ~44 MB for no measurable CPU. No old-generation limit: a worker out of heap would take
 * the store down, and its old generation is ~10 MB.
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/** an on-disk directory that initdb has not populated yet ("memory://" lives and dies with its thread) */
const needsInitDb = (dataDir: string): boolean =>
  !dataDir.includes('://') && !existsSync(path.join(dataDir, 'PG_VERSION'));

/** what initdb and the worker thread need to open a data directory */
interface ClusterOptions {
  dataDir: string;
  pglitePath: string;
  postgresqlconf: string;
}

const clusterOptions = (dataDir: string): ClusterOptions => ({
  dataDir,
  pglitePath: require.resolve('@electric-sql/pglite'),
  postgresqlconf: POSTGRESQL_CONF,
});

/**
 * initdb into an on-disk directory, exactly as a client's first start does (see runInitDb), without
 * opening it: an initialised cluster can then be copied to start other databases from.
 */
export function initDataDir(dataDir: string): Promise<void> {
  return runInitDb(clusterOptions(dataDir)).done;
}

interface Reply {
  id: number;
  rows?: unknown[];
  error?: { message: string; code?: string };
}

export class PgliteClient implements SqlClient {
  readonly dialect = 'pglite' as const;
  /** the long-lived thread, once initdb (if needed) has finished in its own process */
  private workerReady: Promise<Worker>;
  /** the last start failed (initdb or the thread): the next call starts again */
  private workerFailed = false;
  /** initdb's child process while it runs: killed by close(), so a stop never waits for it */
  private initDbChild: ChildProcess | undefined;
  private readonly workerData: ClusterOptions;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  /** tail of the chain of top-level operations: serialises transactions against everything else */
  private lock: Promise<unknown> = Promise.resolve();
  private closed = false;

  readonly ephemeral: boolean;

  constructor(dataDir: string) {
    this.ephemeral = dataDir.includes('://');
    this.workerData = clusterOptions(dataDir);
    this.workerReady = this.boot();
  }

  private boot(): Promise<Worker> {
    const initDb = needsInitDb(this.workerData.dataDir) ? this.initDb() : Promise.resolve();
    const ready = initDb.then(() => {
      if (this.closed) throw new Error('PGlite client is closed');
      return this.startWorker(this.workerData);
    });
    ready.catch(() => (this.workerFailed = true)); // reported to every caller instead
    return ready;
  }

  private worker(): Promise<Worker> {
    if (this.workerFailed && !this.closed) {
      this.workerFailed = false;
      this.workerReady = this.boot();
    }
    return this.workerReady;
  }

  private async initDb(): Promise<void> {
    const { child, done } = runInitDb(this.workerData);
    this.initDbChild = child;
    try {
      await done;
    } finally {
      this.initDbChild = undefined;
    }
  }

  private startWorker(workerData: ClusterOptions): Worker {
    useBaselineWasmCompiler();
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    worker.unref();
    worker.on('message', (msg: Reply) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (this.pending.size === 0) worker.unref();
      if (msg.error) p.reject(Object.assign(new Error(msg.error.message), { code: msg.error.code }));
      else p.resolve(msg);
    });
    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', () => {
      this.workerFailed = true;
      this.failAll(new Error('PGlite worker exited'));
    });
    return worker;
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  /** one request to the worker; the thread is kept alive (ref'd) only while requests are pending */
  private call(op: 'query' | 'exec' | 'close', text?: string, params?: unknown[]): Promise<Reply> {
    if (this.closed && op !== 'close') return Promise.reject(new Error('PGlite client is closed'));
    const id = this.nextId++;
    return this.worker().then(
      (worker) =>
        new Promise<Reply>((resolve, reject) => {
          this.pending.set(id, { resolve, reject });
          worker.ref();
          worker.postMessage({ id, op, text, params });
        }),
    );
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
    // a stop must not wait for initdb (seconds to minutes on a busy machine): end it; the directory is
    // left without PG_VERSION, so the next start runs initdb again from scratch
    const child = this.initDbChild;
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await gone;
    }
    await this.lock;
    const worker = await this.workerReady.catch(() => undefined);
    if (!worker) return;
    try {
      // a throw-away database has nothing to save; a file-backed one closes cleanly (checkpoint), unless
      // PGlite is still opening it after the grace below: then the thread ends as in a crash, which
      // PostgreSQL recovers from at the next start
      if (!this.ephemeral) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([this.call('close'), new Promise((r) => (timer = setTimeout(r, CLOSE_GRACE_MS)))]).finally(() => clearTimeout(timer));
      }
    } finally {
      this.failAll(new Error('PGlite client is closed'));
      await worker.terminate();
    }
  }
}

/** close(): how long a file-backed database may take to close before its thread is ended */
const CLOSE_GRACE_MS = 10_000;

/** what initdb writes into a data directory (cleared before a new initdb where one was interrupted) */
const CLUSTER_ENTRY = /^(PG_VERSION|base|global|pg_[a-z_]+(\.conf)?|postgresql(\.auto)?\.conf|postmaster\.(pid|opts))$/;
const STAGING = '.initdb';

/**
 * initdb in a child process of its own: a finished thread's WASM heap stays in this process' RSS
 * (measured: ~840 MB during initdb, still ~400 MB after the thread ended), a finished process' does not.
 *
 * It writes into a staging directory inside the data directory; only a finished cluster is moved into
 * place, PG_VERSION last. So an initdb interrupted at any point (SIGTERM to the process group, SIGKILL,
 * power loss) leaves a directory without PG_VERSION, which the next start initialises again instead of
 * opening a half-made cluster. Other files in the directory (the audit journal) are left alone.
 */
function runInitDb(workerData: ClusterOptions): { child: ChildProcess; done: Promise<void> } {
  const { dataDir } = workerData;
  mkdirSync(dataDir, { recursive: true });
  const staging = path.join(dataDir, STAGING);
  rmSync(staging, { recursive: true, force: true });
  for (const name of readdirSync(dataDir)) if (CLUSTER_ENTRY.test(name)) rmSync(path.join(dataDir, name), { recursive: true, force: true });
  const source = `
const { PGlite } = require(process.argv[1]);
const db = new PGlite(process.argv[2], { postgresqlconf: process.argv[3] });
db.waitReady.then(() => db.close()).then(() => process.exit(0), (err) => { console.error('PGlite initdb failed:', String(err && err.message || err)); process.exit(1); });
`;
  const child = spawn(process.execPath, ['-e', source, workerData.pglitePath, staging, workerData.postgresqlconf], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0) return reject(new Error(`PGlite initdb ${signal ? `killed by ${signal}` : `exited with code ${code}`}`));
      try {
        const entries = readdirSync(staging).filter((n) => n !== 'PG_VERSION');
        for (const name of [...entries, 'PG_VERSION']) renameSync(path.join(staging, name), path.join(dataDir, name));
        rmSync(staging, { recursive: true, force: true });
        resolve();
      } catch (err) {
        reject(err as Error);
      }
    });
  });
  return { child, done };
}
