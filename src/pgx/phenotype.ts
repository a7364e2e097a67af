/**
 * CPIC genotype → phenotype: the gene's table names its method (function pair, activity score, DPYD's
 * variant list, single allele, X-linked, carrier) and the method module in ./methods/ applies it. Anything
 * CPIC does not define — unknown allele, uncertain function, missing copy number — is Indeterminate with a reason.
 */
import type { IndexedGene } from './gene-knowledge';
import { indeterminate, mapReportedPhenotype, type Interpretation } from './interpretation';
import { methodOf } from './methods';

export { INDETERMINATE, type Interpretation } from './interpretation';

/** Interpret allele tokens (from parseDiplotype) with the gene's CPIC method. */
export function interpretAlleles(gene: IndexedGene, tokens: string[]): Interpretation {
  return methodOf(gene).interpret(gene, tokens);
}

/** A phenotype-only result: CPIC term and key where unambiguous (a score where the method needs one). */
export function interpretReportedPhenotype(gene: IndexedGene, text: string): Interpretation {
  const method = methodOf(gene);
  if (method.fromReportedPhenotype) return method.fromReportedPhenotype(gene, text);
  const mapped = mapReportedPhenotype(gene, text);
  if (!mapped) return indeterminate(`reported phenotype "${text}" does not map to a CPIC ${gene.gene} term`);
  return { status: 'determinate', alleles: [], phenotype: mapped.phenotype, lookupKey: mapped.lookupKey! };
}
