/** Keyed hash of an identifier for the audit trail (raw patient/user ids are never stored). */
import { createHmac } from 'node:crypto';

export function pseudonymise(key: string, id: string): string {
  return createHmac('sha256', key).update(id, 'utf8').digest('hex');
}
