/**
 * Prior-authorization preview: evaluate the plan's criteria (FHIRPath, compiled once at load) over the
 * patient's data, with the PGx results available as `%pgx.<GENE>.phenotype` and tumour results as
 * `%biomarker` / `%cdx`, and say which pathway the request would take, what to attach, and how long the
 * plan has to decide — with the source of that rule.
 */
import type { Bundle, BundleEntry, Resource } from 'fhir/r4';
import type { PatientRecord } from '../decision/types';
import type { GeneResult } from '../pgx/types';
import type { CriterionEnv } from './criterion';
import type { LineOfBusiness, PaCriteriaSet, PaCriterion, Timeframe } from './plan-catalogue';
import type { PaCriterionResult, PaPathway, PaPreview } from './types';

export type { CriterionEnv } from './criterion';

/**
 * Decision timeframes fixed by regulation, per line of business. Drugs are excluded from CMS-0057-F, so
 * its 72 h / 7 day PA clocks never apply here.
 */
const REGULATORY_TIMEFRAMES: Partial<Record<LineOfBusiness, Timeframe[]>> = {
  'medicare-part-d': [
    {
      label: 'Standard coverage determination / exception',
      value: '72 hours (from receipt of the prescriber’s supporting statement for exceptions)',
      source: '42 CFR 423.568',
    },
    { label: 'Expedited coverage determination', value: '24 hours', source: '42 CFR 423.572' },
    {
      label: 'Not applicable',
      value: 'CMS-0057-F prior-authorization timeframes (drugs are excluded)',
      source: 'CMS-0057-F (Interoperability and Prior Authorization final rule)',
    },
  ],
};

export function paTimeframes(lineOfBusiness: LineOfBusiness, planDeclared: readonly Timeframe[]): Timeframe[] {
  return [...(REGULATORY_TIMEFRAMES[lineOfBusiness] ?? []), ...planDeclared];
}

/** The patient's data as one FHIR collection Bundle, the focus of every criterion. */
export function patientBundle(record: PatientRecord): Bundle {
  const resources: Resource[] = [
    ...(record.patient ? [record.patient] : []),
    ...record.coverage,
    ...record.conditions,
    ...record.labs,
    ...record.pgxObservations,
    ...record.activeMedications,
    ...record.dispenses,
  ];
  return { resourceType: 'Bundle', type: 'collection', entry: resources.map((resource): BundleEntry => ({ resource })) };
}

/** What one request has worked out for the criteria: its patient bundle, the narrowed views, the results. */
export interface RequestEvaluations {
  bundle: Bundle;
  narrowed: Map<string, Bundle>;
  results: Map<string, unknown[]>;
}

/**
 * FHIRPath results per request, keyed by the expression and the values of the variables it reads: criteria
 * repeated across criteria sets (an indication shared by several drugs of a class), the same set previewed
 * for several alternatives, and the same criterion reached from several draft orders are evaluated once per
 * request. Owned by the plan catalogue and keyed by the request's own record, so nothing outlives a request.
 */
export class CriteriaEvaluations {
  readonly #byRecord = new WeakMap<PatientRecord, RequestEvaluations>();

  of(record: PatientRecord): RequestEvaluations {
    let request = this.#byRecord.get(record);
    if (!request) this.#byRecord.set(record, (request = { bundle: patientBundle(record), narrowed: new Map(), results: new Map() }));
    return request;
  }
}

export function pgxVariables(genes: GeneResult[], effective: Array<{ gene: string; effectivePhenotype: string }>): CriterionEnv['pgx'] {
  const out: CriterionEnv['pgx'] = {};
  for (const g of genes) {
    if (g.status !== 'determinate' || g.provisional || out[g.gene]) continue;
    out[g.gene] = { phenotype: g.phenotype, ...(g.activityScore ? { activityScore: g.activityScore } : {}) };
    const eff = effective.find((e) => e.gene === g.gene);
    if (eff) out[g.gene]!.effectivePhenotype = eff.effectivePhenotype;
  }
  return out;
}

/** the values of the variables a criterion reads (and the instant, when it reads the clock) */
function evaluationKey(c: PaCriterion, env: CriterionEnv): string {
  const vars = env as unknown as Record<string, unknown>;
  return [c.expression, ...[...c.variables].sort().map((name) => JSON.stringify(vars[name]) ?? ''), c.readsClock ? env.now : ''].join('\u0000');
}

/** The patient bundle with only the entries a criterion can see (same order); built once per request. */
export function narrowedFocus(request: RequestEvaluations, focusTypes: readonly string[] | undefined): Bundle {
  if (!focusTypes) return request.bundle;
  const key = [...focusTypes].sort().join(',');
  let narrowed = request.narrowed.get(key);
  if (!narrowed) {
    const wanted = new Set(focusTypes);
    narrowed = { ...request.bundle, entry: (request.bundle.entry ?? []).filter((e) => !!e.resource && wanted.has(e.resource.resourceType)) };
    request.narrowed.set(key, narrowed);
  }
  return narrowed;
}

