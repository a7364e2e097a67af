/**
 * The plan catalogue: every plan the service knows, indexed once at start-up from parsed Da Vinci
 * US Drug Formulary bundles plus the project's benefit policy (plans/<dir>/policy.yaml).
 *
 * Pure: takes already-parsed JSON/YAML, returns immutable indexes or throws PlanLoadError listing every
 * problem (file + resource id). A half-valid formulary is worse than none, so nothing is skipped silently.
 * The bundles are read in formulary-bundles.ts, the policy in benefit-policy.ts; each plan is assembled here.
 */
import { readPolicyRules, validatePolicy, type PolicyDoc, type PolicyRules } from './benefit-policy';
import type { CompiledCriterion } from './criterion';
import { identifiersOf, readPayerPlans, resourceLabel, type PayerIndex } from './formulary-bundles';
import { preferredEntry, ruleApplies, TIER_RANK, type FormularyEntry, type FormularyIndex } from './formulary';
import { CriteriaEvaluations } from './prior-auth';
import { buildIngredientLexicon, ingredientKey, readRxNormName, type IngredientLexicon } from './rxnorm-names';

export type { FormularyEntry } from './formulary';

export type LineOfBusiness = 'commercial' | 'medicare-part-d' | 'medicaid';

export interface StepDefinition {
  id: string;
  label: string;
  /** any one of these ingredient RxCUIs satisfies the step */
  anyOf: string[];
}

export interface StepProtocol {
  id: string;
  description: string;
  /** ingredient RxCUIs of the drugs this protocol gates */
  appliesTo: string[];
  lookbackDays: number;
  steps: StepDefinition[];
}

/** A criterion's FHIRPath is compiled, and what it reads worked out, once at load time; evaluated per request. */
export interface PaCriterion extends CompiledCriterion {
  id: string;
  description: string;
  expression: string;
  /** criteria sharing a group are alternatives (any one met satisfies the group) */
  group?: string;
  /** what to attach to the request as evidence for this criterion */
  attachment: string;
  /** not met → the request needs documentation, or is likely to be denied */
  whenNotMet: 'document' | 'deny';
}

/** The plan's faster determination for a request its data already supports (e.g. same day when the CDx is confirmed). */
export interface ExpeditedPathway {
  description: string;
  /** evaluated only when every criterion is met; met → `timeframe` applies */
  when: PaCriterion;
  timeframe: Timeframe;
}

export interface PaCriteriaSet {
  id: string;
  description: string;
  appliesTo: string[];
  /** also expose the genomic results relevant to these ingredients as `%pgx` (e.g. clopidogrel's CYP2C19) */
  pgxFrom: string[];
  criteria: PaCriterion[];
  expedited?: ExpeditedPathway;
}

/** The pharmacy a plan's specialty-tier drugs are dispensed by (plan terms). */
export interface SpecialtyPharmacy {
  name: string;
  phone?: string;
  url?: string;
  /** drug tiers it dispenses (DrugTierCS codes) */
  tiers: string[];
  source: string;
}

export interface Timeframe {
  label: string;
  value: string;
  source: string;
}

export interface TierCostShare {
  /** patient copay in USD for one fill of the plan's pharmacy benefit type (default: 1 month in network retail) */
  copay?: number;
  /** patient coinsurance in percent of the drug's cost */
  coinsurance?: number;
  display: string;
  /** where the amounts come from: the payer plan's specificCost, or a policy.yaml override */
  source: 'payer-plan' | 'policy';
}

/** One assumption of the value report: a range with its published source (docs/value-report.md). */
export interface AssumptionRange {
  low: number;
  high: number;
  unit: string;
  source: string;
}
export const VALUE_ASSUMPTION_KEYS = [
  'adrRiskReduction',
  'costPerAdr',
  'nonResponseCost',
  'paMinutesPerRequest',
  'stepTherapyExceptionMinutesPerRequest',
  'staffCostPerHour',
  'testCost',
] as const;
export type ValueAssumptionKey = (typeof VALUE_ASSUMPTION_KEYS)[number];
/** an assumption left out is not estimated (never defaulted in code) */
export type ValueAssumptions = Partial<Record<ValueAssumptionKey, AssumptionRange>>;

