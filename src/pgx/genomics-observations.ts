/**
 * Read FHIR Genomics Reporting Observations (genotype 84413-4, haplotype 84414-2, variant 69548-6,
 * phenotype / therapeutic implication) into plain findings per gene. No interpretation here: that is
 * phenotype.ts. Results that cannot be read are returned as `unreadable` with a reason, never dropped.
 */
import type { CodeableConcept, Observation, ObservationComponent } from 'fhir/r4';
import { refersTo } from '../fhir/reference';
import type { ObservationRef } from './types';
import type { GeneKnowledge } from './gene-knowledge';

export const HGNC_SYSTEM = 'http://www.genenames.org';
export const CODES = {
  genotype: '84413-4',
  haplotype: '84414-2',
  variant: '69548-6',
  geneStudied: '48018-6',
  /** Genetic variation's effect on drug metabolism (metabolizer status) */
  metabolism: '53040-2',
  /** Genetic variation's effect on drug efficacy / high-risk allele (HLA) */
  efficacy: '51961-1',
  highRiskAllele: '83009-1',
  /** Discrete genetic variant (rsID) and dbSNP id */
  discreteVariant: '81252-9',
  dbSnp: '81255-2',
  allelicState: '53034-5',
  dnaChange: '48004-6',
  refAllele: '69547-8',
  altAllele: '69551-0',
  medicationAssessed: '51963-7',
  /**
   * The Genomics Reporting IG's TherapeuticImplication codes the observation and its implication component
   * with this code from its TBD code system (GENOMICS_REPORTING_TBD); the component's value carries the
   * metabolizer status as a LOINC answer (IG example TxImp01: LA9657-3 "Poor metabolizer").
   */
  therapeuticImplication: 'therapeutic-implication',
} as const;

export const GENOMICS_REPORTING_TBD = 'http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs';

/** LOINC answers for metabolizer status (LL4049-4) → CPIC term. */
export const METABOLIZER_ANSWERS: Record<string, string> = {
  'LA9657-3': 'Poor Metabolizer',
  'LA10316-0': 'Intermediate Metabolizer',
  'LA25391-6': 'Normal Metabolizer',
  'LA25390-8': 'Rapid Metabolizer',
  'LA10315-2': 'Ultrarapid Metabolizer',
};

/** LOINC answers for allelic state. */
const ALLELIC_STATE: Record<string, 'heterozygous' | 'homozygous' | 'hemizygous' | 'homoplasmic' | 'heteroplasmic'> = {
  'LA6706-1': 'heterozygous',
  'LA6705-3': 'homozygous',
  'LA6707-9': 'hemizygous',
  'LA6704-6': 'homoplasmic',
  'LA6703-8': 'heteroplasmic',
};

export type FindingKind = ObservationRef['kind'];

export interface Finding {
  gene: string;
  ref: ObservationRef;
  /** genotype text ("*1/*2", "rs9923231 C/T") */
  genotype?: string;
  /** one haplotype ("*2"); `copies` 2 when reported homozygous */
  haplotype?: { name: string; copies: 1 | 2 };
  /** reported phenotype text, CPIC-mapped where a LOINC answer was used */
  phenotype?: string;
  /** HLA-style carriage statement */
  carrier?: { allele: string; positive: boolean };
  /** variant by rsID or HGVS with its zygosity */
  variant?: { id: string; genotype?: string; state?: string; present: boolean };
}

export type ReadResult =
  | { kind: 'findings'; findings: Finding[] }
  | { kind: 'ignored'; ref: ObservationRef; reason: string }
  | { kind: 'unreadable'; ref: ObservationRef; gene?: string; reason: string };

const codings = (cc: CodeableConcept | undefined) => cc?.coding ?? [];
const hasCode = (cc: CodeableConcept | undefined, code: string): boolean => codings(cc).some((c) => c.code === code);
// PharmVar codes are the diplotype itself ("CYP2C9 *4/*35B"), so a code-only PharmVar coding is still readable
const textOf = (cc: CodeableConcept | undefined): string | undefined =>
  cc?.text ??
  codings(cc).find((c) => c.display)?.display ??
  codings(cc).find((c) => c.code && c.system?.includes('pharmvar'))?.code ??
  undefined;

function componentValue(c: ObservationComponent): string | undefined {
  return textOf(c.valueCodeableConcept) ?? c.valueString ?? undefined;
}

const findComponent = (obs: Observation, code: string): ObservationComponent | undefined =>
  obs.component?.find((c) => hasCode(c.code, code));

function observationKind(obs: Observation): FindingKind | undefined {
  if (hasCode(obs.code, CODES.genotype)) return 'genotype';
  if (hasCode(obs.code, CODES.haplotype)) return 'haplotype';
  if (hasCode(obs.code, CODES.variant)) return 'variant';
  if (hasCode(obs.code, CODES.metabolism) || hasCode(obs.code, CODES.efficacy) || hasCode(obs.code, CODES.highRiskAllele)) {
    return 'phenotype';
  }
  if (codings(obs.code).some((c) => c.code === CODES.therapeuticImplication)) return 'therapeutic-implication';
  if (findComponent(obs, CODES.metabolism) || findComponent(obs, CODES.highRiskAllele)) return 'therapeutic-implication';
  return undefined;
}

