/**
 * The little SQL surface both stores need. PGlite and node-postgres speak the same PostgreSQL dialect and
 * the same `$1` placeholders, so one set of statements and migrations serves both.
 */
export interface Queryable {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** several statements, no parameters (migrations) */
  exec(text: string): Promise<void>;
}

export interface SqlClient extends Queryable {
  readonly dialect: 'pglite' | 'postgres';
  /** a throw-away database (embedded "memory://"): nothing written to it outlives the process */
  readonly ephemeral?: boolean;
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
