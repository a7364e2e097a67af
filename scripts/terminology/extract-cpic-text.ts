/**
 * One-off extraction, kept so the result can be re-derived: reads CPIC's own recommendation rows from a git
 * clone of PharmGKB/PharmCAT (CPIC's per-drug export, and PharmGKB's annotation of CPIC's RYR1/CACNA1S rows) and
 *
 *  1. writes terminology/sources/cpic-recommendation-text.json: for every stored row of
 *     terminology/sources/cpic-recommendations.yaml whose vintage the clone carries, CPIC's classification and
 *     recommendation text (CPIC: CC0). The terminology build classifies each row's card indicator from it.
 *  2. with --gap-rows, prints as YAML CPIC's rows for one gene untested ("No Result") or uninterpretable
 *     ("Indeterminate") while the other gene is known, for the drugs in GAP_DRUGS: CPIC's key and strength, the
 *     words of the stored row with that gene normal (CPIC's text for the tricyclics' untested partner is the
 *     normal-partner advice; the build then checks each against CPIC's own text).
 *
 *   npx tsx scripts/terminology/extract-cpic-text.ts <path to a PharmCAT git directory> [--gap-rows]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { normaliseLookupKey, rowKey } from '../../src/pgx/drug-knowledge';

/** CPIC's per-drug export, cpicVersion v1.30.0 (2023-08-08) */
const EXPORT_COMMIT = '76bfe08c85fc1b63d014445e3d7dd883cf7088cf';
const EXPORT_DIR = 'src/main/resources/org/pharmgkb/pharmcat/reporter/guidelines/cpic';
/** PharmGKB's annotations of CPIC's rows, data 2024-03-25 (CPIC v1.38) */
const ANNOTATION_COMMIT = '0c6123b692d07a362d34c7b61d6a9bab779f7ad6';
const RYR1_FILE =
  'src/main/resources/org/pharmgkb/pharmcat/reporter/guidelines/CPIC_desflurane_enflurane_halothane_isoflurane_methoxyflurane_sevoflurane_succinylcholine_and_CACNA1S_RYR1.json';

/** guidelines whose stored rows are at the v1.30.0 export's vintage (the header of the YAML says which) */
const AT_EXPORT = (version: string) => version === 'v1.30.0';
/** multi-gene drugs (v1.30.0) whose CPIC "No Result"/"Indeterminate" rows are carried */
const GAP_DRUGS = ['amitriptyline', 'clomipramine', 'doxepin', 'imipramine', 'trimipramine'];
/** the partner gene's normal key, whose stored row words a gap row (CYP2D6 normal metabolizer: activity score 1.25-2.25) */
const NORMAL: Record<string, string> = { CYP2D6: '1.25', CYP2C19: 'Normal Metabolizer' };
const GAP = /^(No Result|Indeterminate)$/;

interface Row {
  id: string;
  drug: string;
  guideline: string;
  population: string;
  lookup: Record<string, string>;
  action: string;
  strength: string;
  dosing?: string;
  note?: string;
  alternatives?: string[];
}
interface CpicRow {
  lookup: Record<string, string>;
  classification: string;
  text: string;
  population: string;
}

