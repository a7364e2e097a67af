/**
 * Extract FDA and DPWG pharmacogenomic guidance for the genes in our tables into
 * terminology/sources/guidance-extracted.json, with provenance. Run by hand against local git mirrors; the product
 * build (build-guidance.ts) reads only the committed output.
 *
 *   npx tsx scripts/terminology/extract-guidance.ts --pharmcat <PharmGKB/PharmCAT git dir> \
 *     --fda <PharmGKB/fda-biomarker git dir> --cpic <cpicpgx/cpic-data git dir>
 *
 * Inputs (pinned commits, read with `git show`):
 * - FDA Table of Pharmacogenetic Associations, as scraped verbatim by PharmGKB (fda_pgx_associations_table.json).
 * - DPWG guideline annotations by PharmGKB, per guideline, as PharmCAT shipped them before it merged them into one
 *   file (src/main/resources/org/pharmgkb/pharmcat/reporter/guidelines/DPWG_*.json).
 * - CPIC's drug table (cpic-data migrations) for the RxNorm ingredient code of drugs not yet in drugs.yaml.
 * - FDA-table entries the 2021 copy lacks, as PharmGKB/ClinPGx annotates them for PharmCAT, transcribed into
 *   terminology/sources/fda-table-pharmcat-2026.json (committed; its provenance block names the file read).
 * - DPWG guidelines whose advice changed after the 2024 copy, as PharmGKB/ClinPGx annotates them now, transcribed into
 *   terminology/sources/dpwg-pharmcat-2026.json: for those guidelines a row takes its text, recommendation id and
 *   version from there (same lookup key); every other DPWG row is the 2024 copy's.
 * Rows for a drug and gene that terminology/sources/guidance-fda-dpwg.yaml already carries from a newer reading of
 * the same source (or from the FDA label itself) are left to that file.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { GuidanceRow } from '../../src/pgx/other-guidance';

const FDA_COMMIT = '6128eb5f6f5614c080d05dbc7b8deb2c9c6b520f';
const FDA_PATH = 'fda_pgx_associations_table.json';
const DPWG_COMMIT = '30f8cfb7b3d71f6b579212f8161689e5f7dc2e63';
const DPWG_DIR = 'src/main/resources/org/pharmgkb/pharmcat/reporter/guidelines';
const CPIC_COMMIT = '459e3ebdccdccbe515a71dacf038ec532d1bc68d';
// the newer FDA table's drug list, as PharmCAT v3.1.0 reports it (data 2025-11-05): to name what the 2021 copy lacks
const REPORT_COMMIT = '5431bf1187e50383df7e7db18ef67b36fc8b562e';
const REPORT_PATH = 'docs/examples/pharmcat.example.report.json';
const CPIC_DIR = 'src/main/resources/db/migration';
const FDA_TABLE_URL = 'https://www.fda.gov/medical-devices/precision-medicine/table-pharmacogenetic-associations';

const FDA_SECTIONS: Record<string, string> = {
  recommendation: 'Pharmacogenetic Associations for which the Data Support Therapeutic Management Recommendations',
  impact: 'Pharmacogenetic Associations for which the Data Indicate a Potential Impact on Safety or Response',
  pk: 'Pharmacogenetic Associations for which the Data Demonstrate a Potential Impact on Pharmacokinetic Properties Only',
};

type Row = GuidanceRow & { version?: string; indicator?: 'info' };

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (!v) throw new Error(`extract-guidance: --${name} <git dir> is required`);
  return v;
}
const git = (dir: string, ...args: string[]): string => execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const show = (dir: string, commit: string, path: string): string => git(dir, 'show', `${commit}:${path}`);
const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

const termDir = resolve(__dirname, '../../terminology');
interface GeneFacts {
  terms: Set<string>;
  alleles: Set<string>;
  /** the alleles a carrier gene (HLA) reports positive/negative for */
  carriers: Set<string>;
}
const geneTables = new Map<string, GeneFacts>();
function gene(name: string): GeneFacts | undefined {
  if (geneTables.has(name)) return geneTables.get(name);
  let t: Record<string, unknown>;
  try {
    t = JSON.parse(readFileSync(join(termDir, 'genes', `${name}.json`), 'utf8'));
  } catch {
    return undefined;
  }
  const terms = new Set<string>();
  for (const k of ['pairRules', 'scoreRules', 'singleRules']) for (const v of Object.values((t[k] as Record<string, { phenotype: string }>) ?? {})) terms.add(v.phenotype);
  for (const r of (t.scoreRanges as { phenotype: string }[] | undefined) ?? []) terms.add(r.phenotype);
  const entry = { terms, alleles: new Set(Object.keys((t.alleles as object) ?? {})), carriers: new Set((t.carrierAlleles as string[] | undefined) ?? []) };
  geneTables.set(name, entry);
  return entry;
}

