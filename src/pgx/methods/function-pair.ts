/** Two alleles → their two CPIC functions → phenotype (CYP2C19, TPMT, SLCO1B1, VKORC1, CACNA1S...). */
import type { IndexedGene } from '../gene-knowledge';
import { call, fromRule, indeterminate, ordered, unknownAlleles, type Interpretation } from '../interpretation';
import { resolveAllele } from '../star-allele';
import type { GeneMethodModule } from './method';

export function functionPair(gene: IndexedGene, tokens: string[]): Interpretation {
  if (tokens.length !== 2) return indeterminate(`${gene.gene} needs two alleles, got ${tokens.length}`);
  const unknown = unknownAlleles(gene, tokens);
  if (unknown) return indeterminate(unknown, { diplotype: tokens.join('/') });
  const names = ordered(gene, tokens.map((t) => resolveAllele(t, gene)!));
  const alleles = names.map((n) => call(gene, n));
  const fns = alleles.map((a) => a.function ?? 'unknown function').sort();
  return fromRule(gene.pairRules?.[fns.join('|')], { diplotype: names.join('/'), alleles }, `no CPIC rule for ${fns.join(' + ')}`);
}

export const functionPairMethod: GeneMethodModule = { interpret: functionPair };
