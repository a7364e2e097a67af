/**
 * Writes the static example requests under examples/requests/ and the service's answers to them under
 * examples/responses/ (the README's curl example and the examples in openapi.yaml). Deterministic: a fixed
 * clock and hookInstance, so regeneration is stable.
 *   npx tsx scripts/build-example-requests.ts
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { buildHookRequest, type ExampleFile, type PlanBindings } from '../src/sample-patients/build-request';
import { projectPath } from '../src/paths';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';

const NOW = '2026-11-23T09:00:00.000Z';
const examples = JSON.parse(readFileSync(projectPath('examples/patients.json'), 'utf8')) as ExampleFile;
const bindings = JSON.parse(readFileSync(projectPath('examples/plan-bindings.json'), 'utf8')) as PlanBindings;

const wanted: Array<{ file: string; patient: string; hook: 'order-select' | 'order-sign'; hookInstance: string }> = [
  { file: 'ava-order-sign.json', patient: 'pbh-ava', hook: 'order-sign', hookInstance: 'b1d7c3a0-5f0e-4c47-9a8e-0c2f6f1a7e01' },
  { file: 'ben-order-select.json', patient: 'pbh-ben', hook: 'order-select', hookInstance: 'b1d7c3a0-5f0e-4c47-9a8e-0c2f6f1a7e02' },
];

async function main(): Promise<void> {
  const app = await buildApp(loadConfig({ PBH_PROFILE: 'demo', LOG_LEVEL: 'silent', PBH_DATA_DIR: 'memory://' }), { now: () => new Date(NOW) });
  for (const w of wanted) {
  const spec = examples.patients.find((p) => p.id === w.patient);
  if (!spec) throw new Error(`no example patient ${w.patient}`);
  const request = buildHookRequest(spec, { hook: w.hook, now: NOW, bindings, hookInstance: w.hookInstance });
  writeFileSync(projectPath('examples/requests', w.file), `${JSON.stringify(request, null, 2)}\n`);
  const res = await app.inject({ method: 'POST', url: `/cds-services/pgx-benefit-${w.hook}`, payload: request });
  if (res.statusCode !== 200) throw new Error(`${w.file}: service answered ${res.statusCode}`);
  writeFileSync(projectPath('examples/responses', w.file), `${JSON.stringify(res.json(), null, 2)}\n`);
  console.log(`wrote examples/requests/${w.file} and examples/responses/${w.file}`);
  }
  await app.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
