/**
 * A PostgreSQL container for the store tests, when Docker is available and has the locally made image
 * (docker/local/base-images.sh); otherwise the tests keep DATABASE_URL (or skip PostgreSQL without it).
 * PBH_TEST_POSTGRES=url forces DATABASE_URL even with Docker present.
 */
import type { StartedTestContainer } from 'testcontainers';
import { configureTestcontainers, dockerHasImage, POSTGRES_IMAGE } from './docker';
import { freePort } from './free-port';

export async function startPostgres(env: Record<string, string> = {}): Promise<{ container: StartedTestContainer; port: number }> {
  configureTestcontainers();
  const { GenericContainer, Wait } = await import('testcontainers');
  const port = await freePort();
  const container = await new GenericContainer(POSTGRES_IMAGE)
    .withNetworkMode('host')
    .withEnvironment({ PGPORT: String(port), PGLISTEN: '127.0.0.1', ...env })
    .withWaitStrategy(Wait.forHealthCheck())
    .withStartupTimeout(60_000)
    .start();
  return { container, port };
}

// globalSetup and globalTeardown share the main process, not necessarily a module instance
const holder = globalThis as { pbhPostgresContainer?: StartedTestContainer };

/** globalSetup: start one container for the run and point DATABASE_URL at it (workers inherit the env). */
export async function setupPostgresContainer(): Promise<void> {
  if (process.env.PBH_TEST_POSTGRES === 'url' || !dockerHasImage(POSTGRES_IMAGE)) return;
  const { container, port } = await startPostgres({ POSTGRES_DB: 'pbh_test' });
  holder.pbhPostgresContainer = container;
  process.env.DATABASE_URL = `postgres://postgres@127.0.0.1:${port}/pbh_test`;
  process.stderr.write(`\nPostgreSQL store tests: container ${POSTGRES_IMAGE} on 127.0.0.1:${port}\n`);
}

export async function teardownPostgresContainer(): Promise<void> {
  await holder.pbhPostgresContainer?.stop();
  holder.pbhPostgresContainer = undefined;
}
