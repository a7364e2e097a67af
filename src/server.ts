/**
 * Process entry: configuration → app → listen, with graceful shutdown (drain in-flight requests, then
 * close the store). Configuration problems are printed plainly and exit with code 1.
 */
// first: hold a stop signal that arrives while the rest loads (see early-signals.ts)
import { takeEarlySignal } from './early-signals';
import v8 from 'node:v8';
import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { loadKnowledge } from './loaders';
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

/** the graceful-shutdown budget; Kubernetes' default termination grace period is 30 s */
export const SHUTDOWN_GRACE_MS = 25_000;

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

  // The shutdown handler is in place before anything is started, so a stop signal at any moment of
  // start-up ends the process in order: start-up stops at its next step, then whatever was started is
  // closed (in-flight calls drained, then the store: queued audit records written or kept in the journal).
  let stopping = false;
  let app: FastifyInstance | undefined;
  let store: Store | undefined;
  let startUp: Promise<unknown> = Promise.resolve();
  const closer = closeWithGrace({ delay: SHUTDOWN_GRACE_MS, logger: { error: (m: unknown) => logger.error({ detail: String(m) }, 'shutdown') } }, async ({ signal, err }) => {
    stopping = true;
    if (err) logger.error({ errType: err.name, stack: err.stack }, 'fatal error, shutting down');
    else logger.info({ signal }, 'shutting down');
    await startUp.catch(() => undefined);
    if (app) await app.close(); // stops accepting, waits for in-flight requests
    if (store) await store.close(); // writes queued audit records (or leaves them in the journal)
  });
  const early = takeEarlySignal();
  if (early) {
    logger.info({ signal: early }, 'stop signal during start-up');
    void closer.close();
    return;
  }

  startUp = (async () => {
    const knowledge = loadKnowledge(config);
    if (stopping) return;
    // PostgreSQL when DATABASE_URL is set, else the embedded store in config.dataDir
    // a store still starting without a journal is waited for at most this long at shutdown, inside the grace
    store = createStore(config, logger, { closeWaitMs: SHUTDOWN_GRACE_MS - 5_000 });
    await store.init();
    if (stopping) return;
    app = await buildApp(config, { logger, knowledge, store });
    if (stopping) return;
    await app.listen({ port: config.port, host: config.host });
    const bound = app.server.address();
    logger.info(
      { profile: config.profile, port: typeof bound === 'object' && bound ? bound.port : config.port, knowledgeVersion: knowledge.pgx.version, allowUnsigned: config.allowUnsigned },
      'precision-benefit-hooks listening',
    );
  })();
  try {
    await startUp;
  } catch (e) {
    if (stopping) return; // the shutdown handler reports and exits
    throw e;
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`start-up failed: ${(e as Error)?.message ?? String(e)}\n`);
    process.exit(1);
  });
}
