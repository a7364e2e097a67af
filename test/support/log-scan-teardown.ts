/**
 * Jest globalTeardown: fail the run if any line any test's app logged carries a test token, a test
 * patient id or a genotype. Findings name the file, line and kind; the log files stay for inspection.
 */
import { scanLogDir } from './log-capture';
import { teardownPostgresContainer } from './postgres-container';

export default async function globalTeardown(): Promise<void> {
  await teardownPostgresContainer();
  const { files, lines, leaks } = scanLogDir();
  if (leaks.length === 0) {
    process.stdout.write(`\nlog scan: ${lines} lines in ${files} files, no token / patient id / genotype\n`);
    return;
  }
  const shown = leaks.slice(0, 20).map((l) => `  test-output/logs/${l.file}:${l.line} ${l.kind} ${JSON.stringify(l.marker)}`);
  throw new Error(`log scan: ${leaks.length} sensitive marker(s) in test logs:\n${shown.join('\n')}`);
}
