/**
 * Compile terminology/sources/warfarin-dosing.yaml into terminology/dose-algorithms.json, checking every
 * coefficient is a number and every drug the algorithm names is in the drug table.
 * Deterministic: same sources → byte-identical output.
 *   npx tsx scripts/terminology/build-dosing.ts [--check]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { writeOrCheck } from './write-or-check';
import type { DoseAlgorithm, DoseAlgorithmsFile, GageAlgorithm, IwpcAlgorithm } from '../../src/pgx/dose-algorithms';

function fail(msg: string): never {
  throw new Error(`build-dosing: ${msg}`);
}

function numbers(o: unknown, where: string): void {
  if (typeof o === 'number') return;
  if (o && typeof o === 'object') {
    for (const [k, v] of Object.entries(o)) numbers(v, `${where}.${k}`);
    return;
  }
  fail(`${where}: expected a number`);
}

export function buildDosing(terminologyDir: string): Record<string, string> {
  const src = parse(readFileSync(join(terminologyDir, 'sources', 'warfarin-dosing.yaml'), 'utf8')) as DoseAlgorithmsFile;
  const drugs = new Set(
    (parse(readFileSync(join(terminologyDir, 'sources', 'drugs.yaml'), 'utf8')) as { drugs: { name: string }[] }).drugs.map((d) => d.name),
  );
  if (typeof src.version !== 'string') fail('version missing');
  const checkIwpc = (a: IwpcAlgorithm): void => {
    for (const k of ['unknown']) {
      if (a.terms.vkorc1[k] === undefined || a.terms.cyp2c9[k] === undefined) fail(`${a.id}: needs an "unknown" genotype term`);
    }
    if (a.terms.race['missing-or-mixed'] === undefined) fail(`${a.id}: needs the missing-or-mixed race term`);
    for (const d of a.enzymeInducers) if (!drugs.has(d)) fail(`${a.id}: drug ${d} is not in drugs.yaml`);
    for (const c of Object.values(a.race)) if (a.terms.race[c] === undefined) fail(`${a.id}: race category ${c} has no term`);
  };
  const checkGage = (a: GageAlgorithm): void => {
    if (a.bsaFormula !== 'mosteller') fail(`${a.id}: unknown BSA formula ${String(a.bsaFormula)}`);
    if (typeof a.provenance !== 'string' || !a.provenance) fail(`${a.id}: provenance missing`);
    numbers(a.vkorc1AAlleles, `${a.id}.vkorc1AAlleles`);
    if (!a.raceNames[a.africanAmericanRace]) fail(`${a.id}: africanAmericanRace ${a.africanAmericanRace} is not an OMB race code`);
    if (!a.smokingStatus?.loinc || !a.targetInrLoinc) fail(`${a.id}: smoking status and target INR codes needed`);
    if (!Object.keys(a.thrombosis.snomed).length && !a.thrombosis.icd10cmPrefixes.length) fail(`${a.id}: no DVT/PE codes`);
  };
  const algorithms: DoseAlgorithm[] = src.algorithms.map((a) => {
    numbers(a.intercept, `${a.id}.intercept`);
    numbers(a.terms, `${a.id}.terms`);
    if (a.output === 'sqrt-weekly-mg') checkIwpc(a);
    else if (a.output === 'ln-daily-mg') checkGage(a);
    else fail(`${(a as DoseAlgorithm).id}: unknown output ${String((a as DoseAlgorithm).output)}`);
    for (const d of [a.drug, ...a.amiodarone]) if (!drugs.has(d)) fail(`${a.id}: drug ${d} is not in drugs.yaml`);
    return a;
  });
  const out: DoseAlgorithmsFile = { version: src.version, algorithms };
  return { 'dose-algorithms.json': JSON.stringify(out, null, 1) + '\n' };
}

if (require.main === module) {
  const dir = resolve(__dirname, '../../terminology');
  const check = process.argv.includes('--check');
  const stale = writeOrCheck(dir, buildDosing(dir), check);
  if (stale) process.exit(1);
}
