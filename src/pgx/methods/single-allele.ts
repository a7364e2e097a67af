/** One allele → phenotype (mitochondrial: MT-RNR1). */
import type { IndexedGene } from '../gene-knowledge';
import { call, fromRule, indeterminate, unknownAlleles, type Interpretation } from '../interpretation';
import { resolveAllele } from '../star-allele';
import type { GeneMethodModule } from './method';

export function singleAllele(gene: IndexedGene, tokens: string[]): Interpretation {
  const distinct = [...new Set(tokens)];
  // mitochondrial results are sometimes written diploid-style ("m.1555A>G/m.1555A>G"): same allele twice is one
  if (distinct.length !== 1) return indeterminate(`${gene.gene} is a single-allele gene; got ${tokens.join('/')}`);
  const unknown = unknownAlleles(gene, distinct);
  if (unknown) return indeterminate(unknown, { diplotype: distinct[0] });
  const name = resolveAllele(distinct[0]!, gene)!;
  const allele = call(gene, name);
  return fromRule(gene.singleRules?.[allele.function ?? ''], { diplotype: name, alleles: [allele] }, `no CPIC rule for ${allele.function}`);
}

export const singleAlleleMethod: GeneMethodModule = { interpret: singleAllele, oneAlleleIsComplete: true };
