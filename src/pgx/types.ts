/**
 * Contracts of the pharmacogenomics core. Plain data only: everything here is JSON-serialisable so the
 * same objects render the card, fill the audit record and cross the boundary to the benefit engine.
 */

/** Where a fact came from: the FHIR Observation it was read from. */
export interface ObservationRef {
  id?: string;
  /** effectiveDateTime / issued, as given */
  date?: string;
  status?: string;
  kind: 'genotype' | 'haplotype' | 'phenotype' | 'variant' | 'therapeutic-implication';
  /** the raw value as the lab sent it (e.g. "CYP2C19 *1/*2"); never logged, only rendered into cards */
  value?: string;
}

export interface AlleleCall {
  /** normalised allele name, e.g. "*2", "*1x2", "*36+*10", "rs9923231 variant (T)", "*57:01 positive" */
  name: string;
  /** CPIC clinical function, e.g. "No function" */
  function?: string;
  /** CPIC activity value for activity-score genes (string as CPIC publishes it, e.g. "0.5", "≥3.0") */
  activityValue?: string;
}

export type ResultStatus = 'determinate' | 'indeterminate';

/** One gene's interpreted result for the patient. */
export interface GeneResult {
  gene: string;
  status: ResultStatus;
  /** normalised diplotype as CPIC writes it, e.g. "*1/*2" */
  diplotype?: string;
  alleles: AlleleCall[];
  /** activity score (string, CPIC style) where CPIC uses the method */
  activityScore?: string;
  /** human-readable arithmetic, e.g. "*1 (1.0) + *41 (0.5) = 1.5" */
  activityArithmetic?: string;
  /** CPIC phenotype term ("Poor Metabolizer", "Decreased Function", "HLA-B*57:01 positive"...) or "Indeterminate" */
  phenotype: string;
  /** CPIC lookupkey that recommendations are indexed by; absent when indeterminate */
  lookupKey?: string;
  /**
   * every CPIC lookup key this result answers, for genes reported per allele (HLA-B: "*57:01 positive",
   * "*58:01 negative", "*15:02 negative"); `lookupKey` is then the first positive one (else the first)
   */
  lookupKeys?: string[];
  /**
   * set when the result the interpretation rests on is not final: FHIR status "preliminary" or "registered".
   * Advice from it is shown as such and never as firm as from a final result.
   */
  provisional?: 'preliminary' | 'registered';
  /** phenotype as the lab reported it, when it did */
  reportedPhenotype?: string;
  /** true when the lab-reported phenotype differs from the one computed with the current tables */
  reclassified?: boolean;
  /** version of the CPIC gene table the result was reclassified with */
  reclassifiedWith?: string;
  /** why indeterminate, or notes (conflict, unknown allele...) — plain words, no PHI beyond the result */
  reason?: string;
  /** results that disagreed, when several were received for this gene */
  conflict?: { diplotypes: string[]; phenotypes: string[]; resolution: string };
  sources: ObservationRef[];
}

/** The patient's genomics, interpreted: gene symbol → result. Genes with no result are absent. */
export type GenomicProfile = Record<string, GeneResult>;

/** A medication as identified from what the EHR sent. */
export interface DrugRef {
  /** RxNorm code as sent (clinical/branded drug or ingredient) */
  rxcui?: string;
  /** what the EHR displayed */
  display: string;
  /** CPIC drug name (lower case, e.g. "clopidogrel") when recognised */
  cpicDrug?: string;
  /** ingredient RxCUI of the CPIC drug */
  ingredientRxcui?: string;
  /** therapeutic class used for alternatives, e.g. "antiplatelet", "opioid-analgesic", "ssri" */
  drugClass?: string;
  recognised: boolean;
}

export type RecommendationAction =
  | 'standard'
  | 'adjust-dose'
  | 'avoid'
  | 'use-alternative'
  | 'consider-alternative'
  | 'monitor'
  | 'no-recommendation';

export interface GuidelineCitation {
  title: string;
  url: string;
  pmid?: string;
  /** CPIC data version the row came from */
  version: string;
}

export interface Recommendation {
  action: RecommendationAction;
  /** card indicator of the row, classified at build time by the written rule (docs/card-calibration.md) */
  indicator: 'info' | 'warning' | 'critical';
  /** CPIC classification of recommendation: "Strong" | "Moderate" | "Optional" | "No Recommendation" */
  strength: string;
  /** our own concise wording built from the structured fields */
  text: string;
  /** dose adjustment in words, when action is adjust-dose */
  dosing?: string;
  /** CPIC drug names suggested instead (may be empty) */
  alternatives: string[];
  guideline: GuidelineCitation;
  /** id of the recommendation row in terminology/ (traceability) */
  rowId: string;
  /** the lookup keys that selected the row, gene → key */
  lookup: Record<string, string>;
}

/**
 * What the genomics say about giving this drug to this patient. The benefit engine consumes `verdict`
 * ("contraindicated" / "expected-ineffective" make a step-therapy exemption).
 */
