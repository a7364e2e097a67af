/**
 * Compile and validate terminology/sources/oncology-indications.yaml into terminology/oncology.json.
 * Deterministic (same source → byte-identical output) and strict: an unknown condition set, requirement kind,
 * malformed RxCUI or duplicate indication id fails the build rather than emitting a table the engine would misread.
 *
 *   npx tsx scripts/terminology/build-oncology.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { ConditionSet, Indication, OncologyDrug, OncologyTableFile, Origin, RequirementKind } from '../../src/biomarker/types';

const KINDS: RequirementKind[] = ['variant', 'wild-type', 'fusion', 'her2-positive', 'her2-low', 'pdl1', 'tmb', 'msi-high'];
const ORIGINS: Origin[] = ['somatic', 'germline', 'germline-or-somatic'];
const RXCUI = /^\d{1,8}$/;
type Obj = Record<string, unknown>;

function fail(msg: string): never {
  throw new Error(`build-oncology: ${msg}`);
}
const str = (v: unknown, where: string): string => {
  if (typeof v !== 'string' || v.trim() === '') fail(`${where}: expected a non-empty string`);
  return v;
};
const list = (v: unknown, where: string): string[] => {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v)) fail(`${where}: expected a list`);
  return v.map((x, i) => str(x, `${where}[${i}]`));
};

export function compileOncology(src: Obj): OncologyTableFile {
  const version = str(src.version, 'version');
  const codes = src.codes as OncologyTableFile['codes'];
  if (!codes || typeof codes !== 'object') fail('codes missing');
  const conditions: ConditionSet[] = Object.entries(src.conditions as Record<string, Obj>).map(([id, c]) => {
    const range = c.icd10Range ? list(c.icd10Range, `conditions.${id}.icd10Range`) : undefined;
    if (range && range.length !== 2) fail(`conditions.${id}.icd10Range: expected [from, to]`);
    const set: ConditionSet = { id, display: str(c.display, `conditions.${id}.display`), icd10: list(c.icd10, `conditions.${id}.icd10`), snomed: list(c.snomed, `conditions.${id}.snomed`) };
    if (range) set.icd10Range = [range[0]!, range[1]!];
    if (!set.icd10.length && !set.snomed.length && !range) fail(`conditions.${id}: no codes`);
    return set;
  });
  const conditionIds = new Set(conditions.map((c) => c.id));
  const seenIds = new Set<string>();
  const seenNames = new Set<string>();
  const drugs: OncologyDrug[] = (src.drugs as Obj[]).map((d, i) => {
    const name = str(d.name, `drugs[${i}].name`);
    if (name !== name.toLowerCase()) fail(`drug ${name}: name must be lower case`);
    if (seenNames.has(name)) fail(`drug ${name}: listed twice`);
    seenNames.add(name);
    const rxcui = d.rxcui === null || d.rxcui === undefined ? null : str(d.rxcui, `${name}.rxcui`);
    if (rxcui !== null && !RXCUI.test(rxcui)) fail(`drug ${name}: bad RxCUI ${rxcui}`);
    if (rxcui !== null && !d.rxcuiSource) fail(`drug ${name}: an RxCUI needs its rxcuiSource`);
    const label = d.label as Obj;
    if (!label || typeof label.verified !== 'boolean') fail(`drug ${name}: label.verified must be true or false`);
    if (label.verified && (!label.url || !label.revised || !label.via)) fail(`drug ${name}: a verified label needs url, revised and via`);
    if (!label.verified && !label.unverifiedReason) fail(`drug ${name}: an unverified label needs unverifiedReason (what was found, and why it does not verify)`);
    const indications: Indication[] = ((d.indications as Obj[]) ?? []).map((ind, j) => {
      const id = str(ind.id, `${name}.indications[${j}].id`);
      if (seenIds.has(id)) fail(`indication ${id}: duplicate id`);
      seenIds.add(id);
      const condition = str(ind.condition, `${id}.condition`);
      if (!conditionIds.has(condition)) fail(`${id}: unknown condition set ${condition}`);
      const r = ind.requires as Obj;
      const kind = str(r?.kind, `${id}.requires.kind`) as RequirementKind;
      if (!KINDS.includes(kind)) fail(`${id}: unknown requirement kind ${kind}`);
      const origin = (r.origin ?? 'somatic') as Origin;
      if (!ORIGINS.includes(origin)) fail(`${id}: unknown origin ${String(origin)}`);
      const genes = list(r.gene, `${id}.requires.gene`);
      const variants = list(r.variants, `${id}.requires.variants`);
      if (['variant', 'wild-type', 'fusion'].includes(kind) && genes.length === 0) fail(`${id}: ${kind} needs a gene`);
      if (kind === 'variant' && variants.length === 0) fail(`${id}: variant needs the accepted variants`);
      if ((kind === 'pdl1' || kind === 'tmb') && typeof r.min !== 'number') fail(`${id}: ${kind} needs a numeric min`);
      const out: Indication = {
        id,
        condition,
        requires: { kind, genes, variants, origin, ...(typeof r.min === 'number' ? { min: r.min } : {}), ...(r.scoring ? { scoring: str(r.scoring, `${id}.scoring`) } : {}) },
        test: str(ind.test, `${id}.test`),
      };
      if (ind.note) out.note = str(ind.note, `${id}.note`);
      return out;
    });
    if (!indications.length) fail(`drug ${name}: no indications`);
    const drug: OncologyDrug = {
      name,
      brands: list(d.brands, `${name}.brands`),
      rxcui,
      products: ((d.products as Obj[]) ?? []).map((p, k) => ({
        rxcui: str(p.rxcui, `${name}.products[${k}].rxcui`),
        display: str(p.display, `${name}.products[${k}].display`),
        source: str(p.source, `${name}.products[${k}].source`),
      })),
      label: {
        title: str(label.title, `${name}.label.title`),
        verified: label.verified as boolean,
        ...(label.url ? { url: str(label.url, `${name}.label.url`) } : {}),
        ...(label.revised ? { revised: str(label.revised, `${name}.label.revised`) } : {}),
        ...(label.via ? { via: str(label.via, `${name}.label.via`) } : {}),
        ...(label.unverifiedReason ? { unverifiedReason: str(label.unverifiedReason, `${name}.label.unverifiedReason`) } : {}),
      },
      indications,
      otherIndicationsWithoutBiomarker: d.otherIndicationsWithoutBiomarker === true,
    };
    if (d.rxcuiSource) drug.rxcuiSource = str(d.rxcuiSource, `${name}.rxcuiSource`);
    return drug;
  });
  return { version, codes, conditions, drugs };
}

export function buildOncologyTable(root: string): string {
  const src = parse(readFileSync(join(root, 'terminology/sources/oncology-indications.yaml'), 'utf8')) as Obj;
  return `${JSON.stringify(compileOncology(src), null, 2)}\n`;
}

if (require.main === module) {
  const root = resolve(__dirname, '../..');
  const out = join(root, 'terminology/oncology.json');
  const text = buildOncologyTable(root);
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(out, 'utf8');
    } catch {
      /* missing: out of date */
    }
    if (current !== text) {
      console.error('terminology/oncology.json is out of date: run npm run terminology');
      process.exit(1);
    }
    console.log('terminology/oncology.json is up to date');
  } else {
    writeFileSync(out, text);
    console.log(`wrote terminology/oncology.json`);
  }
}
