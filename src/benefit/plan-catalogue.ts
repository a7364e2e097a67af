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
import { parseFormularyDrug, parseFormularyItem, TIER_RANK, USDF_PROFILE, USDF_EXT, type FormularyEntry } from './formulary';
import { compileCriterion, type CompiledCriterion } from './prior-auth';

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

export interface PaCriterion {
  id: string;
  description: string;
  expression: string;
  /** compiled once at load time; evaluated per request */
  evaluate: CompiledCriterion;
  /** criteria sharing a group are alternatives (any one met satisfies the group) */
  group?: string;
  /** what to attach to the request as evidence for this criterion */
  attachment: string;
  /** not met → the request needs documentation, or is likely to be denied */
  whenNotMet: 'document' | 'deny';
  /** the criterion reads genomic results (`%pgx`) */
  genomic: boolean;
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
  /** patient copay in USD for a 30-day retail fill */
  copay: number;
  display: string;
}

export interface Plan {
  /** payer plan identifier (InsurancePlan.identifier.value), matched against Coverage.class[plan].value */
  id: string;
  /** FHIR id of the payer InsurancePlan resource */
  resourceId: string;
  name: string;
  /** formulary version / last update, for the audit trail */
  version: string;
  lineOfBusiness: LineOfBusiness;
  /** two-letter state whose law governs the plan (step-therapy exceptions, GINA switches) */
  state: string;
  formulary: { id: string; name: string };
  /** ingredient RxCUI → formulary entry */
  entries: ReadonlyMap<string, FormularyEntry>;
  costShare: Readonly<Record<string, TierCostShare>>;
  /** class name → member ingredient RxCUIs */
  classes: ReadonlyMap<string, readonly string[]>;
  /** DrugRef.drugClass name (class name or alias) → class name */
  classNames: ReadonlyMap<string, string>;
  stepTherapy: readonly StepProtocol[];
  priorAuth: readonly PaCriteriaSet[];
  /** plan-declared PA timeframes (commercial); Part D timeframes come from regulation */
  priorAuthTimeframes: readonly Timeframe[];
  vbid: {
    precisionCostShare: boolean;
    /** first-line drug per class: an alternative chosen because it is unsuitable gets its cost-share */
    firstLine: ReadonlyArray<{ class: string; ingredient: string }>;
  };
  /** a dated use of the ordered drug within this many days makes it a continuation (…NewStartsOnly flags) */
  continuingTherapyDays: number;
  /** states where genotype-aware cost-share is switched off by law or policy */
  precisionCostShareDisabledStates: readonly string[];
}

export interface PlanCatalogue {
  version: string;
  plans: readonly Plan[];
  /** payer plan identifier → plan; also keyed by "InsurancePlan/<id>" */
  byIdentifier: ReadonlyMap<string, Plan>;
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
    state: string;
    costShare: Record<string, { copay: number }>;
    stepTherapy?: string[];
    priorAuth?: string[];
    priorAuthTimeframes?: Timeframe[];
    continuingTherapyDays?: number;
    vbid?: { precisionCostShare: boolean; firstLine?: Array<{ class: string; ingredient: string }> };
  }>;
}

/** default window for "continuing therapy" when a plan does not declare one (documented in docs/benefit-policy.md) */
const DEFAULT_CONTINUING_THERAPY_DAYS = 120;

const ajv = new Ajv({ allErrors: true, strict: false });
const validatePolicyShape = ajv.compile<PolicyDoc>(policySchema);

// ---- assembly ------------------------------------------------------------------------------------

interface FormularyIndex {
  file: string;
  payer: InsurancePlan;
  formulary: InsurancePlan;
  entries: Map<string, FormularyEntry>;
}

const hasProfile = (r: Resource, profile: string) => (r.meta?.profile ?? []).some((p) => p.split('|')[0] === profile);
const label = (file: string, r: { resourceType: string; id?: string }) => `${file}: ${r.resourceType}/${r.id ?? '(no id)'}`;

