/**
 * fast-check arbitraries for valid FHIR R4 instances, generated from the same R4 definitions the service
 * reads by (src/fhir/r4-model.ts): every element of a type may appear, with a value of its datatype — all
 * primitives, complex datatypes, backbone elements, lists, one choice per choice element — to a bounded
 * depth. Contained resources are not generated. The model carries no minimum cardinalities, so elements
 * R4 requires may be missing (Extension.url excepted): a superset of valid instances, which is what a
 * reader that must refuse nothing valid has to take.
 */
import fc from 'fast-check';
import type { ElementDef, R4Model } from '../../src/fhir/r4-model';

const id = fc.stringMatching(/^[A-Za-z0-9\-.]{1,16}$/);
const digits = (n: number, min: number, max: number) => fc.integer({ min, max }).map((v) => String(v).padStart(n, '0'));
const date = fc.tuple(digits(4, 1900, 2030), digits(2, 1, 12), digits(2, 1, 28)).map(([y, m, d]) => `${y}-${m}-${d}`);
const time = fc.tuple(digits(2, 0, 23), digits(2, 0, 59), digits(2, 0, 59)).map(([h, m, s]) => `${h}:${m}:${s}`);
const dateTime = fc.tuple(date, time).map(([d, t]) => `${d}T${t}Z`);
const uri = fc.oneof(id.map((x) => `http://example.org/fhir/${x}`), fc.uuid().map((u) => `urn:uuid:${u}`));

/** R4 primitive types → their lexical forms */
const PRIMITIVES: Record<string, fc.Arbitrary<unknown>> = {
  boolean: fc.boolean(),
  integer: fc.integer({ min: -1000, max: 1000 }),
  positiveInt: fc.integer({ min: 1, max: 1000 }),
  unsignedInt: fc.integer({ min: 0, max: 1000 }),
  decimal: fc.integer({ min: -100000, max: 100000 }).map((n) => n / 100),
  string: fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim().length > 0),
  markdown: fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim().length > 0),
  code: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
  id,
  uri,
  url: uri,
  canonical: uri,
  oid: fc.integer({ min: 1, max: 99 }).map((n) => `urn:oid:2.16.840.1.${n}`),
  uuid: fc.uuid().map((u) => `urn:uuid:${u}`),
  base64Binary: fc.constantFrom('aGVsbG8=', 'dGVzdA=='),
  date: fc.oneof(date, date.map((d) => d.slice(0, 4))),
  dateTime: fc.oneof(dateTime, date),
  instant: dateTime,
  time,
  xhtml: fc.constant('<div xmlns="http://www.w3.org/1999/xhtml">generated</div>'),
  'System.String': id,
  'System.Boolean': fc.boolean(),
  'System.Integer': fc.integer({ min: 0, max: 100 }),
  'System.Decimal': fc.integer({ min: 0, max: 100 }),
  'System.Date': date,
  'System.DateTime': dateTime,
  'System.Time': time,
};

export interface R4ArbitraryOptions {
  /** complex elements are generated to this depth below the resource (primitives one level further) */
  maxDepth?: number;
  /** the weight of leaving an optional element out (against 1 for putting it in) */
  absentWeight?: number;
}

export function r4Arbitraries(model: R4Model, options: R4ArbitraryOptions = {}) {
  const maxDepth = options.maxDepth ?? 3;
  const absent = options.absentWeight ?? 3;
  const cache = new Map<string, fc.Arbitrary<Record<string, unknown>>>();

  const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
    fc.oneof({ arbitrary: fc.constant(undefined), weight: absent }, { arbitrary: a, weight: 1 });

  function valueOf(def: ElementDef, depth: number): fc.Arbitrary<unknown> | undefined {
    let one: fc.Arbitrary<unknown> | undefined;
    if (def.prim) one = PRIMITIVES[def.type!];
    else if (def.type !== 'Resource' && depth < maxDepth) one = typeArb(def.type!, depth + 1);
    if (!one) return undefined;
    return def.list ? fc.array(one, { minLength: 1, maxLength: 2 }) : one;
  }

  function typeArb(typeKey: string, depth: number): fc.Arbitrary<Record<string, unknown>> {
    const key = `${typeKey}@${depth}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const defs = model.types.get(typeKey);
    if (!defs) throw new Error(`no R4 type ${typeKey}`);
    const plain: Record<string, fc.Arbitrary<unknown>> = {};
    const choices = new Map<string, Array<fc.Arbitrary<[string, unknown]>>>();
    for (const [name, def] of defs) {
      // a Resource's id is set by the caller; Element.id / extension ids are ordinary strings
      const value = valueOf(def, depth);
      if (!value) continue;
      if (def.choiceOf) {
        const group = choices.get(def.choiceOf) ?? [];
        group.push(value.map((v) => [name, v] as [string, unknown]));
        choices.set(def.choiceOf, group);
      } else plain[name] = typeKey === 'Extension' && name === 'url' ? value : maybe(value);
    }
    const choiceArbs = [...choices.values()].map((group) => maybe(fc.oneof(...group)));
    const arb = fc
      .tuple(fc.record(plain), fc.tuple(...choiceArbs))
      .map(([fields, picked]) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
        for (const p of picked) if (p) out[p[0]] = p[1];
        return out;
      })
      // R4: every element has a value or children; an empty object is not valid JSON FHIR
      .filter((o) => Object.keys(o).length > 0);
    cache.set(key, arb);
    return arb;
  }

  /** a resource of `type`, with its resourceType and an id */
  const resource = (type: string): fc.Arbitrary<Record<string, unknown>> =>
    fc.tuple(id, fc.oneof(typeArb(type, 0), fc.constant({}))).map(([rid, fields]) => ({ resourceType: type, id: rid, ...fields }));

  return { resource, typeArb };
}
