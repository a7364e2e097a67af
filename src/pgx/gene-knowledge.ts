// Placeholder contract: replaced by the gene-table index (allele functions, diplotype → phenotype).
export interface GeneKnowledge {
  version: string;
}
