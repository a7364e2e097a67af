/** Cross-field rules of a hook request that a JSON Schema cannot express (CDS Hooks 2.0 invariants). */
import type { MedicationRequest } from 'fhir/r4';
import { PbhError } from '../errors';
import { fhirShapeProblem } from '../fhir/json-shape';
import type { HookRequest, ServiceDefinition } from './types';

export function checkHookRequest(service: ServiceDefinition, req: HookRequest): void {
  if (req.hook !== service.hook) throw new PbhError('PBH_ERR_HOOK_MISMATCH', `service ${service.id} handles ${service.hook}`);
  // the draft orders go straight to the engines: their FHIR datatypes must be sound (schema checks the top only)
  for (const [i, e] of (req.context.draftOrders.entry ?? []).entries()) {
    const problem = e?.resource ? fhirShapeProblem(e.resource) : undefined;
    if (problem) {
      throw new PbhError('PBH_ERR_VALIDATION', `context.draftOrders entry ${i}: a FHIR element has the wrong JSON type`, {
        instancePath: `/context/draftOrders/entry/${i}/resource${problem === '/' ? '' : problem}`,
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
