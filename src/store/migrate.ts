import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { projectPath } from '../paths';
import type { SqlClient } from './sql-client';

export interface Migration {
  version: string;
  sql: string;
  checksum: string;
}

/** Ordered SQL files `NNN_name.sql`; the product ships them beside the code (src/store/migrations). */
export function loadMigrations(dir = projectPath('src', 'store', 'migrations')): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const sql = readFileSync(`${dir}/${f}`, 'utf8');
      return { version: f.replace(/\.sql$/, ''), sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** arbitrary constant: the advisory-lock key all replicas agree on */
const MIGRATION_LOCK_KEY = 7_316_554_021;

/**
 * Applies pending migrations, once, in one transaction. On PostgreSQL a transaction-scoped advisory lock
 * makes replicas starting together take turns: the second one finds the work done.
 * @returns versions applied now
 */
export async function migrate(db: SqlClient, migrations = loadMigrations()): Promise<string[]> {
  return db.transaction(async (tx) => {
    if (db.dialect === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const rows = await tx.query<{ version: string; checksum: string }>('SELECT version, checksum FROM schema_migrations');
    const applied = new Map(rows.map((r) => [r.version, r.checksum]));
    const done: string[] = [];
    for (const m of migrations) {
      const seen = applied.get(m.version);
      if (seen !== undefined) {
        // an applied migration must never be edited: add a new file instead
        if (seen !== m.checksum) throw new Error(`migration ${m.version} was changed after it was applied`);
        continue;
      }
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)', [m.version, m.checksum]);
      done.push(m.version);
    }
    return done;
  });
}
