/**
 * Data resolution: prefetch ∪ FHIR fetch, per prefetch key of the service.
 * - key present with a resource/Bundle → use it; key present with null → "no data exists", don't fetch;
 * - key absent, or an OperationOutcome → fetch it from fhirServer (in parallel, one overall deadline);
 * - data neither prefetched nor fetchable → 412 PBH_ERR_PREFETCH_UNAVAILABLE, except a supplementary key
 *   (SUPPLEMENTARY_PREFETCH_KEYS), which is read as "no data": the one card that would use it names the inputs
 *   it lacked, and a client written before the key existed keeps working;
 * - a fetch that fails → a DataGap (the hook still answers, and says what it could not check);
 * - resources of the wrong type or for another patient are dropped and reported as a DataGap;
 * - every resource is read by its R4 definitions (src/fhir/json-shape.ts); one whose element the decision
 *   reads is unusable is left out and named, with the reason, in a DataGap.
 */
import type { Bundle, FhirResource, Resource } from 'fhir/r4';
import type { DataGap } from '../decision/types';
import { PbhError } from '../errors';
import type { FhirClient, FhirFailureKind } from '../fhir/client';
import { MAX_JSON_DEPTH } from '../fhir/json-guard';
import { readFhirResource, type Leniency } from '../fhir/json-shape';
import type { R4Model } from '../fhir/r4-model';
import { refersTo } from '../fhir/reference';
import { checkFhirServerUrl, type FhirServerPolicy } from '../fhir/ssrf';
import { renderTemplate, templateValues, TemplateError } from './templates';
import type { HookRequest, ServiceDefinition } from './types';

/**
 * Keys that only enrich one card (vital signs, smoking status and goals for the warfarin dose estimates): absent
 * with no FHIR access they are read as empty rather than refusing the call; with FHIR access they are fetched
 * like any other.
 */
export const SUPPLEMENTARY_PREFETCH_KEYS: ReadonlySet<string> = new Set(['vitals', 'goals']);

export interface ResolveOptions {
  fhir: FhirClient;
  policy: FhirServerPolicy;
  deadlineMs: number;
  maxPages: number;
  /** called for every key that could not be fetched (metrics seam) */
  onFetchError?: (key: string, kind: FhirFailureKind) => void;
  /** the R4 definitions every resource is read by */
  model: R4Model;
  /** what was read leniently is appended here (the caller counts and logs it) */
  leniencies: Leniency[];
  /** called for every resource left out as unusable (metrics seam) */
  onDropped?: (resourceType: string) => void;
}

export interface ResolvedData {
  /** prefetch key → resources of the expected type, for this patient */
  slots: Record<string, Resource[]>;
  gaps: DataGap[];
  /** keys fetched from the FHIR server (not prefetched) */
  fetched: string[];
}

/** The resource type a template asks for: its first path segment ("Observation?..." → Observation). */
export function expectedType(template: string): string {
  return template.split(/[/?]/, 1)[0];
}

