/**
 * Phenoconversion: an active medication that inhibits a pharmacogene makes the patient behave like a slower
 * metabolizer than the genotype says. Method and inhibitor strengths are data (terminology/inhibitors.json):
 * activity-score genes scale the score (strong × 0, moderate × 0.5, rounded down to CPIC's step) and read the
 * scaled score's phenotype from the gene table; phenotype-ladder genes drop to poor (strong) or one step (moderate).
 */
import type { DrugKnowledge, InhibitionMethod, InhibitorEntry } from './drug-knowledge';
import type { GeneKnowledge, IndexedGene } from './gene-knowledge';
import { phenotypeForScore } from './methods/activity-score';
import type { DrugRef, EffectivePhenotype, GeneResult } from './types';

/** What phenoconversion reads: the inhibitor table and the gene tables (for score cut-offs). */
export interface PhenoconversionKnowledge {
  drugs: DrugKnowledge;
  genes: GeneKnowledge;
}

export interface EffectiveResult extends EffectivePhenotype {
  /** lookup key to use for the recommendation (the genotype's key when there is no phenoconversion) */
  lookupKey: string;
  genotypeLookupKey: string;
}

const RANK = { strong: 2, moderate: 1 } as const;

/** The strongest inhibitor of `gene` among the active medications (the drug being assessed excluded). */
export function strongestInhibitor(
  gene: string,
  activeMedications: DrugRef[],
  kb: DrugKnowledge,
  exclude?: string,
): { inhibitor: InhibitorEntry; medication: DrugRef } | undefined {
  let best: { inhibitor: InhibitorEntry; medication: DrugRef } | undefined;
  for (const med of activeMedications) {
    if (!med.recognised || !med.cpicDrug || med.cpicDrug === exclude) continue;
    for (const inh of kb.inhibitorsByDrug.get(med.cpicDrug) ?? []) {
      if (inh.gene !== gene) continue;
      if (!best || RANK[inh.strength] > RANK[best.inhibitor.strength]) best = { inhibitor: inh, medication: med };
    }
  }
  return best;
}

function shift(
  result: GeneResult,
  key: string,
  strength: 'strong' | 'moderate',
  method: InhibitionMethod,
  gene: IndexedGene | undefined,
): { key: string; phenotype: string } | undefined {
  if (method.method === 'activity-score') {
    const score = Number(key.replace(/^(≥|>=)\s*/, ''));
    if (!Number.isFinite(score) || !gene) return undefined;
    const factor = strength === 'strong' ? method.strongFactor : method.moderateFactor;
    const scaled = Math.floor((score * factor) / method.roundTo + 1e-9) * method.roundTo;
    const rule = phenotypeForScore(gene, { value: scaled, atLeast: false });
    return rule?.lookupKey !== undefined ? { key: String(Number(scaled.toFixed(2))), phenotype: rule.phenotype } : undefined;
  }
  const current = result.phenotype;
  if (strength === 'strong') {
    return { key: method.poor, phenotype: method.poor };
  }
  const likely = method.likely[current];
  if (likely) return { key: likely, phenotype: likely };
  const i = method.ladder.indexOf(current);
  if (i < 0) return undefined;
  const next = method.ladder[Math.min(i + 1, method.ladder.length - 1)] as string;
  return { key: next, phenotype: next };
}

/**
 * The effective phenotype of one determinate gene result given the patient's active medications.
 * `exclude` is the drug being assessed (its own inhibition is already part of its CPIC recommendation).
 */
export function effectivePhenotype(
  result: GeneResult & { lookupKey: string },
  activeMedications: DrugRef[],
  kb: PhenoconversionKnowledge,
  exclude?: string,
): EffectiveResult {
  const unchanged: EffectiveResult = {
    gene: result.gene,
    genotypePhenotype: result.phenotype,
    effectivePhenotype: result.phenotype,
    lookupKey: result.lookupKey,
    genotypeLookupKey: result.lookupKey,
  };
  const method = kb.drugs.inhibitionMethods[result.gene];
  if (!method) return unchanged;
  const found = strongestInhibitor(result.gene, activeMedications, kb.drugs, exclude);
  if (!found) return unchanged;
  const shifted = shift(result, result.lookupKey, found.inhibitor.strength, method, kb.genes.genes.get(result.gene));
  if (!shifted || (shifted.phenotype === result.phenotype && shifted.key === result.lookupKey)) return unchanged;
  return {
    ...unchanged,
    effectivePhenotype: shifted.phenotype,
    lookupKey: shifted.key,
    cause: {
      drug: found.medication.cpicDrug as string,
      strength: found.inhibitor.strength,
      ...(found.medication.rxcui ? { rxcui: found.medication.rxcui } : {}),
    },
  };
}

/**
 * The lookup key each usable result gives once the patient's active medications are counted, with the effective
 * phenotypes behind them (in the order of `genes`; genes without a key are left out).
 */
export function effectiveLookupKeys(
  genes: GeneResult[],
  chosenKey: Map<string, string>,
  activeMedications: DrugRef[],
  kb: PhenoconversionKnowledge,
  exclude?: string,
): { effective: EffectiveResult[]; keys: Record<string, string> } {
  const effective: EffectiveResult[] = [];
  const keys: Record<string, string> = {};
  for (const r of genes) {
    const key = chosenKey.get(r.gene);
    if (key === undefined) continue;
    const e = effectivePhenotype({ ...r, lookupKey: key }, activeMedications, kb, exclude);
    effective.push(e);
    keys[r.gene] = e.lookupKey;
  }
  return { effective, keys };
}
