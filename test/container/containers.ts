/**
 * testcontainers for this machine's Docker: host network (dockerd runs without a bridge; each container
 * gets its own free loopback port through PORT/PGPORT), nothing pulled (the images are built first by
 * docker/local/test-container.sh).
 */
import { GenericContainer, type StartedTestContainer } from 'testcontainers';
import { configureTestcontainers, docker, inspect, logs } from '../support/docker';

configureTestcontainers();

/** the project's image under test */
export const IMAGE = process.env.PBH_TEST_IMAGE ?? 'precision-benefit-hooks:test';

export class HostContainer extends GenericContainer {
  constructor(image: string) {
    super(image);
    this.withNetworkMode('host');
  }

  /** the root filesystem mounted read-only, as compose (read_only) and Kubernetes run the service */
  withReadOnlyRootFilesystem(): this {
    this.hostConfig.ReadonlyRootfs = true;
    return this;
  }
}

/**
 * The image's own HEALTHCHECK command, polled every 0.5 s instead of the image's 15 s interval so a test
 * need not wait a full interval for the first probe.
 */
export function imageHealthCheck(image: string): { test: ['CMD', ...string[]]; interval: number; timeout: number; retries: number } {
  const test = inspect(image).Config.Healthcheck?.Test as string[] | undefined;
  if (!test || test[0] !== 'CMD') throw new Error(`${image} declares no exec-form HEALTHCHECK`);
  return { test: test as ['CMD', ...string[]], interval: 500, timeout: 3000, retries: 60 };
}

/** docker's view of a running or stopped container */
export const state = (c: StartedTestContainer): { Status: string; ExitCode: number; Health?: { Status: string } } =>
  inspect(c.getId()).State;

/** Resolves once the container has exited (docker wait), with its exit code. */
export async function exited(id: string, withinMs: number): Promise<number> {
  const until = Date.now() + withinMs;
  for (;;) {
    const s = inspect(id).State;
    if (s.Status === 'exited') return s.ExitCode as number;
    if (Date.now() > until) throw new Error(`container still ${s.Status} after ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** the grace period docker stop gives before SIGKILL (exit 137): Kubernetes' terminationGracePeriodSeconds */
export const GRACE_MS = 25_000;

/**
 * `docker stop`: SIGTERM, then SIGKILL after the grace period. Returns how the process ended and its
 * output; the container is removed afterwards.
 */
export async function sigterm(c: StartedTestContainer): Promise<{ exitCode: number; elapsedMs: number; output: string }> {
  const id = c.getId();
  try {
    const t0 = Date.now();
    await c.stop({ timeout: GRACE_MS, remove: false });
    const elapsedMs = Date.now() - t0;
    return { exitCode: await exited(id, 1000), elapsedMs, output: logs(id) };
  } finally {
    docker('rm', '-f', id);
  }
}
