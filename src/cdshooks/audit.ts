/** The audit record of one hook call: pseudonymised ids, what was used and decided, never raw PHI. */
import { randomUUID } from 'node:crypto';
import type { DecisionOutcome } from '../decision/decide';
import type { PatientRecord } from '../decision/types';
import type { AuditRecord } from '../store/types';
import { coarseDemographics } from '../store/demographics';
import { pseudonymise } from '../store/pseudonym';
import type { ClientIdentity, HookName, HookRequest } from './types';

export interface AuditInput {
  serviceId: string;
  hook: HookName;
  request: HookRequest;
  client: ClientIdentity;
  record: PatientRecord;
  outcome: DecisionOutcome;
  knowledgeVersion: string;
  pseudonymKey: string;
  startedAt: number;
  now: Date;
}

export function buildAuditRecord(a: AuditInput): AuditRecord {
  return {
    id: randomUUID(),
    time: a.now.toISOString(),
    kind: 'hook',
    serviceId: a.serviceId,
    hook: a.hook,
    hookInstance: a.request.hookInstance,
    client: { iss: a.client.iss, sub: a.client.sub, jti: a.client.jti },
    userPseudonym: pseudonymise(a.request.context.userId, a.pseudonymKey),
    patientPseudonym: pseudonymise(a.request.context.patientId, a.pseudonymKey),
    // the Patient's id IS the patient identifier: patientPseudonym stands for it
    resourcesUsed: a.record.resourcesUsed.map((r) => (r.resourceType === 'Patient' ? { resourceType: r.resourceType, versionId: r.versionId } : r)),
    decisions: a.outcome.decisions,
    systemActions: a.outcome.response.systemActions.map((s) => ({ type: s.type, resourceType: s.resource?.resourceType })),
    knowledgeVersion: a.knowledgeVersion,
    ...(a.outcome.planVersion ? { planVersion: a.outcome.planVersion } : {}),
    // coarse categories only (OMB codes, sex, age band), for equity monitoring
    demographics: coarseDemographics(a.record.patient, a.now.toISOString()),
    durationMs: a.now.getTime() - a.startedAt,
    outcome: a.record.unavailable.length > 0 ? 'partial' : 'success',
    errors: [...a.record.unavailable.map((g) => `${g.key}: ${g.reason}`), ...(a.outcome.errors ?? []).map((e) => `engine: ${e}`)],
  };
}
