/** Small builders for Genomics Reporting IG Observations, shaped like the IG's pgx examples. */
import { HGNC_IDS } from '../../../src/sample-patients/build-request';
import type { Observation } from 'fhir/r4';

export const PATIENT = 'pat-1';

interface Opts {
  id?: string;
  status?: Observation['status'];
  date?: string;
  patient?: string;
  /** put the gene in component 48018-6 (default true) */
  geneComponent?: boolean;
}

const geneComponent = (gene: string) => ({
  code: { coding: [{ system: 'http://loinc.org', code: '48018-6', display: 'Gene studied ID' }] },
  valueCodeableConcept: { coding: [{ system: 'http://www.genenames.org', code: HGNC_IDS[gene]!, display: gene }] },
});

function base(code: string, gene: string, o: Opts): Observation {
  return {
    resourceType: 'Observation',
    id: o.id ?? `${code}-${gene}`,
    status: o.status ?? 'final',
    code: { coding: [{ system: 'http://loinc.org', code }] },
    subject: { reference: `Patient/${o.patient ?? PATIENT}` },
    effectiveDateTime: o.date ?? '2024-01-10',
    ...(o.geneComponent === false ? {} : { component: [geneComponent(gene)] }),
  };
}

/** Genotype (84413-4), diplotype in the coding display (IG style) */
export function genotype(gene: string, display: string, o: Opts = {}): Observation {
  return { ...base('84413-4', gene, o), valueCodeableConcept: { coding: [{ system: 'http://www.pharmvar.org', display }] } };
}

export function genotypeText(gene: string, text: string, o: Opts = {}): Observation {
  return { ...base('84413-4', gene, o), valueCodeableConcept: { text } };
}

export function genotypeString(gene: string, value: string, o: Opts = {}): Observation {
  return { ...base('84413-4', gene, o), valueString: value };
}

export function haplotype(gene: string, name: string, o: Opts & { homozygous?: boolean } = {}): Observation {
  const obs = { ...base('84414-2', gene, o), valueCodeableConcept: { coding: [{ system: 'http://www.pharmvar.org', display: name }] } };
  if (o.homozygous) {
    obs.component = [
      ...(obs.component ?? []),
      {
        code: { coding: [{ system: 'http://loinc.org', code: '53034-5' }] },
        valueCodeableConcept: { coding: [{ system: 'http://loinc.org', code: 'LA6705-3', display: 'Homozygous' }] },
      },
    ];
  }
  return obs;
}

/** Therapeutic implication with metabolizer status as a LOINC answer (component 53040-2) */
export function implication(gene: string, answer: { code?: string; display?: string; text?: string }, o: Opts = {}): Observation {
  const obs = base('53040-2', gene, o);
  obs.code = { coding: [{ system: 'http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs', code: 'therapeutic-implication' }] };
  obs.component = [
    ...(obs.component ?? []),
    {
      code: { coding: [{ system: 'http://loinc.org', code: '53040-2' }] },
      valueCodeableConcept: answer.code
        ? { coding: [{ system: 'http://loinc.org', code: answer.code, ...(answer.display ? { display: answer.display } : {}) }] }
        : { text: answer.text! },
    },
  ];
  return obs;
}

/** Variant (69548-6) by rsID with ref/alt and allelic state */
export function variant(
  gene: string,
  rsid: string,
  ref: string,
  alt: string,
  state: 'het' | 'hom' | 'absent',
  o: Opts = {},
): Observation {
  const obs = base('69548-6', gene, o);
  const comp = (code: string, value: object) => ({ code: { coding: [{ system: 'http://loinc.org', code }] }, ...value });
  obs.valueCodeableConcept = { coding: [{ system: 'http://loinc.org', code: state === 'absent' ? 'LA9634-2' : 'LA9633-4', display: state === 'absent' ? 'Absent' : 'Present' }] };
  obs.component = [
    ...(obs.component ?? []),
    comp('81255-2', { valueCodeableConcept: { coding: [{ system: 'http://www.ncbi.nlm.nih.gov/projects/SNP', code: rsid, display: rsid }] } }),
    comp('69547-8', { valueString: ref }),
    comp('69551-0', { valueString: alt }),
    ...(state === 'absent' ? [] : [comp('53034-5', { valueCodeableConcept: { coding: [{ system: 'http://loinc.org', code: state === 'hom' ? 'LA6705-3' : 'LA6706-1' }] } })]),
  ];
  return obs;
}

/** DPYD-style variant by HGVS (48004-6) */
export function hgvsVariant(gene: string, hgvs: string, state: 'het' | 'hom', o: Opts = {}): Observation {
  const obs = base('69548-6', gene, o);
  obs.valueCodeableConcept = { coding: [{ system: 'http://loinc.org', code: 'LA9633-4', display: 'Present' }] };
  obs.component = [
    ...(obs.component ?? []),
    { code: { coding: [{ system: 'http://loinc.org', code: '48004-6' }] }, valueCodeableConcept: { text: hgvs } },
    {
      code: { coding: [{ system: 'http://loinc.org', code: '53034-5' }] },
      valueCodeableConcept: { coding: [{ system: 'http://loinc.org', code: state === 'hom' ? 'LA6705-3' : 'LA6706-1' }] },
    },
  ];
  return obs;
}
