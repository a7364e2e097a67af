/**
 * Docker helpers shared by the container tests and the PostgreSQL-container set-up of the main suite.
 * Every container shares the host network (this machine's dockerd runs without a bridge; see
 * docker/local/ensure-docker.sh), so each gets a free loopback port of its own instead of a mapping.
 */
import { spawnSync } from 'node:child_process';

/** `docker <args>` → stdout; throws with stderr on failure. */
export function docker(...args: string[]): string {
  const r = spawnSync('docker', args, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')}: ${r.error?.message ?? r.stderr.trim()}`);
  return r.stdout;
}

/** a container's output so far, stdout and stderr together */
export function logs(id: string): string {
  const r = spawnSync('docker', ['logs', id], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`docker logs ${id}: ${r.stderr.trim()}`);
  return r.stdout + r.stderr;
}

/** `docker inspect` of a container or image, parsed. */
export function inspect(ref: string): any {
  return JSON.parse(docker('inspect', ref))[0];
}

/** true when a Docker engine answers and has `image` (nothing is pulled or built here). */
export function dockerHasImage(image: string): boolean {
  const r = spawnSync('docker', ['image', 'inspect', image], { stdio: 'ignore', timeout: 10_000 });
  return r.status === 0;
}

/** The PostgreSQL image docker/local/base-images.sh makes (Debian's postgresql-15, public postgres contract). */
export const POSTGRES_IMAGE = process.env.PBH_TEST_POSTGRES_IMAGE ?? 'pbh-local/postgres:15-bookworm';

/** testcontainers settings for this machine: no Ryuk reaper (its image cannot be pulled), host = localhost. */
export function configureTestcontainers(): void {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';
}
