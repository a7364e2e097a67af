'use strict';
/**
 * A local FHIR R4 server for workload 3 (no prefetch): serves the benchmark patient as a read plus
 * searchset Bundles, after a fixed artificial latency per request (BENCH_FHIR_LATENCY_MS, default 5 ms),
 * and counts requests so the harness can report FHIR calls per hook call. Child process: prints
 * `{"port": N}` on stdout once listening. GET /__stats returns and GET /__reset clears the counters.
 * Requests must carry `Authorization: Bearer <BENCH_FHIR_TOKEN>`; others get 401 (and are counted).
 */
const http = require('node:http');
const { buildResources, searchset } = require('./fixtures/build.js');

const LATENCY_MS = Number(process.env.BENCH_FHIR_LATENCY_MS || 5);
const TOKEN = process.env.BENCH_FHIR_TOKEN || 'bench-fhir-token';
const res = buildResources();
const pid = res.patient.id;

let stats = { requests: 0, unauthorized: 0, notFound: 0, byType: {} };
/** serialised answers by URL (null = not found) */
const answers = new Map();

function route(url) {
  const base = `http://${url.host}`;
  const parts = url.pathname.split('/').filter(Boolean);
  const type = parts[0];
  const forPatient = (p) => p === pid || p === `Patient/${pid}`;
  if (type === 'Patient' && parts[1] === pid) return res.patient;
  if (parts.length !== 1) return undefined;
  const patient = url.searchParams.get('patient') || url.searchParams.get('subject') || url.searchParams.get('beneficiary');
  if (!forPatient(patient)) return searchset([], base);
  switch (type) {
    case 'Observation':
      // the vital-signs query (body height/weight) and the genomics query share the resource type
      return searchset(url.searchParams.get('category') === 'vital-signs' ? res.vitals : res.observations, base);
    case 'MedicationRequest':
      return searchset(res.medications, base);
    case 'MedicationDispense':
      return searchset(res.dispenses, base);
    case 'Coverage':
      return searchset([res.coverage], base);
    case 'Condition':
      return searchset(res.conditions, base);
    default:
      return undefined;
  }
}

const server = http.createServer((req, reply) => {
  const url = new URL(req.url, `http://${req.headers.host || '127.0.0.1'}`);
  if (url.pathname === '/__stats') {
    reply.writeHead(200, { 'content-type': 'application/json' });
    return reply.end(JSON.stringify(stats));
  }
  if (url.pathname === '/__reset') {
    stats = { requests: 0, unauthorized: 0, notFound: 0, byType: {} };
    reply.writeHead(204);
    return reply.end();
  }
  stats.requests++;
  const type = url.pathname.split('/').filter(Boolean)[0] || '';
  stats.byType[type] = (stats.byType[type] || 0) + 1;
  setTimeout(() => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      stats.unauthorized++;
      reply.writeHead(401, { 'content-type': 'application/fhir+json' });
      return reply.end('{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"login"}]}');
    }
    // The answer for a URL never changes: serialise it once. This process stands in for a remote FHIR
    // server on other hardware, so its own CPU use on the shared cores should be as small as possible.
    const key = url.href;
    let text = answers.get(key);
    if (text === undefined) {
      const body = route(url);
      text = body === undefined ? null : JSON.stringify(body);
      answers.set(key, text);
    }
    if (text === null) {
      stats.notFound++;
      reply.writeHead(404, { 'content-type': 'application/fhir+json' });
      return reply.end('{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found"}]}');
    }
    reply.writeHead(200, { 'content-type': 'application/fhir+json' });
    reply.end(text);
  }, LATENCY_MS);
});
server.keepAliveTimeout = 30000;
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('SIGINT', () => process.exit(0));
