/**
 * The FHIR R4 element definitions, path by path, as the shape reader needs them: for every resource,
 * datatype and backbone element, its elements by JSON name (choice types expanded: `valueQuantity`) with
 * their datatype and whether R4 makes them a list. Built once at start-up from the R4 model that ships
 * with `fhirpath` (`fhirpath/fhir-context/r4`, generated from the R4 StructureDefinitions), so a name
 * means what its path says: `Timing.repeat.period` is a decimal, `ContactPoint.period` a Period.
 */
import r4 from 'fhirpath/fhir-context/r4';

/** the JSON type a primitive is written as */
export type JsonKind = 'string' | 'number' | 'boolean';

export interface ElementDef {
  /** the element's definition path, e.g. "Timing.repeat.period" (safe to log: it is the model's, not data) */
  readonly path: string;
  readonly list: boolean;
  /** set for primitives */
  readonly prim?: JsonKind;
  /** the R4 type (a primitive's name; for complex elements the type to read the value as: a datatype, a
   * backbone path, or "Resource") */
  readonly type?: string;
  /** bit set of the read profiles (see READ_PROFILE) in which the decision reads this element */
  readonly read: number;
  /** for a choice type's JSON name (`valueQuantity`): its element (`value`); R4 allows one per element */
  readonly choiceOf?: string;
}

export interface R4Model {
  /** type or backbone path → JSON name → definition (inherited elements included) */
  readonly types: ReadonlyMap<string, ReadonlyMap<string, ElementDef>>;
  readonly resourceTypes: ReadonlySet<string>;
  readonly version: string;
}

/** Which elements the decision reads, per kind of input (see src/fhir/read-paths.ts). */
export const READ_PROFILE = { prefetch: 1, draftOrder: 2 } as const;
export type ReadProfile = keyof typeof READ_PROFILE;

const PRIMITIVES: Record<string, JsonKind> = {
  boolean: 'boolean',
  integer: 'number',
  positiveInt: 'number',
  unsignedInt: 'number',
  decimal: 'number',
  'System.Boolean': 'boolean',
  'System.Integer': 'number',
  'System.Decimal': 'number',
};
const STRING_PRIMITIVES = [
  'string', 'code', 'id', 'markdown', 'uri', 'url', 'canonical', 'oid', 'uuid', 'base64Binary', 'date', 'dateTime',
  'instant', 'time', 'xhtml', 'System.String', 'System.Date', 'System.DateTime', 'System.Time',
];
for (const t of STRING_PRIMITIVES) PRIMITIVES[t] = 'string';

interface RawModel {
  version: string;
  type2Parent: Record<string, string>;
  path2Type: Record<string, string>;
  path2Repeating: Record<string, boolean>;
  pathsDefinedElsewhere: Record<string, string>;
  choiceTypePaths: Record<string, string[]>;
}

/**
 * Compile the model. `readPaths` names, per read profile, the elements the decision reads as
 * "Owner.name" (owner: a resource, datatype or backbone path; an element inherited from Resource,
 * DomainResource, Element or BackboneElement may be named on that ancestor).
 */
export function buildR4Model(readPaths: Record<ReadProfile, readonly string[]>): R4Model {
  const raw = r4 as unknown as RawModel;
  const readBits = new Map<string, number>();
  for (const [profile, paths] of Object.entries(readPaths) as Array<[ReadProfile, readonly string[]]>) {
    for (const p of paths) readBits.set(p, (readBits.get(p) ?? 0) | READ_PROFILE[profile]);
  }

  // own elements per owner, before inheritance
  const own = new Map<string, Map<string, Omit<ElementDef, 'read'>>>();
  const parentOf = new Map<string, string>(Object.entries(raw.type2Parent));
  const add = (path: string, typeName: string, list: boolean, typeKey?: string) => {
    const dot = path.lastIndexOf('.');
    if (dot < 0) return;
    const owner = path.slice(0, dot);
    const name = path.slice(dot + 1);
    let def: Omit<ElementDef, 'read'>;
    const prim = PRIMITIVES[typeName];
    const choice = choiceOf.get(path);
    if (prim) def = { path, list, prim, type: typeName, ...(choice ? { choiceOf: choice } : {}) };
    else if ((typeName === 'BackboneElement' || typeName === 'Element') && !typeKey) {
      // an element defined in place (Timing.repeat, Observation.component): its own path is its type
      def = { path, list, type: path };
      parentOf.set(path, typeName);
    } else def = { path, list, type: typeKey ?? typeName, ...(choice ? { choiceOf: choice } : {}) };
    let m = own.get(owner);
    if (!m) own.set(owner, (m = new Map()));
    m.set(name, def);
  };
  // valueQuantity, valueString, ... → value
  const choiceOf = new Map<string, string>();
  for (const [path, types] of Object.entries(raw.choiceTypePaths)) {
    const base = path.slice(path.lastIndexOf('.') + 1);
    for (const t of types) choiceOf.set(`${path}${t[0]!.toUpperCase()}${t.slice(1)}`, base);
  }
  for (const [path, typeName] of Object.entries(raw.path2Type)) add(path, typeName, raw.path2Repeating[path] === true);
  for (const [path, target] of Object.entries(raw.pathsDefinedElsewhere)) {
    // Observation.component.referenceRange is read as Observation.referenceRange
    add(path, raw.path2Type[target] ?? 'BackboneElement', raw.path2Repeating[target] === true, target);
  }

  const ancestry = (t: string): string[] => {
    const chain: string[] = [];
    for (let cur: string | undefined = t; cur && !chain.includes(cur); cur = parentOf.get(cur)) chain.push(cur);
    return chain;
  };
  const types = new Map<string, Map<string, ElementDef>>();
  for (const t of new Set([...own.keys(), ...parentOf.keys()])) {
    const chain = ancestry(t);
    const merged = new Map<string, ElementDef>();
    // nearest definition wins; the read bits gather over the chain (Resource.id read → Patient.id read)
    for (const owner of chain) {
      for (const [name, def] of own.get(owner) ?? []) {
        if (merged.has(name)) continue;
        let read = 0;
        for (const o of chain) read |= readBits.get(`${o}.${name}`) ?? 0;
        merged.set(name, { ...def, read });
      }
    }
    types.set(t, merged);
  }
  const resourceTypes = new Set<string>();
  for (const t of Object.keys(raw.type2Parent)) if (ancestry(t).includes('Resource')) resourceTypes.add(t);
  for (const p of readBits.keys()) {
    const dot = p.lastIndexOf('.');
    if (!own.get(p.slice(0, dot))?.has(p.slice(dot + 1))) throw new Error(`read path ${p} is not an R4 element`);
  }
  return { types, resourceTypes, version: raw.version };
}
