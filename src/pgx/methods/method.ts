/**
 * A gene method: how CPIC turns one gene's reported alleles into a phenotype. The gene table names its method
 * (terminology/genes/<GENE>.json "method"), and the registry (./index.ts) maps that name to a module, so
 * generic code asks the module and never tests a gene's name.
 */
import type { IndexedGene } from '../gene-knowledge';
import type { Interpretation } from '../interpretation';

export interface GeneMethodModule {
  /** allele tokens (a parsed diplotype, or paired haplotypes) → interpretation */
  interpret(gene: IndexedGene, tokens: string[]): Interpretation;
  /** a single haplotype observation is a whole result (hemizygous, mitochondrial) */
  oneAlleleIsComplete?: boolean;
  /** the lab's phenotype text, when the term alone does not give the lookup key (activity scores) */
  fromReportedPhenotype?(gene: IndexedGene, text: string): Interpretation;
  /** variant observations read together as one result (DPYD's variant list): the variants found → tokens */
  fromVariants?(gene: IndexedGene, found: { id: string; homozygous: boolean }[]): string[] | undefined;
  /** results reported per allele (HLA carriage), merged across observations instead of one being chosen */
  perAllele?: boolean;
}
