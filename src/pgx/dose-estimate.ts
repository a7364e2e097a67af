/**
 * Dose estimates for drugs that have pharmacogenetic dose algorithms in terminology/ (chosen by data: the
 * drug's algorithms and their `output` select the method; for warfarin IWPC, then Gage). Pure.
 */
import { estimateGage } from './dose-gage';
import { estimateIwpc, type DoseContext } from './dose-iwpc';
import type { DoseAlgorithm, DoseKnowledge } from './dose-algorithms';
import type { FactCodes } from './patient-facts';
import type { DoseEstimate } from './types';

function estimateOne(alg: DoseAlgorithm, ctx: DoseContext): DoseEstimate {
  switch (alg.output) {
    case 'sqrt-weekly-mg':
      return estimateIwpc(alg, ctx);
    case 'ln-daily-mg':
      return estimateGage(alg, ctx);
  }
}

/** The algorithms for a drug, if any (cheap: one map lookup — callers read patient facts only when there are some). */
export function doseAlgorithmsFor(drug: string | undefined, kb: DoseKnowledge | undefined): DoseAlgorithm[] {
  return (drug ? kb?.byDrug.get(drug) : undefined) ?? [];
}

/** The extra record facts the algorithms read (their codes are the algorithms' data). */
export function factCodesFor(algs: DoseAlgorithm[]): FactCodes {
  const codes: FactCodes = {};
  for (const a of algs) {
    if (a.output === 'ln-daily-mg') {
      codes.smokingStatusLoinc = a.smokingStatus.loinc;
      codes.targetInrLoinc = a.targetInrLoinc;
    }
  }
  return codes;
}

/** Every algorithm's estimate, in the data's order (the guideline's algorithm first). */
export function estimateDoses(algs: DoseAlgorithm[], ctx: DoseContext): DoseEstimate[] {
  return algs.map((a) => estimateOne(a, ctx));
}

export type { DoseContext } from './dose-iwpc';
