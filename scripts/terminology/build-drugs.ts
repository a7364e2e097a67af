/**
 * Compile and validate the drug-side terminology sources (terminology/sources/{drugs,cpic-recommendations,
 * inhibitors}.yaml) into terminology/{drugs,recommendations,inhibitors}.json.
 * Deterministic: same sources → byte-identical output (no clock, stable ordering). Fails loudly on any
 * inconsistency rather than emitting a table the engine would misread.
 *
 *   npx tsx scripts/terminology/build-drugs.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type {
  DrugEntry,
  DrugTableFile,
  InhibitorsFile,
  RecommendationRow,
  RecommendationsFile,
} from '../../src/pgx/drug-knowledge';
import type { GuidelineCitation, RecommendationAction } from '../../src/pgx/types';

const ACTIONS: RecommendationAction[] = [
  'standard',
  'adjust-dose',
  'avoid',
  'use-alternative',
  'consider-alternative',
  'monitor',
  'no-recommendation',
];
const STRENGTHS = ['Strong', 'Moderate', 'Optional', 'No Recommendation'];
const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const RXCUI = /^\d{1,8}$/;
/** CPIC's lookup keys for a gene that was not tested / could not be interpreted (spelled as CPIC does) */
const GAP_KEYS = ['No Result', 'Indeterminate'];

type Obj = Record<string, unknown>;

function fail(msg: string): never {
  throw new Error(`build-drugs: ${msg}`);
}
function str(v: unknown, where: string): string {
  if (typeof v !== 'string' || v.trim() === '') fail(`${where}: expected a non-empty string`);
  return v;
}
function strList(v: unknown, where: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(`${where}: expected a list`);
  return v.map((x, i) => str(x, `${where}[${i}]`));
}

export function compileDrugs(src: Obj): DrugTableFile {
  const seenRx = new Map<string, string>();
  const seenName = new Map<string, string>();
  const drugs: DrugEntry[] = (src.drugs as Obj[]).map((d, i) => {
    const name = str(d.name, `drugs[${i}].name`);
    const where = `drug ${name}`;
    if (name !== name.toLowerCase()) fail(`${where}: name must be lower case`);
    const rxcui = str(d.rxcui, `${where}.rxcui`);
    if (!RXCUI.test(rxcui)) fail(`${where}: bad RxCUI ${rxcui}`);
    const cls = str(d.class, `${where}.class`);
    if (!KEBAB.test(cls)) fail(`${where}: class must be kebab-case`);
    const products = ((d.products as Obj[] | undefined) ?? []).map((p, j) => {
      const prx = str(p.rxcui, `${where}.products[${j}].rxcui`);
      if (!RXCUI.test(prx)) fail(`${where}: bad product RxCUI ${prx}`);
      const tty = str(p.tty, `${where}.products[${j}].tty`);
      if (tty !== 'SCD' && tty !== 'SBD') fail(`${where}: product tty must be SCD or SBD`);
      return { rxcui: prx, tty: tty as 'SCD' | 'SBD', display: str(p.display, `${where}.products[${j}].display`) };
    });
    const names = strList(d.names, `${where}.names`);
    for (const rx of [rxcui, ...products.map((p) => p.rxcui)]) {
      const other = seenRx.get(rx);
      if (other && other !== name) fail(`RxCUI ${rx} claimed by both ${other} and ${name}`);
      seenRx.set(rx, name);
    }
    for (const n of [name, ...names].map((x) => x.toLowerCase())) {
      const other = seenName.get(n);
      if (other && other !== name) fail(`name "${n}" claimed by both ${other} and ${name}`);
      seenName.set(n, name);
    }
    return { name, rxcui, class: cls, names, products };
  });
  drugs.sort((a, b) => a.name.localeCompare(b.name));
  return { version: str(src.version, 'drugs.version'), drugs };
}

