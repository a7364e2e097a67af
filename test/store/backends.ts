/**
 * The stores under test: embedded PGlite always, PostgreSQL when DATABASE_URL is set. Each PostgreSQL
 * store works in its own schema so parallel test files never see each other's rows. Real databases only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { PgClient } from '../../src/store/pg-client';
import { PgliteClient } from '../../src/store/pglite-client';
import type { Queryable, SqlClient } from '../../src/store/sql-client';

export interface Backend {
  name: 'pglite' | 'postgres';
  /** a fresh, empty database; `open` may be called again to reach the same data after a close */
  create(): Promise<{ open: () => SqlClient; dispose: () => Promise<void> }>;
}

const pglite: Backend = {
  name: 'pglite',
  async create() {
    const dir = mkdtempSync(path.join(tmpdir(), 'pbh-store-'));
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
