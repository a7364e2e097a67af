/**
 * The plan catalogue: every plan the service knows, indexed once at start-up from parsed Da Vinci
 * US Drug Formulary bundles plus the project's benefit policy (plans/<dir>/policy.yaml).
 *
 * Pure: takes already-parsed JSON/YAML, returns immutable indexes or throws PlanLoadError listing every
 * problem (file + resource id). A half-valid formulary is worse than none, so nothing is skipped silently.
 */
import Ajv from 'ajv';
import type { Basic, Bundle, InsurancePlan, MedicationKnowledge, Resource } from 'fhir/r4';
import policySchema from '../../profiles/benefit-policy.schema.json';
import {
  parseFormularyDrug,
  parseFormularyItem,
  preferredEntry,
  readPayerCosts,
  ruleApplies,
  TIER_RANK,
  USDF_PROFILE,
  USDF_EXT,
  type FormularyDrugReading,
  type FormularyEntry,
  type FormularyIndex,
  type PayerCostTable,
  type TierCodeMapping,
} from './formulary';
import { criterionCompiler, type CompiledCriterion } from './criterion';
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

export interface PaCriteriaSet {
  id: string;
  description: string;
  appliesTo: string[];
  /** also expose the genomic results relevant to these ingredients as `%pgx` (e.g. clopidogrel's CYP2C19) */
  pgxFrom: string[];
  criteria: PaCriterion[];
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

// ---- policy (validated against profiles/benefit-policy.schema.json) ---------------------------

interface PolicyDoc {
  version: string;
  classes: Record<string, { label?: string; aliases?: string[]; ingredients: string[] }>;
  gina?: { precisionCostShareDisabledStates?: string[] };
  valueAssumptions?: ValueAssumptions;
  tierCodes?: TierCodeMapping[];
  stepTherapy?: Record<string, { description: string; appliesTo: string[]; lookbackDays: number; steps: StepDefinition[] }>;
  priorAuth?: Record<
    string,
    {
      description: string;
      appliesTo: string[];
      pgxFrom?: string[];
      criteria: Array<{
        id: string;
        description: string;
        expression: string;
        group?: string;
        attachment: string;
        whenNotMet?: 'document' | 'deny';
      }>;
    }
  >;
  plans: Array<{
    planId: string;
    lineOfBusiness: LineOfBusiness;
    state?: string;
    pharmacyBenefitType?: string;
    costShare?: Record<string, { copay?: number; coinsurance?: number }>;
    stepTherapy?: string[];
    priorAuth?: string[];
    priorAuthTimeframes?: Timeframe[];
    continuingTherapyDays?: number;
    vbid?: { precisionCostShare: boolean; firstLine?: Array<{ class: string; ingredient: string }> };
    valueAssumptions?: ValueAssumptions;
  }>;
}

/** default window for "continuing therapy" when a plan does not declare one (documented in docs/benefit-policy.md) */
const DEFAULT_CONTINUING_THERAPY_DAYS = 120;

// ---- assembly ------------------------------------------------------------------------------------

interface PayerIndex {
  file: string;
  payer: InsurancePlan;
  formulary: InsurancePlan;
  items: FormularyEntry[];
  costs: PayerCostTable;
}

const hasProfile = (r: Resource, profile: string) => (r.meta?.profile ?? []).some((p) => p.split('|')[0] === profile);
const label = (file: string, r: { resourceType: string; id?: string }) => `${file}: ${r.resourceType}/${r.id ?? '(no id)'}`;
const formularyRefs = (x: { extension?: Array<{ url: string; valueReference?: { reference?: string } }> }) =>
  (x.extension ?? []).filter((e) => e.url === USDF_EXT.formularyReference).map((e) => e.valueReference?.reference);

/**
 * Reference resolution inside a bundle: by `fullUrl` (absolute URLs, urn:uuid), by `Type/id`, and an absolute
 * URL ending in `Type/id` by that resource (exports often write the server's URL into every reference).
 */
function bundleResolver(entries: ReadonlyArray<{ resource: Resource; fullUrl?: string }>) {
  const byUrl = new Map<string, Resource>();
  const byTypeId = new Map<string, Resource>();
  for (const { resource, fullUrl } of entries) {
    if (resource.id) byTypeId.set(`${resource.resourceType}/${resource.id}`, resource);
    if (fullUrl) byUrl.set(fullUrl, resource);
  }
  return (ref: string): Resource | undefined => {
    const clean = ref.replace(/\/_history\/[^/]+$/, '');
    const direct = byUrl.get(clean) ?? byTypeId.get(clean);
    if (direct) return direct;
    const tail = /([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(clean);
    return tail ? byTypeId.get(`${tail[1]}/${tail[2]}`) : undefined;
  };
}

/** A Basic is a FormularyItem when it says so by profile, by code, or by carrying a formulary reference. */
const isFormularyItem = (r: Resource): r is Basic =>
  r.resourceType === 'Basic' &&
  (hasProfile(r, USDF_PROFILE.formularyItem) ||
    formularyRefs(r as Basic).length > 0 ||
    ((r as Basic).code?.coding ?? []).some((c) => c.code === 'formulary-item'));

/**
 * Every resource of every file in the plan directory, one pool: a formulary may come as one Bundle, as
 * several (payer plans in one, items in another), or one resource per file / NDJSON line as a bulk export
 * writes it. A reference resolves in its own file first, then among the other files (where the target is
 * unique).
 */
function collect(files: ParsedFile[], problems: string[]): Array<{ file: string; resource: Resource; fullUrl?: string }> {
  const out: Array<{ file: string; resource: Resource; fullUrl?: string }> = [];
  const seen = new Set<string>();
  const add = (file: string, where: string, r: Resource | undefined, fullUrl?: string) => {
    if (!r || typeof r !== 'object' || typeof r.resourceType !== 'string') {
      problems.push(`${file}: ${where} has no resource: remove it or add its resource`);
      return;
    }
    if (!r.id && !fullUrl) problems.push(`${file}: ${where} ${r.resourceType} has neither id nor fullUrl, so nothing can refer to it: add an id`);
    // the same resource in two files is normal (each plan's export carries its drugs); twice in one file is not
    const key = r.id ? `${file}|${r.resourceType}/${r.id}` : undefined;
    if (key && seen.has(key)) {
      problems.push(`${file}: ${r.resourceType}/${r.id} is listed twice: keep one`);
      return;
    }
    if (key) seen.add(key);
    out.push({ file, resource: r, fullUrl });
  };
  for (const { file, content } of files) {
    const c = content as Bundle | Resource | undefined;
    if (c && typeof c === 'object' && c.resourceType === 'Bundle' && Array.isArray((c as Bundle).entry)) {
      (c as Bundle).entry!.forEach((e, i) => add(file, `entry[${i}]`, e?.resource, e?.fullUrl));
    } else if (c && typeof c === 'object' && typeof c.resourceType === 'string' && c.resourceType !== 'Bundle') {
      add(file, 'the file', c as Resource);
    } else {
      problems.push(`${file}: neither a FHIR Bundle with entries nor a FHIR resource: export the formulary as a Bundle (type collection), resource files or NDJSON`);
    }
  }
  return out;
}

function indexResources(
  files: ParsedFile[],
  ctx: { lexicon: IngredientLexicon; tierCodes: readonly TierCodeMapping[] },
  problems: string[],
  report: PlanLoadReport,
): PayerIndex[] {
  const entries = collect(files, problems);
  const fileOf = new Map(entries.map((e) => [e.resource, e.file]));
  const label = (file: string, r: { resourceType: string; id?: string }) =>
    `${fileOf.get(r as Resource) ?? file}: ${r.resourceType}/${r.id ?? '(no id)'}`;
  const file = files.length === 1 ? files[0]!.file : 'the plan directory';
  const byFile = new Map<string, Array<{ resource: Resource; fullUrl?: string }>>();
  const counts = new Map<string, number>();
  const typeId = (r: Resource) => `${r.resourceType}/${r.id}`;
  for (const e of entries) {
    const list = byFile.get(e.file);
    if (list) list.push(e);
    else byFile.set(e.file, [e]);
    if (e.resource.id) counts.set(typeId(e.resource), (counts.get(typeId(e.resource)) ?? 0) + 1);
  }
  const global = bundleResolver(entries.filter((e) => !e.resource.id || counts.get(typeId(e.resource)) === 1));
  const locals = new Map([...byFile].map(([f, list]) => [f, bundleResolver(list)]));
  const resolverFor = (r: Resource) => {
    const local = locals.get(fileOf.get(r)!)!;
    return (ref: string) => local(ref) ?? global(ref);
  };
  const resources = entries.map((e) => e.resource);
  const used = new Set<Resource>();

  // FormularyDrugs are read when an item refers to them; one reading (and one set of problems) per drug
  const drugs = new Map<Resource, FormularyDrugReading>();
  for (const r of resources) {
    if (r.resourceType === 'MedicationKnowledge') drugs.set(r, parseFormularyDrug(r as MedicationKnowledge, ctx.lexicon));
  }
  const reportedDrugs = new Set<Resource>();

  const itemsByFormulary = new Map<Resource, FormularyEntry[]>();
  for (const r of resources) {
    if (!isFormularyItem(r)) continue;
    used.add(r);
    const item = parseFormularyItem(r, resolverFor(r), drugs, ctx.tierCodes);
    if (item.drug) {
      used.add(item.drug);
      const reading = drugs.get(item.drug);
      if (reading?.problems.length && !reportedDrugs.has(item.drug)) {
        reportedDrugs.add(item.drug);
        problems.push(...reading.problems.map((p) => `${label(file, item.drug!)}: ${p}`));
      }
    }
    if (item.problems.length) {
      problems.push(...item.problems.map((p) => `${label(file, r)}: ${p}`));
      continue;
    }
    const f = item.formulary!;
    if (f.resourceType !== 'InsurancePlan') {
      problems.push(`${label(file, r)}: usdf-FormularyReference-extension points at ${f.resourceType}/${f.id}: point it at the usdf-Formulary InsurancePlan`);
      continue;
    }
    const list = itemsByFormulary.get(f) ?? [];
    list.push(item.entry!);
    itemsByFormulary.set(f, list);
  }

  const payers = resources.filter(
    (r): r is InsurancePlan =>
      r.resourceType === 'InsurancePlan' &&
      (hasProfile(r, USDF_PROFILE.payerPlan) || ((r as InsurancePlan).coverage ?? []).some((c) => formularyRefs(c).length > 0)),
  );
  const out: PayerIndex[] = [];
  if (payers.length === 0) {
    problems.push(`${file}: no payer plan (InsurancePlan with usdf-PayerInsurancePlan profile or a coverage usdf-FormularyReference-extension): add one`);
  }
  for (const payer of payers) {
    used.add(payer);
    if (!(payer.identifier ?? []).some((i) => i.value)) {
      problems.push(`${label(file, payer)}: payer plan has no identifier: add identifier.value (Coverage.class of type plan names it)`);
    }
    if (!payer.name) problems.push(`${label(file, payer)}: payer plan has no name: add name (cards show it)`);
    const refs = (payer.coverage ?? []).flatMap((c) => formularyRefs(c));
    if (refs.length !== 1 || !refs[0]) {
      problems.push(
        `${label(file, payer)}: expected exactly one coverage.extension usdf-FormularyReference-extension naming its formulary, found ${refs.length}`,
      );
      continue;
    }
    const formulary = resolverFor(payer)(refs[0]);
    if (!formulary || formulary.resourceType !== 'InsurancePlan' || payers.includes(formulary as InsurancePlan)) {
      problems.push(`${label(file, payer)}: formulary reference ${refs[0]} does not resolve to a usdf-Formulary InsurancePlan in this bundle`);
      continue;
    }
    used.add(formulary);
    const costs = readPayerCosts(payer, ctx.tierCodes);
    problems.push(...costs.problems.map((p) => `${label(file, payer)}: ${p}`));
    out.push({ file: fileOf.get(payer)!, payer, formulary: formulary as InsurancePlan, items: itemsByFormulary.get(formulary) ?? [], costs: costs.table });
  }
  for (const [f, list] of itemsByFormulary) {
    if (!out.some((o) => o.formulary === f)) {
      problems.push(`${label(file, f)}: ${list.length} FormularyItem(s) refer to this formulary but no payer plan's coverage does: add the payer plan or remove the items`);
    }
  }

  const unused = new Map<string, Record<string, string[]>>();
  for (const { file: from, resource, fullUrl } of entries) {
    if (used.has(resource)) continue;
    const byType = unused.get(from) ?? {};
    unused.set(from, byType);
    (byType[resource.resourceType] ??= []).push(resource.id ?? fullUrl ?? '(no id)');
  }
  for (const f of files) if (unused.has(f.file)) report.unused.push({ file: f.file, byType: unused.get(f.file)! });
  return out;
}

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

/** The policy's shape against profiles/benefit-policy.schema.json: the document, or the problems with their paths. */
function validatePolicy(policy: ParsedFile): { doc: PolicyDoc; problems: [] } | { doc?: undefined; problems: string[] } {
  const validate = new Ajv({ allErrors: true, strict: false }).compile<PolicyDoc>(policySchema);
  if (validate(policy.content)) return { doc: policy.content, problems: [] };
  return { problems: (validate.errors ?? []).map((e) => `${policy.file}: ${e.instancePath || '/'} ${e.message ?? 'is invalid'}`) };
}

/** The policy's rules, shared by its plans: drug classes, step-therapy protocols, PA criteria sets (compiled). */
interface PolicyRules {
  classes: ReadonlyMap<string, readonly string[]>;
  classNames: ReadonlyMap<string, string>;
  protocols: ReadonlyMap<string, StepProtocol>;
  paSets: ReadonlyMap<string, PaCriteriaSet>;
}

function readPolicyRules(doc: PolicyDoc, where: (path: string) => string, problems: string[]): PolicyRules {
  doc.tierCodes?.forEach((m, i) => {
    if (!(m.tier in TIER_RANK)) problems.push(where(`tierCodes[${i}]: tier ${m.tier} is not a DrugTierCS code (${Object.keys(TIER_RANK).join(', ')})`));
  });

  const classes = new Map<string, readonly string[]>(Object.entries(doc.classes).map(([k, v]) => [k, v.ingredients]));
  const classNames = new Map<string, string>();
  for (const [name, c] of Object.entries(doc.classes)) {
    for (const alias of [name, ...(c.aliases ?? [])]) {
      const clash = classNames.get(alias);
      if (clash && clash !== name) problems.push(where(`classes.${name}: alias ${alias} already names class ${clash}: rename one of them`));
      classNames.set(alias, name);
    }
  }

  const protocols = new Map<string, StepProtocol>();
  for (const [id, p] of Object.entries(doc.stepTherapy ?? {})) protocols.set(id, { id, ...p });

  const compileCriterion = criterionCompiler();
  const paSets = new Map<string, PaCriteriaSet>();
  for (const [id, s] of Object.entries(doc.priorAuth ?? {})) {
    const criteria: PaCriterion[] = [];
    for (const c of s.criteria) {
      try {
        criteria.push({
          ...compileCriterion(c.expression),
          id: c.id,
          description: c.description,
          expression: c.expression,
          group: c.group,
          attachment: c.attachment,
          whenNotMet: c.whenNotMet ?? 'document',
        });
      } catch (err) {
        problems.push(where(`priorAuth.${id}.criteria.${c.id}: FHIRPath does not compile (${(err as Error).message.split('\n')[0]}): fix the expression`));
      }
    }
    paSets.set(id, { id, description: s.description, appliesTo: s.appliesTo, pgxFrom: s.pgxFrom ?? [], criteria });
  }
  return { classes, classNames, protocols, paSets };
}

const identifiersOf = (payer: InsurancePlan) => [...new Set((payer.identifier ?? []).flatMap((i) => (i.value ? [i.value] : [])))];

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
  const payerLabel = label(idx.file, idx.payer);
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
      problems.push(`${label(idx.file, idx.payer)}: plan ${ids.join(' / ')} has no entry in ${ctx.policyFile}: add one to plans[] with planId ${ids[0]}`);
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
  const indexes = bundles.length ? indexResources(bundles, { lexicon, tierCodes }, problems, report) : [];
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
