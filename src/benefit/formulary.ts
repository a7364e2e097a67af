/**
 * Formulary status: reading Da Vinci US Drug Formulary resources (FormularyItem = Basic,
 * FormularyDrug = MedicationKnowledge) into plain entries, and looking an ingredient up.
 *
 * GINA guard: nothing in this file takes genomic input — tiers and coverage are the plan's, for everyone.
 */
import type { Basic, CodeableConcept, Extension, InsurancePlan, MedicationKnowledge, Resource } from 'fhir/r4';
import { RXNORM } from '../fhir/systems';
import { ingredientKey, readRxNormName, type IngredientLexicon, type NameReading } from './rxnorm-names';
import type { FormularyStatus } from './types';

const USDF = 'http://hl7.org/fhir/us/davinci-drug-formulary';

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

/** DrugTierCS as STU1 published it, and as STU2 publishes it; a coding from either is read the same way. */
export const DRUG_TIER_SYSTEMS = [`${USDF}/CodeSystem/usdf-DrugTierCS`, `${USDF}/CodeSystem/usdf-DrugTierCS-TEMPORARY-TRIAL-USE`] as const;

/**
 * DrugTierCS codes (STU1 and STU2), cheapest first: the rank orders alternatives, it never sets a price.
 * STU2's "preferred" / "non-preferred" rank with the preferred / non-preferred brand tiers.
 */
export const TIER_RANK: Readonly<Record<string, number>> = {
  'zero-cost-share-preventative': 0,
  'preferred-generic': 1,
  generic: 2,
  'non-preferred-generic': 3,
  preferred: 4,
  'preferred-brand': 4,
  brand: 5,
  'non-preferred': 6,
  'non-preferred-brand': 6,
  specialty: 7,
  'medical-service': 8,
};

/** A plan's own tier code, mapped to a DrugTierCS code in policy.yaml (`tierCodes`). */
export interface TierCodeMapping {
  system: string;
  code: string;
  tier: string;
}

export interface FormularyEntry {
  /** FormularyItem (Basic) id: the plan rule id cited in cards */
  itemId: string;
  drugId: string;
  display: string;
  /** RxNorm code of the product (SCD/SBD), or the first RxNorm code the FormularyDrug carries */
  rxnormCode: string;
  /** every RxNorm code of the FormularyDrug: product and group (SCDG/SBDG) codes */
  codes: string[];
  /** ingredient RxCUIs recognised (from ingredient[] or the RxNorm name) */
  ingredientRxcuis: string[];
  /** every ingredient is known: the product is also matched by its ingredients */
  ingredientsKnown: boolean;
  tier: string;
  tierRank: number;
  /** the tier coding as the export wrote it, when it is not a DrugTierCS code ("system#code") */
  tierSource?: string;
  priorAuthorization: boolean;
  priorAuthNewStartsOnly: boolean;
  stepTherapy: boolean;
  stepTherapyNewStartsOnly: boolean;
  quantityLimit: boolean;
  quantityLimitDetail?: string;
  /** usdf-PharmacyBenefitType-extension codes */
  pharmacyBenefitTypes: string[];
  status: 'active' | 'inactive';
}

const ext = (exts: Extension[] | undefined, url: string) => (exts ?? []).find((e) => e.url === url);

export interface FormularyDrugReading {
  display: string;
  rxnormCode?: string;
  codes: string[];
  ingredientRxcuis: string[];
  ingredientsKnown: boolean;
  /** components of the name that are not a known ingredient */
  unknownIngredients: string[];
  problems: string[];
}

/**
 * A FormularyDrug: its RxNorm codes (product, then groups), and its ingredients — from `ingredient[]` when
 * the export lists them, otherwise read from the RxNorm names it carries (rxnorm-names.ts).
 */
