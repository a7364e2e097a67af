/**
 * One size and depth guard for JSON from outside. Request bodies (with their prefetch) are scanned as
 * bytes before parsing (src/http/json-body.ts); FHIR server responses are capped at the same size
 * and scanned the same way, and a response that nests too deeply has each of its resources measured, so
 * the data-gap card can name what was refused. Both walks are iterative: nothing here can overflow the
 * stack, and every walker that runs later (shape checks, engines, JSON.stringify of the audit record)
 * only ever sees JSON within the limit.
 */

/** deepest nesting of objects/arrays accepted anywhere in JSON from outside */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether the nesting of objects/arrays in JSON text (strings skipped) goes past `limit`; stops early.
 * Scans the raw UTF-8 bytes: every request pays for this scan, and a typed-array loop runs ~2.5× faster than
 * charCodeAt over the decoded string. Safe on bytes because UTF-8 never encodes a non-ASCII character
 * with bytes below 0x80, so quotes, backslashes and brackets are always themselves.
 */
export function jsonDepthExceeds(body: Uint8Array | string, limit: number): boolean {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  let depth = 0;
  let inString = false;
  for (let i = 0, n = bytes.length; i < n; i++) {
    const c = bytes[i]!;
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped char
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > limit) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/** The same question for an already parsed value (a top-level object or array is depth 1), without recursion. */
export function valueDepthExceeds(value: unknown, limit: number): boolean {
  const values: unknown[] = [value];
  const depths: number[] = [1];
  while (values.length) {
    const v = values.pop();
    const d = depths.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > limit) return true;
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    for (const c of children) {
      if (c !== null && typeof c === 'object') {
        values.push(c);
        depths.push(d + 1);
      }
    }
  }
  return false;
}

/**
 * A short name for a resource that was refused, for the data-gap card: "Observation/abc" when its type and
 * id are plain short strings, else what can be said safely. (The card's renderer escapes it.)
 */
export function refusedResourceName(r: unknown): string {
  const o = r && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>) : {};
  const type = typeof o.resourceType === 'string' && /^[A-Za-z]{1,64}$/.test(o.resourceType) ? o.resourceType : 'a resource';
  const id = typeof o.id === 'string' && o.id.length <= 64 ? o.id : undefined;
  return id ? `${type}/${id}` : type === 'a resource' ? type : `a ${type} without a usable id`;
}