function indexBundle(file: string, content: unknown, problems: string[]): FormularyIndex[] {
  const bundle = content as Bundle;
  if (!bundle || typeof bundle !== 'object' || bundle.resourceType !== 'Bundle' || !Array.isArray(bundle.entry)) {
    problems.push(`${file}: not a FHIR Bundle with entries`);
    return [];
  }
  const byRef = new Map<string, Resource>();
  const resources: Resource[] = [];
  bundle.entry.forEach((e, i) => {
    const r = e.resource;
    if (!r || typeof r !== 'object' || !r.resourceType) {
      problems.push(`${file}: entry[${i}] has no resource`);
      return;
    }
    if (!r.id) problems.push(`${file}: entry[${i}] ${r.resourceType} has no id`);
    resources.push(r);
    byRef.set(`${r.resourceType}/${r.id}`, r);
    if (e.fullUrl) byRef.set(e.fullUrl, r);
  });

  const drugs = new Map<string, ReturnType<typeof parseFormularyDrug>>();
  for (const r of resources) {
    if (r.resourceType === 'MedicationKnowledge') {
      const parsed = parseFormularyDrug(r as MedicationKnowledge);
      if (parsed.problems.length) problems.push(...parsed.problems.map((p) => `${label(file, r)}: ${p}`));
      drugs.set(`MedicationKnowledge/${r.id}`, parsed);
    }
  }

  const formularies = resources.filter(
    (r): r is InsurancePlan => r.resourceType === 'InsurancePlan' && hasProfile(r, USDF_PROFILE.formulary),
  );
  const payers = resources.filter(
    (r): r is InsurancePlan => r.resourceType === 'InsurancePlan' && hasProfile(r, USDF_PROFILE.payerPlan),
  );
  for (const r of resources) {
    if (r.resourceType === 'InsurancePlan' && !hasProfile(r, USDF_PROFILE.formulary) && !hasProfile(r, USDF_PROFILE.payerPlan)) {
      problems.push(`${label(file, r)}: InsurancePlan must declare the usdf-PayerInsurancePlan or usdf-Formulary profile`);
    }
  }
  for (const f of formularies) {
    if (!f.identifier?.[0]?.value) problems.push(`${label(file, f)}: formulary has no identifier`);
  }

  const entriesByFormulary = new Map<string, Map<string, FormularyEntry>>();
  for (const f of formularies) entriesByFormulary.set(`InsurancePlan/${f.id}`, new Map());
  for (const r of resources) {
    if (r.resourceType !== 'Basic' || !hasProfile(r, USDF_PROFILE.formularyItem)) continue;
    const item = parseFormularyItem(r as Basic, (ref) => byRef.get(ref), drugs);
    if (item.problems.length) {
      problems.push(...item.problems.map((p) => `${label(file, r)}: ${p}`));
      continue;
    }
    const entries = entriesByFormulary.get(item.formularyRef!);
    if (!entries) {
      problems.push(`${label(file, r)}: formulary reference ${item.formularyRef} is not a usdf-Formulary in this bundle`);
      continue;
    }
    for (const rxcui of item.entry!.ingredientRxcuis) {
      const clash = entries.get(rxcui);
      // one ingredient, one rule: two items for the same ingredient would make the answer order-dependent
      if (clash) problems.push(`${label(file, r)}: ingredient ${rxcui} already listed by FormularyItem ${clash.itemId}`);
      else entries.set(rxcui, item.entry!);
    }
  }

  const out: FormularyIndex[] = [];
  if (payers.length === 0) problems.push(`${file}: no usdf-PayerInsurancePlan in the bundle`);
  for (const payer of payers) {
    if (!payer.identifier?.[0]?.value) problems.push(`${label(file, payer)}: payer plan has no identifier`);
    if (!payer.name) problems.push(`${label(file, payer)}: payer plan has no name`);
    const refs = (payer.coverage ?? []).flatMap((c) =>
      (c.extension ?? []).filter((x) => x.url === USDF_EXT.formularyReference).map((x) => x.valueReference?.reference),
    );
    if (refs.length !== 1) {
      problems.push(`${label(file, payer)}: expected exactly one coverage formulary reference, found ${refs.length}`);
      continue;
    }
    const formulary = refs[0] ? (byRef.get(refs[0]) as InsurancePlan | undefined) : undefined;
    if (!formulary || !formularies.includes(formulary)) {
      problems.push(`${label(file, payer)}: formulary reference ${refs[0]} does not resolve to a usdf-Formulary in this bundle`);
      continue;
    }
    out.push({ file, payer, formulary, entries: entriesByFormulary.get(`InsurancePlan/${formulary.id}`)! });
  }
  return out;
}

