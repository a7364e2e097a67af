/** Shared test fixtures: the real compiled knowledge and plain-data gene results. */
import { join } from 'node:path';
import { loadDrugKnowledge } from '../../../src/loaders/drugs';
import { loadGeneKnowledge } from '../../../src/loaders/genes';
import type { DrugKnowledge } from '../../../src/pgx/drug-knowledge';
import type { PgxKnowledge } from '../../../src/pgx/knowledge';
import type { DrugRef, GeneResult, GenomicProfile } from '../../../src/pgx/types';
import { drugByIngredient } from '../../../src/pgx/drug-identification';

export const drugKb: DrugKnowledge = loadDrugKnowledge(join(__dirname, '../../../terminology'));
// the gene tables are read for phenoconversion's score cut-offs
export const kb: PgxKnowledge = { genes: loadGeneKnowledge(join(__dirname, '../../../terminology')), drugs: drugKb, version: 'test-knowledge' };

export function result(gene: string, phenotype: string, lookupKey: string, extra: Partial<GeneResult> = {}): GeneResult {
  return {
    gene,
    status: 'determinate',
    phenotype,
    lookupKey,
    alleles: [],
    sources: [{ id: `obs-${gene}`, kind: 'genotype', status: 'final' }],
    ...extra,
  };
}

export function indeterminate(gene: string, reason: string): GeneResult {
  return { gene, status: 'indeterminate', phenotype: 'Indeterminate', alleles: [], reason, sources: [{ kind: 'genotype' }] };
}

export function profile(...results: GeneResult[]): GenomicProfile {
  return Object.fromEntries(results.map((r) => [r.gene, r]));
}

/** A DrugRef for a CPIC/alternative drug by its ingredient RxCUI, via the real drug table. */
export function drug(name: string): DrugRef {
  const entry = drugKb.drugs.find((d) => d.name === name);
  if (!entry) throw new Error(`no drug ${name} in the table`);
  return drugByIngredient(entry.rxcui, drugKb) as DrugRef;
}

/** CPIC phenotype terms used as lookup keys */
export const PM = 'Poor Metabolizer';
export const LPM = 'Likely Poor Metabolizer';
export const IM = 'Intermediate Metabolizer';
export const NM = 'Normal Metabolizer';
export const RM = 'Rapid Metabolizer';
export const UM = 'Ultrarapid Metabolizer';

/** a determinate result keyed by its phenotype (function-based genes) */
export const byPhenotype = (gene: string, phenotype: string): GeneResult => result(gene, phenotype, phenotype);
/** a determinate result keyed by its activity score (CYP2D6, CYP2C9, DPYD) */
export const byActivityScore = (gene: string, score: string, phenotype: string): GeneResult =>
  result(gene, phenotype, score, { activityScore: score });
export const cyp2c19 = (phenotype: string): GeneResult => byPhenotype('CYP2C19', phenotype);
export const cyp2d6 = (score: string, phenotype: string): GeneResult => byActivityScore('CYP2D6', score, phenotype);
