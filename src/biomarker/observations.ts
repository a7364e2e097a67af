/**
 * Read tumour biomarker results from FHIR Observations as the Genomics Reporting IG and mCODE send them:
 * variant Observations (LOINC 69548-6 with gene studied, c./p. HGVS, genomic source class, allelic frequency),
 * fusions and copy-number changes (the same profile, told apart by coding-change type / molecular consequence),
 * and the HER2, PD-L1, MSI and TMB observations. Codes come from the compiled table (terminology/oncology.json).
 *
 * Germline results never become tumour findings by accident: the genomic source class is carried on every
 * finding, and only requirements that accept germline (BRCA for PARP inhibitors) use germline ones. Anything
 * that looks like a tumour result but cannot be read is returned in `unplaced` with the reason, never dropped.
 */
import type { CodeableConcept, Observation, ObservationComponent } from 'fhir/r4';
import { refersTo } from '../fhir/reference';
import type { GenomicOrigin, OncologyCodes, TumourFinding, TumourProfile } from './types';

const codings = (cc: CodeableConcept | undefined) => cc?.coding ?? [];
const hasCode = (cc: CodeableConcept | undefined, codes: string | string[]): boolean => {
  const wanted = Array.isArray(codes) ? codes : [codes];
  return codings(cc).some((c) => !!c.code && wanted.includes(c.code));
};
const textOf = (cc: CodeableConcept | undefined): string | undefined => cc?.text ?? codings(cc).find((c) => c.display)?.display ?? undefined;
const components = (obs: Observation, code: string): ObservationComponent[] => (obs.component ?? []).filter((c) => hasCode(c.code, code));
const componentText = (c: ObservationComponent | undefined): string | undefined =>
  c ? textOf(c.valueCodeableConcept) ?? c.valueString ?? codings(c.valueCodeableConcept)[0]?.code : undefined;

const AA: Record<string, string> = {
  Ala: 'A', Arg: 'R', Asn: 'N', Asp: 'D', Cys: 'C', Gln: 'Q', Glu: 'E', Gly: 'G', His: 'H', Ile: 'I',
  Leu: 'L', Lys: 'K', Met: 'M', Phe: 'F', Pro: 'P', Ser: 'S', Thr: 'T', Trp: 'W', Tyr: 'Y', Val: 'V', Ter: '*',
};

/** "p.Leu858Arg" / "p.(Leu858Arg)" / "L858R" → "L858R"; "p.Glu746_Ala750del" → "E746_A750del" */
export function shortProtein(hgvs: string | undefined): string | undefined {
  if (!hgvs) return undefined;
  const s = hgvs.trim().replace(/^.*?p\./, '').replace(/^\((.*)\)$/, '$1');
  const out = s.replace(/(Ala|Arg|Asn|Asp|Cys|Gln|Glu|Gly|His|Ile|Leu|Lys|Met|Phe|Pro|Ser|Thr|Trp|Tyr|Val|Ter)/g, (m) => AA[m]!);
  return /^[A-Z*]\d+/.test(out) ? out : undefined;
}

function genesOf(obs: Observation, codes: OncologyCodes): string[] {
  const genes: string[] = [];
  for (const comp of components(obs, codes.geneStudied)) {
    const cc = comp.valueCodeableConcept;
    // an HGNC coding's display is the symbol; a bare text is accepted too
    const symbol = codings(cc).find((c) => c.system?.includes('genenames') && c.display)?.display ?? codings(cc).find((c) => c.display)?.display ?? cc?.text;
    if (symbol) genes.push(symbol.trim().toUpperCase());
  }
  return [...new Set(genes)];
}

function originOf(obs: Observation, codes: OncologyCodes): GenomicOrigin {
  const comp = components(obs, codes.genomicSourceClass)[0];
  if (hasCode(comp?.valueCodeableConcept, codes.somatic)) return 'somatic';
  if (hasCode(comp?.valueCodeableConcept, codes.germline)) return 'germline';
  const t = componentText(comp)?.toLowerCase() ?? '';
  if (t === 'somatic') return 'somatic';
  if (t === 'germline') return 'germline';
  return 'unstated';
}

function base(obs: Observation): Pick<TumourFinding, 'date' | 'observationId' | 'method' | 'specimen'> {
  const out: Pick<TumourFinding, 'date' | 'observationId' | 'method' | 'specimen'> = {};
  const date = obs.effectiveDateTime ?? obs.effectivePeriod?.start ?? obs.issued;
  if (date) out.date = date;
  if (obs.id) out.observationId = obs.id;
  const method = textOf(obs.method);
  if (method) out.method = method;
  if (obs.specimen?.display) out.specimen = obs.specimen.display;
  return out;
}

/** true positive / false negative / undefined equivocal-or-unknown, from a coded or text value */
function polarity(obs: Observation, codes: OncologyCodes): boolean | undefined {
  const cc = obs.valueCodeableConcept;
  if (hasCode(cc, codes.equivocal)) return undefined;
  if (hasCode(cc, [...codes.positive, codes.present, codes.msiHigh])) return true;
  if (hasCode(cc, [...codes.negative, codes.absent, codes.msiStable])) return false;
  const t = (textOf(cc) ?? obs.valueString ?? '').toLowerCase();
  if (/equivocal|indeterminate|inconclusive/.test(t)) return undefined;
  if (/^(positive|present|detected|amplified|msi-h|3\+)/.test(t)) return true;
  if (/^(negative|absent|not detected|not amplified|stable|mss|0|1\+)/.test(t)) return false;
  return undefined;
}