function policyProblems(policy: ParsedFile): string[] {
  if (validatePolicyShape(policy.content)) return [];
  return (validatePolicyShape.errors ?? []).map((e) => `${policy.file}: ${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

/** Build the catalogue from parsed formulary bundles and the parsed policy; throws PlanLoadError. */
export function buildPlanCatalogue(bundles: ParsedFile[], policy: ParsedFile): PlanCatalogue {
  const problems: string[] = [];
  if (bundles.length === 0) problems.push('no formulary bundle (*.json) found');
  const indexes = bundles.flatMap((b) => indexBundle(b.file, b.content, problems));
  const shape = policyProblems(policy);
  if (shape.length) throw new PlanLoadError([...problems, ...shape]);
  const doc = policy.content as PolicyDoc;
  const where = (path: string) => `${policy.file}: ${path}`;

  const classes = new Map<string, readonly string[]>(Object.entries(doc.classes).map(([k, v]) => [k, v.ingredients]));
  const classNames = new Map<string, string>();
  for (const [name, c] of Object.entries(doc.classes)) {
    for (const alias of [name, ...(c.aliases ?? [])]) {
      const clash = classNames.get(alias);
      if (clash && clash !== name) problems.push(where(`classes.${name}: alias ${alias} already names class ${clash}`));
      classNames.set(alias, name);
    }
  }

  const protocols = new Map<string, StepProtocol>();
  for (const [id, p] of Object.entries(doc.stepTherapy ?? {})) protocols.set(id, { id, ...p });

  const paSets = new Map<string, PaCriteriaSet>();
  for (const [id, s] of Object.entries(doc.priorAuth ?? {})) {
    const criteria: PaCriterion[] = [];
    for (const c of s.criteria) {
      try {
        criteria.push({
          id: c.id,
          description: c.description,
          expression: c.expression,
          evaluate: compileCriterion(c.expression),
          group: c.group,
          attachment: c.attachment,
          whenNotMet: c.whenNotMet ?? 'document',
          genomic: /%pgx\b/.test(c.expression),
        });
      } catch (err) {
        problems.push(where(`priorAuth.${id}.criteria.${c.id}: FHIRPath does not compile (${(err as Error).message.split('\n')[0]})`));
      }
    }
    paSets.set(id, { id, description: s.description, appliesTo: s.appliesTo, pgxFrom: s.pgxFrom ?? [], criteria });
  }

  const disabledStates = doc.gina?.precisionCostShareDisabledStates ?? [];
  const plans: Plan[] = [];
  const seen = new Set<string>();
  for (const p of doc.plans) {
    const at = `plans[${p.planId}]`;
    if (seen.has(p.planId)) problems.push(where(`${at}: duplicate planId`));
    seen.add(p.planId);
    const idx = indexes.find((i) => i.payer.identifier?.[0]?.value === p.planId);
    if (!idx) {
      problems.push(where(`${at}: no usdf-PayerInsurancePlan with identifier ${p.planId} in the bundles`));
      continue;
    }
    const stepTherapy = (p.stepTherapy ?? []).flatMap((id) => {
      const proto = protocols.get(id);
      if (!proto) problems.push(where(`${at}.stepTherapy: unknown protocol ${id}`));
      return proto ? [proto] : [];
    });
    const priorAuth = (p.priorAuth ?? []).flatMap((id) => {
      const set = paSets.get(id);
      if (!set) problems.push(where(`${at}.priorAuth: unknown criteria set ${id}`));
      return set ? [set] : [];
    });
    // every formulary flag must have its rule in the policy, or the engine would have to guess
    for (const entry of new Set(idx.entries.values())) {
      const item = `${idx.file}: Basic/${entry.itemId}`;
      if (!(entry.tier in p.costShare)) problems.push(`${item}: tier ${entry.tier} has no cost-share in ${policy.file} ${at}`);
      for (const rx of entry.ingredientRxcuis) {
        if (entry.stepTherapy && !stepTherapy.some((s) => s.appliesTo.includes(rx))) {
          problems.push(`${item}: flagged step therapy but ${policy.file} ${at} has no step protocol for ingredient ${rx}`);
        }
        if (entry.priorAuthorization && !priorAuth.some((s) => s.appliesTo.includes(rx))) {
          problems.push(`${item}: flagged prior authorization but ${policy.file} ${at} has no criteria set for ingredient ${rx}`);
        }
      }
    }
    if (p.lineOfBusiness === 'commercial' && !(p.priorAuthTimeframes ?? []).length) {
      problems.push(where(`${at}: commercial plans must declare priorAuthTimeframes with their source`));
    }
    for (const fl of p.vbid?.firstLine ?? []) {
      if (!classes.get(fl.class)?.includes(fl.ingredient)) {
        problems.push(where(`${at}.vbid.firstLine: ingredient ${fl.ingredient} is not in class ${fl.class}`));
      }
    }
    const meta = idx.formulary.meta?.lastUpdated ?? idx.payer.meta?.lastUpdated ?? 'unversioned';
    plans.push({
      id: p.planId,
      resourceId: idx.payer.id!,
      name: idx.payer.name ?? p.planId,
      version: `${doc.version}/${meta}`,
      lineOfBusiness: p.lineOfBusiness,
      state: p.state.toUpperCase(),
      formulary: { id: idx.formulary.id!, name: idx.formulary.name ?? idx.formulary.id! },
      entries: idx.entries,
      costShare: Object.fromEntries(
        Object.entries(p.costShare).map(([tier, c]) => [tier, { copay: c.copay, display: `$${c.copay} copay` }]),
      ),
      classes,
      classNames,
      stepTherapy,
      priorAuth,
      priorAuthTimeframes: p.priorAuthTimeframes ?? [],
      vbid: { precisionCostShare: p.vbid?.precisionCostShare ?? false, firstLine: p.vbid?.firstLine ?? [] },
      continuingTherapyDays: p.continuingTherapyDays ?? DEFAULT_CONTINUING_THERAPY_DAYS,
      precisionCostShareDisabledStates: disabledStates.map((s) => s.toUpperCase()),
    });
  }
  for (const idx of indexes) {
    const id = idx.payer.identifier?.[0]?.value;
    if (id && !doc.plans.some((p) => p.planId === id)) {
      problems.push(`${idx.file}: InsurancePlan/${idx.payer.id}: plan ${id} has no entry in ${policy.file}`);
    }
  }
  if (problems.length) throw new PlanLoadError(problems);

  const byIdentifier = new Map<string, Plan>();
  for (const plan of plans) {
    byIdentifier.set(plan.id, plan);
    byIdentifier.set(`InsurancePlan/${plan.resourceId}`, plan);
  }
  return { version: doc.version, plans, byIdentifier };
}

export { TIER_RANK };
