import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

test('package-lock.json is complete for every platform, fits the declared Node engine, names no registry', () => {
  const r = spawnSync(process.execPath, ['scripts/check-lockfile.js'], { cwd: root, encoding: 'utf8' });
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
});