export function isTumourBiomarkerCode(obs: Observation, codes: OncologyCodes): boolean {
  return hasCode(obs.code, [...codes.her2, ...codes.pdl1Percent, ...codes.pdl1Presence, ...codes.tmb, ...codes.msi]);
}

/** A 69548-6 variant stated somatic: a tumour result the germline PGx engine must not read. */
export function isSomaticVariant(obs: Observation, codes: OncologyCodes): boolean {
  return hasCode(obs.code, codes.variant) && originOf(obs, codes) === 'somatic';
}

/**
 * Read every Observation that is a tumour result for this patient. Germline PGx observations (genotype,
 * haplotype, phenotype) are not read at all; germline variants are read with origin "germline" so that only a
 * requirement accepting germline (BRCA) can use them.
 */
export function readTumourProfile(observations: Observation[], patientId: string, codes: OncologyCodes): TumourProfile {
  const profile: TumourProfile = { findings: [], unplaced: [] };
  for (const obs of observations) {
    const subject = obs.subject?.reference;
    if (!refersTo(subject, 'Patient', patientId)) continue;
    if (obs.status === 'entered-in-error' || obs.status === 'cancelled') continue;
    const b = base(obs);
    if (hasCode(obs.code, codes.variant)) readVariant(obs, b);
    else if (hasCode(obs.code, codes.her2)) {
      profile.findings.push({ kind: 'her2', genes: ['ERBB2'], origin: 'somatic', text: textOf(obs.valueCodeableConcept) ?? obs.valueString, ...opt('present', polarity(obs, codes)), ...b });
    } else if (hasCode(obs.code, codes.pdl1Percent)) {
      const q = obs.valueQuantity?.value;
      if (typeof q !== 'number') profile.unplaced.push({ observationId: obs.id, genes: ['CD274'], reason: 'PD-L1 percentage without a numeric value' });
      else profile.findings.push({ kind: 'pdl1', genes: ['CD274'], origin: 'somatic', quantity: q, unit: '%', ...b });
    } else if (hasCode(obs.code, codes.pdl1Presence)) {
      // a positive/negative PD-L1 statement has no score: kept, and placed against a threshold as indeterminate
      profile.findings.push({ kind: 'pdl1', genes: ['CD274'], origin: 'somatic', text: textOf(obs.valueCodeableConcept) ?? obs.valueString, ...opt('present', polarity(obs, codes)), ...b });
    } else if (hasCode(obs.code, codes.tmb)) {
      const q = obs.valueQuantity?.value;
      if (typeof q !== 'number') profile.unplaced.push({ observationId: obs.id, genes: [], reason: 'tumour mutational burden without a numeric value' });
      else profile.findings.push({ kind: 'tmb', genes: [], origin: 'somatic', quantity: q, unit: 'mut/Mb', ...b });
    } else if (hasCode(obs.code, codes.msi)) {
      profile.findings.push({ kind: 'msi', genes: [], origin: 'somatic', text: textOf(obs.valueCodeableConcept) ?? obs.valueString, ...opt('present', polarity(obs, codes)), ...b });
    }
  }
  return profile;

  function readVariant(obs: Observation, b: ReturnType<typeof base>): void {
    const genes = genesOf(obs, codes);
    const origin = originOf(obs, codes);
    if (genes.length === 0) {
      // a variant with no gene studied is likely a PGx rsID call; only a stated-somatic one is a tumour result we cannot place
      if (origin === 'somatic') profile.unplaced.push({ observationId: obs.id, genes: [], reason: 'somatic variant without a gene studied' });
      return;
    }
    const present = hasCode(obs.valueCodeableConcept, codes.absent) ? false : hasCode(obs.valueCodeableConcept, codes.present) ? true : polarity(obs, codes) ?? true;
    const change = components(obs, codes.codingChangeType)[0]?.valueCodeableConcept;
    const consequence = components(obs, codes.molecularConsequence)[0]?.valueCodeableConcept;
    const protein = componentText(components(obs, codes.proteinHgvs)[0]);
    const cdna = componentText(components(obs, codes.codingHgvs)[0]);
    // the lab's own words only: the display of the Present/Absent answer says nothing about which variant
    const text = obs.valueCodeableConcept?.text ?? obs.valueString;
    const sig = components(obs, codes.clinicalSignificance)[0]?.valueCodeableConcept;
    const af = components(obs, codes.allelicFrequency)[0]?.valueQuantity?.value;
    const finding: TumourFinding = { kind: 'variant', genes, present, origin, ...b };
    if (hasCode(change, codes.fusion) || hasCode(consequence, codes.fusion) || /fusion|rearrange/i.test(`${textOf(change) ?? ''} ${textOf(consequence) ?? ''} ${obs.code.text ?? ''}`)) {
      finding.kind = 'fusion';
    } else if (hasCode(consequence, [codes.copyNumberGain, codes.copyNumberLoss]) || components(obs, codes.copyNumber).length) {
      finding.kind = 'copy-number';
      finding.text = textOf(consequence) ?? text;
    }
    if (protein) {
      finding.protein = protein;
      const s = shortProtein(protein);
      if (s) finding.proteinShort = s;
    }
    if (cdna) finding.cdna = cdna;
    if (text && finding.kind !== 'copy-number') finding.text = text;
    if (sig) finding.pathogenic = hasCode(sig, codes.pathogenic);
    if (typeof af === 'number') finding.alleleFrequency = af;
    profile.findings.push(finding);
  }
}

function opt<K extends string, V>(key: K, v: V | undefined): Partial<Record<K, V>> {
  return v === undefined ? {} : ({ [key]: v } as Record<K, V>);
}
