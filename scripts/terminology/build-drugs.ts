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
import { writeOrCheck } from './write-or-check';
import type {
  DrugEntry,
  DrugTableFile,
  InhibitorsFile,
  LabelDosesFile,
  LabelDoseTable,
  RecommendationRow,
  RecommendationsFile,
} from '../../src/pgx/drug-knowledge';
import type { GuidelineCitation, RecommendationAction } from '../../src/pgx/types';
import type { RawGeneTable } from '../../src/pgx/gene-knowledge';
import { classifyIndicator, previousIndicator, type CpicText } from './classify-indicator';

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

/** terminology/sources/cpic-recommendation-text.json: row id → CPIC's classification and text */
export interface CpicTextFile {
  texts: string[];
  rows: Record<string, [string, string, number]>;
}

export function cpicTextFor(file: CpicTextFile | undefined, id: string): CpicText | undefined {
  const hit = file?.rows[id];
  if (!hit) return undefined;
  const text = file.texts[hit[2]];
  if (text === undefined) fail(`cpic-recommendation-text: ${id} points at a missing text`);
  return { source: hit[0], classification: hit[1], text };
}

export function compileRecommendations(src: Obj, drugs: DrugTableFile, cpicText?: CpicTextFile): RecommendationsFile {
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
    const { indicator } = classifyIndicator({ id, action, strength }, cpicTextFor(cpicText, id));
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
      indicator,
    };
  });
  if (cpicText) for (const id of Object.keys(cpicText.rows)) if (!ids.has(id)) fail(`cpic-recommendation-text: unknown row ${id}`);
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

/**
 * Activity-score genes take the scaled score's phenotype from their gene table: the compiled method names that
 * table instead of restating its cut-offs, and the table must hold them.
 */