/** CPIC's phenotype terms for a metabolizer/function word, with CPIC's "Likely" forms where the gene has them */
function terms(geneName: string, words: string[]): string[] {
  const g = gene(geneName)!;
  const out: string[] = [];
  for (const w of words) for (const t of [w, `Likely ${w}`]) if (g.terms.has(t)) out.push(t);
  return out;
}

// --- drugs: ours (drugs.yaml) and CPIC's drug table (name → RxNorm ingredient)
const ourDrugs = (parse(readFileSync(join(termDir, 'sources', 'drugs.yaml'), 'utf8')) as { drugs: { name: string; rxcui: string; names?: string[] }[] }).drugs;
const ours = new Map(ourDrugs.map((d) => [d.name, d.rxcui]));
// a source may call a drug by one of the other names drugs.yaml lists for it (e.g. a biologic's suffixed name)
const otherNames = new Map(ourDrugs.flatMap((d) => (d.names ?? []).map((n) => [n.toLowerCase(), d.name] as const)));
const ourName = (name: string): string => (ours.has(name) ? name : (otherNames.get(name) ?? name));
// a drug the oncology table carries is left to it: one drug, one engine
const oncologyDrugs = new Set((parse(readFileSync(join(termDir, 'sources', 'oncology-indications.yaml'), 'utf8')) as { drugs: { name: string }[] }).drugs.map((d) => d.name));
function cpicDrugTable(dir: string): Map<string, { rxcui: string; file: string }> {
  const out = new Map<string, { rxcui: string; file: string }>();
  const files = git(dir, 'ls-tree', '--name-only', CPIC_COMMIT, `${CPIC_DIR}/`).split('\n').filter((f) => f.endsWith('.sql')).sort();
  for (const f of files) {
    const text = show(dir, CPIC_COMMIT, f);
    const file = f.split('/').pop()!;
    for (const m of text.matchAll(/COPY drug \(([^)]*)\) FROM stdin;\n([\s\S]*?)\n\\\./g)) {
      const cols = m[1]!.split(',').map((c) => c.trim());
      for (const line of m[2]!.split('\n')) {
        const r = Object.fromEntries(line.split('\t').map((v, i) => [cols[i], v]));
        if (r.rxnormid && !out.has(r.name)) out.set(r.name, { rxcui: r.rxnormid, file });
      }
    }
    for (const m of text.matchAll(/insert into drug\s*\(([^)]*)\)\s*values\s*\(([^;]*?)\)\s*(?:on conflict[^;]*)?;/gi)) {
      const cols = m[1]!.split(',').map((c) => c.trim());
      const vals = [...m[2]!.matchAll(/'((?:[^']|'')*)'|null/g)].map((v) => v[1] ?? '');
      if (vals.length !== cols.length) continue;
      const r = Object.fromEntries(cols.map((c, i) => [c, vals[i]]));
      if (r.rxnormid && !out.has(r.name)) out.set(r.name, { rxcui: r.rxnormid, file });
    }
  }
  return out;
}

// the newer FDA-table entries, transcribed (see the file's provenance)
const NEWER_FDA_FILE = 'fda-table-pharmcat-2026.json';
// the newer DPWG recommendations of the guidelines whose advice changed, transcribed (see the file's provenance)
const NEWER_DPWG_FILE = 'dpwg-pharmcat-2026.json';

// --- action and indicator from the source's own words (docs/card-calibration.md: a row with no genotype-driven
// change is info; a dose change, an alternative or an actionable caution is a warning; a contraindication critical)
const RANK = ['info', 'monitor', 'adjust-dose', 'consider-alternative', 'use-alternative', 'avoid', 'contraindicated'] as const;
type Verdict = (typeof RANK)[number];
const DOSE = /\b(reduce|reduced|reduction|reductions|reducing|lower|lowest|maximum|exceed|exceeding|adjust|adjustment|adjusted|increase|double|less frequent|\d+(\.\d+)?( times|x|-fold)|\d+(-\d+)?% of)\b/i;

/** The most decisive instruction in the text, sentence by sentence. */
function strongest(sentences: string[], classify: (s: string) => Verdict | undefined): Verdict {
  let v: Verdict = 'info';
  for (const s of sentences) {
    const x = classify(s);
    if (x && RANK.indexOf(x) > RANK.indexOf(v)) v = x;
  }
  return v;
}

const ALLELE_CARRIERS = /\b[A-Z0-9]+\*\d+ (alleles? )?carriers\b|\bcarriers of [A-Z0-9]+\*\d+/;

