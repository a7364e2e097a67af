/**
 * The gene methods by the name a gene table gives in its "method" field. A gene whose CPIC rule is its own
 * (DPYD's two lowest variants) has a module named for it, chosen by its table like any other.
 */
import type { GeneMethod, IndexedGene } from '../gene-knowledge';
import type { GeneMethodModule } from './method';
import { activityScoreMethod } from './activity-score';
import { carrierMethod } from './carrier';
import { dpydMethod } from './dpyd';
import { functionPairMethod } from './function-pair';
import { singleAlleleMethod } from './single-allele';
import { xLinkedMethod } from './x-linked';

export type { GeneMethodModule } from './method';

export const GENE_METHODS: Readonly<Record<GeneMethod, GeneMethodModule>> = {
  'function-pair': functionPairMethod,
  'activity-score': activityScoreMethod,
  'dpyd-lowest-two': dpydMethod,
  'single-allele': singleAlleleMethod,
  'x-linked': xLinkedMethod,
  carrier: carrierMethod,
};

export function methodOf(gene: IndexedGene): GeneMethodModule {
  return GENE_METHODS[gene.method];
}
