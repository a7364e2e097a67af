/**
 * Contracts of the tumour-biomarker core: the compiled companion-diagnostic table (terminology/oncology.json),
 * the tumour findings read from FHIR, and the assessment of one oncology order. Plain JSON-serialisable data.
 */

export type RequirementKind = 'variant' | 'wild-type' | 'fusion' | 'her2-positive' | 'her2-low' | 'pdl1' | 'tmb' | 'msi-high';
export type Origin = 'somatic' | 'germline' | 'germline-or-somatic';

export interface Requirement {
  kind: RequirementKind;
  /** genes the requirement is about (variant / wild-type / fusion) */
  genes: string[];
  /** accepted variants for kind "variant": protein changes ("L858R", codon "R132", "G719X"), named classes
   *  ("exon 19 deletion", "exon 14 skipping") or "deleterious" / "activating" (pathogenic call required) */
  variants: string[];
  /** threshold for pdl1 (percent) / tmb (mut/Mb): at least this value */
  min?: number;
  scoring?: string;
  origin: Origin;
}

export interface ConditionSet {
  id: string;
  display: string;
  icd10: string[];
  icd10Range?: [string, string];
  snomed: string[];
}

export interface LabelCitation {
  title: string;
  url?: string;
  revised?: string;
  verified: boolean;
  via?: string;
  /** for an unverified label: what was found, and why it does not verify */
  unverifiedReason?: string;
}

export interface Indication {
  id: string;
  condition: string;
  requires: Requirement;
  test: string;
  note?: string;
}

export interface OncologyDrug {
  name: string;
  brands: string[];
  rxcui: string | null;
  rxcuiSource?: string;
  products: Array<{ rxcui: string; display: string; source: string }>;
  label: LabelCitation;
  indications: Indication[];
  otherIndicationsWithoutBiomarker: boolean;
}

export interface OncologyCodes {
  variant: string;
  geneStudied: string;
  codingHgvs: string;
  proteinHgvs: string;
  genomicSourceClass: string;
  somatic: string;
  germline: string;
  allelicFrequency: string;
  codingChangeType: string;
  molecularConsequence: string;
  copyNumber: string;
  present: string;
  absent: string;
  copyNumberGain: string;
  copyNumberLoss: string;
  fusion: string[];
  her2: string[];
  pdl1Percent: string[];
  pdl1Presence: string[];
  tmb: string[];
  msi: string[];
  msiHigh: string;
  msiStable: string;
  positive: string[];
  negative: string[];
  equivocal: string[];
  clinicalSignificance: string;
  pathogenic: string[];
  source: Record<string, string>;
}

export interface OncologyTableFile {
  version: string;
  codes: OncologyCodes;
  conditions: ConditionSet[];
  drugs: OncologyDrug[];
}

// ---- findings read from FHIR ------------------------------------------------------------------

export type FindingKind = 'variant' | 'fusion' | 'copy-number' | 'her2' | 'pdl1' | 'tmb' | 'msi';
export type GenomicOrigin = 'somatic' | 'germline' | 'unstated';

export interface TumourFinding {
  kind: FindingKind;
  genes: string[];
  /** true: detected / positive / high; false: tested and absent / negative / stable; undefined: equivocal */
  present?: boolean;
  /** p. HGVS as sent ("p.Leu858Arg") and its one-letter form ("L858R") */
  protein?: string;
  proteinShort?: string;
  cdna?: string;
  /** the result as the lab wrote it (display/text), for the card */
  text?: string;
  quantity?: number;
  unit?: string;
  origin: GenomicOrigin;
  /** pathogenic / likely pathogenic call on the variant, when stated */
  pathogenic?: boolean;
  alleleFrequency?: number;
  method?: string;
  specimen?: string;
  date?: string;
  observationId?: string;
}

export interface UnplacedResult {
  observationId?: string;
  genes: string[];
  reason: string;
}

export interface TumourProfile {
  findings: TumourFinding[];
  /** tumour-looking results that could not be read or placed, with why */
  unplaced: UnplacedResult[];
}

// ---- assessment ------------------------------------------------------------------------------

export type OncologyVerdict =
  /** the biomarker the indication needs is on file */
  | 'confirmed'
  /** a result contradicts the indication (RAS mutant for an anti-EGFR antibody; EGFR wild-type for an EGFR TKI) */
  | 'contrary'
  /** no result for the biomarker */
  | 'not-on-file'
  /** results exist but cannot be placed (unknown variant, equivocal, no score, origin mismatch) */
  | 'indeterminate'
  /** the patient's coded cancer is not among the drug's listed indications */
  | 'indication-not-listed'
  /** no cancer diagnosis coded at all */
  | 'no-cancer-coded';

export interface OncologyAssessment {
  drug: OncologyDrug;
  verdict: OncologyVerdict;
  /** the indication judged (the best one for the patient) */
  indication?: Indication;
  conditionDisplay?: string;
  /** results that confirm, or contradict */
  evidence: TumourFinding[];
  /** why, in plain words */
  reason: string;
  /** other table drugs the patient's actual biomarkers support for the same cancer */
  supported: Array<{ drug: string; indicationId: string; evidence: TumourFinding[] }>;
  /** the test to propose when not on file */
  test?: string;
  knowledgeVersion: string;
}