function fdaVerdict(text: string): Verdict {
  return strongest(text.split(/(?<=\.)\s+/), (s) => {
    if (/regardless of genotype/i.test(s)) return undefined;
    if (/contraindicated/i.test(s)) return /children|adolescents|coadministration|taking/i.test(s) ? 'monitor' : 'contraindicated';
    if (/^do not use\b/i.test(s)) return 'avoid';
    if (/^avoid use\b/i.test(s)) return /unless/i.test(s) ? 'consider-alternative' : 'monitor';
    // advice for carriers of one allele ("CYP2C9*3 carriers") is narrower than a phenotype key: a metabolizer
    // phenotype does not say whether that allele is present, so for the row it is a caution, not an instruction
    if (ALLELE_CARRIERS.test(s)) return 'monitor';
    if (DOSE.test(s) && /\bdos|titration/i.test(s) && !/^no dosage has/i.test(s)) return 'adjust-dose';
    if (/alternative|another platelet/i.test(s)) return 'consider-alternative';
    if (/\b(monitor|caution|measure|withhold|discontinue)\b/i.test(s)) return 'monitor';
    return undefined;
  });
}

/**
 * Marks where a list item, list, paragraph or line starts or ends, for dpwgVerdict: the newer DPWG texts
 * (dpwg-pharmcat-2026.json) are lists whose items end without a full stop ("avoid tioguanine", then "if it is not
 * possible to avoid tioguanine: ..."). The 2024 texts are read as they always were, without marks.
 */
const BREAK = '\u241E';
const verdictText = (html: string): string => clean(html.replace(/<\/?(li|p|ul|ol)(\s[^>]*)?>|<br\s*\/?>/gi, ` ${BREAK} `));

/**
 * DPWG states its main advice first and its fallbacks after ("If an alternative is not an option: ..."), so the
 * first instruction decides. Advice that applies only with a co-medication, or only with kidney or liver
 * impairment, is a caution for this genotype alone.
 */
function dpwgVerdict(text: string): Verdict {
  const t = text.replaceAll(BREAK, ' ').replace(/\s+/g, ' ').trim();
  if (/^no action is (needed|required)/i.test(t)) return 'info';
  if (/^\S+ is contra-?indicated/i.test(t)) return 'contraindicated';
  if (/^co-medication with/i.test(t) || /^[^.:]*\b(renal|hepatic|kidney|liver) impairment\b[^.:]*:/i.test(t)) return 'monitor';
  for (const s of text.split(new RegExp(`(?<=[.:])\\s+|\\s*${BREAK}\\s*`)).filter((x) => x.trim())) {
    // conditions ("Indication DEPRESSION:") and statements of missing evidence are not instructions
    if (/:$/.test(s) || /^if\b|not possible to|cannot be predicted|insufficient|there are no data/i.test(s)) continue;
    if (/contra-?indicated/i.test(s)) return 'avoid';
    if (/\bavoid \w+/i.test(s)) return /\bor\b|if an alternative/i.test(s) ? 'consider-alternative' : 'avoid';
    if (/\b(choose|select) an alternative\b/i.test(s)) return /\bor\b|if possible|if an alternative|precaution/i.test(s) ? 'consider-alternative' : 'use-alternative';
    if ((DOSE.test(s) || /\bhalf\b/i.test(s)) && /\bdos|titrat/i.test(s)) return 'adjust-dose';
    if (/alternative/i.test(s)) return 'consider-alternative';
    if (/\b(monitor|alert|measure|determine)\b/i.test(s)) return 'monitor';
  }
  // advice we cannot place is shown as a caution, never as standard use
  return 'monitor';
}

/** DPWG's "no action" is standard use; an FDA statement with no instruction is an association shown as info */
function toRow(v: Verdict, source: 'dpwg' | 'fda-table'): Pick<Row, 'action' | 'contraindicated' | 'indicator'> {
  if (v === 'contraindicated') return { action: 'avoid', contraindicated: true };
  if (v === 'info') return source === 'dpwg' ? { action: 'standard' } : { action: 'monitor', indicator: 'info' };
  return { action: v };
}

const clean = (html: string): string =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#39;|&rsquo;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();

/**
 * The text as a card shows it, on one line: list items and paragraphs that end without punctuation are followed
 * by "; " instead of running into the next ("avoid tioguanine; if it is not possible to avoid tioguanine: use
 * 10% …"). The words are the source's; the action is read from the text before this (clean / verdictText).
 */
const displayText = (html: string): string =>
  clean(html.replace(/<\/(li|p)>|<br\s*\/?>/gi, ` ${BREAK} `))
    .replace(new RegExp(`\\s*${BREAK}(\\s*${BREAK})*\\s*`, 'g'), (gap, _g, at: number, all: string) => {
      const before = all.slice(0, at).trimEnd();
      const rest = all.slice(at + gap.length);
      return !before || !rest || /[.:;,!?]$/.test(before) ? ' ' : '; ';
    })
    .trim();

// --- FDA Table of Pharmacogenetic Associations
const METABOLIZER_WORDS = ['Ultrarapid Metabolizer', 'Rapid Metabolizer', 'Normal Metabolizer', 'Intermediate Metabolizer', 'Poor Metabolizer'];

