#!/usr/bin/env node
'use strict';
/**
 * Benchmark harness: `npm run bench` (full, < 3 min) or `npm run bench -- --smoke` (a few seconds, for CI).
 *
 * One run starts three child processes on loopback — the service (production build, demo profile,
 * embedded store in a temporary directory), a bare-Fastify baseline that only parses and validates the
 * same request, and a local FHIR server with a fixed per-request latency — then drives them with
 * autocannon (closed loop: throughput at saturation, overload) and bench/paced.js (open loop, evenly
 * spaced: latency at a given offered rate) and writes bench/results/latest.json plus a markdown table.
 *
 * Smoke mode has no thresholds: it exits non-zero only when the harness itself is broken (a child did
 * not start, or a workload got no successful answer at all), so the bench cannot silently rot.
 *
 * Options: --smoke, --out=<file>, --entry=<service entry js> (default dist/src/server.js),
 *          --duration=<s> per workload (full run default 8),
 *          --database-url=postgres://… (PostgreSQL store instead of the embedded one; results name it).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const { parseArgs } = require('node:util');
const autocannon = require('autocannon');
const { paced } = require('./paced.js');
const { buildResources, hookRequest, plan } = require('./fixtures/build.js');

const ROOT = path.resolve(__dirname, '..');
const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    out: { type: 'string' },
    entry: { type: 'string', default: 'dist/src/server.js' },
    duration: { type: 'string' },
    'database-url': { type: 'string' },
  },
});
const SMOKE = args.smoke;
const DURATION = Number(args.duration || (SMOKE ? 1 : 8));
const WARMUP = SMOKE ? 0.5 : 2;
const CONNECTIONS = 10;
const FHIR_LATENCY_MS = 5;
const FHIR_TOKEN = 'bench-fhir-token-not-a-secret';
const ENTRY = path.resolve(ROOT, args.entry);
const OUT = path.resolve(args.out || (SMOKE ? path.join(os.tmpdir(), 'pbh-bench-smoke.json') : path.join(__dirname, 'results', 'latest.json')));
const DATABASE_URL = args['database-url'];
const SIGN_ID = 'pgx-benefit-order-sign';
const SELECT_ID = 'pgx-benefit-order-select';

const children = [];
const serviceLog = { lines: {}, firstError: undefined };
const tmpDirs = [];

function log(msg) {
  process.stderr.write(`[bench] ${msg}\n`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Spawns a helper that prints `{"port": N}` on its first stdout line. */
function spawnHelper(script, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, script)], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 10 s`)), 10000);
    child.stdout.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        try {
          resolve({ child, port: JSON.parse(buf.slice(0, nl)).port });
        } catch (e) {
          reject(e);
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}`));
    });
  });
}

/** Resident set size of a process in MB, from /proc (Linux); undefined elsewhere. */
function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : undefined;
  } catch {
    return undefined;
  }
}

/** The store's audit backlog as /readyz reports it: audit is written after the response, so a growing
 *  queue under load means memory growth and CPU contention (the embedded store runs in a worker thread). */
async function auditQueueDepth(base) {
  try {
    const j = await (await fetch(`${base}/readyz`)).json();
    return j.store ? j.store.queueDepth : undefined;
  } catch {
    return undefined;
  }
}

/** Where the service's RSS goes, from its /metrics (prom-client's process metrics): the main thread's V8
 *  heap (committed and used) — the request path's objects and garbage — and the rest of RSS outside it:
 *  the node binary and compiled code, malloc, and the embedded store's worker heap and WASM heap. */
async function memoryBreakdown(base, rss) {
  try {
    const text = await (await fetch(`${base}/metrics`)).text();
    const mb = (name) => {
      const m = new RegExp(`^${name} (\\S+)`, 'm').exec(text);
      return m ? round(Number(m[1]) / 1048576) : undefined;
    };
    const heap = mb('nodejs_heap_size_total_bytes');
    return { rss, mainHeapMb: heap, mainHeapUsedMb: mb('nodejs_heap_size_used_bytes'), outsideMainHeapMb: rss !== undefined && heap !== undefined ? round(rss - heap) : undefined };
  } catch {
    return undefined;
  }
}