export type PgxVerdict =
  | 'appropriate' // guideline says standard use for this phenotype
  | 'adjust' // use, with a dose adjustment or monitoring
  | 'contraindicated' // avoid
  | 'expected-ineffective' // use alternative: expected not to work (e.g. clopidogrel in CYP2C19 PM)
  | 'no-guidance' // drug has no CPIC A/B gene pair
  | 'untested' // CPIC pair exists but no result for the gene(s)
  | 'indeterminate' // result present but cannot be interpreted
  | 'unrecognised'; // the drug itself could not be identified

export interface EffectivePhenotype {
  gene: string;
  genotypePhenotype: string;
  effectivePhenotype: string;
  /** the interacting active medication and its inhibitor strength */
  cause?: { drug: string; strength: 'strong' | 'moderate'; rxcui?: string };
}

export interface RationaleStep {
  kind:
    | 'observation'
    | 'allele'
    | 'activity-score'
    | 'phenotype'
    | 'reclassification'
    | 'phenoconversion'
    | 'recommendation'
    | 'missing'
    | 'conflict'
    | 'indeterminate'
    | 'note'
    | 'provisional'
    | 'partial';
  text: string;
  gene?: string;
  data?: Record<string, unknown>;
}

/**
 * Advice from the known gene(s) of a multi-gene pair when a partner gene has no result and CPIC publishes no
 * row for that gap: what holds whatever the missing result is.
 */
export interface PartialAdvice {
  known: string[];
  missing: string[];
  /** the least urgent indicator any missing result could give (what the known result alone guarantees) */
  indicator: 'info' | 'warning' | 'critical';
  /** plain words: the advice and the missing gene, e.g. "expected dose 0.5–2 mg/day whatever the VKORC1 genotype" */
  text: string;
  /** short form for the one-line summary */
  summary: string;
  /** what to do, one plain sentence (the card's first line) */
  headline: string;
  /** CPIC's advice for each possible result of the missing gene (rows with the same words together) */
  options?: Array<{ when: string; advice: string }>;
  /** whose advice it is: CPIC's rows, or an FDA label's dose table */
  source: { from: 'cpic' | 'fda-label'; label: string; url?: string; version: string };
}

export interface PgxAssessment {
  drug: DrugRef;
  verdict: PgxVerdict;
  /** genes CPIC pairs with this drug (level A/B) */
  relevantGenes: string[];
  /** results for the relevant genes that the patient has */
  genes: GeneResult[];
  /** relevant genes with no result: suggest a test */
  missingGenes: string[];
  effectivePhenotypes: EffectivePhenotype[];
  recommendation?: Recommendation;
  /** advice from the known gene when a partner gene is missing and CPIC has no row for the gap */
  partial?: PartialAdvice;
  /** genes whose result behind this assessment is preliminary/registered (confirm before acting) */
  provisional?: Array<{ gene: string; status: 'preliminary' | 'registered' }>;
  rationale: RationaleStep[];
  knowledgeVersion: string;
  /** pharmacogenetic dose estimates, for drugs with dose algorithms in terminology/ (warfarin: IWPC, then Gage) */
  doseEstimates?: DoseEstimate[];
  /** FDA-label / DPWG guidance that matched, shown after CPIC's (CPIC first) */
  otherGuidance?: OtherGuidance[];
}

/** One input of a dose algorithm as it was used: shown on the card, every one of them. */
export interface DoseInput {
  /** "Age", "Height", "CYP2C9"... */
  name: string;
  /** the value used, in words ("67 years (decade 6)", "not recorded — IWPC 'unknown' term") */
  value: string;
  /** the algorithm's term for it (coefficient × value), when the input enters the formula */
  term?: number;
  /** where it came from ("Observation/h1, 2026-10-01", "Patient.birthDate") */
  source?: string;
  missing?: boolean;
}

/** A pharmacogenetic dose estimate (e.g. IWPC for warfarin), computed from the patient's data. */
export interface DoseEstimate {
  algorithm: { id: string; name: string; citation: string; url: string };
  /** "estimated", or "not-estimated" when a required input is missing (then `missing` says which) */
  status: 'estimated' | 'not-estimated';
  /** the algorithm's own result (IWPC: weekly dose, mg) */
  weeklyMg?: number;
  /** after CPIC's adjustments, as the range CPIC gives (absent when none applies) */
  adjustedWeeklyMg?: { min: number; max: number };
  /** CPIC adjustments applied, in words, with the source */
  adjustments: string[];
  inputs: DoseInput[];
  /** inputs that were missing (named on the card) */
  missing: string[];
  notes: string[];
}

/** Guidance from a source other than CPIC (FDA label, DPWG) that matched the patient's result. */
export interface OtherGuidance {
  /** "FDA drug label" | "DPWG guideline" */
  source: string;
  sourceVersion: string;
  gene: string;
  /** the phenotype or diplotype the row matched */
  matched: string;
  action: RecommendationAction;
  /** the source states an association and asks for no genotype-driven change: shown, never a warning */
  informational?: boolean;
  contraindicated?: boolean;
  /** the source's advice (our wording, or the source's own where its license allows) */
  text: string;
  citation: { id: string; url: string; title: string };
  rowId: string;
  /** the source's action differs from CPIC's for the same patient */
  differsFromCpic?: boolean;
}