export function parseFormularyDrug(mk: MedicationKnowledge, lexicon: IngredientLexicon): FormularyDrugReading {
  const problems: string[] = [];
  const rx = (mk.code?.coding ?? []).filter((c) => c.system === RXNORM && c.code);
  if (rx.length === 0) {
    problems.push(`FormularyDrug has no RxNorm code: add code.coding with system ${RXNORM} and the product's SCD/SBD code`);
  }
  const codes = [...new Set(rx.map((c) => c.code!))];
  const display = rx.find((c) => c.display)?.display ?? mk.code?.text ?? mk.id ?? '';
  const listed = (mk.ingredient ?? []).flatMap((i) =>
    (i.itemCodeableConcept?.coding ?? []).filter((c) => c.system === RXNORM && c.code).map((c) => c.code!),
  );
  if (listed.length) {
    return { display, rxnormCode: codes[0], codes, ingredientRxcuis: [...new Set(listed)], ingredientsKnown: true, unknownIngredients: [], problems };
  }
  const names = [...rx.map((c) => c.display ?? lexicon.productNames.get(c.code!)), mk.code?.text];
  let best: NameReading | undefined;
  for (const name of names) {
    const reading = readRxNormName(name, lexicon);
    if (!reading) continue;
    if (reading.unknown.length === 0 && reading.ingredients.length) {
      best = reading;
      break;
    }
    if (!best || reading.ingredients.length > best.ingredients.length) best = reading;
  }
  return {
    display,
    rxnormCode: codes[0],
    codes,
    ingredientRxcuis: best?.ingredients ?? [],
    ingredientsKnown: !!best && best.ingredients.length > 0 && best.unknown.length === 0,
    unknownIngredients: best?.unknown ?? [],
    problems,
  };
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

/**
 * The DrugTierCS code a tier coding stands for: a DrugTierCS coding (STU1 or STU2 system) as is, a plan's
 * own code through policy.yaml `tierCodes`. Undefined → the caller reports the coding as unknown.
 */
export function resolveTier(
  concept: CodeableConcept | undefined,
  tierCodes: readonly TierCodeMapping[],
): { tier: string; source?: string } | { unknown: string } | undefined {
  const codings = (concept?.coding ?? []).filter((c) => c.code);
  if (codings.length === 0) return undefined;
  for (const c of codings) {
    if ((DRUG_TIER_SYSTEMS as readonly string[]).includes(c.system ?? '') && c.code! in TIER_RANK) return { tier: c.code! };
  }
  for (const c of codings) {
    const mapped = tierCodes.find((m) => m.system === c.system && m.code === c.code);
    if (mapped) return { tier: mapped.tier, source: `${c.system}#${c.code}` };
  }
  return { unknown: codings.map((c) => `${c.system ?? '(no system)'}#${c.code}`).join(', ') };
}

export const unknownTierAdvice = (what: string) =>
  `${what} is neither a DrugTierCS code (${DRUG_TIER_SYSTEMS.join(' or ')}; codes ${Object.keys(TIER_RANK).join(', ')}) ` +
  'nor mapped in policy.yaml: add `tierCodes: [{ system, code, tier }]` mapping it to a DrugTierCS code';

export function parseFormularyItem(
  item: Basic,
  resolve: (ref: string) => Resource | undefined,
  drugs: ReadonlyMap<Resource, FormularyDrugReading>,
  tierCodes: readonly TierCodeMapping[],
): { formulary?: Resource; drug?: Resource; entry?: FormularyEntry; problems: string[] } {
  const problems: string[] = [];
  const x = item.extension;
  const formularyRef = ext(x, USDF_EXT.formularyReference)?.valueReference?.reference;
  const formulary = formularyRef ? resolve(formularyRef) : undefined;
  if (!formularyRef) problems.push('missing usdf-FormularyReference-extension: add it with a reference to the usdf-Formulary InsurancePlan');
  else if (!formulary) problems.push(`usdf-FormularyReference-extension ${formularyRef} does not resolve to a resource in this bundle`);
  const subjectRef = item.subject?.reference;
  const subject = subjectRef ? resolve(subjectRef) : undefined;
  const drug = subject ? drugs.get(subject) : undefined;
  if (!subjectRef) problems.push('no subject: set subject to a reference to its FormularyDrug (MedicationKnowledge)');
  else if (!drug) problems.push(`subject ${subjectRef} does not resolve to a FormularyDrug (MedicationKnowledge) in this bundle`);
  const tierExt = ext(x, USDF_EXT.drugTier);
  const tier = resolveTier(tierExt?.valueCodeableConcept, tierCodes);
  if (!tierExt) problems.push('missing usdf-DrugTierID-extension: add it with the drug tier (DrugTierCS coding)');
  else if (!tier) problems.push('usdf-DrugTierID-extension has no coded tier: add a DrugTierCS coding to valueCodeableConcept');
  else if ('unknown' in tier) problems.push(`unknown drug tier ${unknownTierAdvice(tier.unknown)}`);
  // the PA / step-therapy / quantity-limit flags are 0..1 in the IG: absent means the limit is not imposed
  const flag = (url: string, name: string): boolean => {
    const e = ext(x, url);
    if (!e) return false;
    if (typeof e.valueBoolean !== 'boolean') {
      problems.push(`${name} has no valueBoolean: set valueBoolean to true or false, or leave the extension out`);
      return false;
    }
    return e.valueBoolean;
  };
  const priorAuthorization = flag(USDF_EXT.priorAuth, 'usdf-PriorAuthorization-extension');
  const priorAuthNewStartsOnly = flag(USDF_EXT.priorAuthNewStartsOnly, 'usdf-PriorAuthorizationNewStartsOnly-extension');
  const stepTherapy = flag(USDF_EXT.stepTherapy, 'usdf-StepTherapyLimit-extension');
  const stepTherapyNewStartsOnly = flag(USDF_EXT.stepTherapyNewStartsOnly, 'usdf-StepTherapyLimitNewStartsOnly-extension');
  const quantityLimit = flag(USDF_EXT.quantityLimit, 'usdf-QuantityLimit-extension');
  const status = ext(x, USDF_EXT.availabilityStatus)?.valueCode;
  if (!status) problems.push('missing usdf-AvailabilityStatus-extension: add it with valueCode active (or retired / draft)');
  else if (!AVAILABILITY.has(status)) problems.push(`usdf-AvailabilityStatus-extension "${status}" is not a publication-status code (active | draft | retired | unknown)`);
  const pharmacyBenefitTypes = (x ?? [])
    .filter((e) => e.url === USDF_EXT.pharmacyBenefitType)
    .flatMap((e) => (e.valueCodeableConcept?.coding ?? []).flatMap((c) => (c.code ? [c.code] : [])));
  if (problems.length || !drug || !tier || 'unknown' in tier || !subject) return { formulary, drug: subject, problems };
  return {
    formulary,
    drug: subject,
    problems,
    entry: {
      itemId: item.id!,
      drugId: subject.id ?? subjectRef!,
      display: drug.display,
      rxnormCode: drug.rxnormCode!,
      codes: drug.codes,
      ingredientRxcuis: drug.ingredientRxcuis,
      ingredientsKnown: drug.ingredientsKnown,
      tier: tier.tier,
      tierRank: TIER_RANK[tier.tier]!,
      ...(tier.source ? { tierSource: tier.source } : {}),
      priorAuthorization,
      priorAuthNewStartsOnly,
      stepTherapy,
      stepTherapyNewStartsOnly,
      quantityLimit,
      quantityLimitDetail: describeQuantityLimit(ext(x, USDF_EXT.quantityLimitDetail)),
      pharmacyBenefitTypes,
      // publication-status: only "active" is on the formulary today ("inactive" was read the same way before STU2)
      status: status === 'active' ? 'active' : 'inactive',
    },
  };
}

const AVAILABILITY = new Set(['active', 'draft', 'retired', 'unknown', 'inactive']);

/** Which listing is offered when several products share the ingredients asked about: cheapest tier, fewest limits. */
export function preferredEntry(a: FormularyEntry, b: FormularyEntry): FormularyEntry {
  const burden = (e: FormularyEntry) => Number(e.priorAuthorization) + Number(e.stepTherapy) + Number(e.quantityLimit);
  if (a.tierRank !== b.tierRank) return a.tierRank < b.tierRank ? a : b;
  if (burden(a) !== burden(b)) return burden(a) < burden(b) ? a : b;
  return a.itemId <= b.itemId ? a : b;
}

/** The formulary entry for an ingredient, if the plan lists it as available. */
export function findEntry(entries: ReadonlyMap<string, FormularyEntry>, ingredientRxcui: string | undefined) {
  if (!ingredientRxcui) return undefined;
  const entry = entries.get(ingredientRxcui);
  return entry && entry.status === 'active' ? entry : undefined;
}

/** Formulary status of an ingredient under a plan — a function of the plan's table alone (GINA). */
export function formularyStatus(entries: ReadonlyMap<string, FormularyEntry>, ingredientRxcui: string | undefined): FormularyStatus {
  return statusOf(findEntry(entries, ingredientRxcui));
}

/** A plan's formulary, indexed for orders: by RxNorm code, then by ingredients. */
export interface FormularyIndex {
  /** ingredient key (rxnorm-names.ingredientKey) → the available listing offered for those ingredients */
  entries: ReadonlyMap<string, FormularyEntry>;
  /** RxNorm product or group code → available listing (a group shared by several products → the preferred one) */
  products: ReadonlyMap<string, FormularyEntry>;
  /** RxNorm code → ingredient key, for every code whose ingredients are known (formulary drugs, drug table) */
  codeIngredients: ReadonlyMap<string, string>;
  lexicon: IngredientLexicon;
}

/** What an order says about the product: its RxNorm codings, and the CPIC ingredient the PGx engine found. */
export interface OrderedProduct {
  codings: ReadonlyArray<{ code?: string; display?: string }>;
  ingredientRxcui?: string;
}

/**
 * The ingredient key of an ordered product: from a code whose ingredients are known, else from an RxNorm
 * name that names every ingredient, else the ingredient the PGx engine identified.
 */
export function orderIngredientKey(index: FormularyIndex, order: OrderedProduct): string | undefined {
  for (const c of order.codings) {
    const key = c.code ? index.codeIngredients.get(c.code) : undefined;
    if (key) return key;
  }
  for (const c of order.codings) {
    const reading = readRxNormName(c.display, index.lexicon);
    if (reading && reading.unknown.length === 0 && reading.ingredients.length) return ingredientKey(reading.ingredients);
  }
  return order.ingredientRxcui;
}

/**
 * The listing an order matches — one of its RxNorm codes first (product, then group), then its ingredients.
 * A function of the plan's table and the order's codes alone (GINA: no genomic input).
 */
export function matchOrder(index: FormularyIndex, order: OrderedProduct): { entry?: FormularyEntry; by?: 'code' | 'ingredients'; key?: string } {
  for (const c of order.codings) {
    const entry = c.code ? index.products.get(c.code) : undefined;
    if (entry) return { entry, by: 'code', key: c.code };
  }
  const key = orderIngredientKey(index, order);
  const entry = key ? index.entries.get(key) : undefined;
  return entry ? { entry, by: 'ingredients', key } : { key };
}

/** A formulary position as a FormularyStatus (no genomic input). */
export function statusOf(entry: FormularyEntry | undefined): FormularyStatus {
  if (!entry || entry.status !== 'active') return { covered: false, priorAuthorization: false, stepTherapy: false, quantityLimit: false };
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

/** Does a policy rule's `appliesTo` cover this listing: its product or group code, or one of its ingredients. */
export function ruleApplies(appliesTo: readonly string[], entry: Pick<FormularyEntry, 'codes' | 'ingredientRxcuis'>): boolean {
  return entry.codes.some((c) => appliesTo.includes(c)) || entry.ingredientRxcuis.some((rx) => appliesTo.includes(rx));
}

/** pharmacy benefit type → tier → amounts, as a payer plan publishes them (InsurancePlan.plan.specificCost) */
export type PayerCostTable = Map<string, Map<string, { amounts: { copay?: number; coinsurance?: number }; qualifiers: { copay?: string; coinsurance?: string } }>>;

/**
 * The cost-sharing a usdf-PayerInsurancePlan publishes: plan[].specificCost[] by pharmacy benefit type
 * (category), each benefit by drug tier (type), each cost by type (copay in USD, coinsurance in percent) with
 * its qualifier (after deductible, …). GINA: the plan's table only, for everyone.
 */
export function readPayerCosts(payer: InsurancePlan, tierCodes: readonly TierCodeMapping[]): { table: PayerCostTable; problems: string[] } {
  const table: PayerCostTable = new Map();
  const problems: string[] = [];
  (payer.plan ?? []).forEach((plan, pi) => {
    (plan.specificCost ?? []).forEach((sc, si) => {
      const category = sc.category?.coding?.find((c) => c.code)?.code;
      const at = `plan[${pi}].specificCost[${si}]`;
      if (!category) {
        problems.push(`${at}.category has no code: add the pharmacy benefit type (PharmacyBenefitTypeCS, e.g. 1-month-in-retail)`);
        return;
      }
      (sc.benefit ?? []).forEach((b, bi) => {
        const tier = resolveTier(b.type, tierCodes);
        if (!tier) {
          problems.push(`${at}.benefit[${bi}].type has no coded drug tier: add a DrugTierCS coding`);
          return;
        }
        if ('unknown' in tier) {
          problems.push(`${at}.benefit[${bi}].type: drug tier ${unknownTierAdvice(tier.unknown)}`);
          return;
        }
        const amounts: { copay?: number; coinsurance?: number } = {};
        const qualifiers: { copay?: string; coinsurance?: string } = {};
        for (const cost of b.cost ?? []) {
          const kind = cost.type?.coding?.find((c) => c.code === 'copay' || c.code === 'coinsurance')?.code;
          const value = cost.value?.value;
          if (!kind || typeof value !== 'number') continue;
          amounts[kind as 'copay' | 'coinsurance'] = value;
          const q = cost.qualifiers?.[0];
          const qualifier = q?.coding?.[0]?.display ?? q?.text ?? q?.coding?.[0]?.code;
          if (qualifier) qualifiers[kind as 'copay' | 'coinsurance'] = qualifier.toLowerCase();
        }
        if (amounts.copay === undefined && amounts.coinsurance === undefined) return;
        const byTier = table.get(category) ?? new Map();
        byTier.set(tier.tier, { amounts, qualifiers });
        table.set(category, byTier);
      });
    });
  });
  return { table, problems };
}

/** Does the plan list one of the order's RxNorm codes (product or group)? */
export function planListsOrder(index: FormularyIndex, order: { medicationCodeableConcept?: CodeableConcept }): boolean {
  return (order.medicationCodeableConcept?.coding ?? []).some((c) => c.system === RXNORM && !!c.code && index.products.has(c.code));
}
