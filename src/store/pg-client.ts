import { Pool, type PoolClient } from 'pg';
import type { Queryable, SqlClient } from './sql-client';

export interface PgClientOptions {
  connectionString: string;
  /** PostgreSQL schema to work in (tests use one per run); default: the server's search_path */
  schema?: string;
  max?: number;
}

const wrap = (c: PoolClient): Queryable => ({
  query: async <T>(text: string, params: unknown[] = []) => (await c.query(text, params)).rows as T[],
  exec: async (text: string) => {
    await c.query(text);
  },
});

/** Server PostgreSQL through a node-postgres Pool, for several replicas sharing one database. */
export class PgClient implements SqlClient {
  readonly dialect = 'postgres' as const;
  private readonly pool: Pool;

  constructor(opts: PgClientOptions) {
    if (opts.schema && !/^[a-z_][a-z0-9_]*$/.test(opts.schema)) throw new Error('invalid schema name');
    this.pool = new Pool({
      connectionString: opts.connectionString,
      max: opts.max ?? 5,
      // fail fast: an audit write should not hang on a dead server, it should go back to the queue
      connectionTimeoutMillis: 2000,
      query_timeout: 10000,
      options: opts.schema ? `-c search_path=${opts.schema}` : undefined,
    });
    // an idle client losing its connection must not crash the process; the next query reports it
    this.pool.on('error', () => undefined);
  }

  async query<T>(text: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(text, params)).rows as T[];
  }

  async exec(text: string): Promise<void> {
    await this.pool.query(text);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await c.query('BEGIN');
      const out = await fn(wrap(c));
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw err;
    } finally {
      // a client whose ROLLBACK failed has a dead connection: destroy it instead of pooling it
      c.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
