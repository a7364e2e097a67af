#!/usr/bin/env node
'use strict';
/**
 * Micro-benchmark of the pure core: `decide()` on the bench patient (order-sign, full record), µs per call.
 * Usage: npm run build && node bench/decide-micro.js [iterations]   (optionally --cpu-prof)
 */
const path = require('node:path');
const { parseArgs } = require('node:util');
const dist = path.resolve(__dirname, '..', 'dist', 'src');
const { loadKnowledge } = require(path.join(dist, 'loaders'));
const { decide } = require(path.join(dist, 'decision', 'decide'));
const { buildResources, hookRequest } = require('./fixtures/build.js');

const knowledge = loadKnowledge({ knowledgeDir: 'terminology', planDir: 'plans/sample' });
const res = buildResources(Date.parse('2026-01-15T12:00:00Z'));
const body = hookRequest(res, 'order-sign');
const bundleResources = (b) => (b.entry || []).map((e) => e.resource);

/** the PatientRecord the route builds from a full prefetch (see src/cdshooks/patient-record.ts) */
function record() {
  return {
    patientId: res.patient.id,
    patient: res.patient,
    coverage: bundleResources(body.prefetch.coverage),
    draftOrders: res.draftOrders,
    activeMedications: bundleResources(body.prefetch.medications),
    dispenses: bundleResources(body.prefetch.dispenses),
    conditions: bundleResources(body.prefetch.conditions),
    labs: [],
    pgxObservations: bundleResources(body.prefetch.pgx),
    unavailable: [],
    resourcesUsed: [],
  };
}
const ctx = {
  hook: 'order-sign',
  serviceId: 'pgx-benefit-order-sign',
  hookInstance: body.hookInstance,
  now: '2026-01-15T12:00:00.000Z',
  serviceBaseUrl: 'http://127.0.0.1:3000',
};
const { positionals } = parseArgs({ allowPositionals: true });
const n = Number(positionals[0] ?? 2000);
const first = decide(record(), ctx, knowledge);
for (let i = 0; i < 200; i++) decide(record(), ctx, knowledge); // warm-up
// CPU time as well as wall time: on a shared machine the wall clock includes other processes' turns
const t0 = process.hrtime.bigint();
const c0 = process.cpuUsage();
for (let i = 0; i < n; i++) decide(record(), ctx, knowledge);
const cpu = process.cpuUsage(c0);
const us = Number(process.hrtime.bigint() - t0) / 1000 / n;
const cpuUs = (cpu.user + cpu.system) / n;
console.log(JSON.stringify({ usPerCall: Math.round(us * 10) / 10, cpuUsPerCall: Math.round(cpuUs * 10) / 10, iterations: n, cards: first.response.cards.length, systemActions: first.response.systemActions.length, checksum: JSON.stringify(first.response).length }));