export interface Plan extends FormularyIndex {
  /** payer plan identifier (InsurancePlan.identifier.value) named in policy.yaml */
  id: string;
  /** every identifier value of the payer plan: any of them in Coverage.class[plan].value names this plan */
  identifiers: readonly string[];
  /** FHIR id of the payer InsurancePlan resource */
  resourceId: string;
  name: string;
  /** formulary version / last update, for the audit trail */
  version: string;
  lineOfBusiness: LineOfBusiness;
  /** two-letter state whose law governs the plan (step-therapy exceptions, GINA switches); '' when none is declared */
  state: string;
  formulary: { id: string; name: string };
  /** every FormularyItem of the formulary, one per product, as listed */
  items: readonly FormularyEntry[];
  /** tier → cost-share for `pharmacyBenefitType` (payer plan specificCost, policy.yaml overrides) */
  costShare: Readonly<Record<string, TierCostShare>>;
  /** the pharmacy benefit type the card quotes (PharmacyBenefitTypeCS code) */
  pharmacyBenefitType: string;
  /** pharmacy benefit type → tier → cost-share, as the payer plan publishes it */
  costShareByBenefitType: Readonly<Record<string, Readonly<Record<string, TierCostShare>>>>;
  /** class name → member ingredient RxCUIs */
  classes: ReadonlyMap<string, readonly string[]>;
  /** DrugRef.drugClass name (class name or alias) → class name */
  classNames: ReadonlyMap<string, string>;
  stepTherapy: readonly StepProtocol[];
  priorAuth: readonly PaCriteriaSet[];
  /** plan-declared PA timeframes (commercial); Part D timeframes come from regulation */
  priorAuthTimeframes: readonly Timeframe[];
  /** the criteria results of each request, shared by every plan of the catalogue */
  criteriaEvaluations: CriteriaEvaluations;
  vbid: {
    precisionCostShare: boolean;
    /** first-line drug per class: an alternative chosen because it is unsuitable gets its cost-share */
    firstLine: ReadonlyArray<{ class: string; ingredient: string }>;
  };
  /** a dated use of the ordered drug within this many days makes it a continuation (…NewStartsOnly flags) */
  continuingTherapyDays: number;
  /** states where genotype-aware cost-share is switched off by law or policy */
  precisionCostShareDisabledStates: readonly string[];
  /** value-report assumptions: the policy's defaults, each replaced by the plan's own where it has one */
  valueAssumptions: ValueAssumptions;
  specialtyPharmacy?: SpecialtyPharmacy;
}

/** What loading found and did not use: logged at start-up, so nothing in a bundle is dropped silently. */
export interface PlanLoadReport {
  plans: Array<{ id: string; file: string; items: number; matchedByCodeOnly: number; inactive: number }>;
  /** per bundle file: resource type → ids of resources no plan uses */
  unused: Array<{ file: string; byType: Record<string, string[]> }>;
  /** loadable, but worth a look (a tier with no cost-share, a product whose ingredients are not known) */
  warnings: string[];
}

export interface PlanCatalogue {
  version: string;
  /** the policy's default value-report assumptions (for cards without a plan) */
  valueAssumptions: ValueAssumptions;
  plans: readonly Plan[];
  /** payer plan identifier (each of them) → plan; also keyed by "InsurancePlan/<id>" */
  byIdentifier: ReadonlyMap<string, Plan>;
  report: PlanLoadReport;
}

