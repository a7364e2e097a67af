/**
 * Dose estimates for drugs that have a pharmacogenetic dose algorithm in terminology/ (chosen by data: the
 * drug's algorithm and its `output` select the method; today IWPC for warfarin). Pure.
 */
import { estimateIwpc, type DoseContext } from './dose-iwpc';
import type { DoseKnowledge, IwpcAlgorithm } from './dose-algorithms';
import type { DoseEstimate } from './types';

const METHODS: Record<IwpcAlgorithm['output'], (alg: IwpcAlgorithm, ctx: DoseContext) => DoseEstimate> = {
  'sqrt-weekly-mg': estimateIwpc,
};

/** The algorithm for a drug, if any (cheap: one map lookup — callers read patient facts only when there is one). */
export function doseAlgorithmFor(drug: string | undefined, kb: DoseKnowledge | undefined): IwpcAlgorithm | undefined {
  return drug ? kb?.byDrug.get(drug) : undefined;
}

export function estimateDose(alg: IwpcAlgorithm, ctx: DoseContext): DoseEstimate {
  return METHODS[alg.output](alg, ctx);
}

export type { DoseContext } from './dose-iwpc';