export async function resolveData(service: ServiceDefinition, req: HookRequest, opts: ResolveOptions): Promise<ResolvedData> {
  const slots: Record<string, Resource[]> = {};
  const gaps: DataGap[] = [];
  let toFetch: string[] = [];
  const patientId = req.context.patientId;

  for (const key of Object.keys(service.prefetch)) {
    const given = req.prefetch && Object.prototype.hasOwnProperty.call(req.prefetch, key) ? req.prefetch[key] : undefined;
    if (given === null) slots[key] = [];
    else if (given === undefined || given.resourceType === 'OperationOutcome') toFetch.push(key);
    else {
      const resources = unpack(given, opts.leniencies);
      slots[key] = resources ?? [];
      if (!resources) gaps.push({ key, reason: 'the prefetched Bundle was malformed (entry is not a list) and was ignored' });
    }
  }

  if (toFetch.length > 0 && (!req.fhirServer || !req.fhirAuthorization)) {
    for (const key of toFetch.filter((k) => SUPPLEMENTARY_PREFETCH_KEYS.has(k))) slots[key] = [];
    toFetch = toFetch.filter((k) => !SUPPLEMENTARY_PREFETCH_KEYS.has(k));
  }
  if (toFetch.length > 0) {
    if (!req.fhirServer || !req.fhirAuthorization) {
      throw new PbhError('PBH_ERR_PREFETCH_UNAVAILABLE', `missing prefetch: ${toFetch.join(', ')}`, {
        operationOutcome: operationOutcome(`Prefetch keys not supplied and no fhirServer/fhirAuthorization to fetch them: ${toFetch.join(', ')}`),
      });
    }
    const base = checkFhirServerUrl(req.fhirServer, opts.policy);
    const deadline = Date.now() + opts.deadlineMs;
    const values = templateValues(req.context);
    const token = req.fhirAuthorization.access_token;
    const results = await Promise.all(
      toFetch.map(async (key) => {
        let path: string;
        try {
          path = renderTemplate(service.prefetch[key], values);
        } catch (e) {
          return { key, result: { ok: false as const, reason: e instanceof TemplateError ? e.message : 'query could not be built', kind: 'other' as const } };
        }
        return { key, result: await opts.fhir.fetch({ base, path, accessToken: token, deadline, maxPages: opts.maxPages }) };
      }),
    );
    for (const { key, result } of results) {
      if (result.ok) {
        slots[key] = result.resources;
        for (const element of result.singleAsList ?? []) opts.leniencies.push({ kind: 'single-as-list', resourceType: 'Bundle', element });
        if (result.refused) {
          gaps.push({ key, reason: `refused (nested more than ${MAX_JSON_DEPTH} levels deep, like a request body would be): ${result.refused.join(', ')}` });
        }
        if (result.truncated) gaps.push({ key, reason: `more than ${opts.maxPages} pages of results; only the first ${opts.maxPages} were read` });
      } else {
        slots[key] = [];
        gaps.push({ key, reason: `could not be retrieved: ${result.reason}` });
        opts.onFetchError?.(key, result.kind);
      }
    }
  }

  for (const key of Object.keys(slots)) {
    const wanted = expectedType(service.prefetch[key]);
    const kept: Resource[] = [];
    let wrongType = 0;
    let otherPatient = 0;
    for (const r of slots[key]) {
      if (r.resourceType === 'OperationOutcome') continue; // server messages inside a Bundle
      if (r.resourceType !== wanted) {
        wrongType++;
        continue;
      }
      const problem = readFhirResource(r, opts.model, 'prefetch', opts.leniencies);
      if (problem) {
        gaps.push({ key, reason: `${resourceName(r)} was left out: ${problem.element} must be ${problem.expected}` });
        opts.onDropped?.(r.resourceType);
      } else if (!belongsTo(r, patientId)) otherPatient++;
      else kept.push(r);
    }
    slots[key] = kept;
    if (wrongType) gaps.push({ key, reason: `${wrongType} resource(s) of an unexpected type were ignored` });
    if (otherPatient) gaps.push({ key, reason: `${otherPatient} resource(s) not about this patient were ignored` });
  }
  return { slots, gaps, fetched: toFetch };
}

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** "MedicationRequest/abc" for the data-gap card: the id only when it is a well-formed FHIR id */
function resourceName(r: Resource): string {
  const id: unknown = r.id;
  return `${r.resourceType}/${typeof id === 'string' && FHIR_ID.test(id) ? id : '(no usable id)'}`;
}

/** A Bundle's resources; undefined when the Bundle is malformed (prefetch is client JSON, only shallowly schema-checked). */
function unpack(r: FhirResource, leniencies: Leniency[]): Resource[] | undefined {
  if (r.resourceType !== 'Bundle') return [r];
  let entry: unknown = (r as Bundle).entry;
  if (entry === undefined) return [];
  if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
    // one entry sent as an object: read as a one-item list, like any R4 list
    entry = [entry];
    leniencies.push({ kind: 'single-as-list', resourceType: 'Bundle', element: 'Bundle.entry' });
  }
  if (!Array.isArray(entry)) return undefined;
  return entry
    .map((e: unknown) => (e && typeof e === 'object' ? (e as { resource?: unknown }).resource : undefined))
    .filter((x): x is FhirResource => !!x && typeof x === 'object' && typeof (x as { resourceType?: unknown }).resourceType === 'string');
}

/** Does the resource refer to this patient? ("Patient/123" or an absolute URL ending in it.) */
export function belongsTo(r: Resource, patientId: string): boolean {
  if (r.resourceType === 'Patient') return r.id === patientId;
  const rec = r as unknown as Record<string, { reference?: string } | undefined>;
  const ref = (r.resourceType === 'Coverage' ? rec.beneficiary : rec.subject ?? rec.patient)?.reference;
  if (!ref) return false; // unverifiable: safer to ignore than to attribute another patient's data
  return refersTo(ref, 'Patient', patientId);
}

export function operationOutcome(text: string): Record<string, unknown> {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: 'not-found', diagnostics: text }],
  };
}
