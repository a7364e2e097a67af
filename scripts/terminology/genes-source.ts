/**
 * Turn one CPIC per-gene source file (PharmCAT redistribution, /work/shared/data/cpic-gene-phenotypes)
 * into the product's compact table: allele facts plus the rule CPIC's diplotype list follows. The rule is
 * checked against every source row here, so a table that cannot reproduce CPIC exactly is never written.
 */
import type { RawAllele, RawGeneTable, RawPhenotype } from '../../src/pgx/gene-knowledge';

export interface CpicSourceFile {
  gene: string;
  haplotypes: Record<string, string>;
  activityValues: Record<string, string>;
  diplotypes: {
    diplotype: string;
    phenotype: string;
    lookupkey: string | Record<string, string>;
    activityScore: string | null;
  }[];
  namedAlleles?: { name: string; activityValue: string | null; functionValue: string; lookupKey: string }[];
  version: string;
}

export const INDETERMINATE = 'Indeterminate';

const keyOf = (lookupkey: string | Record<string, string>): string =>
  typeof lookupkey === 'string' ? lookupkey : Object.values(lookupkey)[0] ?? '';

const phenotypeOf = (row: CpicSourceFile['diplotypes'][number]): RawPhenotype => {
  const lookupKey = keyOf(row.lookupkey);
  return row.phenotype === INDETERMINATE || lookupKey === 'n/a' || lookupKey === INDETERMINATE
    ? { phenotype: INDETERMINATE }
    : { phenotype: row.phenotype, lookupKey };
};

/** Record `value` under `key`, failing loudly if the source contradicts an earlier row. */
function put(rules: Record<string, RawPhenotype>, key: string, value: RawPhenotype, gene: string): void {
  const seen = rules[key];
  if (seen && (seen.phenotype !== value.phenotype || seen.lookupKey !== value.lookupKey)) {
    throw new Error(`${gene}: CPIC rows disagree for ${key}: ${JSON.stringify(seen)} vs ${JSON.stringify(value)}`);
  }
  rules[key] = value;
}

const sortedObject = <T>(o: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const variantOf = (alleles: string[]): RawGeneTable['variant'] => {
  let rsid = '';
  let ref = '';
  let alt = '';
  for (const a of alleles) {
    const m = /^(rs\d+) (reference|variant) \(([ACGT]+)\)$/.exec(a);
    if (!m) return undefined;
    rsid = m[1]!;
    if (m[2] === 'reference') ref = m[3]!;
    else alt = m[3]!;
  }
  return rsid && ref && alt ? { rsid, ref, alt } : undefined;
};

/** Compact table for a gene whose CPIC phenotype follows from the two allele functions. */
export function functionPairTable(src: CpicSourceFile, hgnc: string): Omit<RawGeneTable, 'version' | 'source'> {
  const alleles: Record<string, RawAllele> = {};
  for (const [name, fn] of Object.entries(src.haplotypes)) alleles[name] = { function: fn };
  const pairRules: Record<string, RawPhenotype> = {};
  for (const row of src.diplotypes) {
    const parts = row.diplotype.split('/');
    if (parts.length !== 2) throw new Error(`${src.gene}: unexpected diplotype ${row.diplotype}`);
    const fns = parts.map((p) => {
      const fn = src.haplotypes[p];
      if (!fn) throw new Error(`${src.gene}: allele ${p} has no function`);
      return fn;
    });
    put(pairRules, fns.sort().join('|'), phenotypeOf(row), src.gene);
  }
  const names = Object.keys(alleles);
  const variant = variantOf(names);
  const referenceAllele = names.find((n) => n === '*1' || n === 'Reference' || / reference \(/.test(n));
  return {
    gene: src.gene,
    hgnc,
    method: 'function-pair',
    ...(referenceAllele ? { referenceAllele } : {}),
    alleles,
    pairRules: sortedObject(pairRules),
    ...(variant ? { variant } : {}),
  };
}

/** Compact table for an activity-score gene with CPIC's own score list (CYP2C9, DPYD). */
export function activityScoreTable(src: CpicSourceFile, hgnc: string): Omit<RawGeneTable, 'version' | 'source'> {
  const fnByName = new Map((src.namedAlleles ?? []).map((a) => [a.name, a.functionValue]));
  const alleles: Record<string, RawAllele> = {};
  for (const [name, value] of Object.entries(src.activityValues)) {
    const fn = fnByName.get(name);
    alleles[name] = { ...(fn ? { function: fn } : {}), activityValue: value };
  }
  const scoreRules: Record<string, RawPhenotype> = {};
  for (const row of src.diplotypes) {
    if (!row.activityScore || row.activityScore === 'n/a') continue;
    put(scoreRules, row.activityScore, phenotypeOf(row), src.gene);
  }
  const names = Object.keys(alleles);
  const referenceAllele = names.find((n) => n === '*1' || n === 'Reference');
  return {
    gene: src.gene,
    hgnc,
    method: 'activity-score',
    ...(referenceAllele ? { referenceAllele } : {}),
    alleles,
    scoreRules: sortedObject(scoreRules),
  };
}

/** Compact table for a mitochondrial gene: one allele → phenotype (MT-RNR1). */
export function singleAlleleTable(src: CpicSourceFile, hgnc: string): Omit<RawGeneTable, 'version' | 'source'> {
  const alleles: Record<string, RawAllele> = {};
  for (const [name, fn] of Object.entries(src.haplotypes)) alleles[name] = { function: fn };
  const singleRules: Record<string, RawPhenotype> = {};
  for (const row of src.diplotypes) {
    const fn = src.haplotypes[row.diplotype];
    if (!fn) throw new Error(`${src.gene}: allele ${row.diplotype} has no function`);
    put(singleRules, fn, phenotypeOf(row), src.gene);
  }
  return {
    gene: src.gene,
    hgnc,
    method: 'single-allele',
    referenceAllele: 'Reference',
    alleles,
    singleRules: sortedObject(singleRules),
  };
}
