import { createHash } from 'node:crypto';

/**
 * Deterministic UUID (RFC 4122 v5-style layout over SHA-256) so the same decision for the same
 * hookInstance and order always carries the same card uuid: an EHR that calls order-select repeatedly
 * can de-duplicate, and feedback links to one decision.
 */
export function deterministicUuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u001f')).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
