#!/usr/bin/env node
'use strict';
/**
 * Without a Docker engine, checks that the Dockerfile's runtime stage holds everything the service reads
 * at run time: copies exactly what the runtime stage COPYs (context paths, and `--from=build /app/X` taken
 * from the local build) into a temporary /app, links node_modules, starts `node dist/src/server.js` with
 * the image's ENV in the production profile, and expects /healthz, /readyz and /cds-services to answer.
 *   npm run build && node docker/runtime-layout-check.js
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const lines = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8').split('\n');
const runtimeStart = lines.findIndex((l) => /^FROM\s.+\sAS\s+runtime/i.test(l));
if (runtimeStart < 0) throw new Error('Dockerfile has no runtime stage');

const app = fs.mkdtempSync(path.join(os.tmpdir(), 'pbh-layout-'));
const env = { PATH: process.env.PATH };
let continued = '';
for (const raw of lines.slice(runtimeStart + 1)) {
  const line = (continued + raw.trim()).replace(/\\$/, ' ');
  if (raw.trim().endsWith('\\')) {
    continued = line;
    continue;
  }
  continued = '';
  const envM = /^ENV\s+(.+)$/.exec(line);
  if (envM) for (const m of envM[1].matchAll(/(\w+)=(\S+)/g)) env[m[1]] = m[2];
  const copy = /^COPY\s+(.+)$/.exec(line);
  if (!copy) continue;
  const parts = copy[1].split(/\s+/);
  const from = parts[0].startsWith('--from=') ? parts.shift().slice(7) : undefined;
  const dest = parts.pop();
  for (const src of parts) {
    const rel = from ? src.replace(/^\/app\//, '') : src;
    const target = dest.endsWith('/') || parts.length > 1 ? path.join(app, dest, path.basename(rel)) : path.join(app, dest);
    if (from === 'deps' && rel === 'node_modules') {
      fs.symlinkSync(path.join(root, 'node_modules'), target); // dev deps too: checks layout, not the dependency split
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.cpSync(path.join(root, rel), target, { recursive: true });
  }
}
env.PBH_DATA_DIR = path.join(app, 'data');
fs.mkdirSync(env.PBH_DATA_DIR, { recursive: true });
Object.assign(env, {
  HOST: '127.0.0.1',
  PORT: String(20000 + Math.floor(Math.random() * 20000)),
  LOG_LEVEL: 'warn',
  PBH_PSEUDONYM_KEY: 'layout-check-pseudonym-key-0123456789',
  PBH_ALLOW_UNSIGNED: 'true', // production profile otherwise needs real issuers
});

const child = spawn(process.execPath, ['dist/src/server.js'], { cwd: app, env, stdio: ['ignore', 'ignore', 'pipe'] });
let stderr = '';
child.stderr.on('data', (d) => (stderr += d));

async function check() {
  const base = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + 15000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${stderr.trim()}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error('server did not answer /healthz within 15 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const p of ['/healthz', '/readyz', '/cds-services', '/openapi.yaml']) {
    const r = await fetch(`${base}${p}`);
    if (!r.ok) throw new Error(`${p} answered ${r.status}`);
  }
}

check()
  .then(() => {
    console.log(`docker/runtime-layout-check.js: runtime stage layout starts and answers (${app})`);
    return 0;
  })
  .catch((e) => {
    console.error(`docker/runtime-layout-check.js: ${e.message}`);
    return 1;
  })
  .then((code) => {
    const done = () => {
      fs.rmSync(app, { recursive: true, force: true });
      process.exit(code);
    };
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', done);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
