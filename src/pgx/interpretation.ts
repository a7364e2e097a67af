/**
 * What a gene method returns — one gene's genotype read against its CPIC table — and the small helpers every
 * method shares (allele order, allele calls, unknown alleles, a table rule → interpretation).
 */
import type { AlleleCall, ResultStatus } from './types';
import type { IndexedGene, RawPhenotype } from './gene-knowledge';
import { resolveAllele } from './star-allele';

export const INDETERMINATE = 'Indeterminate';

export interface Interpretation {
  status: ResultStatus;
  diplotype?: string;
  alleles: AlleleCall[];
  phenotype: string;
  lookupKey?: string;
  /** carrier genes: one key per CPIC allele ("*57:01 positive", "*58:01 negative") */
  lookupKeys?: string[];
  activityScore?: string;
  activityArithmetic?: string;
  reason?: string;
}

export const indeterminate = (reason: string, rest: Partial<Interpretation> = {}): Interpretation => ({
  status: 'indeterminate',
  alleles: [],
  ...rest,
  phenotype: INDETERMINATE,
  reason,
});

export const fromRule = (rule: RawPhenotype | undefined, base: Partial<Interpretation>, why: string): Interpretation => {
  if (!rule) return indeterminate(why, base);
  if (rule.lookupKey === undefined || rule.phenotype === INDETERMINATE) {
    return indeterminate(`CPIC assigns no phenotype to ${why.replace(/^no CPIC rule for /, '')}`, base);
  }
  return { status: 'determinate', alleles: [], ...base, phenotype: rule.phenotype, lookupKey: rule.lookupKey };
};

/** CPIC writes diplotypes in table order ("*1/*2", never "*2/*1"): order tokens the same way. */
export function ordered(gene: IndexedGene, names: string[]): string[] {
  const rank = (n: string): number => gene.order.get(n) ?? Number.MAX_SAFE_INTEGER;
  return [...names].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

export function unknownAlleles(gene: IndexedGene, tokens: string[]): string | undefined {
  const unknown = tokens.filter((t) => !resolveAllele(t, gene));
  if (unknown.length === 0) return undefined;
  return `${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not in CPIC's ${gene.gene} allele table (${gene.version})`;
}

export const call = (gene: IndexedGene, name: string): AlleleCall => {
  const a = gene.alleles[name];
  return {
    name,
    ...(a?.function ? { function: a.function } : {}),
    ...(a?.activityValue ? { activityValue: a.activityValue } : {}),
  };
};

/**
 * A lab-reported phenotype ("Poor metabolizer", "CYP2C19 Intermediate Metabolizer") → CPIC term + key,
 * only when unambiguous. Activity-score genes: a phenotype spans several keys, so it maps only when a score
 * is given too (else undefined).
 */
export function mapReportedPhenotype(gene: IndexedGene, text: string): RawPhenotype | undefined {
  const clean = text
    .toLowerCase()
    .replace(gene.gene.toLowerCase(), '')
    .replace(/metaboliser/g, 'metabolizer')
    .replace(/\s+/g, ' ')
    .trim();
  const term = gene.phenotypeTerms.get(clean);
  return term?.lookupKey ? term : undefined;
}
