/**
 * Micro-benchmark of reading FHIR input by the R4 definitions: the start-up cost of preparing the model
 * and the per-request cost on the Ava example request (examples/requests/ava-order-sign.json).
 * Run: npx tsx scripts/bench-fhir-read.ts (numbers depend on the machine's load; compare on one machine).
 */
import { readFileSync } from 'node:fs';
import { readFhirResource, type Leniency } from '../src/fhir/json-shape';
import { buildR4Model } from '../src/fhir/r4-model';
import { DRAFT_ORDER_READ_PATHS, PREFETCH_READ_PATHS } from '../src/fhir/read-paths';
import { projectPath } from '../src/paths';

const t0 = process.hrtime.bigint();
const model = buildR4Model({ prefetch: PREFETCH_READ_PATHS, draftOrder: DRAFT_ORDER_READ_PATHS });
const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;

type Json = { resourceType: string; entry?: Array<{ resource: Json }> };
const req = JSON.parse(readFileSync(projectPath('examples/requests/ava-order-sign.json'), 'utf8'));
const drafts: Json[] = req.context.draftOrders.entry.map((e: { resource: Json }) => e.resource);
const prefetched: Json[] = (Object.values(req.prefetch) as Array<Json | null>).flatMap((v) =>
  !v ? [] : v.resourceType === 'Bundle' ? (v.entry ?? []).map((e) => e.resource) : [v],
);
const out: Leniency[] = [];
const once = () => {
  for (const r of drafts) readFhirResource(r, model, 'draftOrder', out);
  for (const r of prefetched) readFhirResource(r, model, 'prefetch', out);
};
for (let i = 0; i < 20_000; i++) once();
const rounds: number[] = [];
for (let k = 0; k < 7; k++) {
  const n = 50_000;
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) once();
  rounds.push(Number(process.hrtime.bigint() - t) / n / 1000);
}
rounds.sort((a, b) => a - b);
console.log(`R4 model: ${model.types.size} types prepared in ${buildMs.toFixed(1)} ms (first build, cold)`);
console.log(`Ava order-sign, ${drafts.length + prefetched.length} resources: ${rounds[3]!.toFixed(1)} µs per request (median of 7 rounds); leniencies: ${out.length}`);
