/** The process entry (src/server.ts) as a real child process: config errors, start-up line, shutdown. */
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

function run(env: Record<string, string>, untilStdout?: RegExp) {
  const child = spawn(TSX, ['src/server.ts'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const seen = untilStdout
    ? new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timeout; stdout=${stdout} stderr=${stderr}`)), 50_000);
        child.stdout.on('data', () => {
          if (untilStdout.test(stdout)) {
            clearTimeout(t);
            resolve();
          }
        });
      })
    : Promise.resolve();
  return { child, exited, seen, out: () => stdout, err: () => stderr };
}

test('invalid configuration: every problem printed plainly, exit code 1', async () => {
  const p = run({ PBH_PROFILE: 'production', PORT: 'abc' });
  expect(await p.exited).toBe(1);
  expect(p.err()).toContain('Invalid configuration');
  expect(p.err()).toContain('PORT must be an integer');
  expect(p.err()).toContain('PBH_PSEUDONYM_KEY is required');
  expect(p.err()).not.toMatch(/at .*\.ts:\d+/); // no stack trace
}, 20_000);

test('starts (demo), logs profile/port/knowledge version without secrets, drains and exits on SIGTERM', async () => {
  const p = run({ PBH_PROFILE: 'demo', PORT: '0', HOST: '127.0.0.1', PBH_DATA_DIR: 'memory://', PBH_PSEUDONYM_KEY: 'a-very-secret-pseudonym-key-123' }, /precision-benefit-hooks listening/);
  await p.seen;
  const line = JSON.parse(p.out().split('\n').find((l) => l.includes('precision-benefit-hooks listening'))!);
  expect(line.profile).toBe('demo');
  expect(line.port).toBeGreaterThan(0);
  expect(typeof line.knowledgeVersion).toBe('string');
  expect(p.out()).toContain('PBH_ALLOW_UNSIGNED is on');
  expect(p.out()).not.toContain('a-very-secret-pseudonym-key-123');
  expect(p.out()).not.toContain('demo-admin-token');
  p.child.kill('SIGTERM');
  expect(await p.exited).toBe(0);
  expect(p.out()).toContain('shutting down');
}, 70_000);

test('an invalid formulary stops start-up with an error naming the file and resource (no half formularies)', async () => {
  const p = run({ PBH_PROFILE: 'demo', PORT: '0', HOST: '127.0.0.1', PBH_DATA_DIR: 'memory://', PBH_PLAN_DIR: 'test/benefit/fixtures/broken-formulary' });
  expect(await p.exited).toBe(1);
  expect(p.err()).toContain('start-up failed');
  expect(p.err()).toMatch(/test-plan\.bundle\.json: [A-Za-z]+\/[\w.-]+/);
  expect(p.out()).not.toContain('listening');
}, 30_000);