function evaluateOnce(c: PaCriterion, request: RequestEvaluations, env: CriterionEnv): unknown[] {
  const key = evaluationKey(c, env);
  let value = request.results.get(key);
  if (!value) request.results.set(key, (value = c.evaluate(narrowedFocus(request, c.focusTypes), env))); // a throw is not cached
  return value;
}

function evaluateCriterion(c: PaCriterion, request: RequestEvaluations, env: CriterionEnv): PaCriterionResult {
  let value: unknown[];
  try {
    value = evaluateOnce(c, request, env);
  } catch {
    return { id: c.id, description: c.description, result: 'unknown', evidence: 'criterion could not be evaluated on this record' };
  }
  const result: PaCriterionResult['result'] =
    value.length === 1 && value[0] === true ? 'met' : value.length === 1 && value[0] === false ? 'not-met' : 'unknown';
  let evidence: string;
  if (c.variables.has('pgx')) {
    // gene and phenotype only: the diplotype itself stays in the PGx card
    const parts = (c.members.get('pgx') ?? []).map((gene) => {
      const g = env.pgx[gene];
      return g ? `${gene}: ${g.effectivePhenotype ?? g.phenotype}` : `${gene}: no final, interpretable result on file`;
    });
    evidence = parts.join('; ') || 'genomic results';
  } else if (c.variables.has('biomarker') || c.variables.has('cdx')) {
    // the tumour results it reads, in the words src/biomarker gives them
    const parts = (c.members.get('biomarker') ?? []).map((name) => env.biomarker?.[name]?.summary ?? `${name}: no tumour result on file`);
    if (c.variables.has('cdx')) parts.push(env.cdx?.summary ?? 'no companion-diagnostic judgement for this drug');
    evidence = parts.join('; ') || 'tumour results';
  } else {
    evidence =
      result === 'met' ? 'found in the patient record' : result === 'not-met' ? 'not found in the patient record' : 'not determinable from the record';
  }
  return { id: c.id, description: c.description, result, evidence };
}

/** What the preview needs of the plan: its line of business, its own timeframes, the request's evaluations. */
export interface PriorAuthPlan {
  lineOfBusiness: LineOfBusiness;
  priorAuthTimeframes: readonly Timeframe[];
  criteriaEvaluations: CriteriaEvaluations;
}

/** Preview the PA request for one order under one criteria set. */
export function previewPriorAuth(set: PaCriteriaSet, record: PatientRecord, env: CriterionEnv, plan: PriorAuthPlan): PaPreview {
  const request = plan.criteriaEvaluations.of(record);
  const results = set.criteria.map((c) => ({ def: c, res: evaluateCriterion(c, request, env) }));

  // criteria sharing a group are alternatives; an ungrouped criterion is its own group
  const groups = new Map<string, typeof results>();
  for (const r of results) {
    const key = r.def.group ?? `#${r.def.id}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const groupState = (members: typeof results) =>
    members.some((m) => m.res.result === 'met') ? 'met' : members.every((m) => m.res.result === 'not-met') ? 'not-met' : 'unknown';

  let pathway: PaPathway = 'auto-approvable';
  let reason = `All criteria of ${set.id} are met by data on file`;
  const attachments: string[] = [];
  const denial = [...groups.values()].find(
    (members) => groupState(members) === 'not-met' && members.some((m) => m.def.whenNotMet === 'deny'),
  );
  if (denial) {
    pathway = 'likely-denied';
    reason = `Likely denied: ${denial.map((m) => m.def.description).join(' / ')} — not met`;
  } else {
    const open = [...groups.values()].filter((members) => groupState(members) !== 'met');
    if (open.length) {
      pathway = 'needs-documentation';
      reason = `Needs documentation for: ${open.map((members) => members.map((m) => m.def.description).join(' or ')).join('; ')}`;
      for (const members of open) attachments.push(members.map((m) => m.def.attachment).join(' or '));
    } else {
      for (const r of results) if (r.res.result === 'met') attachments.push(r.def.attachment);
    }
  }
  const timeframes = paTimeframes(plan.lineOfBusiness, plan.priorAuthTimeframes);
  // the plan's expedited determination (e.g. same day) applies to a request every criterion supports
  const expedited = set.expedited;
  let determination: PaPreview['determination'];
  if (expedited && pathway === 'auto-approvable') {
    const when = evaluateCriterion(expedited.when, request, env);
    if (when.result === 'met') {
      determination = { description: expedited.description, timeframe: expedited.timeframe, evidence: when.evidence ?? '' };
      timeframes.unshift(expedited.timeframe);
    }
  }
  return {
    criteriaSetId: set.id,
    pathway,
    criteria: results.map((r) => (r.def.group ? { ...r.res, group: r.def.group } : r.res)),
    attachments,
    reason,
    timeframes,
    ...(determination ? { determination } : {}),
  };
}