/** The gene studied: HGNC coding in component 48018-6 (or on the value's coding), else a symbol in text. */
export function geneOf(obs: Observation, kb: GeneKnowledge): string | undefined {
  const concepts: (CodeableConcept | undefined)[] = [
    findComponent(obs, CODES.geneStudied)?.valueCodeableConcept,
    obs.valueCodeableConcept,
  ];
  for (const cc of concepts) {
    for (const c of codings(cc)) {
      if (c.system?.startsWith(HGNC_SYSTEM) && c.code) {
        const id = c.code.toUpperCase().startsWith('HGNC:') ? c.code.toUpperCase() : `HGNC:${c.code}`;
        const gene = kb.byHgnc.get(id);
        if (gene) return gene;
      }
    }
    for (const c of codings(cc)) if (c.display && kb.genes.has(c.display.trim())) return c.display.trim();
    if (cc?.text && kb.genes.has(cc.text.trim())) return cc.text.trim();
  }
  // gene symbol at the start of the reported value: "CYP2C19 *1/*2", "HLA-B*57:01 positive"
  const value = textOf(obs.valueCodeableConcept) ?? obs.valueString ?? '';
  const m = /^(MT-RNR1|HLA-[AB]|[A-Z][A-Z0-9]+)(?=[\s*:]|$)/.exec(value.trim());
  if (m && kb.genes.has(m[1]!)) return m[1];
  // variant observations: the rsID names the gene for single-variant genes
  for (const code of [CODES.dbSnp, CODES.discreteVariant]) {
    const comp = findComponent(obs, code);
    const id = comp ? componentValue(comp) ?? codings(comp.valueCodeableConcept)[0]?.code : undefined;
    const gene = id ? kb.byRsid.get(id.toLowerCase().match(/rs\d+/)?.[0] ?? '') : undefined;
    if (gene) return gene;
  }
  return undefined;
}

function refOf(obs: Observation, kind: FindingKind, value?: string): ObservationRef {
  const date = obs.effectiveDateTime ?? obs.effectivePeriod?.start ?? obs.issued;
  // assigned in order rather than with conditional spreads, which V8 copies through a slow generic path
  // (every genomics result of every request passes here); key order is what the rationale shows
  const ref = {} as ObservationRef;
  if (obs.id) ref.id = obs.id;
  if (date) ref.date = date;
  if (obs.status) ref.status = obs.status;
  ref.kind = kind;
  if (value !== undefined) ref.value = value;
  return ref;
}

const CARRIER = /^(?:HLA-[AB])?\s*(\*?\d{2,3}:\d{2,3})(?::\d+)*\s*(positive|negative|present|absent|detected|not detected|carrier|non-?carrier)\b/i;

/** "HLA-B*57:01 positive" → { allele: "*57:01", positive: true } */
export function parseCarrierText(text: string): { allele: string; positive: boolean } | undefined {
  const m = CARRIER.exec(text.trim());
  if (!m) return undefined;
  const allele = m[1]!.startsWith('*') ? m[1]! : `*${m[1]}`;
  const word = m[2]!.toLowerCase();
  return { allele, positive: ['positive', 'present', 'detected', 'carrier'].includes(word) };
}

/** the IG's implication component (its TBD code; a code-only match is accepted, as for the observation code) */
const implicationComponent = (obs: Observation): ObservationComponent | undefined =>
  obs.component?.find((c) => codings(c.code).some((x) => x.code === CODES.therapeuticImplication && (!x.system || x.system === GENOMICS_REPORTING_TBD)));

function phenotypeText(obs: Observation): string | undefined {
  const concepts = [obs.valueCodeableConcept, findComponent(obs, CODES.metabolism)?.valueCodeableConcept, implicationComponent(obs)?.valueCodeableConcept];
  for (const cc of concepts) {
    for (const c of codings(cc)) if (c.code && METABOLIZER_ANSWERS[c.code]) return METABOLIZER_ANSWERS[c.code];
  }
  const comp = findComponent(obs, CODES.metabolism) ?? findComponent(obs, CODES.highRiskAllele);
  return textOf(obs.valueCodeableConcept) ?? obs.valueString ?? (comp ? componentValue(comp) : undefined);
}

const stripSymbol = (text: string, gene: string): string => (text.startsWith(gene) ? text.slice(gene.length) : text);

/**
 * The gene of the result an observation is derived from ("Observation/<id>", relative or absolute), looked
 * up in the same set of results: the IG's therapeutic implications name their gene only that way.
 */
export type DerivedGene = (reference: string) => string | undefined;

/** "Observation/<id>" of a reference, relative or absolute; undefined for anything else */
export function observationKey(reference: string | undefined): string | undefined {
  const m = reference ? /(?:^|\/)(Observation\/[A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]*)?$/.exec(reference) : null;
  return m ? m[1] : undefined;
}

