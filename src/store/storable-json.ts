/**
 * JSON text that PostgreSQL (and PGlite) will store, for any object, with the original recoverable.
 *
 * `jsonb` and `text` refuse two things JavaScript strings may hold: the NUL character (`\u0000`, SQLSTATE
 * 22P05) and a lone UTF-16 surrogate (`\ud800` without its pair, 22P02). Both reach audit records from
 * outside (an Observation id in prefetch or from a FHIR server), and one such record would fail its
 * whole batch forever. Such records are re-serialised with those strings escaped, reversibly:
 *
 * - the record gets a top-level `"stringEncoding": "pbh-escaped-1"`;
 * - in such a record every string (object keys included) that holds a NUL or a lone surrogate, or that
 *   already begins with the prefix `pbh-escaped:`, is written as `pbh-escaped:` + the string with `%`
 *   → `%25`, NUL → `%00` and each lone surrogate → `%uDXXX` (its code unit in upper-case hex);
 * - `restoreStrings` undoes it: in a record so marked, every string beginning with the prefix is decoded.
 *
 * Records without those characters (all but hostile ones) are stored exactly as `JSON.stringify` writes
 * them: the check is one regular-expression scan of the JSON text, made once at enqueue.
 */
export const ESCAPED_PREFIX = 'pbh-escaped:';
export const STRING_ENCODING = 'pbh-escaped-1';

/** JSON.stringify writes NUL as `\u0000` and a lone surrogate as `\udXXX` (never raw); paired ones raw */
const SUSPECT_JSON = /\\u0000|\\ud[89a-f]/i;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE = new RegExp(`\\u0000|${LONE_SURROGATE.source}`);
const TO_ESCAPE = new RegExp(`%|\\u0000|${LONE_SURROGATE.source}`, 'g');
const ESCAPE_SEQUENCE = /%(25|00|u[0-9A-F]{4})/g;

const needsEscape = (s: string): boolean => UNSTORABLE.test(s) || s.startsWith(ESCAPED_PREFIX);

export function escapeString(s: string): string {
  return (
    ESCAPED_PREFIX +
    s.replace(TO_ESCAPE, (c) => (c === '%' ? '%25' : c === '\u0000' ? '%00' : `%u${c.charCodeAt(0).toString(16).toUpperCase()}`))
  );
}

export function unescapeString(s: string): string {
  if (!s.startsWith(ESCAPED_PREFIX)) return s;
  return s
    .slice(ESCAPED_PREFIX.length)
    .replace(ESCAPE_SEQUENCE, (_m, code: string) =>
      code === '25' ? '%' : code === '00' ? '\u0000' : String.fromCharCode(parseInt(code.slice(1), 16)),
    );
}

function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value && typeof value === 'object') {
    // JSON.stringify's view of the object (toJSON, e.g. Date), then its own enumerable keys
    const plain = typeof (value as { toJSON?: unknown }).toJSON === 'function' ? (value as { toJSON: () => unknown }).toJSON() : value;
    if (plain !== value) return mapStrings(plain, fn);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined && typeof v !== 'function') out[fn(k)] = mapStrings(v, fn);
    return out;
  }
  return value;
}

/** JSON text of `record` that the database accepts; throws like JSON.stringify on cycles / BigInt */
export function storableJson(record: object): string {
  const text = JSON.stringify(record);
  if (!SUSPECT_JSON.test(text)) return text;
  let unstorable = false;
  const escaped = mapStrings(record, (s) => {
    if (!needsEscape(s)) return s;
    if (UNSTORABLE.test(s)) unstorable = true;
    return escapeString(s);
  }) as Record<string, unknown>;
  // a false alarm (e.g. a literal backslash followed by "u0000"): the plain text is storable as it is
  if (!unstorable) return text;
  return JSON.stringify({ ...escaped, stringEncoding: STRING_ENCODING });
}

/** the record as it was before `storableJson` escaped it (unchanged when it was not escaped) */
export function restoreStrings<T>(record: T): T {
  if (!record || typeof record !== 'object' || (record as { stringEncoding?: unknown }).stringEncoding !== STRING_ENCODING) return record;
  const { stringEncoding: _marker, ...rest } = mapStrings(record, unescapeString) as Record<string, unknown>;
  return rest as T;
}

/**
 * A string for a `text` column: as it is, unless it holds NUL or a lone surrogate (or begins with the
 * prefix), then escaped as above. Such a column's values are decoded with `unescapeString`.
 */
export function storableText<T extends string | null | undefined>(s: T): T {
  return (typeof s === 'string' && needsEscape(s) ? escapeString(s) : s) as T;
}
