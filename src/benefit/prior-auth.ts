/**
 * Prior-authorization preview: evaluate the plan's criteria (FHIRPath, compiled once at load) over the
 * patient's data, with the PGx results available as `%pgx.<GENE>.phenotype`, and say which pathway the
 * request would take, what to attach, and how long the plan has to decide — with the source of that rule.
 */
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import type { Bundle, BundleEntry, MedicationRequest, Resource } from 'fhir/r4';
import type { PatientRecord } from '../decision/types';
import type { GeneResult } from '../pgx/types';
import type { LineOfBusiness, PaCriteriaSet, PaCriterion, Timeframe } from './plan-catalogue';
import type { PaCriterionResult, PaPathway, PaPreview } from './types';

/**
 * Variables a criterion may read; `%pgx` holds determinate, final results only (indeterminate reads as unknown,
 * and a preliminary/registered result cannot approve anything until it is final).
 */
export interface CriterionEnv {
  pgx: Record<string, { phenotype: string; activityScore?: string; effectivePhenotype?: string }>;
  /** ingredient RxCUIs seen in the medication history (requests, statements, dispenses) */
  tried: string[];
  now: string;
  order: MedicationRequest;
  /**
   * tumour biomarker results (`%biomarker.<GENE|HER2|PDL1|TMB|MSI>`) and the ordered drug's companion-diagnostic
   * verdict (`%cdx`), built by src/biomarker; each value carries a `summary` shown as the criterion's evidence
   */
  biomarker?: Record<string, { summary: string }>;
  cdx?: { summary: string };
}

export type CompiledCriterion = (patient: Bundle, env: CriterionEnv) => unknown[];

/** an order without tumour results (not a targeted oncology drug) reads `%biomarker` / `%cdx` as empty: "unknown", not an error */
const NO_TUMOUR_RESULTS = { biomarker: {}, cdx: {} };

/** Compile at load time; throws on a syntax error (reported by the catalogue with the criterion id). */
export function compileCriterion(expression: string): CompiledCriterion {
  const fn = fhirpath.compile(expression, r4);
  return (patient, env) => fn(patient, { ...NO_TUMOUR_RESULTS, ...env } as unknown as Record<string, unknown>) as unknown[];
}

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

const bundleCache = new WeakMap<PatientRecord, Bundle>();

/** The patient's data as one FHIR collection Bundle, the focus of every criterion (built once per record). */
export function patientBundle(record: PatientRecord): Bundle {
  const cached = bundleCache.get(record);
  if (cached) return cached;
  const resources: Resource[] = [
    ...(record.patient ? [record.patient] : []),
    ...record.coverage,
    ...record.conditions,
    ...record.labs,
    ...record.pgxObservations,
    ...record.activeMedications,
    ...record.dispenses,
  ];
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'collection',
    entry: resources.map((resource): BundleEntry => ({ resource })),
  };
  bundleCache.set(record, bundle);
  return bundle;
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