function geneByDerivation(obs: Observation, derivedGene: DerivedGene | undefined): string | undefined {
  if (!derivedGene) return undefined;
  const genes = new Set((obs.derivedFrom ?? []).map((r) => derivedGene(r.reference ?? '')).filter((g): g is string => !!g));
  return genes.size === 1 ? [...genes][0] : undefined; // two genes: not this result's to pick
}

/** Read one Observation; `patientId` is the patient the request is about. */
export function readObservation(obs: Observation, patientId: string, kb: GeneKnowledge, derivedGene?: DerivedGene): ReadResult {
  const kind = observationKind(obs);
  const rawValue = textOf(obs.valueCodeableConcept) ?? obs.valueString;
  const ref = refOf(obs, kind ?? 'genotype', rawValue);
  const subject = obs.subject?.reference;
  if (!refersTo(subject, 'Patient', patientId)) {
    return { kind: 'ignored', ref, reason: 'result belongs to another patient (subject does not match)' };
  }
  if (obs.status === 'entered-in-error' || obs.status === 'cancelled') {
    return { kind: 'ignored', ref, reason: `status ${obs.status}` };
  }
  if (!kind) return { kind: 'unreadable', ref, reason: 'not a recognised genomics observation code' };
  const gene = geneOf(obs, kb) ?? (kind === 'therapeutic-implication' || kind === 'phenotype' ? geneByDerivation(obs, derivedGene) : undefined);
  if (!gene) return { kind: 'unreadable', ref, reason: 'gene not identified or not supported' };
  const base = { gene, ref };

  switch (kind) {
    case 'genotype': {
      if (!rawValue) return { kind: 'unreadable', ref, gene, reason: 'genotype without a value' };
      const carrier = parseCarrierText(stripSymbol(rawValue, gene));
      if (carrier) return { kind: 'findings', findings: [{ ...base, carrier }] };
      return { kind: 'findings', findings: [{ ...base, genotype: rawValue }] };
    }
    case 'haplotype': {
      if (!rawValue) return { kind: 'unreadable', ref, gene, reason: 'haplotype without a value' };
      const state = findComponent(obs, CODES.allelicState);
      const stateCode = codings(state?.valueCodeableConcept).find((c) => c.code && ALLELIC_STATE[c.code])?.code;
      const copies = stateCode && ALLELIC_STATE[stateCode] === 'homozygous' ? 2 : 1;
      return { kind: 'findings', findings: [{ ...base, haplotype: { name: rawValue, copies } }] };
    }
    case 'variant': {
      const idComp = findComponent(obs, CODES.dbSnp) ?? findComponent(obs, CODES.discreteVariant) ?? findComponent(obs, CODES.dnaChange);
      const id = idComp ? componentValue(idComp) ?? codings(idComp.valueCodeableConcept)[0]?.code : undefined;
      if (!id) return { kind: 'unreadable', ref, gene, reason: 'variant without an rsID or HGVS' };
      const present = !codings(obs.valueCodeableConcept).some((c) => c.code === 'LA9634-2') && !/absent/i.test(rawValue ?? '');
      const stateComp = findComponent(obs, CODES.allelicState);
      const stateCode = codings(stateComp?.valueCodeableConcept).find((c) => c.code && ALLELIC_STATE[c.code])?.code;
      const ref_ = findComponent(obs, CODES.refAllele);
      const alt = findComponent(obs, CODES.altAllele);
      const refBase = ref_ ? componentValue(ref_) : undefined;
      const altBase = alt ? componentValue(alt) : undefined;
      const state = stateCode ? ALLELIC_STATE[stateCode] : undefined;
      let genotype: string | undefined;
      if (refBase && altBase && state) {
        genotype = !present ? `${refBase}/${refBase}` : state === 'homozygous' ? `${altBase}/${altBase}` : `${refBase}/${altBase}`;
      }
      return {
        kind: 'findings',
        findings: [{ ...base, variant: { id, present, ...(state ? { state } : {}), ...(genotype ? { genotype } : {}) } }],
      };
    }
    case 'phenotype':
    case 'therapeutic-implication': {
      const implication = implicationComponent(obs);
      if (implication && !codings(implication.valueCodeableConcept).some((c) => c.code && METABOLIZER_ANSWERS[c.code])) {
        // e.g. "High risk" for carbamazepine: a statement about one drug, not a phenotype of the gene
        const said = componentValue(implication) ?? 'an implication';
        const drug = findComponent(obs, CODES.medicationAssessed);
        const about = drug ? ` for ${componentValue(drug) ?? 'a medication'}` : '';
        return { kind: 'ignored', ref, reason: `therapeutic implication "${said}"${about} states no ${gene} phenotype; the results it derives from are read instead` };
      }
      const text = phenotypeText(obs);
      if (!text) return { kind: 'unreadable', ref, gene, reason: 'phenotype without a value' };
      const carrier = parseCarrierText(stripSymbol(text, gene));
      const r = { ...ref, kind, value: text };
      if (carrier) return { kind: 'findings', findings: [{ gene, ref: r, carrier }] };
      return { kind: 'findings', findings: [{ gene, ref: r, phenotype: text }] };
    }
  }
}
