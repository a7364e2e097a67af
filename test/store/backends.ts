/**
 * The stores under test: embedded PGlite always, PostgreSQL when DATABASE_URL is set. Each PostgreSQL
 * store works in its own schema so parallel test files never see each other's rows. Real databases only.
 *
 * Each PGlite database is a copy of one initialised, never opened cluster: initdb costs seconds (minutes
 * on a busy machine) and its result depends only on the PGlite version, so it runs once per version and
 * machine, not once per test. The store's own first start (initdb into an empty directory) is tested in
 * background-start.test.ts.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { PgClient } from '../../src/store/pg-client';
import { initDataDir, PgliteClient } from '../../src/store/pglite-client';
import type { Queryable, SqlClient } from '../../src/store/sql-client';

export interface Backend {
  name: 'pglite' | 'postgres';
  /** a fresh, empty database; `open` may be called again to reach the same data after a close */
  create(): Promise<{ open: () => SqlClient; dispose: () => Promise<void> }>;
}

const pgliteVersion = (): string => {
  const dist = path.dirname(require.resolve('@electric-sql/pglite'));
  return (JSON.parse(readFileSync(path.join(dist, '..', 'package.json'), 'utf8')) as { version: string }).version;
};

let template: Promise<string> | undefined;

/** the initialised cluster to copy; made on first use, published by rename so concurrent workers never see half of it */
function pgliteTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = path.join(tmpdir(), `pbh-pglite-template-${pgliteVersion()}`);
    const done = () => existsSync(path.join(dir, 'PG_VERSION'));
    if (done()) return dir;
    const staging = mkdtempSync(`${dir}.staging-`);
    try {
      await initDataDir(staging);
      renameSync(staging, dir);
    } catch (err) {
      if (!done()) throw err; // another process published it first: use theirs
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    return dir;
  })();
  template.catch(() => (template = undefined)); // a failed initdb is retried by the next test
  return template;
}

const pglite: Backend = {
  name: 'pglite',
  async create() {
    const dir = mkdtempSync(path.join(tmpdir(), 'pbh-store-'));
    cpSync(await pgliteTemplate(), dir, { recursive: true });
    return {
      open: () => new PgliteClient(dir),
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

const postgres = (url: string): Backend => ({
  name: 'postgres',
  async create() {
    const schema = `pbh_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    return {
      open: () => new PgClient({ connectionString: url, schema }),
      dispose: async () => {
        const c = new Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP SCHEMA ${schema} CASCADE`);
        await c.end();
      },
    };
  },
});

export const BACKENDS: Backend[] = [pglite, ...(process.env.DATABASE_URL ? [postgres(process.env.DATABASE_URL)] : [])];

/** Fault injection around a real client: while `down`, every call fails like a lost connection. */
export class SwitchableClient implements SqlClient {
  down = false;
  constructor(private readonly inner: SqlClient) {}
  get dialect() {
    return this.inner.dialect;
  }
  private check(): void {
    if (this.down) throw Object.assign(new Error('connect ECONNREFUSED (test: database down)'), { code: 'ECONNREFUSED' });
  }
  async query<T>(text: string, params?: unknown[]): Promise<T[]> {
    this.check();
    return this.inner.query<T>(text, params);
  }
  async exec(text: string): Promise<void> {
    this.check();
    return this.inner.exec(text);
  }
  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    this.check();
    return this.inner.transaction(fn);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
