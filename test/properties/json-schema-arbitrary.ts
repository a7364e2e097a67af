/**
 * A small JSON Schema (draft-07) → fast-check arbitrary converter, for the subset our route schemas use:
 * type, enum, const, properties/required/additionalProperties, items/minItems/maxItems,
 * minLength/maxLength/pattern, format (uuid, date-time, uri), minimum, oneOf. Optional properties are
 * sometimes left out; `overrides` replaces the arbitrary at a JSON path (e.g. to keep URLs on loopback).
 */
import fc, { type Arbitrary } from 'fast-check';

export interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  oneOf?: Schema[];
  anyOf?: Schema[];
}

export type Overrides = Record<string, Arbitrary<unknown>>;

const CAP_ITEMS = 4;
const CAP_STRING = 40;

export function arbitraryFor(schema: Schema, overrides: Overrides = {}, path = ''): Arbitrary<unknown> {
  if (overrides[path]) return overrides[path];
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => arbitraryFor(s, overrides, path)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type ?? (schema.properties ? 'object' : undefined);
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'string':
      return stringFor(schema);
    case 'array': {
      const item = arbitraryFor(schema.items ?? {}, overrides, `${path}/*`);
      const minLength = schema.minItems ?? 0;
      return fc.array(item, { minLength, maxLength: Math.max(minLength, Math.min(schema.maxItems ?? CAP_ITEMS, CAP_ITEMS)) });
    }
    case 'object':
      return objectFor(schema, overrides, path);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringFor(schema: Schema): Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'uri') return fc.webUrl();
  const maxLength = Math.min(schema.maxLength ?? CAP_STRING, CAP_STRING);
  if (schema.pattern) {
    const min = schema.minLength ?? 0;
    return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= min && s.length <= (schema.maxLength ?? Infinity));
  }
  return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.max(schema.minLength ?? 0, maxLength) });
}

function objectFor(schema: Schema, overrides: Overrides, path: string): Arbitrary<Record<string, unknown>> {
  const required = new Set(schema.required ?? []);
  const props = Object.entries(schema.properties ?? {});
  const known: Record<string, Arbitrary<unknown>> = {};
  for (const [k, s] of props) known[k] = arbitraryFor(s, overrides, `${path}/${k}`);
  const optional = props.map(([k]) => k).filter((k) => !required.has(k));
  const base = fc.record(known, { requiredKeys: [...required].filter((k) => k in known) });
  void optional;
  const extra =
    schema.additionalProperties && typeof schema.additionalProperties === 'object'
      ? fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !(k in known) && k !== '__proto__'), arbitraryFor(schema.additionalProperties, overrides, `${path}/*`), { maxKeys: 3 })
      : fc.constant({});
  return fc.tuple(base, extra).map(([a, b]) => ({ ...b, ...a }));
}
