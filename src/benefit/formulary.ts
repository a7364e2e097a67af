/**
 * Formulary status: reading Da Vinci US Drug Formulary resources (FormularyItem = Basic,
 * FormularyDrug = MedicationKnowledge) into plain entries, and looking an ingredient up.
 *
 * GINA guard: nothing in this file takes genomic input — tiers and coverage are the plan's, for everyone.
 */
import type { Basic, Extension, MedicationKnowledge, Resource } from 'fhir/r4';
import type { FormularyStatus } from './types';

const USDF = 'http://hl7.org/fhir/us/davinci-drug-formulary';
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

export const USDF_PROFILE = {
  payerPlan: `${USDF}/StructureDefinition/usdf-PayerInsurancePlan`,
  formulary: `${USDF}/StructureDefinition/usdf-Formulary`,
  formularyItem: `${USDF}/StructureDefinition/usdf-FormularyItem`,
  formularyDrug: `${USDF}/StructureDefinition/usdf-FormularyDrug`,
} as const;

export const USDF_EXT = {
  formularyReference: `${USDF}/StructureDefinition/usdf-FormularyReference-extension`,
  drugTier: `${USDF}/StructureDefinition/usdf-DrugTierID-extension`,
  priorAuth: `${USDF}/StructureDefinition/usdf-PriorAuthorization-extension`,
  priorAuthNewStartsOnly: `${USDF}/StructureDefinition/usdf-PriorAuthorizationNewStartsOnly-extension`,
  stepTherapy: `${USDF}/StructureDefinition/usdf-StepTherapyLimit-extension`,
  stepTherapyNewStartsOnly: `${USDF}/StructureDefinition/usdf-StepTherapyLimitNewStartsOnly-extension`,
  quantityLimit: `${USDF}/StructureDefinition/usdf-QuantityLimit-extension`,
  quantityLimitDetail: `${USDF}/StructureDefinition/usdf-QuantityLimitDetail-extension`,
  pharmacyBenefitType: `${USDF}/StructureDefinition/usdf-PharmacyBenefitType-extension`,
  availabilityStatus: `${USDF}/StructureDefinition/usdf-AvailabilityStatus-extension`,
} as const;

export const DRUG_TIER_SYSTEM = `${USDF}/CodeSystem/usdf-DrugTierCS`;

/** DrugTierCS codes, cheapest first: the rank orders alternatives, it never sets a price. */
export const TIER_RANK: Readonly<Record<string, number>> = {
  'zero-cost-share-preventative': 0,
  'preferred-generic': 1,
  generic: 2,
  'non-preferred-generic': 3,
  'preferred-brand': 4,
  brand: 5,
  'non-preferred-brand': 6,
  specialty: 7,
};

export interface FormularyEntry {
  /** FormularyItem (Basic) id: the plan rule id cited in cards */
  itemId: string;
  drugId: string;
  display: string;
  /** RxNorm code of the FormularyDrug (SCD, or the ingredient itself) */
  rxnormCode: string;
  ingredientRxcuis: string[];
  tier: string;
  tierRank: number;
  priorAuthorization: boolean;
  priorAuthNewStartsOnly: boolean;
  stepTherapy: boolean;
  stepTherapyNewStartsOnly: boolean;
  quantityLimit: boolean;
  quantityLimitDetail?: string;
  status: 'active' | 'inactive';
}

const ext = (exts: Extension[] | undefined, url: string) => (exts ?? []).find((e) => e.url === url);

export function parseFormularyDrug(mk: MedicationKnowledge): {
  display: string;
  rxnormCode?: string;
  ingredientRxcuis: string[];
  problems: string[];
} {
  const problems: string[] = [];
  const coding = mk.code?.coding?.find((c) => c.system === RXNORM && c.code);
  if (!coding) problems.push('FormularyDrug has no RxNorm code');
  const ingredientRxcuis = (mk.ingredient ?? []).flatMap((i) =>
    (i.itemCodeableConcept?.coding ?? []).filter((c) => c.system === RXNORM && c.code).map((c) => c.code!),
  );
  if (ingredientRxcuis.length === 0) problems.push('FormularyDrug has no RxNorm ingredient (ingredient[].itemCodeableConcept)');
  return { display: coding?.display ?? mk.code?.text ?? mk.id ?? '', rxnormCode: coding?.code, ingredientRxcuis, problems };
}