interface FdaEntry {
  Drug: string;
  Gene: string;
  'Affected Subgroups+': string;
  'Description of Gene-Drug Interaction': string;
  table: string;
}

function fdaMatch(geneName: string, subgroup: string): Pick<Row, 'phenotypes' | 'diplotypes' | 'lookupKeys'> | undefined {
  const s = subgroup.toLowerCase();
  const dip = subgroup.match(/^(\*\d+\/\*\d+) \(/);
  if (dip) return { diplotypes: [dip[1]!] };
  const carrier = subgroup.match(/^(\*\d+:\d+) allele positive$/);
  if (carrier) return gene(geneName)!.carriers.has(carrier[1]!) ? { lookupKeys: [`${carrier[1]} positive`] } : undefined;
  if (geneName === 'VKORC1' && /-1639g>a variant carriers/.test(s)) return { phenotypes: terms('VKORC1', ['-1639 AA', '-1639 AG']) };
  if (geneName === 'CYP4F2' && /v433m variant carriers/.test(s)) return { lookupKeys: ['*3 carrier'] };
  if (geneName === 'SLCO1B1') {
    const w = [...(/intermediate/.test(s) ? ['Decreased Function'] : []), ...(/poor/.test(s) ? ['Poor Function'] : [])];
    return w.length ? { phenotypes: terms('SLCO1B1', w) } : undefined;
  }
  if (!/metabolizer/.test(s)) return undefined;
  const words = METABOLIZER_WORDS.filter((w) => new RegExp(`(^|[ ,])${w.split(' ')[0]!.toLowerCase()}\\b`).test(s));
  const p = terms(geneName, words);
  return p.length ? { phenotypes: p } : undefined;
}

/** one FDA-table association as PharmGKB/ClinPGx annotates it (PharmCAT's prescribing_guidance.json) */
interface PgkbAssociation {
  guideline: { id: string; name: string; objCls: string; source: string; version: number; relatedChemicals: { name: string }[] };
  recommendations: { id: string; population: string; text: { html: string }; lookupKey: Record<string, unknown>[] }[];
  url: string;
}

/** PharmGKB quotes the FDA's words ("&quot;...&quot;"); the quotes are theirs, the words the FDA's */
const fdaWords = (html: string): string => {
  const t = clean(html).replace(/&quot;/g, '"');
  return /^"[^"]*"$/.test(t) ? t.slice(1, -1) : t;
};

// --- PharmGKB annotation lookup keys (DPWG guidelines, FDA-table associations) → our matching keys
function pgkbMatch(geneName: string, key: unknown): Pick<Row, 'phenotypes' | 'diplotypes' | 'lookupKeys'> | undefined {
  const g = gene(geneName)!;
  if (key && typeof key === 'object') {
    const names = Object.entries(key as Record<string, number>).flatMap(([a, n]) => Array<string>(n).fill(a));
    if (names.length !== 2 || names.some((a) => !g.alleles.has(a))) return undefined;
    return { diplotypes: [names.join('/')] };
  }
  const k = String(key);
  if (g.terms.has(k)) return { phenotypes: terms(geneName, [k]) };
  const score = k.match(/^(\d+(\.\d+)?)( \((Poor|Intermediate|Normal) Metabolizer\))?$/);
  if (score) return { lookupKeys: [score[1]!] };
  const carrier = k.match(/^(\*\d+:\d+) (positive|negative)$/);
  if (carrier) return g.carriers.has(carrier[1]!) ? { lookupKeys: [k] } : undefined; // our HLA results report only these alleles
  return undefined; // phenotyping-only keys ("1.0 (Phenotyping)") and combinations our results never give
}

/** one DPWG guideline as PharmGKB/ClinPGx annotates it now (terminology/sources/dpwg-pharmcat-2026.json) */
interface PgkbGuideline {
  guideline: { id: string; name: string; version: number };
  recommendations: { id: string; text: { html: string }; lookupKey: Record<string, unknown>[] }[];
  url: string;
}

/** the newer recommendation for a 2024 lookup key; DPYD's "1.0 (Intermediate Metabolizer)" is "1.0" there */
function newerRecommendation(g: PgkbGuideline, geneName: string, key: unknown): PgkbGuideline['recommendations'][number] {
  const want = JSON.stringify(typeof key === 'string' ? key.replace(/ \((Poor|Intermediate|Normal) Metabolizer\)$/, '') : key);
  const found = g.recommendations.filter((r) => r.lookupKey.length === 1 && Object.keys(r.lookupKey[0]!).join() === geneName && JSON.stringify(r.lookupKey[0]![geneName]) === want);
  if (found.length !== 1) throw new Error(`extract-guidance: ${NEWER_DPWG_FILE}: ${g.guideline.id} has ${found.length} recommendations for ${geneName} ${want}`);
  return found[0]!;
}

/**
 * The phenotype our table gives an activity score, and the phenotypes in score order, for the genes keyed by score;
 * `scores`: every score the gene can have, where that set is finite.
 */
