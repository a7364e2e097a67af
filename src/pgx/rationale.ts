/**
 * The rationale's steps, in words and data: each step renders one fact the assessment already holds (a result,
 * its alleles and score, a gap, an inhibitor, the row chosen), so the explanation cannot drift from the decision.
 */
import type { RecommendationRow } from './drug-knowledge';
import type { EffectiveResult } from './phenoconversion';
import type { GeneResult, GenomicProfile, RationaleStep } from './types';

/** How a result was read: its observations, alleles, activity score, conflicts, reclassification, phenotype. */
export function resultSteps(r: GeneResult): RationaleStep[] {
  const steps: RationaleStep[] = [];
  for (const s of r.sources) {
    steps.push({
      kind: 'observation',
      gene: r.gene,
      text: `${r.gene} ${s.kind} result${s.date ? ` of ${s.date}` : ''}${s.status ? ` (${s.status})` : ''}.`,
      data: { ...s },
    });
  }
  if (r.alleles.length) {
    steps.push({
      kind: 'allele',
      gene: r.gene,
      text: `${r.gene} ${r.diplotype ?? r.alleles.map((a) => a.name).join('/')}: ${r.alleles
        .map((a) => `${a.name}${a.function ? ` (${a.function})` : ''}`)
        .join(', ')}.`,
      data: { diplotype: r.diplotype, alleles: r.alleles },
    });
  }
  if (r.activityScore !== undefined) {
    steps.push({
      kind: 'activity-score',
      gene: r.gene,
      text: `${r.gene} activity score ${r.activityScore}${r.activityArithmetic ? ` (${r.activityArithmetic})` : ''}.`,
      data: { activityScore: r.activityScore, arithmetic: r.activityArithmetic },
    });
  }
  if (r.conflict) {
    steps.push({ kind: 'conflict', gene: r.gene, text: `${r.gene}: results disagreed; ${r.conflict.resolution}.`, data: { ...r.conflict } });
  }
  if (r.reclassified) {
    steps.push({
      kind: 'reclassification',
      gene: r.gene,
      text: `${r.gene}: the lab reported "${r.reportedPhenotype ?? 'another phenotype'}"; current CPIC tables give "${r.phenotype}".`,
      data: { reportedPhenotype: r.reportedPhenotype, phenotype: r.phenotype },
    });
  }
  steps.push({
    kind: 'phenotype',
    gene: r.gene,
    text: `${r.gene} phenotype: ${r.phenotype}.`,
    data: { phenotype: r.phenotype, lookupKey: r.lookupKey, status: r.status },
  });
  return steps;
}

/** A gene the drug's guideline uses with no usable result: suggest the test. */
export function missingStep(gene: string, drug: string, notReported: boolean, profile: GenomicProfile): RationaleStep {
  return {
    kind: 'missing',
    gene,
    text: notReported
      ? `The ${gene} result on file does not report the allele CPIC uses for ${drug}; a ${gene} test for it would inform this prescription.`
      : `No ${gene} result on file; CPIC pairs ${gene} with ${drug}. A ${gene} test would inform this prescription.`,
    data: { gene, drug, ...(notReported ? { reportedKeys: profile[gene]?.lookupKeys ?? [profile[gene]?.lookupKey] } : {}) },
  };
}

export function indeterminateStep(r: GeneResult): RationaleStep {
  return {
    kind: 'indeterminate',
    gene: r.gene,
    text: `${r.gene} result cannot be interpreted${r.reason ? `: ${r.reason}` : ''}.`,
    data: { gene: r.gene, reason: r.reason },
  };
}

export function phenoconversionStep(e: EffectiveResult): RationaleStep {
  const cause = e.cause as NonNullable<EffectiveResult['cause']>;
  return {
    kind: 'phenoconversion',
    gene: e.gene,
    text: `${cause.drug} is a ${cause.strength} ${e.gene} inhibitor: the patient is expected to behave as a ${e.effectivePhenotype} (genotype: ${e.genotypePhenotype}).`,
    data: {
      genotypePhenotype: e.genotypePhenotype,
      genotypeLookupKey: e.genotypeLookupKey,
      effectivePhenotype: e.effectivePhenotype,
      effectiveLookupKey: e.lookupKey,
      inhibitor: cause.drug,
      strength: cause.strength,
    },
  };
}

export function provisionalStep(p: { gene: string; status: 'preliminary' | 'registered' }): RationaleStep {
  return {
    kind: 'provisional',
    gene: p.gene,
    text: `The ${p.gene} result is ${p.status}: confirm it before acting; advice from it is shown at most as a warning.`,
    data: { ...p },
  };
}

export function recommendationStep(row: RecommendationRow, text: string, lookup: Record<string, string>, version: string): RationaleStep {
  return {
    kind: 'recommendation',
    text: `CPIC (${row.strength}): ${text}`,
    data: { rowId: row.id, action: row.action, strength: row.strength, lookup, guideline: row.guideline, cpicVersion: version },
  };
}
