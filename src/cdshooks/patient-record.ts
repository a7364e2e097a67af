/** Turn resolved hook data into the plain PatientRecord the decision core works on. */
import type {
  Condition,
  Coverage,
  Goal,
  MedicationDispense,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Patient,
  Resource,
} from 'fhir/r4';
import type { PatientRecord } from '../decision/types';
import type { ResolvedData } from './prefetch';
import type { HookRequest } from './types';

export function buildPatientRecord(req: HookRequest, data: ResolvedData): PatientRecord {
  const slot = <T extends Resource>(key: string): T[] => (data.slots[key] ?? []) as T[];
  const draftOrders = (req.context.draftOrders.entry ?? [])
    .map((e) => e.resource)
    .filter((r): r is MedicationRequest => r?.resourceType === 'MedicationRequest');
  const draftIds = new Set(draftOrders.map((d) => d.id).filter(Boolean));
  const record: PatientRecord = {
    patientId: req.context.patientId,
    patient: slot<Patient>('patient')[0],
    coverage: slot<Coverage>('coverage'),
    draftOrders,
    // a draft may also show up in an "active" search on some servers: it is not an existing medication
    activeMedications: slot<MedicationRequest | MedicationStatement>('medications').filter((m) => !m.id || !draftIds.has(m.id)),
    dispenses: slot<MedicationDispense>('dispenses'),
    conditions: slot<Condition>('conditions'),
    labs: slot<Observation>('labs'),
    pgxObservations: slot<Observation>('pgx'),
    vitals: slot<Observation>('vitals'),
    goals: slot<Goal>('goals'),
    unavailable: data.gaps,
    resourcesUsed: [],
  };
  const used = [
    ...(record.patient ? [record.patient] : []),
    ...record.coverage,
    ...record.draftOrders,
    ...record.activeMedications,
    ...record.dispenses,
    ...record.conditions,
    ...record.labs,
    ...record.pgxObservations,
    ...(record.vitals ?? []),
    ...(record.goals ?? []),
  ];
  record.resourcesUsed = used.map((r) => ({
    resourceType: r.resourceType,
    ...(r.id ? { id: r.id } : {}),
    ...(r.meta?.versionId ? { versionId: r.meta.versionId } : {}),
  }));
  return record;
}
