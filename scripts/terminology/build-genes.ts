/**
 * Generate terminology/genes/ (the product's own compact CPIC gene tables) from the CPIC per-gene files.
 *   npx tsx scripts/terminology/build-genes.ts [outDir]
 * Source: $PBH_CPIC_SOURCE_DIR or /work/shared/data/cpic-gene-phenotypes. Output is deterministic (no
 * wall-clock: the generation date is the CPIC version date), so regeneration is byte-identical.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RawGeneTable } from '../../src/pgx/gene-knowledge';
import {
  activityScoreTable,
  functionPairTable,
  singleAlleleTable,
  type CpicSourceFile,
} from './genes-source';
import {
  CYP2D6_CORRECTIONS,
  CYP2D6_RANGES,
  CYP2D6_VERIFICATION,
  HGNC,
  IFNL3_PAIRS,
  LEGACY_POSITION,
  OWN_METHOD,
  SUPPLEMENT,
} from './genes-supplement';

export const CPIC_VERSION = '2025-11-05-00-25';
export const DEFAULT_SOURCE_DIR = '/work/shared/data/cpic-gene-phenotypes';
const SOURCE =
  'CPIC® (https://cpicpgx.org, CC0) gene-phenotype tables as redistributed by PharmGKB/PharmCAT ' +
  '(commit 5431bf11, 2025-11-19)';

const ACTIVITY_GENES = new Set(['CYP2C9', 'DPYD']);

/**
 * NAT2 is not in the shared CPIC snapshot: its CPIC table (same PharmCAT commit and CPIC export) is kept in
 * terminology/sources/cpic-nat2.json, rows grouped by phenotype. Expanded back into CPIC's row form here, so
 * the same rule check as for every other function-pair gene runs over all of its diplotypes.
 */
export const NAT2_SOURCE_FILE = path.resolve(__dirname, '../../terminology/sources/cpic-nat2.json');

export function readNat2Source(file = NAT2_SOURCE_FILE): CpicSourceFile {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    gene: string;
    version: string;
    haplotypes: Record<string, string>;
    diplotypesByPhenotype: Record<string, string[]>;
  };
  const diplotypes = Object.entries(raw.diplotypesByPhenotype).flatMap(([phenotype, list]) =>
    list.map((diplotype) => ({ diplotype, phenotype, lookupkey: phenotype, activityScore: null })),
  );
  return { gene: raw.gene, haplotypes: raw.haplotypes, activityValues: {}, diplotypes, version: raw.version };
}

function nat2Table(): Omit<RawGeneTable, 'version' | 'source'> {
  const src = readNat2Source();
  if (src.version !== CPIC_VERSION) throw new Error(`NAT2: CPIC version ${src.version}, expected ${CPIC_VERSION}`);
  return {
    ...functionPairTable(src, HGNC.NAT2!),
    provenance: [
      'CPIC NAT2 allele functions and diplotype table (PharmCAT 5431bf11 phenotype/NAT2.json, CPIC export ' +
        `${CPIC_VERSION}), kept in terminology/sources/cpic-nat2.json; all ${src.diplotypes.length} rows reproduce.`,
      "Alleles CPIC added on 2025-11-03 (*70-*75, cpic-data change log) are not in that export: reported as unknown.",
    ],
  };
}

/**
 * CFTR is not in the shared CPIC snapshot either: its CPIC table (PharmCAT 5431bf11 phenotype/CFTR.json, same
 * CPIC export) is kept in terminology/sources/cpic-cftr.json, rows grouped by phenotype like NAT2.
 */
export const CFTR_SOURCE_FILE = path.resolve(__dirname, '../../terminology/sources/cpic-cftr.json');

/**
 * CPIC names every allele without a listed ivacaftor-responsive variant "ivacaftor non-responsive CFTR
 * sequence". F508del, the commonest CF allele, is such an allele (not on CPIC's responsive list; CPIC's ivacaftor
 * guideline, PMID 24598717: ivacaftor is not recommended for F508del homozygotes), so a lab's "F508del" is read
 * with that function, as is "Reference" (PharmCAT's name for that sequence). Any other unlisted variant stays unknown
 * (indeterminate), never assumed.
 */
const CFTR_NON_RESPONSIVE_NAMES = ['F508del', 'Reference'];

function cftrTable(): Omit<RawGeneTable, 'version' | 'source'> {
  const src = readNat2Source(CFTR_SOURCE_FILE);
  if (src.version !== CPIC_VERSION) throw new Error(`CFTR: CPIC version ${src.version}, expected ${CPIC_VERSION}`);
  const table = functionPairTable(src, HGNC.CFTR!);
  const nonResponsive = src.haplotypes['ivacaftor non-responsive CFTR sequence'];
  if (!nonResponsive) throw new Error('CFTR: no "ivacaftor non-responsive CFTR sequence" allele');
  for (const name of CFTR_NON_RESPONSIVE_NAMES) table.alleles[name] = { function: nonResponsive };
  return {
    ...table,
    referenceAllele: 'ivacaftor non-responsive CFTR sequence',
    provenance: [
      'CPIC CFTR allele functionality (ivacaftor) and diplotype table (PharmCAT 5431bf11 phenotype/CFTR.json, CPIC export ' +
        `${CPIC_VERSION}), kept in terminology/sources/cpic-cftr.json; all ${src.diplotypes.length} rows reproduce.`,
      'F508del: read as CPIC\'s "ivacaftor non-responsive CFTR sequence" (not on CPIC\'s list of ivacaftor-responsive ' +
        'variants; CPIC ivacaftor guideline, PMID 24598717).',
      '"Reference": PharmCAT\'s name for that sequence in its reports (PharmCAT 5431bf11 docs/examples/pharmcat.example.report.json: ' +
        'CFTR "Reference/Reference" → "ivacaftor non-responsive in CF patients").',
    ],
  };
}

