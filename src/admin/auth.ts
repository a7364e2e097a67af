import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time check of `Authorization: Bearer <token>`. Both sides are hashed first so the comparison
 * takes the same time whatever the length of the presented value.
 */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  const m = /^Bearer ([^\s]+)$/i.exec(header ?? '');
  const presented = createHash('sha256').update(m ? m[1] : '').digest();
  const wanted = createHash('sha256').update(expected).digest();
  return timingSafeEqual(presented, wanted) && m !== null;
}