const root = resolve(__dirname, '../..');
const git = process.argv[2];
if (!git) throw new Error('usage: extract-cpic-text.ts <PharmCAT git dir> [--gap-rows]');
const show = (commit: string, path: string): string | undefined => {
  try {
    return execFileSync('git', ['-C', git, 'show', `${commit}:${path}`], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
};
const clean = (s: string) => s.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();

const exportCache = new Map<string, CpicRow[]>();
function exportRows(drug: string): CpicRow[] {
  let rows = exportCache.get(drug);
  if (!rows) {
    const text = show(EXPORT_COMMIT, `${EXPORT_DIR}/${drug.replace(/ \/ /g, '_').replace(/[ /-]/g, '_')}.json`);
    const json = text ? (JSON.parse(text) as { recommendations: Array<Record<string, unknown>> | null }) : { recommendations: [] };
    rows = (json.recommendations ?? []).map((r) => ({
      lookup: r.lookupkey as Record<string, string>,
      classification: String(r.classification),
      text: clean(String(r.drugrecommendation)),
      population: String(r.population ?? '').trim(),
    }));
    exportCache.set(drug, rows);
  }
  return rows;
}

let ryr1: Array<CpicRow & { drugs: string[] }> | undefined;
function ryr1Rows(): Array<CpicRow & { drugs: string[] }> {
  if (!ryr1) {
    const json = JSON.parse(show(ANNOTATION_COMMIT, RYR1_FILE) ?? '{"recommendations":[]}') as { recommendations: Array<Record<string, any>> };
    ryr1 = json.recommendations.map((r) => ({
      lookup: r.lookupKey,
      classification: r.classification.term,
      text: clean(r.text.html),
      population: String(r.population ?? '').trim(),
      drugs: (r.relatedChemicals as Array<{ name: string }>).map((c) => c.name),
    }));
  }
  return ryr1;
}

const usable = (lookup: Record<string, string>) => Object.values(lookup).every((k) => !/^n\/a$/i.test(k));
const sameKey = (a: Record<string, string>, b: Record<string, string>) => usable(a) && rowKey(a) === rowKey(b);

function match(row: Row, version: string): { source: string; row: CpicRow } | undefined {
  let cands: CpicRow[];
  let source: string;
  if (AT_EXPORT(version)) {
    cands = exportRows(row.drug).filter((c) => sameKey(c.lookup, row.lookup));
    source = 'cpic-v1.30.0';
  } else if (row.guideline === 'ryr1-and-cacna1s') {
    cands = ryr1Rows().filter((c) => c.drugs.includes(row.drug) && sameKey(c.lookup, row.lookup));
    source = 'pharmgkb-2024-03-25';
  } else return undefined;
  const pop = cands.filter((c) => c.population.toLowerCase() === row.population.trim().toLowerCase());
  if (pop.length) cands = pop;
  return cands.length === 1 ? { source, row: cands[0] as CpicRow } : undefined;
}

const yamlPath = resolve(root, 'terminology/sources/cpic-recommendations.yaml');
const src = parse(readFileSync(yamlPath, 'utf8')) as { guidelines: Record<string, { version: string }>; rows: Row[] };
const texts: string[] = [];
const textIndex = new Map<string, number>();
const rows: Record<string, [string, string, number]> = {};
const unmatched: string[] = [];
for (const row of src.rows) {
  const version = src.guidelines[row.guideline]?.version ?? '';
  const hit = match(row, version);
  if (!hit) {
    unmatched.push(row.id);
    continue;
  }
  let i = textIndex.get(hit.row.text);
  if (i === undefined) {
    i = texts.length;
    texts.push(hit.row.text);
    textIndex.set(hit.row.text, i);
  }
  rows[row.id] = [hit.source, hit.row.classification, i];
}

if (process.argv.includes('--gap-rows')) {
  // CPIC's rows for one gene untested/uninterpretable: CPIC's key and strength, worded like the stored row with
  // that gene normal (for the tricyclics CPIC's advice for an untested partner is the normal-partner advice)
  const out: string[] = [];
  for (const drug of GAP_DRUGS) {
    const stored = src.rows.filter((r) => r.drug === drug);
    const byKey = new Map(stored.map((r) => [rowKey(r.lookup), r]));
    const gaps = exportRows(drug).filter(
      (c) =>
        usable(c.lookup) &&
        Object.values(c.lookup).some((k) => GAP.test(k)) &&
        Object.values(c.lookup).some((k) => !GAP.test(k)) &&
        c.classification !== 'No Recommendation',
    );
    let n = 0;
    for (const c of gaps) {
      if (byKey.has(rowKey(c.lookup))) continue;
      const lookup: Record<string, string> = {};
      const twinKey: Record<string, string> = {};
      for (const g of Object.keys(c.lookup).sort()) {
        const k = c.lookup[g] as string;
        lookup[g] = GAP.test(k) || !/^(≥)?\d/.test(k) ? k : normaliseLookupKey(g, k);
        twinKey[g] = GAP.test(k) ? (NORMAL[g] as string) : lookup[g]!;
      }
      const twin = byKey.get(rowKey(twinKey));
      if (!twin) {
        console.error(`${drug} ${JSON.stringify(c.lookup)}: no stored row for ${JSON.stringify(twinKey)} — left out`);
        continue;
      }
      n++;
      const id = `${drug.replace(/ /g, '-')}-gap-${String(n).padStart(3, '0')}`;
      out.push(
        `  - id: ${id}`,
        `    drug: "${drug}"`,
        `    guideline: ${twin.guideline}`,
        `    population: "${twin.population}"`,
        `    lookup: ${JSON.stringify(lookup).replace(/,/g, ', ')}`,
        `    action: ${twin.action}`,
        `    strength: "${c.classification}"`,
        ...(twin.dosing ? [`    dosing: ${JSON.stringify(twin.dosing)}`] : []),
        ...(twin.note ? [`    note: ${JSON.stringify(twin.note)}`] : []),
        ...(twin.alternatives?.length ? [`    alternatives: ${JSON.stringify(twin.alternatives).replace(/,/g, ', ')}`] : []),
      );
    }
  }
  console.log(out.join('\n'));
} else {
  const file = {
    about:
      "CPIC's own classification and recommendation text for the rows of cpic-recommendations.yaml, by row id: [source, classification, index into texts]. Read by the terminology build to classify each row's card indicator (docs/card-calibration.md); never shown on cards. Extracted by scripts/terminology/extract-cpic-text.ts.",
    license: 'CPIC recommendation text: CC0 1.0 (cpicpgx.org). Read through PharmGKB/PharmCAT (MPL-2.0 code; its data files as noted per source).',
    sources: {
      'cpic-v1.30.0': `CPIC per-drug export, cpicVersion v1.30.0: PharmGKB/PharmCAT commit ${EXPORT_COMMIT} (2023-08-08), ${EXPORT_DIR}/<drug>.json`,
      'pharmgkb-2024-03-25': `PharmGKB annotation of CPIC's RYR1/CACNA1S rows (CPIC v1.38; PharmGKB data CC BY-SA 4.0, attribution: PharmGKB, https://www.pharmgkb.org): PharmGKB/PharmCAT commit ${ANNOTATION_COMMIT}, ${RYR1_FILE}`,
    },
    notCarried: `Rows with no text here: ${unmatched.length} (guidelines at a vintage no stored CPIC file carries: the 2026-05-05 thiopurine, metoprolol and hydralazine rows; warfarin's single summary row). They are classified from their structured fields alone.`,
    texts,
    rows,
  };
  writeFileSync(resolve(root, 'terminology/sources/cpic-recommendation-text.json'), JSON.stringify(file, null, 1) + '\n');
  console.log(`rows with CPIC text: ${Object.keys(rows).length}; without: ${unmatched.length} (${[...new Set(unmatched.map((id) => id.replace(/-\d+$/, '')))].join(', ')})`);
}
