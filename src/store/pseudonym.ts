import { createHmac } from 'node:crypto';

/** Version prefix: lets a future key rotation or algorithm change coexist with old audit rows. */
export const PSEUDONYM_PREFIX = 'p1:';

/**
 * Keyed pseudonym (HMAC-SHA256, hex) of a patient or user id. Stable for one key, so the audit trail can
 * be searched by patient; not reversible without the key, and not guessable from the id alone (unlike a
 * plain hash, which anyone could compute over a list of MRNs).
 */
export function pseudonymise(id: string, key: string): string {
  return PSEUDONYM_PREFIX + createHmac('sha256', key).update(id, 'utf8').digest('hex');
}
