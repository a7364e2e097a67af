/**
 * The benefit policy (plans/<dir>/policy.yaml): its shape checked against profiles/benefit-policy.schema.json,
 * and the rules its plans share — drug classes, step-therapy protocols, prior-authorization criteria sets,
 * each criterion's FHIRPath compiled once, here.
 */
import Ajv from 'ajv';
import policySchema from '../../profiles/benefit-policy.schema.json';
import { criterionCompiler } from './criterion';
import { TIER_RANK, type TierCodeMapping } from './formulary';
import type {
  LineOfBusiness,
  PaCriteriaSet,
  PaCriterion,
  ParsedFile,
  SpecialtyPharmacy,
  StepDefinition,
  StepProtocol,
  Timeframe,
  ValueAssumptions,
} from './plan-catalogue';

export interface PolicyDoc {
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
      expedited?: { description: string; expression: string; timeframe: Timeframe };
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
    specialtyPharmacy?: SpecialtyPharmacy;
  }>;
}

/** The policy's shape against profiles/benefit-policy.schema.json: the document, or the problems with their paths. */
export function validatePolicy(policy: ParsedFile): { doc: PolicyDoc; problems: [] } | { doc?: undefined; problems: string[] } {
  const validate = new Ajv({ allErrors: true, strict: false }).compile<PolicyDoc>(policySchema);
  if (validate(policy.content)) return { doc: policy.content, problems: [] };
  return { problems: (validate.errors ?? []).map((e) => `${policy.file}: ${e.instancePath || '/'} ${e.message ?? 'is invalid'}`) };
}

/** The policy's rules, shared by its plans: drug classes, step-therapy protocols, PA criteria sets (compiled). */
export interface PolicyRules {
  classes: ReadonlyMap<string, readonly string[]>;
  classNames: ReadonlyMap<string, string>;
  protocols: ReadonlyMap<string, StepProtocol>;
  paSets: ReadonlyMap<string, PaCriteriaSet>;
}

export function readPolicyRules(doc: PolicyDoc, where: (path: string) => string, problems: string[]): PolicyRules {
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
    const set: PaCriteriaSet = { id, description: s.description, appliesTo: s.appliesTo, pgxFrom: s.pgxFrom ?? [], criteria };
    const x = s.expedited;
    if (x) {
      try {
        const when: PaCriterion = {
          ...compileCriterion(x.expression),
          id: `${id}#expedited`,
          description: x.description,
          expression: x.expression,
          attachment: '',
          whenNotMet: 'document',
        };
        set.expedited = { description: x.description, when, timeframe: x.timeframe };
      } catch (err) {
        problems.push(where(`priorAuth.${id}.expedited: FHIRPath does not compile (${(err as Error).message.split('\n')[0]}): fix the expression`));
      }
    }
    paSets.set(id, set);
  }
  return { classes, classNames, protocols, paSets };
}