async function startService() {
  if (!fs.existsSync(ENTRY)) throw new Error(`service entry ${path.relative(ROOT, ENTRY)} not found: run \`npm run build\` first`);
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbh-bench-'));
  tmpDirs.push(dataDir);
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    PBH_PROFILE: 'demo', // unsigned calls allowed, loopback FHIR servers allowed (see src/config.ts)
    PBH_DATA_DIR: dataDir,
    PBH_PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    // The benchmark measures capacity, not the per-client rate limit (default 1000/min would 429 at once).
    PBH_RATE_LIMIT_MAX: '1000000',
  };
  // Embedded store by default (as the issue asks); --database-url=postgres://... measures the production
  // store instead (the configuration docker/k8s deploys). Never taken from the ambient environment.
  if (DATABASE_URL) env.DATABASE_URL = DATABASE_URL;
  else delete env.DATABASE_URL;
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, [ENTRY], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  // The service logs JSON lines to stdout (demo mode warns on every unsigned call): count them by level
  // instead of flooding the terminal; keep the first error message for diagnosis.
  let pending = '';
  child.stdout.on('data', (d) => {
    pending += d;
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      let level = 'other';
      try {
        const j = JSON.parse(line);
        level = String(j.level);
        if (j.level >= 50 && !serviceLog.firstError) serviceLog.firstError = j.msg;
      } catch {
        /* not JSON */
      }
      serviceLog.lines[level] = (serviceLog.lines[level] || 0) + 1;
    }
  });
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const base = `http://127.0.0.1:${port}`;
  // Cold start = spawn → first answered discovery request. Poll tightly so the poll interval barely counts.
  const deadline = Date.now() + 20000;
  for (;;) {
    if (exited) throw new Error(`service exited during start-up (${JSON.stringify(exited)})`);
    if (Date.now() > deadline) throw new Error('service did not answer GET /cds-services within 20 s');
    try {
      const r = await fetch(`${base}/cds-services`);
      if (r.ok) {
        await r.arrayBuffer();
        break;
      }
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const coldStartMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return { child, port, base, coldStartMs: Math.round(coldStartMs) };
}

/** One request, to check a workload is meaningful before hammering it. */
async function probe(url, body) {
  const r = await fetch(url, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {});
  const text = await r.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const cards = json && Array.isArray(json.cards) ? json.cards : undefined;
  return {
    status: r.status,
    cards: cards ? cards.length : undefined,
    // indicators and sources only: no card text, so no patient data ends up in results files
    indicators: cards ? cards.map((c) => c.indicator) : undefined,
    sources: cards ? [...new Set(cards.map((c) => c.source && c.source.label).filter(Boolean))] : undefined,
    systemActions: json && Array.isArray(json.systemActions) ? json.systemActions.length : undefined,
    services: json && Array.isArray(json.services) ? json.services.length : undefined,
    errorCode: json && !cards && json.code ? json.code : undefined,
  };
}

function cannon(opts) {
  return new Promise((resolve, reject) => {
    const inst = autocannon(
      {
        connections: CONNECTIONS,
        duration: DURATION,
        timeout: 10,
        ...opts,
        headers: opts.body ? { 'content-type': 'application/json', ...(opts.headers || {}) } : opts.headers,
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    autocannon.track(inst, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false, outputStream: new (require('node:stream').PassThrough)() });
  });
}

const round = (n, d = 1) => (n === undefined || n === null || Number.isNaN(n) ? null : Math.round(n * 10 ** d) / 10 ** d);

function summarise(name, res, extra = {}) {
  const ok = res['2xx'] || 0;
  return {
    workload: name,
    reqPerSec: round(res.requests.average),
    ok2xx: ok,
    total: res.requests.total,
    latencyMs: { p50: res.latency.p50, p90: res.latency.p90, p99: res.latency.p99, max: res.latency.max, mean: round(res.latency.average, 2) },
    errors: res.errors,
    timeouts: res.timeouts,
    non2xx: res.non2xx,
    statusCodes: Object.fromEntries(Object.entries(res.statusCodeStats || {}).map(([k, v]) => [k, v.count])),
    durationS: res.duration,
    connections: res.connections,
    ...extra,
  };
}

async function run(name, opts, extra, beforeMeasure) {
  if (WARMUP > 0 && !opts.overallRate && !opts.pacedRate) await cannon({ ...opts, duration: WARMUP });
  if (beforeMeasure) await beforeMeasure();
  log(`${name} …`);
  // offered-load runs (a fixed rate below capacity) use the paced open-loop driver: see bench/paced.js
  if (opts.pacedRate) {
    const { pacedRate, ...rest } = opts;
    // warm up at the same paced rate (not flat out), so the measurement starts from that rate's steady state
    if (WARMUP > 0) await paced({ ...rest, rate: pacedRate, duration: WARMUP });
    return { workload: name, ...(await paced({ ...rest, rate: pacedRate, duration: rest.duration || DURATION })), ...extra };
  }
  return summarise(name, await cannon(opts), extra);
}

async function main() {
  const started = new Date();
  const cpus = os.cpus();
  const meta = {
    date: started.toISOString(),
    mode: SMOKE ? 'smoke' : 'full',
    node: process.version,
    cpuModel: cpus[0] ? cpus[0].model.trim() : 'unknown',
    cores: cpus.length,
    loadavgAtStart: os.loadavg().map((l) => round(l, 2)),
    platform: `${os.platform()} ${os.release()}`,
    durationPerWorkloadS: DURATION,
    connections: CONNECTIONS,
    fhirLatencyMs: FHIR_LATENCY_MS,
    coverage: { planValue: plan.planValue, note: 'bench/fixtures/plan.json' },
    store: DATABASE_URL ? 'postgresql' : 'embedded (PGlite, temporary directory)',
  };
  log(`mode=${meta.mode} node=${meta.node} cpu="${meta.cpuModel}" x${meta.cores}`);

  const baseline = await spawnHelper('baseline-server.js');
  const fhir = await spawnHelper('fhir-server.js', { BENCH_FHIR_LATENCY_MS: String(FHIR_LATENCY_MS), BENCH_FHIR_TOKEN: FHIR_TOKEN });
  const fhirBase = `http://127.0.0.1:${fhir.port}`;
  const svc = await startService();
  log(`service up in ${svc.coldStartMs} ms (port ${svc.port}); baseline port ${baseline.port}; FHIR port ${fhir.port}`);

  const res = buildResources();
  const signBody = JSON.stringify(hookRequest(res, 'order-sign'));
  const selectBody = JSON.stringify(hookRequest(res, 'order-select'));
  const noPrefetch = hookRequest(res, 'order-sign', { fhir: { url: fhirBase, token: FHIR_TOKEN } });
  const noPrefetchBody = JSON.stringify(noPrefetch);

  const rss = { afterStart: rssMb(svc.child.pid) };
  const memory = { afterStart: await memoryBreakdown(svc.base, rss.afterStart) };
  const probes = {
    discovery: await probe(`${svc.base}/cds-services`),
    orderSign: await probe(`${svc.base}/cds-services/${SIGN_ID}`, JSON.parse(signBody)),
    orderSelect: await probe(`${svc.base}/cds-services/${SELECT_ID}`, JSON.parse(selectBody)),
  };
  await fetch(`${fhirBase}/__reset`);
  probes.orderSignNoPrefetch = await probe(`${svc.base}/cds-services/${SIGN_ID}`, noPrefetch);
  probes.orderSignNoPrefetch.fhirRequests = await (await fetch(`${fhirBase}/__stats`)).json();
  probes.baseline = await probe(`http://127.0.0.1:${baseline.port}/cds-services/${SIGN_ID}`, JSON.parse(signBody));
  for (const [k, p] of Object.entries(probes)) log(`probe ${k}: ${JSON.stringify(p)}`);
  // A poor CYP2C19/CYP2D6 metabolizer ordering clopidogrel and codeine must get cards (PGx engine) and
  // coverage-information system actions (benefit engine). Without them the numbers measure an empty path.
  const os1 = probes.orderSign;
  const representative = os1.status === 200 && os1.cards > 0 && os1.systemActions > 0;
  if (!representative) log('WARNING: order-sign returned no cards or no systemActions: results do not exercise both engines');

  const results = [];
  const post = (url, body, extra = {}) => ({ url, method: 'POST', body, ...extra });
  const signUrl = `${svc.base}/cds-services/${SIGN_ID}`;
  const measure = async (name, opts, extra, beforeMeasure) => {
    const r = await run(name, opts, extra, beforeMeasure);
    r.serviceRssMbAfter = rssMb(svc.child.pid);
    r.auditQueueDepthAfter = await auditQueueDepth(svc.base);
    r.memoryMbAfter = await memoryBreakdown(svc.base, r.serviceRssMbAfter);
    results.push(r);
    return r;
  };

  const base = await run('baseline (parse + validate)', post(`http://127.0.0.1:${baseline.port}/cds-services/${SIGN_ID}`, signBody));
  results.push(base);
  const w1 = await measure('1. order-sign, full prefetch', post(signUrl, signBody));
  rss.afterWorkload1 = w1.serviceRssMbAfter;
  await measure('2. order-select, full prefetch', post(`${svc.base}/cds-services/${SELECT_ID}`, selectBody));

  const w3 = await measure('3. order-sign, no prefetch (FHIR +5 ms)', post(signUrl, noPrefetchBody), {}, () => fetch(`${fhirBase}/__reset`));
  const fstats = await (await fetch(`${fhirBase}/__stats`)).json();
  w3.fhir = fstats;
  // Hook calls still in flight when autocannon stops may add a few FHIR requests: a slight upper bound.
  w3.fhirRequestsPerHookCall = probes.orderSignNoPrefetch.fhirRequests.requests;
  w3.fhirRequestsPerHookCallAverage = round(fstats.requests / Math.max(1, w3.total), 2);
  // The latency target for workload 3 concerns the FHIR round trips, not queueing at saturation:
  // measure it again at half of its own maximum throughput.
  const w3half = Math.max(1, Math.round((w3.reqPerSec || 2) / 2));
  const w3h = await measure(`3 @ ½ max (${w3half} req/s, paced)`, post(signUrl, noPrefetchBody, { pacedRate: w3half }), { offeredRate: w3half });
  const w3one = await measure('3, one connection (latency floor)', post(signUrl, noPrefetchBody, { connections: 1 }));
  await measure('4. discovery', { url: `${svc.base}/cds-services`, method: 'GET' });

  // Offered-load runs at a fixed overall rate; for 2× enough connections that the rate is really offered.
  const maxRate = Math.max(1, Math.round(w1.reqPerSec || 1));
  const half = Math.max(1, Math.round(maxRate / 2));
  const dbl = Math.max(2, maxRate * 2);
  const halfRun = await measure(`1 @ ½ max (${half} req/s, paced)`, post(signUrl, signBody, { pacedRate: half }), { offeredRate: half });
  // Workload 1 once more, before the overload run inflates the heap: throughput should hold and RSS should
  // have levelled off (no leak) at the same concurrency.
  const w1again = await measure('1 again (memory check)', post(signUrl, signBody));
  rss.afterRepeat = w1again.serviceRssMbAfter;
  // Last: twice the capacity, with 50 connections so the rate is really offered. Closed-loop clients bound
  // the queue (at most 50 in flight), so latency ≈ 50 / throughput if the service queues predictably.
  const over = await measure(`1 @ 2× max (${dbl} req/s offered)`, post(signUrl, signBody, { overallRate: dbl, connections: 50 }), { offeredRate: dbl });
  rss.end = over.serviceRssMbAfter;
  // Little's law: with N requests always in flight, mean latency = N / throughput (nothing dropped); the
  // rate-limited client keeps at most N in flight, so this is an upper bound for a purely queueing server.
  over.littlesLawMeanMs = round((over.connections / Math.max(1, over.reqPerSec)) * 1000);

  for (const r of results) {
    r.ratioVsBaseline = r.offeredRate || r.connections === 1 || r.workload.startsWith('4.') ? null : round((r.reqPerSec || 0) / (base.reqPerSec || 1), 3);
  }
  const rssValues = Object.values(rss).filter((v) => v !== undefined);
  const targets = {
    'workload 1 ≥ 50% of baseline req/s': { value: w1.ratioVsBaseline, pass: w1.ratioVsBaseline >= 0.5 },
    'p99 ≤ 20 ms at ½ max throughput': { value: halfRun.latencyMs.p99, pass: halfRun.latencyMs.p99 <= 20 },
    'workload 3 p99 ≤ 25 ms (2×5 ms + 15 ms), at ½ its max': { value: w3h.latencyMs.p99, pass: w3h.latencyMs.p99 <= 25 },
    'workload 3 p99 ≤ 25 ms, one connection': { value: w3one.latencyMs.p99, pass: w3one.latencyMs.p99 <= 25 },
    'workload 3 p99 ≤ 25 ms at saturation (10 connections)': { value: w3.latencyMs.p99, pass: w3.latencyMs.p99 <= 25 },
    'cold start ≤ 1000 ms': { value: svc.coldStartMs, pass: svc.coldStartMs <= 1000 },
    'RSS ≤ 200 MB (max sampled)': { value: Math.max(...rssValues), pass: Math.max(...rssValues) <= 200 },
    'no memory growth (RSS after repeat of workload 1 ≤ 110% of after workload 1)': {
      value: { afterWorkload1: rss.afterWorkload1, afterRepeat: rss.afterRepeat },
      pass: rss.afterRepeat !== undefined && rss.afterWorkload1 !== undefined && rss.afterRepeat <= rss.afterWorkload1 * 1.1,
    },
  };

  memory.afterWorkload1 = w1.memoryMbAfter;
  memory.afterRepeat = w1again.memoryMbAfter;
  memory.end = over.memoryMbAfter;
  const report = { meta: { ...meta, finished: new Date().toISOString(), loadavgAtEnd: os.loadavg().map((l) => round(l, 2)) }, representative, coldStartMs: svc.coldStartMs, rssMb: rss, memoryMb: memory, probes, results, targets, serviceLog };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(markdown(report));
  log(`wrote ${path.relative(process.cwd(), OUT)}`);

  const broken = results.filter((r) => !r.ok2xx);
  if (broken.length) throw new Error(`no successful answers in: ${broken.map((r) => r.workload).join('; ')}`);
}

function markdown(r) {
  const m = r.meta;
  const lines = [
    `## precision-benefit-hooks benchmark (${m.mode})`,
    '',
    `${m.date} · Node ${m.node} · ${m.cpuModel} · ${m.cores} cores · load avg start ${m.loadavgAtStart.join(' ')} / end ${m.loadavgAtEnd.join(' ')} (the machine is shared: read numbers against it) · ${m.durationPerWorkloadS} s per workload, ${m.connections} connections · store: ${m.store}`,
    '',
    r.representative
      ? `order-sign probe: ${r.probes.orderSign.cards} cards (indicators ${r.probes.orderSign.indicators.join(', ')}), ${r.probes.orderSign.systemActions} systemActions.`
      : '**Not representative**: the order-sign probe got no cards or no systemActions (engines not producing output).',
    '',
    '| workload | req/s | p50 ms | p90 ms | p99 ms | errors / non-2xx | ratio vs baseline | RSS MB after | audit queue after |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.results.map(
      (x) =>
        `| ${x.workload} | ${x.reqPerSec} | ${x.latencyMs.p50} | ${x.latencyMs.p90} | ${x.latencyMs.p99} | ${x.errors + x.timeouts} / ${x.non2xx} | ${x.ratioVsBaseline ?? '–'} | ${x.serviceRssMbAfter ?? '–'} | ${x.auditQueueDepthAfter ?? '–'} |`,
    ),
    '',
    `Cold start (spawn → first answered request): **${r.coldStartMs} ms**. Service RSS MB: ${Object.entries(r.rssMb)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    `Memory (MB): ${Object.entries(r.memoryMb || {})
      .filter(([, v]) => v)
      .map(([k, v]) => `${k}: RSS ${v.rss} = main V8 heap ${v.mainHeapMb} (${v.mainHeapUsedMb} used) + ${v.outsideMainHeapMb} outside it (binary, code, malloc${r.meta.store.startsWith('embedded') ? ', store worker + WASM heap' : ''})`)
      .join('; ')}.`,
    (() => {
      const o = r.results.find((x) => x.littlesLawMeanMs !== undefined);
      return o
        ? `Overload (2× max offered, ${o.connections} connections): ${o.reqPerSec} req/s served, mean latency ${o.latencyMs.mean} ms (Little's-law bound with all ${o.connections} in flight: ${o.littlesLawMeanMs} ms), ${o.errors + o.timeouts} errors, ${o.non2xx} non-2xx — the service queues; it does not shed.`
        : '';
    })(),
    `FHIR requests per hook call without prefetch: ${r.results.find((x) => x.fhir)?.fhirRequestsPerHookCall} (single probe), ${
      r.results.find((x) => x.fhir)?.fhirRequestsPerHookCallAverage
    } (average under load).`,
    '',
    '| target | measured | met |',
    '|---|---|---|',
    ...Object.entries(r.targets).map(([k, v]) => `| ${k} | ${typeof v.value === 'object' ? JSON.stringify(v.value) : v.value} | ${v.pass ? 'yes' : 'NO'} |`),
    '',
  ];
  return lines.join('\n');
}

/** Stops every child (SIGTERM, then SIGKILL after 3 s) and removes temporary data directories. */
async function cleanup() {
  await Promise.all(
    children.map(
      (c) =>
        new Promise((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          const t = setTimeout(() => c.kill('SIGKILL'), 3000);
          c.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
          c.kill('SIGTERM');
        }),
    ),
  );
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
}

process.on('SIGINT', () => {
  cleanup().finally(() => process.exit(130));
});

main()
  .then(() => cleanup().then(() => process.exit(0)))
  .catch((err) => {
    log(`FAILED: ${err && err.message}`);
    cleanup().finally(() => process.exit(1));
  });