function scoreBins(): Map<string, { bin: (k: string) => string | undefined; order: string[]; scores?: string[] }> {
  const read = (g: string): Record<string, unknown> => JSON.parse(readFileSync(join(termDir, 'genes', `${g}.json`), 'utf8'));
  const ranges = (read('CYP2D6') as { scoreRanges: { min: number; max: number | null; phenotype: string }[] }).scoreRanges;
  const rules = Object.entries((read('CYP2C9') as { scoreRules: Record<string, { phenotype: string }> }).scoreRules).sort(([a], [b]) => Number(a) - Number(b));
  return new Map([
    ['CYP2D6', { bin: (k: string) => ranges.find((r) => Number(k) >= r.min && (r.max === null || Number(k) <= r.max))?.phenotype, order: ranges.map((r) => r.phenotype) }],
    ['CYP2C9', { bin: (k: string) => rules.find(([s]) => s === k)?.[1].phenotype, order: [...new Set(rules.map(([, r]) => r.phenotype))], scores: rules.map(([k]) => k) }],
  ]);
}

/**
 * Rows keyed by activity score (CYP2D6, CYP2C9) become rows keyed by CPIC's phenotype for those scores, so scores
 * the source did not list (2.5, 3.5...) are covered — but only where every score of a phenotype gets the same row,
 * and, for a gene with a finite set of scores, where the row lists every score of the phenotype.
 */
function phenotypesForScores(rows: Row[]): void {
  for (const [geneName, { bin, order, scores }] of scoreBins()) {
    const scored = rows.filter((r) => r.gene === geneName && r.lookupKeys);
    const byDrug = new Map<string, Row[]>();
    for (const r of scored) byDrug.set(r.drug, [...(byDrug.get(r.drug) ?? []), r]);
    for (const list of byDrug.values()) {
      const owner = new Map<string, Row>();
      let split = false;
      for (const r of list) {
        for (const k of r.lookupKeys!) {
          const p = bin(k);
          if (!p || (owner.get(p) && owner.get(p) !== r)) split = true;
          else owner.set(p, r);
        }
      }
      if (scores) for (const [p, r] of owner) if (scores.some((k) => bin(k) === p && !r.lookupKeys!.includes(k))) split = true;
      if (split) continue;
      for (const r of list) {
        r.phenotypes = [...new Set(r.lookupKeys!.map((k) => bin(k)!))].sort((a, b) => order.indexOf(a) - order.indexOf(b));
        delete r.lookupKeys;
      }
    }
  }
}

