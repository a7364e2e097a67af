import { randomUUID } from 'node:crypto';
import type { AuditRecord } from './types';
import { pseudonymise } from './pseudonym';

/** What the hook / feedback route knows: raw ids, which never reach the store. */
export type AuditRecordInput = Omit<AuditRecord, 'id' | 'userPseudonym' | 'patientPseudonym'> & {
  id?: string;
  /** raw patient id from the hook context; replaced by its pseudonym */
  patientId?: string;
  /** raw user id (fhirUser / userId); replaced by its pseudonym */
  userId?: string;
};

/**
 * Builds an AuditRecord with pseudonyms in place of raw ids. The Patient entry of `resourcesUsed` gets the
 * pseudonym too, so nothing in the record carries the raw patient id.
 */
export function buildAuditRecord(input: AuditRecordInput, pseudonymKey: string): AuditRecord {
  const { patientId, userId, id, ...rest } = input;
  const patientPseudonym = patientId ? pseudonymise(patientId, pseudonymKey) : undefined;
  const resourcesUsed = rest.resourcesUsed.map((r) =>
    r.resourceType === 'Patient' && r.id !== undefined
      ? { ...r, id: r.id === patientId && patientPseudonym ? patientPseudonym : pseudonymise(r.id, pseudonymKey) }
      : r,
  );
  return {
    ...rest,
    id: id ?? randomUUID(),
    resourcesUsed,
    patientPseudonym,
    userPseudonym: userId ? pseudonymise(userId, pseudonymKey) : undefined,
  };
}
