/**
 * Pharmacogenetic dose algorithms (terminology/dose-algorithms.json, compiled from
 * terminology/sources/warfarin-dosing.yaml): coefficients are data; the arithmetic lives in the named module
 * the algorithm's `output` selects (src/pgx/dose-iwpc.ts, src/pgx/dose-gage.ts). Pure: indexed once at start-up.
 */

export interface Range {
  min: number;
  max: number;
}

/** CPIC's 2017 Figure 2 adjustments to a calculated warfarin dose (shared by the algorithms). */
export interface CpicDoseAdjustments {
  guideline: string;
  source: string;
  cyp2c9ReducedAlleles: string[];
  cyp2c9Reduction: { heterozygous: Range; homozygous: Range };
  cyp4f2Carrier: { allele: string; increase: Range; notForRace: string };
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
  adjustments: CpicDoseAdjustments;
}

/** Gage 2008 (WarfarinDosing.org): dose (mg/day) = exp(intercept + terms); used only when every input is recorded. */
export interface GageAlgorithm {
  id: string;
  drug: string;
  name: string;
  citation: string;
  url: string;
  /** where the coefficients were read and how they were checked */
  provenance: string;
  output: 'ln-daily-mg';
  intercept: number;
  adultsFromAge: number;
  terms: {
    /** per -1639 A allele */
    vkorc1AAllele: number;
    bsaM2: number;
    cyp2c9Star3Allele: number;
    ageYears: number;
    cyp2c9Star2Allele: number;
    targetInr: number;
    amiodarone: number;
    smoker: number;
    africanAmerican: number;
    dvtPe: number;
  };
  bsaFormula: 'mosteller';
  /** VKORC1 CPIC lookup key → number of -1639 A alleles */
  vkorc1AAlleles: Record<string, number>;
  amiodarone: string[];
  raceSystem: string;
  raceExtension: string;
  raceNames: Record<string, string>;
  /** the OMB race code the "African-American race" term reads */
  africanAmericanRace: string;
  smokingStatus: { loinc: string; valueSet: string; current: Record<string, string>; notCurrent: Record<string, string> };
  targetInrLoinc: string;
  thrombosis: { snomed: Record<string, string>; icd10cmPrefixes: string[] };
  adjustments: CpicDoseAdjustments;
}

export type DoseAlgorithm = IwpcAlgorithm | GageAlgorithm;

export interface DoseAlgorithmsFile {
  version: string;
  algorithms: DoseAlgorithm[];
}

export interface DoseKnowledge {
  version: string;
  /** drug name → its algorithms, in the file's order (the guideline's first) */
  byDrug: Map<string, DoseAlgorithm[]>;
}

export function indexDoseAlgorithms(raw: DoseAlgorithmsFile): DoseKnowledge {
  const byDrug = new Map<string, DoseAlgorithm[]>();
  for (const a of raw.algorithms) byDrug.set(a.drug, [...(byDrug.get(a.drug) ?? []), a]);
  return { version: raw.version, byDrug };
}
