/** Cross-field rules of a hook request that a JSON Schema cannot express (CDS Hooks 2.0 invariants). */
import type { MedicationRequest } from 'fhir/r4';
import { PbhError } from '../errors';
import { readFhirResource, type Leniency } from '../fhir/json-shape';
import type { R4Model } from '../fhir/r4-model';
import type { HookRequest, ServiceDefinition } from './types';

/**
 * Throws on a request the decision cannot use. The draft orders are read by their R4 definitions (the
 * schema checks their top only) and repaired in place where the robustness rule allows; what was read
 * leniently is appended to `leniencies`. Only a draft order's identity or medication can refuse the call.
 */
export function checkHookRequest(service: ServiceDefinition, req: HookRequest, model: R4Model, leniencies: Leniency[]): void {
  if (req.hook !== service.hook) throw new PbhError('PBH_ERR_HOOK_MISMATCH', `service ${service.id} handles ${service.hook}`);
  for (const [i, e] of (req.context.draftOrders.entry ?? []).entries()) {
    // a draft of a type R4 does not define is not read by the decision (only MedicationRequests are)
    if (!e?.resource || !model.resourceTypes.has(e.resource.resourceType)) continue;
    const problem = readFhirResource(e.resource, model, 'draftOrder', leniencies);
    if (problem) {
      throw new PbhError('PBH_ERR_VALIDATION', `context.draftOrders entry ${i}: ${problem.element} must be ${problem.expected}`, {
        instancePath: `/context/draftOrders/entry/${i}/resource${problem.pointer}`,
      });
    }
  }
  if (req.fhirAuthorization && !req.fhirServer) {
    throw new PbhError('PBH_ERR_CONTEXT_INVALID', 'fhirAuthorization requires fhirServer');
  }
  const authPatient = req.fhirAuthorization?.patient;
  if (authPatient !== undefined && authPatient !== req.context.patientId) {
    throw new PbhError('PBH_ERR_CONTEXT_INVALID', 'fhirAuthorization.patient differs from context.patientId');
  }
  if (service.hook === 'order-select') {
    const selections = req.context.selections;
    if (!selections || selections.length === 0) throw new PbhError('PBH_ERR_CONTEXT_INVALID', 'order-select requires context.selections');
    const present = new Set(
      (req.context.draftOrders.entry ?? [])
        .map((e) => e.resource)
        .filter((r): r is MedicationRequest => !!r?.id)
        .map((r) => `${r.resourceType}/${r.id}`),
    );
    if (!selections.every((s) => present.has(s))) {
      throw new PbhError('PBH_ERR_CONTEXT_INVALID', 'context.selections names an order not in context.draftOrders');
    }
  }
}
