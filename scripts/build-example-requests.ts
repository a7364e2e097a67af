/**
 * Writes the static example requests under examples/requests/ (used by the README's curl example and
 * by integration engineers). Deterministic: a fixed clock and hookInstance, so regeneration is stable.
 *   npx tsx scripts/build-example-requests.ts
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { buildHookRequest, type ExampleFile, type PlanBindings } from '../src/examples/build-request';
import { projectPath } from '../src/paths';

const NOW = '2026-11-23T09:00:00.000Z';
const examples = JSON.parse(readFileSync(projectPath('examples/patients.json'), 'utf8')) as ExampleFile;
const bindings = JSON.parse(readFileSync(projectPath('examples/plan-bindings.json'), 'utf8')) as PlanBindings;

const wanted: Array<{ file: string; patient: string; hook: 'order-select' | 'order-sign'; hookInstance: string }> = [
  { file: 'ava-order-sign.json', patient: 'pbh-ava', hook: 'order-sign', hookInstance: 'b1d7c3a0-5f0e-4c47-9a8e-0c2f6f1a7e01' },
  { file: 'ben-order-select.json', patient: 'pbh-ben', hook: 'order-select', hookInstance: 'b1d7c3a0-5f0e-4c47-9a8e-0c2f6f1a7e02' },
];

for (const w of wanted) {
  const spec = examples.patients.find((p) => p.id === w.patient);
  if (!spec) throw new Error(`no example patient ${w.patient}`);
  const request = buildHookRequest(spec, { hook: w.hook, now: NOW, bindings, hookInstance: w.hookInstance });
  writeFileSync(projectPath('examples/requests', w.file), `${JSON.stringify(request, null, 2)}\n`);
  console.log(`wrote examples/requests/${w.file}`);
}
