import { randomUUID } from 'node:crypto';
import type { AuditRecord } from './types';
import { pseudonymise } from './pseudonym';

/** What the hook route knows: raw ids, which never reach the store. */
export type AuditRecordInput = Omit<AuditRecord, 'id' | 'userPseudonym' | 'patientPseudonym'> & {
  id?: string;
  /** raw patient id from the hook context; replaced by its pseudonym */
  patientId?: string;
  /** raw user id (fhirUser / userId); replaced by its pseudonym */
  userId?: string;
};

/**
 * The one builder of an AuditRecord: keyed pseudonyms in place of the raw patient and user ids. The
 * Patient entry of `resourcesUsed` keeps its type and version only: its id IS the patient identifier,
 * and `patientPseudonym` already stands for it.
 */
export function buildAuditRecord(input: AuditRecordInput, pseudonymKey: string): AuditRecord {
  const { patientId, userId, id, ...rest } = input;
  return {
    id: id ?? randomUUID(),
    ...rest,
    userPseudonym: userId ? pseudonymise(userId, pseudonymKey) : undefined,
    patientPseudonym: patientId ? pseudonymise(patientId, pseudonymKey) : undefined,
    resourcesUsed: rest.resourcesUsed.map((r) => (r.resourceType === 'Patient' ? { resourceType: r.resourceType, versionId: r.versionId } : r)),
  };
}