const GENE_REF = /%pgx\.(?:`([^`]+)`|([A-Za-z0-9]+))/g;

function genesIn(expression: string): string[] {
  return [...expression.matchAll(GENE_REF)].map((m) => m[1] ?? m[2]!);
}

const MARKER_REF = /%biomarker\.(?:`([^`]+)`|([A-Za-z0-9]+))/g;

/** the tumour results a criterion reads, in the words src/biomarker gives them */
function tumourEvidence(expression: string, env: CriterionEnv): string {
  const markers = [...new Set([...expression.matchAll(MARKER_REF)].map((m) => m[1] ?? m[2]!))];
  const parts = markers.map((name) => env.biomarker?.[name]?.summary ?? `${name}: no tumour result on file`);
  if (/%cdx\b/.test(expression)) parts.push(env.cdx?.summary ?? 'no companion-diagnostic judgement for this drug');
  return parts.join('; ') || 'tumour results';
}

/**
 * FHIRPath results per patient bundle, keyed by expression and the variables it reads (the order only when
 * it reads `%order`): criteria repeated across criteria sets (an indication shared by several drugs of a
 * class), the same set previewed for several alternatives, and the same criterion reached from several
 * draft orders are evaluated once per request. The bundle is the request's own object, so nothing is kept
 * between requests.
 */
const resultCache = new WeakMap<Bundle, Map<string, unknown[]>>();
const orderTokens = new WeakMap<MedicationRequest, number>();
let nextOrderToken = 1;

function orderToken(order: MedicationRequest): number {
  let token = orderTokens.get(order);
  if (token === undefined) orderTokens.set(order, (token = nextOrderToken++));
  return token;
}

type Variable = 'tried' | 'now' | 'pgx' | 'order' | 'biomarker' | 'cdx';
const variablesCache = new Map<string, Set<Variable>>();

/** the variables an expression reads, written `%name` or `%\`name\`` (worked out once per expression) */
function variablesRead(expression: string): Set<Variable> {
  let read = variablesCache.get(expression);
  if (!read) {
    const names: Variable[] = ['tried', 'now', 'pgx', 'order', 'biomarker', 'cdx'];
    read = new Set(names.filter((name) => new RegExp(`%\`?${name}\\b`).test(expression)));
    variablesCache.set(expression, read);
  }
  return read;
}

function evaluationKey(c: PaCriterion, env: CriterionEnv): string {
  const x = c.expression;
  const read = variablesRead(x);
  return [
    x,
    read.has('tried') ? env.tried.join(',') : '',
    read.has('now') ? env.now : '',
    read.has('pgx') ? JSON.stringify(env.pgx) : '',
    read.has('order') ? String(orderToken(env.order)) : '',
    read.has('biomarker') ? JSON.stringify(env.biomarker ?? null) : '',
    read.has('cdx') ? JSON.stringify(env.cdx ?? null) : '',
  ].join('\u0000');
}

const ABSTRACT_TYPES = new Set(['Resource', 'DomainResource', 'MetadataResource', 'CanonicalResource', 'Any']);
/** anything that could reach entries other than through `entry.resource.ofType(T)` */
const REACHES_WHOLE_BUNDLE = /%(?:context|resource|rootResource)\b|\b(?:resolve|descendants|children|repeat)\s*\(|\$this/;
const OF_TYPE_ENTRY = /\bentry\.resource\.ofType\(\s*([A-Za-z]+)\s*\)/g;
const focusTypesCache = new Map<string, string[] | undefined>();

/**
 * The resource types an expression can see, when it reads the bundle only as `entry.resource.ofType(T)`
 * with concrete types T (the policy criteria do); undefined = it may read anything. FHIRPath cost grows
 * with every resource it wraps, and a problem-list criterion does not need the medication history.
 */
export function focusTypes(expression: string): string[] | undefined {
  if (focusTypesCache.has(expression)) return focusTypesCache.get(expression);
  let types: string[] | undefined = [...expression.matchAll(OF_TYPE_ENTRY)].map((m) => m[1]!);
  const entryUses = expression.match(/\bentry\b/g)?.length ?? 0;
  if (REACHES_WHOLE_BUNDLE.test(expression) || types.length === 0 || types.length !== entryUses || types.some((t) => ABSTRACT_TYPES.has(t))) {
    types = undefined;
  }
  focusTypesCache.set(expression, types);
  return types;
}

const narrowedCache = new WeakMap<Bundle, Map<string, Bundle>>();

/** The patient bundle with only the entries an expression can see (same order); built once per request. */
export function narrowedFocus(patient: Bundle, expression: string): Bundle {
  const types = focusTypes(expression);
  if (!types) return patient;
  const key = [...new Set(types)].sort().join(',');
  let byTypes = narrowedCache.get(patient);
  if (!byTypes) narrowedCache.set(patient, (byTypes = new Map()));
  let narrowed = byTypes.get(key);
  if (!narrowed) {
    const wanted = new Set(types);
    narrowed = { ...patient, entry: (patient.entry ?? []).filter((e) => !!e.resource && wanted.has(e.resource.resourceType)) };
    byTypes.set(key, narrowed);
  }
  return narrowed;
}

function evaluateOnce(c: PaCriterion, patient: Bundle, env: CriterionEnv): unknown[] {
  let results = resultCache.get(patient);
  if (!results) resultCache.set(patient, (results = new Map()));
  const key = evaluationKey(c, env);
  let value = results.get(key);
  if (!value) results.set(key, (value = c.evaluate(narrowedFocus(patient, c.expression), env))); // a throw is not cached
  return value;
}

function evaluateCriterion(c: PaCriterion, patient: Bundle, env: CriterionEnv): PaCriterionResult {
  let value: unknown[];
  try {
    value = evaluateOnce(c, patient, env);
  } catch {
    return { id: c.id, description: c.description, result: 'unknown', evidence: 'criterion could not be evaluated on this record' };
  }
  const result: PaCriterionResult['result'] =
    value.length === 1 && value[0] === true ? 'met' : value.length === 1 && value[0] === false ? 'not-met' : 'unknown';
  let evidence: string;
  if (c.genomic) {
    // gene and phenotype only: the diplotype itself stays in the PGx card
    const parts = genesIn(c.expression).map((gene) => {
      const g = env.pgx[gene];
      return g ? `${gene}: ${g.effectivePhenotype ?? g.phenotype}` : `${gene}: no final, interpretable result on file`;
    });
    evidence = parts.join('; ') || 'genomic results';
  } else if (c.tumour) {
    evidence = tumourEvidence(c.expression, env);
  } else {
    evidence =
      result === 'met' ? 'found in the patient record' : result === 'not-met' ? 'not found in the patient record' : 'not determinable from the record';
  }
  return { id: c.id, description: c.description, result, evidence };
}

/** Preview the PA request for one order under one criteria set. */
export function previewPriorAuth(
  set: PaCriteriaSet,
  record: PatientRecord,
  env: CriterionEnv,
  lineOfBusiness: LineOfBusiness,
  planTimeframes: readonly Timeframe[],
): PaPreview {
  const patient = patientBundle(record);
  const results = set.criteria.map((c) => ({ def: c, res: evaluateCriterion(c, patient, env) }));

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
  const timeframes = paTimeframes(lineOfBusiness, planTimeframes);
  // the plan's expedited determination (e.g. same day) applies to a request every criterion supports
  const expedited = set.expedited;
  let determination: PaPreview['determination'];
  if (expedited && pathway === 'auto-approvable') {
    const when = evaluateCriterion(expedited.when, patient, env);
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
