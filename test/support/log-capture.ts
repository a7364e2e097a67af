/**
 * Log capture for the whole suite: `testConfig()` (under Jest) makes every app log at info level into
 * test-output/logs/worker-*.log. The global setup empties that folder; the global teardown scans it.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { findLeaks, type LeakFinding } from './sensitive-markers';

export const LOG_DIR = path.resolve(__dirname, '../../test-output/logs');

export function resetLogDir(): void {
  rmSync(LOG_DIR, { recursive: true, force: true });
  mkdirSync(LOG_DIR, { recursive: true });
}

export interface ScanResult {
  files: number;
  lines: number;
  leaks: Array<LeakFinding & { file: string }>;
}

export function scanLogDir(dir: string = LOG_DIR): ScanResult {
  const result: ScanResult = { files: 0, lines: 0, leaks: [] };
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.log'));
  } catch {
    return result;
  }
  for (const name of names) {
    const text = readFileSync(path.join(dir, name), 'utf8');
    result.files++;
    result.lines += text.split('\n').filter(Boolean).length;
    for (const leak of findLeaks(text)) result.leaks.push({ ...leak, file: name });
  }
  return result;
}
