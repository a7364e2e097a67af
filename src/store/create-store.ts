import type { FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { metrics as processMetrics } from '../metrics/registry';
import { PgClient } from './pg-client';
import { PgliteClient } from './pglite-client';
import { SqlStore, type SqlStoreOptions } from './sql-store';
import type { AdminStore } from './types';

export interface CreateStoreOptions extends Omit<SqlStoreOptions, 'log' | 'retentionDays'> {
  /** PostgreSQL only: work in this schema (tests use one per run) */
  schema?: string;
}

/**
 * PostgreSQL when DATABASE_URL is set (several replicas, one database), otherwise the embedded PGlite
 * store in `config.dataDir` ("memory://" for a throw-away one). Call `init()` before use.
 *
 * The embedded store starts in the background (initdb on a new directory takes seconds): `init()` returns
 * at once, hooks are answered and their audit records queued until it is ready (`ready()`). PostgreSQL
 * keeps a blocking `init()`: a replica that cannot reach its database should fail start-up visibly.
 */
export function createStore(
  config: Config,
  log?: FastifyBaseLogger | Logger,
  options: CreateStoreOptions = {},
): AdminStore {
  const { schema, ...rest } = options;
  const client = config.databaseUrl
    ? new PgClient({ connectionString: config.databaseUrl, schema })
    : new PgliteClient(config.dataDir);
  return new SqlStore(client, {
    metrics: processMetrics,
    background: !config.databaseUrl,
    ...rest,
    log,
    retentionDays: config.auditRetentionDays,
    journalDir: rest.journalDir ?? config.auditJournalDir,
  });
}
