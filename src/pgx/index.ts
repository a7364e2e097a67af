/**
 * Public API of the pharmacogenomics core (pure functions over plain data and indexed knowledge).
 * Loading from disk lives at the edge (src/loaders/).
 */
export type * from './types';
export type { PgxKnowledge } from './knowledge';
export type { DrugKnowledge, DrugEntry, RecommendationRow, RawDrugKnowledge } from './drug-knowledge';
export { indexDrugKnowledge, normaliseLookupKey } from './drug-knowledge';
export { identifyDrug, identifyMedication, drugByIngredient } from './drug-identification';
export { assessDrug } from './assess-drug';
export { effectivePhenotype } from './phenoconversion';
export { findRecommendationRow, recommendationText } from './recommendation';
export { interpretGenomics } from './genomic-profile';
