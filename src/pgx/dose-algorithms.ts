/**
 * Pharmacogenetic dose algorithms (terminology/dose-algorithms.json, compiled from
 * terminology/sources/warfarin-dosing.yaml): coefficients are data; the arithmetic lives in the named module
 * the algorithm's `output` selects (src/pgx/dose-iwpc.ts). Pure: indexed once at start-up.
 */

export interface Range {
  min: number;
  max: number;
}

export interface IwpcAlgorithm {
  id: string;
  drug: string;
  name: string;
  citation: string;
  url: string;
  output: 'sqrt-weekly-mg';
  intercept: number;
  /** below this age the (adult) algorithm is not applied */
  adultsFromAge: number;
  terms: {
    ageDecades: number;
    heightCm: number;
    weightKg: number;
    /** VKORC1 CPIC lookup key ("-1639 AG") or "unknown" → coefficient */
    vkorc1: Record<string, number>;
    /** CYP2C9 *1/*2/*3 diplotype or "unknown" → coefficient */
    cyp2c9: Record<string, number>;
    /** IWPC race category → coefficient */
    race: Record<string, number>;
    enzymeInducer: number;
    amiodarone: number;
  };
  /** drug names (drugs.yaml) counted as enzyme inducers / amiodarone */
  enzymeInducers: string[];
  amiodarone: string[];
  raceSystem: string;
  raceExtension: string;
  /** OMB race code → IWPC category; any other recorded code, or several, → "missing-or-mixed" */
  race: Record<string, string>;
  /** OMB race code → display name, for codes recorded without one */
  raceNames: Record<string, string>;
  adjustments: {
    guideline: string;
    source: string;
    cyp2c9ReducedAlleles: string[];
    cyp2c9Reduction: { heterozygous: Range; homozygous: Range };
    cyp4f2Carrier: { allele: string; increase: Range; notForRace: string };
  };
}

export interface DoseAlgorithmsFile {
  version: string;
  algorithms: IwpcAlgorithm[];
}

export interface DoseKnowledge {
  version: string;
  /** drug name → its algorithm */
  byDrug: Map<string, IwpcAlgorithm>;
}

export function indexDoseAlgorithms(raw: DoseAlgorithmsFile): DoseKnowledge {
  return { version: raw.version, byDrug: new Map(raw.algorithms.map((a) => [a.drug, a])) };
}
