/**
 * Process entry: configuration → app → listen, with graceful shutdown (drain in-flight requests, then
 * close the store). Configuration problems are printed plainly and exit with code 1.
 */
import v8 from 'node:v8';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { loadKnowledge } from './knowledge/load';
import { createLogger } from './logging';
import { createStore } from './store/create-store';
import type { Store } from './store/types';

/**
 * V8 lets the old generation grow to ~4x the live heap between full GCs. The request path's live heap is
 * ~35 MB, so under load the main heap sat at 150–200 MB of mostly garbage; 1.5x keeps it near 90 MB with
 * the same throughput, for ~4 % more CPU in V8's GC helper threads (measured on Node 20, docs/store.md).
 * Set here, not on the command line, so `npm start`, the container and the benchmark all run the same
 * process; the growth factor is read at every full GC, so setting it at start-up takes effect.
 */
export function tuneHeapGrowth(): void {
  try {
    v8.setFlagsFromString('--heap-growing-percent=50');
  } catch {
    /* a Node without the flag keeps V8's default: more memory, same behaviour */
  }
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  tuneHeapGrowth();
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger(config);
  const knowledge = loadKnowledge(config);
  // PostgreSQL when DATABASE_URL is set, else the embedded store in config.dataDir
  const store: Store = createStore(config, logger);
  await store.init();
  const app = await buildApp(config, { logger, knowledge, store });

  // 25 s: room to drain in-flight calls and flush the audit queue (even while the embedded store is still
  // initialising) inside Kubernetes' default 30 s termination grace period
  closeWithGrace({ delay: 25_000 }, async ({ signal, err }) => {
    if (err) logger.error({ errType: err.name, stack: err.stack }, 'fatal error, shutting down');
    else logger.info({ signal }, 'shutting down');
    await app.close(); // stops accepting, waits for in-flight requests
    await store.close(); // flushes queued audit records
  });

  await app.listen({ port: config.port, host: config.host });
  const bound = app.server.address();
  logger.info(
    { profile: config.profile, port: typeof bound === 'object' && bound ? bound.port : config.port, knowledgeVersion: knowledge.pgx.version, allowUnsigned: config.allowUnsigned },
    'precision-benefit-hooks listening',
  );
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`start-up failed: ${(e as Error)?.message ?? String(e)}\n`);
    process.exit(1);
  });
}