export class PlanLoadError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid plan data (the service will not start with a partial formulary):\n  - ${problems.join('\n  - ')}`);
    this.name = 'PlanLoadError';
  }
}

export interface ParsedFile {
  file: string;
  content: unknown;
}

/** default window for "continuing therapy" when a plan does not declare one (documented in docs/benefit-policy.md) */
const DEFAULT_CONTINUING_THERAPY_DAYS = 120;

// ---- assembly ------------------------------------------------------------------------------------

/** ingredient key → preferred available listing; RxNorm code → available listing */
function indexFormulary(items: readonly FormularyEntry[], lexicon: IngredientLexicon): FormularyIndex {
  const entries = new Map<string, FormularyEntry>();
  const products = new Map<string, FormularyEntry>();
  const codeIngredients = new Map<string, string>();
  // an ingredient's own RxCUI names that ingredient alone; a known product's name says its ingredients
  for (const rxcui of lexicon.byName.values()) codeIngredients.set(rxcui, rxcui);
  for (const [code, name] of lexicon.productNames) {
    const reading = readRxNormName(name, lexicon);
    if (reading && reading.unknown.length === 0 && reading.ingredients.length) codeIngredients.set(code, ingredientKey(reading.ingredients));
  }
  for (const item of items) {
    if (item.ingredientsKnown) {
      const key = ingredientKey(item.ingredientRxcuis);
      codeIngredients.set(item.rxnormCode, key);
    }
    if (item.status !== 'active') continue;
    if (item.ingredientsKnown) {
      const key = ingredientKey(item.ingredientRxcuis);
      const have = entries.get(key);
      entries.set(key, have ? preferredEntry(have, item) : item);
    }
    for (const code of item.codes) {
      const have = products.get(code);
      products.set(code, have ? preferredEntry(have, item) : item);
    }
  }
  return { entries, products, codeIngredients, lexicon };
}

/** The pharmacy benefit type a card quotes when the policy does not choose one (PharmacyBenefitTypeCS). */
export const DEFAULT_PHARMACY_BENEFIT_TYPE = '1-month-in-retail';

/** "$10 copay", "40% coinsurance after deductible", "$20 copay + 20% coinsurance" */
function costDisplay(c: { copay?: number; coinsurance?: number; qualifiers?: { copay?: string; coinsurance?: string } }): string {
  const q = (kind: 'copay' | 'coinsurance') => (c.qualifiers?.[kind] ? ` ${c.qualifiers[kind]}` : '');
  const parts: string[] = [];
  if (c.copay !== undefined) parts.push(`$${c.copay} copay${q('copay')}`);
  if (c.coinsurance !== undefined) parts.push(`${c.coinsurance}% coinsurance${q('coinsurance')}`);
  return parts.join(' + ') || 'no amount published';
}


/** tier → cost-share: the payer plan's specificCost for the quoted pharmacy benefit type, policy.yaml overriding per tier */
function costShareOf(p: PolicyDoc['plans'][number], idx: PayerIndex, at: string, where: (path: string) => string, problems: string[]) {
  const benefitType = p.pharmacyBenefitType ?? DEFAULT_PHARMACY_BENEFIT_TYPE;
  const costShareByBenefitType: Record<string, Record<string, TierCostShare>> = {};
  for (const [type, tiers] of idx.costs) {
    costShareByBenefitType[type] = Object.fromEntries(
      [...tiers].map(([tier, c]) => [tier, { ...c.amounts, display: costDisplay({ ...c.amounts, qualifiers: c.qualifiers }), source: 'payer-plan' as const }]),
    );
  }
  const costShare: Record<string, TierCostShare> = { ...(costShareByBenefitType[benefitType] ?? {}) };
  for (const [tier, c] of Object.entries(p.costShare ?? {})) {
    if (!(tier in TIER_RANK)) problems.push(where(`${at}.costShare.${tier}: not a DrugTierCS code (${Object.keys(TIER_RANK).join(', ')})`));
    if (c.copay === undefined && c.coinsurance === undefined) problems.push(where(`${at}.costShare.${tier}: give copay and/or coinsurance`));
    const amounts = { ...(c.copay !== undefined ? { copay: c.copay } : {}), ...(c.coinsurance !== undefined ? { coinsurance: c.coinsurance } : {}) };
    costShare[tier] = { ...amounts, display: costDisplay(amounts), source: 'policy' };
  }
  return { benefitType, costShare, costShareByBenefitType };
}

interface PlanContext {
  doc: PolicyDoc;
  policyFile: string;
  rules: PolicyRules;
  lexicon: IngredientLexicon;
  criteriaEvaluations: CriteriaEvaluations;
  where: (path: string) => string;
  problems: string[];
  report: PlanLoadReport;
}

/** One plan of the policy over its payer plan's formulary; every formulary flag must have its rule in the policy. */
function assemblePlan(p: PolicyDoc['plans'][number], idx: PayerIndex, ctx: PlanContext): Plan {
  const { doc, rules, where, problems, report } = ctx;
  const at = `plans[${p.planId}]`;
  const payerLabel = resourceLabel(idx.file, idx.payer);
  const stepTherapy = (p.stepTherapy ?? []).flatMap((id) => {
    const proto = rules.protocols.get(id);
    if (!proto) problems.push(where(`${at}.stepTherapy: unknown protocol ${id}: define it under stepTherapy or remove it`));
    return proto ? [proto] : [];
  });
  const priorAuth = (p.priorAuth ?? []).flatMap((id) => {
    const set = rules.paSets.get(id);
    if (!set) problems.push(where(`${at}.priorAuth: unknown criteria set ${id}: define it under priorAuth or remove it`));
    return set ? [set] : [];
  });
  const { benefitType, costShare, costShareByBenefitType } = costShareOf(p, idx, at, where, problems);

  // a flag without its rule would leave the engine to guess
  const tiersWithoutCost = new Set<string>();
  for (const entry of idx.items) {
    const item = `${idx.file}: Basic/${entry.itemId}`;
    if (entry.status === 'active' && !(entry.tier in costShare)) tiersWithoutCost.add(entry.tier);
    const keys = `its product or group code (${entry.codes.join(', ')})${entry.ingredientRxcuis.length ? ` or an ingredient (${entry.ingredientRxcuis.join(', ')})` : ''}`;
    if (entry.stepTherapy && !stepTherapy.some((s) => ruleApplies(s.appliesTo, entry))) {
      problems.push(`${item}: flagged step therapy (usdf-StepTherapyLimit-extension) but ${ctx.policyFile} ${at} has no step protocol whose appliesTo lists ${keys}: add one to stepTherapy`);
    }
    if (entry.priorAuthorization && !priorAuth.some((s) => ruleApplies(s.appliesTo, entry))) {
      problems.push(`${item}: flagged prior authorization (usdf-PriorAuthorization-extension) but ${ctx.policyFile} ${at} has no criteria set whose appliesTo lists ${keys}: add one to priorAuth`);
    }
  }
  for (const tier of tiersWithoutCost) {
    report.warnings.push(
      `${payerLabel}: tier ${tier} has no cost-share for ${benefitType} (plan.specificCost) nor in ${ctx.policyFile} ${at}.costShare: cards show the tier without an amount`,
    );
  }
  const codeOnly = idx.items.filter((e) => !e.ingredientsKnown);
  if (codeOnly.length) {
    report.warnings.push(
      `${payerLabel}: ${codeOnly.length} product(s) matched by RxNorm code only (ingredients not named in the export nor known to the service): ${codeOnly
        .slice(0, 10)
        .map((e) => `${e.itemId} (${e.display})`)
        .join('; ')}${codeOnly.length > 10 ? '; …' : ''}`,
    );
  }
  if (p.lineOfBusiness === 'commercial' && !(p.priorAuthTimeframes ?? []).length) {
    problems.push(where(`${at}: commercial plans must declare priorAuthTimeframes with their source (state law or plan terms)`));
  }
  for (const tier of p.specialtyPharmacy?.tiers ?? []) {
    if (!(tier in TIER_RANK)) problems.push(where(`${at}.specialtyPharmacy.tiers: ${tier} is not a DrugTierCS code (${Object.keys(TIER_RANK).join(', ')})`));
  }
  for (const fl of p.vbid?.firstLine ?? []) {
    if (!rules.classes.get(fl.class)?.includes(fl.ingredient)) {
      problems.push(where(`${at}.vbid.firstLine: ingredient ${fl.ingredient} is not in class ${fl.class}: add it to classes.${fl.class}.ingredients or correct the entry`));
    }
  }
  const meta = idx.formulary.meta?.lastUpdated ?? idx.payer.meta?.lastUpdated ?? 'unversioned';
  report.plans.push({
    id: p.planId,
    file: idx.file,
    items: idx.items.length,
    matchedByCodeOnly: codeOnly.length,
    inactive: idx.items.filter((e) => e.status !== 'active').length,
  });
  return {
    ...indexFormulary(idx.items, ctx.lexicon),
    id: p.planId,
    identifiers: identifiersOf(idx.payer),
    resourceId: idx.payer.id!,
    name: idx.payer.name ?? p.planId,
    version: `${doc.version}/${meta}`,
    lineOfBusiness: p.lineOfBusiness,
    state: (p.state ?? '').toUpperCase(),
    formulary: { id: idx.formulary.id!, name: idx.formulary.name ?? idx.formulary.id! },
    items: idx.items,
    costShare,
    pharmacyBenefitType: benefitType,
    costShareByBenefitType,
    classes: rules.classes,
    classNames: rules.classNames,
    stepTherapy,
    priorAuth,
    priorAuthTimeframes: p.priorAuthTimeframes ?? [],
    criteriaEvaluations: ctx.criteriaEvaluations,
    vbid: { precisionCostShare: p.vbid?.precisionCostShare ?? false, firstLine: p.vbid?.firstLine ?? [] },
    continuingTherapyDays: p.continuingTherapyDays ?? DEFAULT_CONTINUING_THERAPY_DAYS,
    precisionCostShareDisabledStates: (doc.gina?.precisionCostShareDisabledStates ?? []).map((s) => s.toUpperCase()),
    valueAssumptions: { ...(doc.valueAssumptions ?? {}), ...(p.valueAssumptions ?? {}) },
    ...(p.specialtyPharmacy ? { specialtyPharmacy: p.specialtyPharmacy } : {}),
  };
}

/** Every policy plan matched to a payer plan, and every payer plan claimed by the policy. */
function assemblePlans(indexes: readonly PayerIndex[], ctx: PlanContext): Plan[] {
  const { doc, where, problems } = ctx;
  const plans: Plan[] = [];
  const seen = new Set<string>();
  for (const p of doc.plans) {
    const at = `plans[${p.planId}]`;
    if (seen.has(p.planId)) problems.push(where(`${at}: duplicate planId: keep one entry per payer plan`));
    seen.add(p.planId);
    const idx = indexes.find((i) => identifiersOf(i.payer).includes(p.planId));
    if (idx) plans.push(assemblePlan(p, idx, ctx));
    else problems.push(where(`${at}: no payer plan (InsurancePlan) with identifier ${p.planId} in the bundles: fix planId or add the payer plan`));
  }
  for (const idx of indexes) {
    const ids = identifiersOf(idx.payer);
    if (ids.length && !doc.plans.some((p) => ids.includes(p.planId))) {
      problems.push(`${resourceLabel(idx.file, idx.payer)}: plan ${ids.join(' / ')} has no entry in ${ctx.policyFile}: add one to plans[] with planId ${ids[0]}`);
    }
  }
  return plans;
}

function checkValueAssumptions(doc: PolicyDoc, where: (path: string) => string, problems: string[]): void {
  const ranges: Array<[string, ValueAssumptions | undefined]> = [
    ['valueAssumptions', doc.valueAssumptions],
    ...doc.plans.map((p, i): [string, ValueAssumptions | undefined] => [`plans[${i}].valueAssumptions`, p.valueAssumptions]),
  ];
  for (const [at, va] of ranges) {
    for (const [k, r] of Object.entries(va ?? {})) if (r.low > r.high) problems.push(where(`${at}.${k}: low ${r.low} is above high ${r.high}`));
  }
}

/** payer plan identifier (each of them) → plan; also "InsurancePlan/<id>" */
function byIdentifier(plans: readonly Plan[]): Map<string, Plan> {
  const index = new Map<string, Plan>();
  for (const plan of plans) {
    for (const id of plan.identifiers) index.set(id, plan);
    index.set(`InsurancePlan/${plan.resourceId}`, plan);
  }
  return index;
}

/**
 * Build the catalogue from parsed formulary bundles and the parsed policy; throws PlanLoadError.
 * `lexicon` names the ingredients the service knows, to read products coded without `ingredient[]`.
 * Steps: validate the policy's shape, load the bundles into payer indexes, read the policy's rules (compiling
 * every criterion), assemble each plan, check, and index the plans by identifier.
 */
export function buildPlanCatalogue(bundles: ParsedFile[], policy: ParsedFile, lexicon: IngredientLexicon = buildIngredientLexicon([])): PlanCatalogue {
  const problems: string[] = [];
  const report: PlanLoadReport = { plans: [], unused: [], warnings: [] };
  const shape = validatePolicy(policy);
  // the bundles are read even when the policy is malformed, so one start-up lists every problem
  const tierCodes = shape.doc?.tierCodes ?? [];
  if (bundles.length === 0) problems.push('no formulary bundle (*.json) found: put the Da Vinci formulary Bundle(s) in the plan directory');
  const indexes = bundles.length ? readPayerPlans(bundles, { lexicon, tierCodes }, problems, report) : [];
  if (!shape.doc) throw new PlanLoadError([...problems, ...shape.problems]);

  const doc = shape.doc;
  const where = (path: string) => `${policy.file}: ${path}`;
  const rules = readPolicyRules(doc, where, problems);
  const ctx: PlanContext = { doc, policyFile: policy.file, rules, lexicon, criteriaEvaluations: new CriteriaEvaluations(), where, problems, report };
  const plans = assemblePlans(indexes, ctx);
  checkValueAssumptions(doc, where, problems);
  if (problems.length) throw new PlanLoadError(problems);
  return { version: doc.version, valueAssumptions: doc.valueAssumptions ?? {}, plans, byIdentifier: byIdentifier(plans), report };
}

export { TIER_RANK };
