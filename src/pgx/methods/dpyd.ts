/**
 * DPYD (CPIC 2017 + 2024 update): an activity score like CYP2C9's, but labs report DPYD as a list of variants
 * found, unphased. CPIC scores such a result from the two lowest-function variants (the rest assumed in cis);
 * one variant found is that variant against the reference; none found is reference/reference.
 */
import type { IndexedGene } from '../gene-knowledge';
import { parseActivity, type Activity } from '../activity-score';
import { indeterminate, unknownAlleles, type Interpretation } from '../interpretation';
import { resolveAllele } from '../star-allele';
import { scoreAlleles, scoredPhenotype } from './activity-score';
import type { GeneMethodModule } from './method';

/** The two lowest-activity calls (CPIC's rule for unphased DPYD results). */
export function twoLowest<T extends { activity: Activity }>(calls: T[]): T[] {
  return [...calls].sort((a, b) => a.activity.value - b.activity.value).slice(0, 2);
}

function interpret(gene: IndexedGene, tokens: string[]): Interpretation {
  if (tokens.length === 1 && gene.referenceAllele) return scoreAlleles(gene, [gene.referenceAllele, tokens[0]!]);
  if (tokens.length <= 2) return scoreAlleles(gene, tokens);
  const unknown = unknownAlleles(gene, tokens);
  if (unknown) return indeterminate(unknown);
  const scored = tokens.map((t) => ({ t, activity: parseActivity(gene.alleles[resolveAllele(t, gene)!]?.activityValue) }));
  if (scored.some((s) => !s.activity)) return indeterminate(`a ${gene.gene} variant has no CPIC activity value`);
  const working = twoLowest(scored as { t: string; activity: Activity }[]).map((s) => s.t);
  return scoreAlleles(gene, working, `CPIC ${gene.gene} rule: score from the two lowest-function variants of ${tokens.join(', ')}`);
}

export const dpydMethod: GeneMethodModule = {
  interpret,
  fromReportedPhenotype: scoredPhenotype,
  fromVariants: (gene, found) => {
    const tokens = found.flatMap((v) => (v.homozygous ? [v.id, v.id] : [v.id]));
    if (tokens.length > 0) return tokens;
    return gene.referenceAllele ? [gene.referenceAllele, gene.referenceAllele] : undefined;
  },
};
