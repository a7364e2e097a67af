/**
 * The service as deployed: `node dist/src/server.js` in a child process on loopback. `ensureBuilt()`
 * compiles dist/ when a source file is newer than it (once per run: test files wait on a lock directory).
 * Or `src/server.ts` run through tsx, for tests of the service's behaviour rather than of its build.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { projectPath } from '../../src/paths';
import { freePort } from './free-port';

const SERVER = projectPath('dist', 'src', 'server.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : e.name.endsWith('.ts') || e.name.endsWith('.json') ? statSync(p).mtimeMs : 0);
  }
  return newest;
}

const built = (): boolean => {
  try {
    return statSync(SERVER).mtimeMs >= newestSource(projectPath('src'));
  } catch {
    return false;
  }
};

export async function ensureBuilt(): Promise<void> {
  const lock = projectPath('test-output', 'build.lock');
  mkdirSync(projectPath('test-output'), { recursive: true });
  for (const until = Date.now() + 240_000; Date.now() < until; ) {
    if (built()) return;
    try {
      mkdirSync(lock);
    } catch {
      // another test file is building; a lock older than 3 minutes is left over from a killed run
      try {
        if (Date.now() - statSync(lock).mtimeMs > 180_000) rmdirSync(lock);
      } catch {
        /* gone meanwhile */
      }
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      if (!built()) execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', projectPath('tsconfig.build.json')], { stdio: 'inherit' });
    } finally {
      rmdirSync(lock);
    }
    return;
  }
  throw new Error('dist/ was not built in time');
}

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  /** exit code (null when killed by a signal) and signal */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
  /** resolves at the first line the service writes to stdout (never, when stdout is closed) */
  firstOutput: Promise<void>;
}

export interface StartOptions {
  env: Record<string, string>;
  /** close the child's stdout pipe from our side right after start (a log reader that went away) */
  closeStdout?: boolean;
  /** run src/server.ts through tsx instead of the built dist/ (no ensureBuilt() needed) */
  fromSource?: boolean;
}

export async function startServer(opts: StartOptions): Promise<ServerProcess> {
  const port = await freePort();
  const entry = opts.fromSource ? ['--require', 'tsx/cjs', projectPath('src', 'server.ts')] : [SERVER];
  const child = spawn(process.execPath, entry, {
    cwd: projectPath(),
    env: { ...process.env, PBH_PROFILE: 'demo', LOG_LEVEL: 'warn', DATABASE_URL: '', ...opts.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (opts.closeStdout) child.stdout!.destroy();
  const firstOutput = new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
  child.stdout?.on('data', () => undefined); // keep reading: a full pipe would block the service
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + String(d)).slice(-4000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, base: `http://127.0.0.1:${port}`, exited, stderr: () => stderr, firstOutput };
}

/** until `path` answers 200 (and `accept` says yes to its JSON), or the child exits, or the deadline */
export async function waitFor(
  server: ServerProcess,
  urlPath: string,
  deadlineMs: number,
  accept: (json: any) => boolean = () => true,
): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) throw new Error(`server exited early (${server.child.exitCode ?? server.child.signalCode})`);
    try {
      const r = await fetch(`${server.base}${urlPath}`);
      if (r.ok && accept(await r.json())) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${urlPath} not ready within ${deadlineMs} ms`);
}