function main(): void {
  const pharmcat = arg('pharmcat');
  const fdaDir = arg('fda');
  const cpicDir = arg('cpic');
  const cpicDrugs = cpicDrugTable(cpicDir);
  const hand = parse(readFileSync(join(termDir, 'sources', 'guidance-fda-dpwg.yaml'), 'utf8')) as { rows: Row[] };
  const handPairs = new Set(hand.rows.map((r) => `${r.source === 'dpwg' ? 'dpwg' : 'fda'}|${r.drug}|${r.gene}`));

  const rows: Row[] = [];
  const notCarried: { source: string; drug: string; gene: string; reason: string }[] = [];
  // every drug's RxNorm ingredient code as CPIC's drug table gives it; drugs.yaml must agree
  const rxnorm = new Map<string, { rxcui: string; file: string }>();
  const drugKnown = (drug: string, source: string, geneName: string): boolean => {
    const c = cpicDrugs.get(drug);
    if (c) {
      if (ours.has(drug) && ours.get(drug) !== c.rxcui) throw new Error(`extract-guidance: drugs.yaml gives ${drug} ${ours.get(drug)}, CPIC ${c.rxcui}`);
      rxnorm.set(drug, c);
      return true;
    }
    if (ours.has(drug)) return true;
    if (oncologyDrugs.has(drug)) {
      notCarried.push({ source, drug, gene: geneName, reason: 'an oncology-table drug (oncology-indications.yaml), which the PGx drug table leaves to that engine' });
      return false;
    }
    notCarried.push({ source, drug, gene: geneName, reason: 'no RxNorm ingredient code in drugs.yaml or CPIC\'s drug table' });
    return false;
  };

  // FDA table
  const fda = JSON.parse(show(fdaDir, FDA_COMMIT, FDA_PATH)) as { collectedOn: string; table: FdaEntry[] };
  for (const e of fda.table) {
    for (const geneName of e.Gene.split(/ and\/or |, /).map((x) => x.trim())) {
      if (!gene(geneName)) continue;
      const named = e.Drug.toLowerCase();
      const drug = ourName(named);
      if (handPairs.has(`fda|${drug}|${geneName}`)) continue;
      const match = fdaMatch(geneName, e['Affected Subgroups+']);
      if (!match) {
        notCarried.push({ source: 'fda-table', drug, gene: geneName, reason: `subgroup "${e['Affected Subgroups+']}" names no result our ${geneName} table gives` });
        continue;
      }
      if (!drugKnown(drug, 'fda-table', geneName)) continue;
      const text = e['Description of Gene-Drug Interaction'];
      rows.push({
        id: `fda-table-${slug(named)}-${slug(geneName)}-${e.table}`,
        source: 'fda-table',
        drug,
        gene: geneName,
        ...match,
        ...toRow(fdaVerdict(text), 'fda-table'),
        text: `${e['Affected Subgroups+']}: ${text}`,
        annotation: { id: `FDA table section ${Object.keys(FDA_SECTIONS).indexOf(e.table) + 1}`, url: FDA_TABLE_URL, title: `Section ${Object.keys(FDA_SECTIONS).indexOf(e.table) + 1}: ${FDA_SECTIONS[e.table]}` },
      } as Row);
    }
  }

  // FDA-table entries the 2021 copy lacks, from PharmGKB's annotation of the current table (transcribed)
  const inTable = new Set(fda.table.flatMap((e) => e.Gene.split(/ and\/or |, /).map((g) => `${e.Drug.toLowerCase()}|${g.trim()}`)));
  const newer = JSON.parse(readFileSync(join(termDir, 'sources', NEWER_FDA_FILE), 'utf8')) as {
    provenance: { repo: string; commit: string; path: string; dataVersion: string };
    guidelines: PgkbAssociation[];
  };
  const newerPairs = new Set<string>();
  for (const pkg of newer.guidelines) {
    const gl = pkg.guideline;
    const section = Object.keys(FDA_SECTIONS).find((k) => gl.name.includes(`[${FDA_SECTIONS[k]}]`));
    if (gl.source !== 'FDA' || gl.objCls !== 'PGx Association' || !section || gl.relatedChemicals.length !== 1) {
      throw new Error(`extract-guidance: ${NEWER_FDA_FILE}: ${gl.id} is not an FDA-table association of one drug`);
    }
    const named = gl.relatedChemicals[0]!.name.toLowerCase();
    const drug = ourName(named);
    // same words for several keys of one gene: one row
    const merged = new Map<string, { row: Row; populations: string[] }>();
    for (const rec of pkg.recommendations) {
      for (const key of rec.lookupKey) {
        const genes = Object.keys(key);
        if (genes.length !== 1 || !gene(genes[0]!)) continue;
        const geneName = genes[0]!;
        if (inTable.has(`${named}|${geneName}`)) throw new Error(`extract-guidance: ${NEWER_FDA_FILE}: ${named}/${geneName} is in the 2021 copy too`);
        newerPairs.add(`${named}|${geneName}`);
        if (handPairs.has(`fda|${drug}|${geneName}`)) continue;
        const match = pgkbMatch(geneName, key[geneName]);
        if (!match) continue;
        const text = fdaWords(rec.text.html);
        const k = `${geneName}|${Object.keys(match).join()}|${text}`;
        const prev = merged.get(k);
        const population = rec.population.replace(/^Affected subgroups?: /, '');
        if (prev) {
          for (const m of ['phenotypes', 'diplotypes', 'lookupKeys'] as const) {
            if (match[m]) prev.row[m] = [...new Set([...(prev.row[m] ?? []), ...match[m]!])];
          }
          prev.populations.push(population);
          continue;
        }
        merged.set(k, {
          row: {
            id: `fda-table-${slug(named)}-${slug(geneName)}-${section}`,
            source: 'fda-table',
            drug,
            gene: geneName,
            ...match,
            ...toRow(fdaVerdict(text), 'fda-table'),
            text,
            annotation: { id: gl.id, url: pkg.url, title: `Section ${Object.keys(FDA_SECTIONS).indexOf(section) + 1}: ${FDA_SECTIONS[section]}` },
            pgkbId: rec.id,
            version: `FDA table as annotated by PharmGKB/ClinPGx: association ${gl.id} version ${gl.version} (ClinPGx data ${newer.provenance.dataVersion}, via PharmCAT)`,
          } as Row,
          populations: [population],
        });
      }
    }
    const list = [...merged.values()];
    phenotypesForScores(list.map((m) => m.row));
    for (const { row, populations } of list) {
      // in the order the 2021 rows give them: by metabolizer word, each before its "Likely" form
      const canonical = METABOLIZER_WORDS.flatMap((w) => [w, `Likely ${w}`]).filter((p) => row.phenotypes?.includes(p));
      if (row.phenotypes && canonical.length === row.phenotypes.length) row.phenotypes = canonical;
      // the subgroup most of the merged keys name (an annotation may misname one)
      const population = [...new Set(populations)].sort((a, b) => populations.filter((p) => p === b).length - populations.filter((p) => p === a).length)[0]!;
      row.text = `${population}: ${row.text}`;
      if (list.filter((m) => m.row.gene === row.gene).length > 1) row.id += `-${row.pgkbId!.toLowerCase()}`;
      if (!drugKnown(row.drug, 'fda-table', row.gene)) continue;
      rows.push(row);
    }
  }

  // DPWG
  const files = git(pharmcat, 'ls-tree', '--name-only', DPWG_COMMIT, `${DPWG_DIR}/`).split('\n').filter((f) => /\/DPWG_.*\.json$/.test(f)).sort();
  let dataVersion = '';
  const newerDpwg = JSON.parse(readFileSync(join(termDir, 'sources', NEWER_DPWG_FILE), 'utf8')) as {
    provenance: { repo: string; commit: string; path: string; dataVersion: string };
    guidelines: PgkbGuideline[];
  };
  const newerGuideline = new Map(newerDpwg.guidelines.map((g) => [g.guideline.id, g]));
  const replaced = new Set<string>();
  for (const f of files) {
    const doc = JSON.parse(show(pharmcat, DPWG_COMMIT, f)) as {
      version: string;
      guideline: { id: string; name: string; version: number; url: string; relatedChemicals: { name: string }[]; relatedGenes: { symbol: string }[] };
      recommendations: { id: string; text: { html: string }; lookupKey: Record<string, unknown>; relatedChemicals: { name: string }[] }[];
    };
    dataVersion = doc.version;
    const gl = doc.guideline;
    const url = gl.url.replace('https://www.pharmgkb.org/', 'https://www.clinpgx.org/');
    const newer = newerGuideline.get(gl.id);
    if (newer && (newer.guideline.name !== gl.name || newer.url !== url)) throw new Error(`extract-guidance: ${NEWER_DPWG_FILE}: ${gl.id} is not ${gl.name}`);
    const version = newer
      ? `${gl.name.replace(/^Annotation of /, '')}, PharmGKB annotation ${gl.id} version ${newer.guideline.version} (ClinPGx data ${newerDpwg.provenance.dataVersion}, via PharmCAT)`
      : `${gl.name.replace(/^Annotation of /, '')}, PharmGKB annotation ${gl.id} version ${gl.version} (PharmCAT data ${doc.version})`;
    // same advice for several keys (of one kind) of one drug and gene: one row
    const merged = new Map<string, Row>();
    for (const old of doc.recommendations) {
      const genes = Object.keys(old.lookupKey);
      if (genes.length !== 1 || !gene(genes[0]!)) continue;
      const geneName = genes[0]!;
      if (/does not provide a recommendation/i.test(clean(old.text.html))) continue;
      for (const chem of old.relatedChemicals) {
        const drug = ourName(chem.name.toLowerCase());
        if (handPairs.has(`dpwg|${drug}|${geneName}`)) continue;
        const match = pgkbMatch(geneName, old.lookupKey[geneName]);
        if (!match) continue;
        const rec = newer ? newerRecommendation(newer, geneName, old.lookupKey[geneName]) : old;
        if (rec.id !== old.id) throw new Error(`extract-guidance: ${NEWER_DPWG_FILE}: ${gl.id} ${JSON.stringify(old.lookupKey)} is ${rec.id}, was ${old.id}`);
        if (newer) replaced.add(rec.id);
        const plain = clean(rec.text.html);
        const text = displayText(rec.text.html);
        const key = `${drug}|${geneName}|${Object.keys(match).join()}|${plain}`;
        const prev = merged.get(key);
        if (prev) {
          for (const k of ['phenotypes', 'diplotypes', 'lookupKeys'] as const) {
            if (match[k]) prev[k] = [...new Set([...(prev[k] ?? []), ...match[k]!])];
          }
          continue;
        }
        merged.set(key, {
          id: `dpwg-${slug(drug)}-${slug(geneName)}-${rec.id.toLowerCase()}`,
          source: 'dpwg',
          drug,
          gene: geneName,
          ...match,
          ...toRow(dpwgVerdict(newer ? verdictText(rec.text.html) : plain), 'dpwg'),
          text,
          annotation: { id: gl.id, url, title: gl.name },
          pgkbId: rec.id,
          version,
        } as Row);
      }
    }
    phenotypesForScores([...merged.values()]);
    for (const r of merged.values()) {
      if (!drugKnown(r.drug, 'dpwg', r.gene)) continue;
      rows.push(r);
    }
  }
  const unused = newerDpwg.guidelines.flatMap((g) => g.recommendations.map((r) => r.id)).filter((id) => !replaced.has(id));
  if (unused.length) throw new Error(`extract-guidance: ${NEWER_DPWG_FILE}: recommendations no 2024 row reads: ${unused.join(', ')}`);

  // FDA-table pairs PharmCAT's current data lists that neither the 2021 copy nor the transcribed entries carry
  const report = JSON.parse(show(pharmcat, REPORT_COMMIT, REPORT_PATH)) as { dataVersion: string; drugs: Record<string, Record<string, { guidelines: { name: string }[] }>> };
  for (const [name, d] of Object.entries(report.drugs['FDA PGx Association'] ?? {})) {
    for (const g of d.guidelines) {
      const m = g.name.match(/\]: (.+) - (.+)$/);
      if (!m) continue;
      for (const geneName of m[2]!.split(/ and\/or |, /).map((x) => x.trim())) {
        const pairs = [`${m[1]!.toLowerCase()}|${geneName}`, `${name}|${geneName}`];
        if (!gene(geneName) || pairs.some((p) => inTable.has(p) || newerPairs.has(p))) continue;
        notCarried.push({ source: 'fda-table', drug: name, gene: geneName, reason: `not in the ${fda.collectedOn.slice(0, 10)} copy of the table; listed by PharmCAT (data ${report.dataVersion})` });
      }
    }
  }

  const seen = new Set<string>();
  const uniqueNotCarried = notCarried.filter((n) => {
    const k = `${n.source}|${n.drug}|${n.gene}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const out = {
    about: [
      'Generated by scripts/terminology/extract-guidance.ts from the pinned inputs below; compiled with guidance-fda-dpwg.yaml',
      'by scripts/terminology/build-guidance.ts. Do not edit by hand: re-run the extraction.',
    ],
    provenance: {
      'fda-table': {
        repo: 'PharmGKB/fda-biomarker',
        commit: FDA_COMMIT,
        path: FDA_PATH,
        collectedOn: fda.collectedOn,
        sourceUrl: FDA_TABLE_URL,
        license: 'FDA content: US government work, public domain. Text copied verbatim by PharmGKB\'s scraper.',
      },
      dpwg: {
        repo: 'PharmGKB/PharmCAT',
        commit: DPWG_COMMIT,
        path: `${DPWG_DIR}/DPWG_*.json`,
        dataVersion,
        license: 'CC BY-SA 4.0',
        attribution: 'PharmGKB / ClinPGx (https://www.clinpgx.org), annotations redistributed by PharmCAT. DPWG guidelines © KNMP. This file, as a derivative, is offered under CC BY-SA 4.0.',
      },
      'dpwg-newer': {
        file: `terminology/sources/${NEWER_DPWG_FILE}`,
        repo: newerDpwg.provenance.repo,
        commit: newerDpwg.provenance.commit,
        path: newerDpwg.provenance.path,
        dataVersion: newerDpwg.provenance.dataVersion,
        guidelines: newerDpwg.guidelines.map((g) => `${g.guideline.id} version ${g.guideline.version}`),
        license: 'CC BY-SA 4.0 (PharmGKB / ClinPGx; DPWG guidelines © KNMP; attribution in the file)',
      },
      'fda-table-newer': {
        file: `terminology/sources/${NEWER_FDA_FILE}`,
        repo: newer.provenance.repo,
        commit: newer.provenance.commit,
        path: newer.provenance.path,
        dataVersion: newer.provenance.dataVersion,
        license: 'FDA text public domain; PharmGKB/ClinPGx annotation CC BY-SA 4.0 (attribution in the file)',
      },
      fdaTableDrugList: {
        repo: 'PharmGKB/PharmCAT',
        commit: REPORT_COMMIT,
        path: `${REPORT_PATH} (drugs["FDA PGx Association"]: which drug-gene pairs the current table lists)`,
      },
      rxnorm: {
        repo: 'cpicpgx/cpic-data',
        commit: CPIC_COMMIT,
        path: `${CPIC_DIR}/*.sql (drug table: rxnormid)`,
        license: 'CC0 (CPIC)',
      },
    },
    sources: {
      'fda-table': {
        name: 'FDA Table of Pharmacogenetic Associations',
        version: `FDA table as collected ${fda.collectedOn.slice(0, 10)} (PharmGKB/fda-biomarker ${FDA_COMMIT.slice(0, 8)})`,
        license: 'public domain (US government work)',
      },
    },
    rxnormFromCpic: Object.fromEntries([...rxnorm].sort(([a], [b]) => a.localeCompare(b)).map(([n, v]) => [n, { rxcui: v.rxcui, source: `cpic-data ${CPIC_COMMIT.slice(0, 8)} ${v.file}` }])),
    notCarried: uniqueNotCarried,
    rows,
  };
  const path = join(termDir, 'sources', 'guidance-extracted.json');
  writeFileSync(path, JSON.stringify(out, null, 1) + '\n');
  console.log(`wrote ${path}: ${rows.length} rows (${rows.filter((r) => r.source === 'fda-table').length} FDA table, ${rows.filter((r) => r.source === 'dpwg').length} DPWG); ${[...rxnorm.keys()].filter((d) => !ours.has(d)).length} drugs to add to drugs.yaml (rxnormFromCpic); ${uniqueNotCarried.length} not carried`);
}

main();