function readSource(dir: string, file: string): CpicSourceFile {
  return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpicSourceFile;
}

function cyp2d6Table(dir: string): Omit<RawGeneTable, 'version' | 'source'> {
  const raw = JSON.parse(fs.readFileSync(path.join(dir, 'CYP2D6-activity.json'), 'utf8')) as {
    activityValues: Record<string, string>;
  };
  const provenance = [CYP2D6_VERIFICATION];
  const alleles: RawGeneTable['alleles'] = {};
  for (const [name, value] of Object.entries(raw.activityValues)) {
    const fix = CYP2D6_CORRECTIONS[name];
    if (fix) provenance.push(`corrected ${name}: ${fix.was} → ${fix.value} (${fix.source})`);
    alleles[name] = { activityValue: fix ? fix.value : value };
  }
  return {
    gene: 'CYP2D6',
    hgnc: HGNC.CYP2D6!,
    method: 'activity-score',
    referenceAllele: '*1',
    alleles,
    scoreRanges: CYP2D6_RANGES,
    provenance,
  };
}

/** Build every table in memory: file name → file content. */
export function buildGeneFiles(sourceDir: string): Record<string, string> {
  const tables: RawGeneTable[] = [];
  const stamp = { version: CPIC_VERSION, source: SOURCE };
  for (const file of fs.readdirSync(sourceDir).sort()) {
    if (!file.endsWith('.json') || file === 'CYP2D6-activity.json') continue;
    const src = readSource(sourceDir, file);
    if (src.version !== CPIC_VERSION) throw new Error(`${file}: CPIC version ${src.version}, expected ${CPIC_VERSION}`);
    const hgnc = HGNC[src.gene];
    if (!hgnc) throw new Error(`${src.gene}: no HGNC id`);
    let table: Omit<RawGeneTable, 'version' | 'source'>;
    if (src.gene === 'MT-RNR1') table = singleAlleleTable(src, hgnc);
    else if (ACTIVITY_GENES.has(src.gene)) table = activityScoreTable(src, hgnc);
    else if (src.gene === 'IFNL3') {
      table = { ...functionPairTable(src, hgnc), pairRules: IFNL3_PAIRS };
      table.provenance = [
        'CPIC peginterferon alfa guideline 2014 (PMID 24096968): rs12979860 C/C favorable; C/T, T/T unfavorable.',
        'Allele functions ("Favorable/Unfavorable response allele") as in CPIC\'s IFNL3 table; the genotype keys ' +
          '"Favorable/Unfavorable response genotype" are this project\'s: CPIC looks IFNL3 up by allele status ' +
          '(cpic-data V50__fix_IFNL3_lookup.sql) and publishes no per-genotype rows (CPIC v1.30.0 export: ' +
          'recommendations null), so no recommendation row keys on them.',
      ];
    } else table = functionPairTable(src, hgnc);
    tables.push({ ...table, ...stamp });
  }
  tables.push({ ...cyp2d6Table(sourceDir), ...stamp });
  tables.push({ ...nat2Table(), ...stamp });
  tables.push({ ...cftrTable(), ...stamp });
  for (const extra of SUPPLEMENT) tables.push({ ...extra, ...stamp });
  tables.sort((a, b) => (a.gene < b.gene ? -1 : 1));
  for (const t of tables) {
    const own = OWN_METHOD[t.gene];
    if (own) {
      t.method = own.method;
      t.provenance = [...(t.provenance ?? []), own.provenance];
    }
    const legacy = LEGACY_POSITION[t.gene];
    if (legacy) {
      if (!t.variant) throw new Error(`${t.gene}: a legacy position needs a single-variant table`);
      t.variant = { ...t.variant, legacyPosition: legacy.position };
      t.provenance = [...(t.provenance ?? []), legacy.provenance];
    }
  }

  const files: Record<string, string> = {};
  for (const t of tables) {
    // fixed key order so the output never depends on how the object was assembled
    const ordered = {
      gene: t.gene,
      hgnc: t.hgnc,
      version: t.version,
      source: t.source,
      method: t.method,
      referenceAllele: t.referenceAllele,
      variant: t.variant,
      carrierAlleles: t.carrierAlleles,
      alleles: t.alleles,
      pairRules: t.pairRules,
      scoreRules: t.scoreRules,
      scoreRanges: t.scoreRanges,
      singleRules: t.singleRules,
      provenance: t.provenance,
    };
    files[`${t.gene}.json`] = `${JSON.stringify(ordered, null, 1)}\n`;
  }
  files['index.json'] = `${JSON.stringify(
    {
      version: CPIC_VERSION,
      source: SOURCE,
      generated: CPIC_VERSION.slice(0, 10),
      generator: 'scripts/terminology/build-genes.ts',
      genes: tables.map((t) => t.gene),
      // gene → HGNC id, for code that names genes the way FHIR genomics results do (gene studied, 48018-6)
      hgnc: Object.fromEntries(tables.map((t) => [t.gene, t.hgnc])),
    },
    null,
    1,
  )}\n`;
  return files;
}

export function writeGeneFiles(sourceDir: string, outDir: string): string[] {
  const files = buildGeneFiles(sourceDir);
  fs.mkdirSync(outDir, { recursive: true });
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(outDir, name), content);
  return Object.keys(files);
}

if (require.main === module) {
  const sourceDir = process.env.PBH_CPIC_SOURCE_DIR ?? DEFAULT_SOURCE_DIR;
  const outDir = process.argv[2] ?? path.resolve(__dirname, '../../terminology/genes');
  const written = writeGeneFiles(sourceDir, outDir);
  process.stdout.write(`wrote ${written.length} files to ${outDir}\n`);
}
