import { PGlite } from '@electric-sql/pglite';
import type { Queryable, SqlClient } from './sql-client';

/**
 * Embedded PostgreSQL (PGlite: Postgres compiled to WASM, in process). One connection, which PGlite
 * serialises internally; `dataDir` is a directory, or "memory://" for a throw-away database.
 */
export class PgliteClient implements SqlClient {
  readonly dialect = 'pglite' as const;
  private readonly db: PGlite;

  constructor(dataDir: string) {
    this.db = new PGlite(dataDir);
  }

  async query<T>(text: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query<T>(text, params)).rows;
  }

  async exec(text: string): Promise<void> {
    await this.db.exec(text);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) =>
      fn({
        query: async <R>(text: string, params: unknown[] = []) => (await tx.query<R>(text, params)).rows,
        exec: async (text: string) => {
          await tx.exec(text);
        },
      }),
    );
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}
