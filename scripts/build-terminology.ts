/**
 * Regenerate every table under terminology/ (one documented command: `npm run terminology`).
 * Gene tables come from CPIC's diplotype tables (../shared/data, or PBH_CPIC_SOURCE_DIR); drug,
 * recommendation and inhibitor tables, the dose algorithms and the oncology companion-diagnostic table from the
 * curated sources in terminology/sources/.
 * `--check` regenerates nothing and fails when a committed table is out of date.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const check = process.argv.includes('--check');
const run = (script: string, args: string[] = []) =>
  execFileSync(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, 'terminology', script), ...args], {
    stdio: 'inherit',
  });

if (check) {
  run('build-drugs.ts', ['--check']);
  run('build-dosing.ts', ['--check']);
  run('build-guidance.ts', ['--check']);
  run('build-oncology.ts', ['--check']);
  console.log('gene tables: checked by test/terminology/genes.test.ts (byte-for-byte regeneration)');
} else {
  run('build-genes.ts');
  run('build-drugs.ts');
  run('build-dosing.ts');
  run('build-guidance.ts');
  run('build-oncology.ts');
}
