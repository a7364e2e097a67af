/** Cross-field rules of a hook request that a JSON Schema cannot express (CDS Hooks 2.0 invariants). */
import type { MedicationRequest } from 'fhir/r4';
import { PbhError } from '../errors';
import type { HookRequest, ServiceDefinition } from './types';

export function checkHookRequest(service: ServiceDefinition, req: HookRequest): void {
  if (req.hook !== service.hook) throw new PbhError('PBH_ERR_HOOK_MISMATCH', `service ${service.id} handles ${service.hook}`);
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