export function compileRecommendations(src: Obj, drugs: DrugTableFile): RecommendationsFile {
  const known = new Set(drugs.drugs.map((d) => d.name));
  const source = src.source as Obj;
  const guidelines: Record<string, GuidelineCitation> = {};
  for (const [id, g] of Object.entries(src.guidelines as Record<string, Obj>).sort(([a], [b]) => a.localeCompare(b))) {
    const url = str(g.url, `guideline ${id}.url`);
    if (!url.startsWith('https://cpicpgx.org/')) fail(`guideline ${id}: url must be a cpicpgx.org page`);
    guidelines[id] = {
      title: str(g.title, `guideline ${id}.title`),
      url,
      ...(g.pmid ? { pmid: str(g.pmid, `guideline ${id}.pmid`) } : {}),
      version: str(g.version, `guideline ${id}.version`),
    };
  }
  const ids = new Set<string>();
  const keysSeen = new Set<string>();
  const genesByDrug = new Map<string, string>();
  const rows: RecommendationRow[] = (src.rows as Obj[]).map((r, i) => {
    const id = str(r.id, `rows[${i}].id`);
    if (ids.has(id)) fail(`duplicate row id ${id}`);
    ids.add(id);
    const drug = str(r.drug, `${id}.drug`);
    if (!known.has(drug)) fail(`${id}: drug ${drug} is not in drugs.yaml`);
    const guideline = str(r.guideline, `${id}.guideline`);
    if (!guidelines[guideline]) fail(`${id}: unknown guideline ${guideline}`);
    const action = str(r.action, `${id}.action`) as RecommendationAction;
    if (!ACTIONS.includes(action)) fail(`${id}: unknown action ${action}`);
    const strength = str(r.strength, `${id}.strength`);
    if (!STRENGTHS.includes(strength)) fail(`${id}: unknown strength ${strength}`);
    const lookupRaw = r.lookup as Record<string, unknown>;
    if (!lookupRaw || Object.keys(lookupRaw).length === 0) fail(`${id}: lookup is empty`);
    const lookup: Record<string, string> = {};
    for (const g of Object.keys(lookupRaw).sort()) {
      const k = str(lookupRaw[g], `${id}.lookup.${g}`);
      if (/^n\/a$/i.test(k)) fail(`${id}: ${k} is not a phenotype key`);
      lookup[g] = k;
    }
    // CPIC's "No Result"/"Indeterminate" keys are kept only for a gene of a multi-gene row whose other gene
    // is known (sertraline: CYP2B6 untested, CYP2C19 known); a row with no known gene says nothing.
    const gapGenes = Object.keys(lookup).filter((g) => /^(indeterminate|no result)$/i.test(lookup[g] as string));
    for (const g of gapGenes) {
      if (!GAP_KEYS.includes(lookup[g] as string)) fail(`${id}: write the gap key as ${GAP_KEYS.join(' or ')}`);
    }
    if (gapGenes.length === Object.keys(lookup).length) {
      fail(`${id}: ${Object.values(lookup).join('/')} is not a phenotype key on its own (a row needs one known result)`);
    }
    const geneSet = Object.keys(lookup).join('+');
    const prev = genesByDrug.get(drug);
    if (prev && prev !== geneSet) fail(`${id}: ${drug} rows disagree on genes (${prev} vs ${geneSet})`);
    genesByDrug.set(drug, geneSet);
    const composite = drug + '|' + Object.entries(lookup).map(([g, k]) => `${g}=${k}`).join('|');
    if (keysSeen.has(composite)) fail(`${id}: duplicate lookup for ${drug}`);
    keysSeen.add(composite);
    const alternatives = strList(r.alternatives, `${id}.alternatives`);
    for (const a of alternatives) if (!known.has(a)) fail(`${id}: alternative ${a} is not in drugs.yaml`);
    if (action === 'adjust-dose' && !r.dosing) fail(`${id}: adjust-dose needs dosing words`);
    return {
      id,
      drug,
      guideline,
      population: str(r.population, `${id}.population`),
      lookup,
      action,
      strength,
      ...(r.dosing ? { dosing: str(r.dosing, `${id}.dosing`) } : {}),
      ...(r.note ? { note: str(r.note, `${id}.note`) } : {}),
      alternatives,
    };
  });
  const version = str(source.version, 'source.version');
  return {
    version: `CPIC ${version}`,
    source: {
      name: str(source.name, 'source.name'),
      version,
      url: str(source.url, 'source.url'),
      accessed: str(source.accessed, 'source.accessed'),
    },
    guidelines,
    rows,
  };
}

export function compileInhibitors(src: Obj, drugs: DrugTableFile): InhibitorsFile {
  const known = new Set(drugs.drugs.map((d) => d.name));
  const genes = src.genes as InhibitorsFile['genes'];
  for (const [gene, m] of Object.entries(genes)) {
    if (m.method !== 'activity-score' && m.method !== 'phenotype-ladder') fail(`inhibitors: ${gene} has unknown method`);
  }
  const inhibitors = (src.inhibitors as Obj[]).map((x, i) => {
    const drug = str(x.drug, `inhibitors[${i}].drug`);
    if (!known.has(drug)) fail(`inhibitor ${drug} is not in drugs.yaml`);
    const gene = str(x.gene, `inhibitors[${i}].gene`);
    if (!genes[gene]) fail(`inhibitor ${drug}: no method for ${gene}`);
    const strength = str(x.strength, `inhibitors[${i}].strength`);
    if (strength !== 'strong' && strength !== 'moderate') fail(`inhibitor ${drug}: strength must be strong|moderate`);
    return { drug, gene, strength: strength as 'strong' | 'moderate' };
  });
  inhibitors.sort((a, b) => a.gene.localeCompare(b.gene) || a.drug.localeCompare(b.drug));
  return {
    version: str(src.version, 'inhibitors.version'),
    sources: strList(src.sources, 'inhibitors.sources'),
    genes,
    inhibitors,
  };
}

export function buildDrugTerminology(terminologyDir: string): Record<string, string> {
  const read = (f: string) => parse(readFileSync(join(terminologyDir, 'sources', f), 'utf8')) as Obj;
  const drugs = compileDrugs(read('drugs.yaml'));
  const recommendations = compileRecommendations(read('cpic-recommendations.yaml'), drugs);
  const inhibitors = compileInhibitors(read('inhibitors.yaml'), drugs);
  const out = (o: unknown) => JSON.stringify(o, null, 1) + '\n';
  return {
    'drugs.json': out(drugs),
    'recommendations.json': out(recommendations),
    'inhibitors.json': out(inhibitors),
  };
}

if (require.main === module) {
  const dir = resolve(__dirname, '../../terminology');
  const check = process.argv.includes('--check');
  const files = buildDrugTerminology(dir);
  let stale = false;
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    if (check) {
      let current = '';
      try {
        current = readFileSync(path, 'utf8');
      } catch {
        /* missing counts as stale */
      }
      if (current !== text) {
        stale = true;
        console.error(`stale: terminology/${name}`);
      }
    } else {
      writeFileSync(path, text);
      console.log(`wrote terminology/${name}`);
    }
  }
  if (stale) process.exit(1);
}
