/**
 * Compile terminology/sources/guidance-fda-dpwg.yaml (rows read by hand) and guidance-extracted.json (rows
 * extracted by extract-guidance.ts) into terminology/guidance.json, checking that every drug is in the drug table,
 * every gene has a table, every phenotype and allele is one that gene's table has, and every row names its source;
 * each row gets its indicator by the written rule (docs/card-calibration.md). Deterministic: same sources → byte-identical output.
 *   npx tsx scripts/terminology/build-guidance.ts [--check]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { writeOrCheck } from './write-or-check';
import type { GuidanceFile, GuidanceRow, GuidanceSource } from '../../src/pgx/other-guidance';

const ACTIONS = ['standard', 'adjust-dose', 'avoid', 'use-alternative', 'consider-alternative', 'monitor'];

function fail(msg: string): never {
  throw new Error(`build-guidance: ${msg}`);
}

function geneTable(dir: string, gene: string): { terms: Set<string>; alleles: Set<string> } {
  let table: Record<string, unknown>;
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
  return { terms, alleles: new Set(Object.keys((table.alleles as object | undefined) ?? {})) };
}

/** docs/card-calibration.md, for rows of other sources: a contraindication is critical; standard use and a bare
 * association are info; a dose change, an alternative or an actionable caution is a warning. */
function indicatorOf(r: GuidanceRow): 'info' | 'warning' | 'critical' {
  if (r.contraindicated) return 'critical';
  if (r.action === 'standard' || (r.action === 'monitor' && r.indicator === 'info')) return 'info';
  return 'warning';
}

interface ExtractedFile {
  sources: Record<string, GuidanceSource>;
  rows: GuidanceRow[];
}

const family = (source: string): string => (source.startsWith('fda') ? 'fda' : source);

export function buildGuidance(dir: string): Record<string, string> {
  const hand = parse(readFileSync(join(dir, 'sources', 'guidance-fda-dpwg.yaml'), 'utf8')) as GuidanceFile;
  const extracted = JSON.parse(readFileSync(join(dir, 'sources', 'guidance-extracted.json'), 'utf8')) as ExtractedFile;
  const drugs = new Set((parse(readFileSync(join(dir, 'sources', 'drugs.yaml'), 'utf8')) as { drugs: { name: string }[] }).drugs.map((d) => d.name));
  for (const k of Object.keys(extracted.sources)) if (hand.sources[k]) fail(`source ${k} is defined twice`);
  const sources = { ...hand.sources, ...extracted.sources };
  // the hand-read rows are the newer reading of a drug and gene; the extraction leaves those pairs to them
  const handPairs = new Set(hand.rows.map((r) => `${family(r.source)}|${r.drug}|${r.gene}`));
  for (const r of extracted.rows) if (handPairs.has(`${family(r.source)}|${r.drug}|${r.gene}`)) fail(`${r.id}: ${r.drug}/${r.gene} is also in guidance-fda-dpwg.yaml`);
  const ids = new Set<string>();
  const rows: GuidanceRow[] = [];
  for (const r of [...hand.rows, ...extracted.rows]) {
    if (ids.has(r.id)) fail(`duplicate row id ${r.id}`);
    ids.add(r.id);
    if (!sources[r.source]) fail(`${r.id}: unknown source ${r.source}`);
    if (!drugs.has(r.drug)) fail(`${r.id}: drug ${r.drug} is not in drugs.yaml`);
    if (!ACTIONS.includes(r.action)) fail(`${r.id}: unknown action ${r.action}`);
    const keys = [r.phenotypes, r.diplotypes, r.lookupKeys].filter((k) => k !== undefined);
    if (keys.length !== 1 || keys[0]!.length === 0) fail(`${r.id}: give one of phenotypes, diplotypes or lookupKeys`);
    const table = geneTable(dir, r.gene);
    for (const p of r.phenotypes ?? []) if (!table.terms.has(p)) fail(`${r.id}: ${p} is not a ${r.gene} phenotype in our tables`);
    for (const d of r.diplotypes ?? []) for (const a of d.split('/')) if (!table.alleles.has(a)) fail(`${r.id}: ${a} is not a ${r.gene} allele in our tables`);
    if (!r.text || !r.annotation?.url) fail(`${r.id}: text and annotation are required`);
    if (family(r.source) !== 'fda' || r.source === 'fda-label') if (!r.pgkbId) fail(`${r.id}: a PharmGKB annotation row needs its pgkbId`);
    rows.push({ ...r, indicator: indicatorOf(r) });
  }
  const out: GuidanceFile = { version: hand.version, sources, rows };
  return { 'guidance.json': JSON.stringify(out, null, 1) + '\n' };
}

if (require.main === module) {
  const dir = resolve(__dirname, '../../terminology');
  const check = process.argv.includes('--check');
  const stale = writeOrCheck(dir, buildGuidance(dir), check);
  if (stale) process.exit(1);
}
