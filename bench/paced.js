'use strict';
/**
 * Open-loop, evenly paced load: one request every 1/rate seconds for `duration` seconds, over a keep-alive
 * pool of `connections`. Each latency is measured from the request's *scheduled* start, so a request held
 * back by a busy server or a full pool counts that wait too (no coordinated omission).
 *
 * Why not autocannon for the offered-load runs: its rate limit lets every connection send its per-second
 * quota back-to-back at the top of each second and then idle, so "half of the maximum rate" arrives as
 * bursts at full speed, and its latency histogram adds synthetic samples from an expected interval computed
 * in seconds but recorded in milliseconds. A stream of independent EHR calls arrives spread out; this is that.
 */
const { Pool } = require('undici');

function percentile(sorted, q) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const round1 = (n) => (n === null || n === undefined ? null : Math.round(n * 10) / 10);

/**
 * @param {{url: string, method?: string, body?: string, headers?: Record<string,string>, rate: number,
 *          duration: number, connections?: number, timeoutMs?: number}} o
 * @returns a summary shaped like bench/run.js `summarise()` output (latency in ms, one decimal)
 */
async function paced(o) {
  const u = new URL(o.url);
  const connections = o.connections || 10;
  const timeoutMs = o.timeoutMs || 10000;
  const pool = new Pool(u.origin, { connections, pipelining: 1 });
  const headers = o.body ? { 'content-type': 'application/json', ...(o.headers || {}) } : o.headers || {};
  const total = Math.max(1, Math.round(o.rate * o.duration));
  const intervalMs = 1000 / o.rate;
  const latencies = [];
  const statusCodes = {};
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  let lastDone = 0;
  const t0 = performance.now() + 20;
  const inflight = new Set();

  const fire = (i) => {
    const scheduled = t0 + i * intervalMs;
    const p = pool
      .request({ path: u.pathname + u.search, method: o.method || 'POST', headers, body: o.body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs })
      .then(async (res) => {
        await res.body.text();
        const done = performance.now();
        lastDone = Math.max(lastDone, done);
        statusCodes[res.statusCode] = (statusCodes[res.statusCode] || 0) + 1;
        if (res.statusCode >= 200 && res.statusCode < 300) ok++;
        else non2xx++;
        latencies.push(done - scheduled);
      })
      .catch((e) => {
        if (e && /timeout/i.test(`${e.code || ''} ${e.name || ''}`)) timeouts++;
        else errors++;
      });
    inflight.add(p);
    p.finally(() => inflight.delete(p));
  };

  let sent = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && t0 + sent * intervalMs <= now) fire(sent++);
      if (sent < total) setTimeout(tick, Math.max(0, Math.min(1, t0 + sent * intervalMs - now)));
      else Promise.allSettled([...inflight]).then(resolve);
    };
    setTimeout(tick, 20);
  });
  await pool.close();

  latencies.sort((a, b) => a - b);
  const elapsedS = Math.max(1e-3, (lastDone - t0) / 1000);
  const mean = latencies.length ? latencies.reduce((s, x) => s + x, 0) / latencies.length : null;
  return {
    reqPerSec: round1(ok / elapsedS),
    ok2xx: ok,
    total: ok + non2xx,
    latencyMs: {
      p50: round1(percentile(latencies, 0.5)),
      p90: round1(percentile(latencies, 0.9)),
      p99: round1(percentile(latencies, 0.99)),
      max: round1(latencies[latencies.length - 1]),
      mean: round1(mean),
    },
    errors,
    timeouts,
    non2xx,
    statusCodes,
    durationS: o.duration,
    connections,
    loadGenerator: 'paced (open loop, evenly spaced, latency from scheduled start)',
  };
}

module.exports = { paced };
