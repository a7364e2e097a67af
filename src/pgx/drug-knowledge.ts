// Placeholder contract: replaced by the drug table and recommendation index.
export interface DrugKnowledge {
  version: string;
}