export function compileInhibitors(src: Obj, drugs: DrugTableFile, terminologyDir: string): InhibitorsFile {
  const known = new Set(drugs.drugs.map((d) => d.name));
  const genes: InhibitorsFile['genes'] = {};
  for (const [gene, m] of Object.entries(src.genes as Record<string, Obj>)) {
    if (m.method === 'phenotype-ladder') genes[gene] = m as InhibitorsFile['genes'][string];
    else if (m.method === 'activity-score') {
      if (m.phenotypes !== undefined) fail(`inhibitors: ${gene} restates score cut-offs; they are read from its gene table`);
      const phenotypesFrom = `genes/${gene}.json`;
      const table = JSON.parse(readFileSync(join(terminologyDir, phenotypesFrom), 'utf8')) as RawGeneTable;
      if (!table.scoreRules && !table.scoreRanges) fail(`inhibitors: ${phenotypesFrom} has no activity-score cut-offs`);
      const num = (v: unknown, what: string): number => (typeof v === 'number' ? v : fail(`inhibitors: ${gene}.${what} must be a number`));
      genes[gene] = {
        method: 'activity-score',
        strongFactor: num(m.strongFactor, 'strongFactor'),
        moderateFactor: num(m.moderateFactor, 'moderateFactor'),
        roundTo: num(m.roundTo, 'roundTo'),
        phenotypesFrom,
      };
    } else fail(`inhibitors: ${gene} has unknown method`);
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

function readCpicText(terminologyDir: string): CpicTextFile {
  return JSON.parse(readFileSync(join(terminologyDir, 'sources', 'cpic-recommendation-text.json'), 'utf8')) as CpicTextFile;
}

/**
 * docs/card-calibration-rows.md: per guideline, how many rows fall in each indicator and which rows the written
 * rule moved from the indicator the service gave before (action and strength alone).
 */
export function calibrationReport(terminologyDir: string): string {
  const src = parse(readFileSync(join(terminologyDir, 'sources', 'cpic-recommendations.yaml'), 'utf8')) as Obj;
  const drugs = compileDrugs(parse(readFileSync(join(terminologyDir, 'sources', 'drugs.yaml'), 'utf8')) as Obj);
  const cpicText = readCpicText(terminologyDir);
  const recs = compileRecommendations(src, drugs, cpicText);
  const byGuideline = new Map<string, RecommendationRow[]>();
  for (const r of recs.rows) byGuideline.set(r.guideline, [...(byGuideline.get(r.guideline) ?? []), r]);
  const lines = [
    '# Card indicator per CPIC row (generated)',
    '',
    'Generated by `npm run terminology` (scripts/terminology/build-drugs.ts) from terminology/sources; the rule is in',
    '[card-calibration.md](card-calibration.md). "Before" is the indicator the service gave from action and strength',
    'alone; "CPIC text" counts the rows whose CPIC text was read and checked against the class.',
    '',
    '| guideline | rows | CPIC text | critical | warning | info | changed |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  const changed: string[] = [];
  let total = 0;
  for (const [g, rows] of [...byGuideline.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const count = (i: string) => rows.filter((r) => r.indicator === i).length;
    const moved = rows.filter((r) => previousIndicator(r) !== r.indicator);
    total += moved.length;
    const withText = rows.filter((r) => cpicText.rows[r.id]).length;
    lines.push(`| ${g} | ${rows.length} | ${withText} | ${count('critical')} | ${count('warning')} | ${count('info')} | ${moved.length} |`);
    for (const r of moved) {
      const { basis } = classifyIndicator(r, cpicTextFor(cpicText, r.id));
      const key = Object.entries(r.lookup).map(([gene, k]) => `${gene} ${k}`).join(', ');
      changed.push(`| \`${r.id}\` | ${key} | ${r.action} (${r.strength}) | ${previousIndicator(r)} → **${r.indicator}** | ${basis} |`);
    }
  }
  lines.push('', `## Rows whose indicator changed (${total})`, '', '| row | lookup | action (strength) | indicator | why |', '|---|---|---|---|---|', ...changed);
  return lines.join('\n') + '\n';
}

export function compileLabelDoses(src: Obj, drugs: DrugTableFile): LabelDosesFile {
  const known = new Set(drugs.drugs.map((d) => d.name));
  const tables = (src.tables as Obj[]).map((t, i): LabelDoseTable => {
    const drug = str(t.drug, `tables[${i}].drug`);
    if (!known.has(drug)) fail(`label dose table: ${drug} is not in drugs.yaml`);
    const s = t.source as Obj;
    const genes = strList(t.genes, `${drug}.genes`);
    const keysOf = (o: Obj, where: string): Record<string, string> => {
      const out: Record<string, string> = {};
      for (const g of genes) out[g] = str(o[g], `${where}.${g}`);
      return out;
    };
    const cells = (t.cells as Obj[]).map((c, j) => ({ keys: keysOf(c, `${drug}.cells[${j}]`), dose: str(c.dose, `${drug}.cells[${j}].dose`) }));
    const reference = keysOf(t.reference as Obj, `${drug}.reference`);
    const id = (k: Record<string, string>) => genes.map((g) => k[g]).join('|');
    if (new Set(cells.map((c) => id(c.keys))).size !== cells.length) fail(`label dose table ${drug}: duplicate cell`);
    if (!cells.some((c) => id(c.keys) === id(reference))) fail(`label dose table ${drug}: reference is not a cell`);
    return {
      drug,
      source: { name: str(s.name, `${drug}.source.name`), url: str(s.url, `${drug}.source.url`), version: str(s.version, `${drug}.source.version`), license: str(s.license, `${drug}.source.license`) },
      unit: str(t.unit, `${drug}.unit`),
      genes,
      reference,
      cells,
    };
  });
  return { version: str(src.version, 'label-doses.version'), tables };
}

export function buildDrugTerminology(terminologyDir: string): Record<string, string> {
  const read = (f: string) => parse(readFileSync(join(terminologyDir, 'sources', f), 'utf8')) as Obj;
  const drugs = compileDrugs(read('drugs.yaml'));
  const recommendations = compileRecommendations(read('cpic-recommendations.yaml'), drugs, readCpicText(terminologyDir));
  const inhibitors = compileInhibitors(read('inhibitors.yaml'), drugs, terminologyDir);
  const labelDoses = compileLabelDoses(read('fda-label-doses.yaml'), drugs);
  const out = (o: unknown) => JSON.stringify(o, null, 1) + '\n';
  return {
    'drugs.json': out(drugs),
    'recommendations.json': out(recommendations),
    'inhibitors.json': out(inhibitors),
    'label-doses.json': out(labelDoses),
  };
}

if (require.main === module) {
  const dir = resolve(__dirname, '../../terminology');
  const check = process.argv.includes('--check');
  const files = buildDrugTerminology(dir);
  let stale = writeOrCheck(dir, files, check);
  const reportPath = resolve(__dirname, '../../docs/card-calibration-rows.md');
  const report = calibrationReport(dir);
  if (check) {
    let current = '';
    try {
      current = readFileSync(reportPath, 'utf8');
    } catch {
      /* missing counts as stale */
    }
    if (current !== report) {
      stale = true;
      console.error('stale: docs/card-calibration-rows.md');
    }
  } else {
    writeFileSync(reportPath, report);
    console.log('wrote docs/card-calibration-rows.md');
  }
  if (stale) process.exit(1);
}
