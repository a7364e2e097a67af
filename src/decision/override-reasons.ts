import type { Coding } from '../cdshooks/types';

/** Our override-reason code system (CDS Hooks prescribes none); analytics group overrides by these codes. */
const OVERRIDE_REASON_SYSTEM = 'urn:pbh:override-reason';

const reason = (code: string, display: string): Coding => ({ system: OVERRIDE_REASON_SYSTEM, code, display });

export const PGX_OVERRIDE_REASONS: Coding[] = [
  reason('previously-tolerated', 'Patient has previously tolerated this drug at this dose'),
  reason('benefit-outweighs-risk', 'Clinical benefit outweighs the pharmacogenomic risk'),
  reason('alternatives-unsuitable', 'Alternatives are contraindicated or unsuitable for this patient'),
  reason('result-disputed', 'Genetic result is disputed or being re-tested'),
  reason('patient-declined', 'Patient declined the alternative'),
];

export const ONCOLOGY_OVERRIDE_REASONS: Coding[] = [
  reason('biomarker-result-elsewhere', 'Companion diagnostic result is on file elsewhere'),
  reason('clinical-judgement', 'Treating oncologist judges the therapy appropriate'),
  reason('result-disputed', 'Biomarker result is disputed or being re-tested'),
];

export const BENEFIT_OVERRIDE_REASONS: Coding[] = [
  reason('coverage-info-incorrect', 'Coverage information is out of date or incorrect'),
  reason('patient-pays-cash', 'Patient will pay out of pocket'),
  reason('alternatives-unsuitable', 'Alternatives are contraindicated or unsuitable for this patient'),
];
