import path from 'node:path';
import { loadConfig, type Config } from '../../src/config';
import { PROJECT_ROOT } from '../../src/paths';

/**
 * Configuration for tests: demo profile, embedded in-memory store; override anything. Under Jest, logs go at
 * info level to one file per worker in test-output/logs/, which the suite's teardown scans for tokens,
 * patient ids and genotypes (test/support/log-scan-teardown.ts); elsewhere logs are silent.
 */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const worker = process.env.JEST_WORKER_ID;
  const logging: Partial<Config> = worker
    ? { logLevel: 'info', logFile: path.join(PROJECT_ROOT, 'test-output', 'logs', `worker-${worker}-${process.pid}.log`) }
    : {};
  return { ...loadConfig({ PBH_PROFILE: 'demo', LOG_LEVEL: 'silent', PBH_DATA_DIR: 'memory://' }), ...logging, ...overrides };
}