/** QuantityLimitDetail sub-extensions (Rolling / MaximumDaily / DaysSupply) in plain words. */
function describeQuantityLimit(detail: Extension | undefined): string | undefined {
  if (!detail?.extension?.length) return undefined;
  const parts: string[] = [];
  for (const e of detail.extension) {
    const r = e.valueTiming?.repeat;
    if (e.url === 'MaximumDaily' && e.valueQuantity?.value !== undefined) parts.push(`max ${e.valueQuantity.value} per day`);
    if (e.url === 'Rolling' && r?.count !== undefined) parts.push(`${r.count} per ${r.period ?? ''} ${r.periodUnit ?? ''}`.trim());
    if (e.url === 'DaysSupply' && r?.period !== undefined) {
      parts.push(`${r.period} ${r.periodUnit ?? 'd'} supply per ${r.boundsDuration?.value ?? ''} ${r.boundsDuration?.code ?? ''}`.trim());
    }
  }
  return parts.join('; ') || undefined;
}

export function parseFormularyItem(
  item: Basic,
  resolve: (ref: string) => Resource | undefined,
  drugs: Map<string, ReturnType<typeof parseFormularyDrug>>,
): { formularyRef?: string; entry?: FormularyEntry; problems: string[] } {
  const problems: string[] = [];
  const x = item.extension;
  const formularyRef = ext(x, USDF_EXT.formularyReference)?.valueReference?.reference;
  if (!formularyRef) problems.push('missing usdf-FormularyReference-extension');
  const subjectRef = item.subject?.reference;
  const drug = subjectRef ? drugs.get(subjectRef) : undefined;
  if (!subjectRef || !drug) problems.push(`subject ${subjectRef ?? '(none)'} does not resolve to a FormularyDrug in this bundle`);
  else if (!resolve(subjectRef)) problems.push(`subject ${subjectRef} not found`);
  const tier = ext(x, USDF_EXT.drugTier)?.valueCodeableConcept?.coding?.find((c) => c.system === DRUG_TIER_SYSTEM)?.code;
  if (!tier) problems.push('missing usdf-DrugTierID-extension (DrugTierCS coding)');
  else if (!(tier in TIER_RANK)) problems.push(`unknown drug tier "${tier}"`);
  const flag = (url: string, name: string, required: boolean): boolean => {
    const e = ext(x, url);
    if (e?.valueBoolean === undefined) {
      if (required) problems.push(`missing ${name} (boolean)`);
      return false;
    }
    return e.valueBoolean;
  };
  const priorAuthorization = flag(USDF_EXT.priorAuth, 'usdf-PriorAuthorization-extension', true);
  const stepTherapy = flag(USDF_EXT.stepTherapy, 'usdf-StepTherapyLimit-extension', true);
  const quantityLimit = flag(USDF_EXT.quantityLimit, 'usdf-QuantityLimit-extension', true);
  const status = ext(x, USDF_EXT.availabilityStatus)?.valueCode;
  if (status !== 'active' && status !== 'inactive') problems.push('missing usdf-AvailabilityStatus-extension (active | inactive)');
  if (problems.length || !drug || !tier) return { formularyRef, problems };
  return {
    formularyRef,
    problems,
    entry: {
      itemId: item.id!,
      drugId: subjectRef!.split('/').pop()!,
      display: drug.display,
      rxnormCode: drug.rxnormCode!,
      ingredientRxcuis: drug.ingredientRxcuis,
      tier,
      tierRank: TIER_RANK[tier]!,
      priorAuthorization,
      priorAuthNewStartsOnly: flag(USDF_EXT.priorAuthNewStartsOnly, '', false),
      stepTherapy,
      stepTherapyNewStartsOnly: flag(USDF_EXT.stepTherapyNewStartsOnly, '', false),
      quantityLimit,
      quantityLimitDetail: describeQuantityLimit(ext(x, USDF_EXT.quantityLimitDetail)),
      status: status as 'active' | 'inactive',
    },
  };
}

/** The formulary entry for an ingredient, if the plan lists it as available. */
export function findEntry(entries: ReadonlyMap<string, FormularyEntry>, ingredientRxcui: string | undefined) {
  if (!ingredientRxcui) return undefined;
  const entry = entries.get(ingredientRxcui);
  return entry && entry.status === 'active' ? entry : undefined;
}

/** Formulary status of an ingredient under a plan — a function of the plan's table alone (GINA). */
export function formularyStatus(entries: ReadonlyMap<string, FormularyEntry>, ingredientRxcui: string | undefined): FormularyStatus {
  const entry = findEntry(entries, ingredientRxcui);
  if (!entry) return { covered: false, priorAuthorization: false, stepTherapy: false, quantityLimit: false };
  return {
    covered: true,
    tier: entry.tier,
    tierRank: entry.tierRank,
    priorAuthorization: entry.priorAuthorization,
    stepTherapy: entry.stepTherapy,
    quantityLimit: entry.quantityLimit,
    quantityLimitDetail: entry.quantityLimitDetail,
    ruleId: entry.itemId,
  };
}
