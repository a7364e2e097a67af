/**
 * Compile terminology/sources/guidance-fda-dpwg.yaml into terminology/guidance.json, checking that every drug is
 * in the drug table, every gene has a table, every phenotype is a term that gene's table can give, and every row
 * names its source. Deterministic: same sources → byte-identical output.
 *   npx tsx scripts/terminology/build-guidance.ts [--check]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { writeOrCheck } from './write-or-check';
import type { GuidanceFile } from '../../src/pgx/other-guidance';

const ACTIONS = ['standard', 'adjust-dose', 'avoid', 'use-alternative', 'consider-alternative', 'monitor'];

function fail(msg: string): never {
  throw new Error(`build-guidance: ${msg}`);
}

function geneTerms(dir: string, gene: string): Set<string> {
  let table: Record<string, Record<string, { phenotype: string }> | unknown>;
  try {
    table = JSON.parse(readFileSync(join(dir, 'genes', `${gene}.json`), 'utf8'));
  } catch {
    fail(`gene ${gene} has no table in terminology/genes`);
  }
  const terms = new Set<string>();
  for (const k of ['pairRules', 'scoreRules', 'singleRules']) {
    for (const v of Object.values((table[k] as Record<string, { phenotype: string }> | undefined) ?? {})) terms.add(v.phenotype);
  }
  for (const r of (table.scoreRanges as { phenotype: string }[] | undefined) ?? []) terms.add(r.phenotype);
  return terms;
}

export function buildGuidance(dir: string): Record<string, string> {
  const src = parse(readFileSync(join(dir, 'sources', 'guidance-fda-dpwg.yaml'), 'utf8')) as GuidanceFile;
  const drugs = new Set((parse(readFileSync(join(dir, 'sources', 'drugs.yaml'), 'utf8')) as { drugs: { name: string }[] }).drugs.map((d) => d.name));
  const ids = new Set<string>();
  for (const r of src.rows) {
    if (ids.has(r.id)) fail(`duplicate row id ${r.id}`);
    ids.add(r.id);
    if (!src.sources[r.source]) fail(`${r.id}: unknown source ${r.source}`);
    if (!drugs.has(r.drug)) fail(`${r.id}: drug ${r.drug} is not in drugs.yaml`);
    if (!ACTIONS.includes(r.action)) fail(`${r.id}: unknown action ${r.action}`);
    if (!!r.phenotypes === !!r.diplotypes) fail(`${r.id}: give either phenotypes or diplotypes`);
    const terms = geneTerms(dir, r.gene);
    for (const p of r.phenotypes ?? []) if (!terms.has(p)) fail(`${r.id}: ${p} is not a ${r.gene} phenotype in our tables`);
    if (!r.text || !r.annotation?.url || !r.pgkbId) fail(`${r.id}: text, annotation and pgkbId are required`);
  }
  return { 'guidance.json': JSON.stringify(src, null, 1) + '\n' };
}

if (require.main === module) {
  const dir = resolve(__dirname, '../../terminology');
  const check = process.argv.includes('--check');
  const stale = writeOrCheck(dir, buildGuidance(dir), check);
  if (stale) process.exit(1);
}
