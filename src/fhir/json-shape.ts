/**
 * Read a FHIR R4 resource from outside (prefetch, FHIR server, draft order) by its definitions, path by
 * path (src/fhir/r4-model.ts), so that the engines only ever see elements of their R4 datatype.
 *
 * The robustness rule (docs/fhir-input.md): only an element the decision reads (src/fhir/read-paths.ts)
 * can make a resource unusable. Everything else is read leniently, in place, and each leniency is
 * reported to the caller (who counts and logs it):
 * - a single value where R4 has a list is read as a one-item list (`category: {…}` → `category: [{…}]`);
 * - an element R4 does not define, `null`, or an element of the wrong datatype that the decision does not
 *   read is set aside (removed from the request's own copy), so nothing downstream trips on it.
 *
 * Runs on every resource of every request: the happy path allocates nothing beyond the walk's key stack.
 */
import type { ElementDef, R4Model, ReadProfile } from './r4-model';
import { READ_PROFILE } from './r4-model';

export type LeniencyKind = 'single-as-list' | 'wrong-type' | 'unknown-element' | 'null';

export interface Leniency {
  kind: LeniencyKind;
  resourceType: string;
  /** the element, by resource-rooted path without indices ("MedicationRequest.category"); no data */
  element: string;
}

export interface Unusable {
  /** JSON pointer inside the resource ("/medicationCodeableConcept/coding/0/code"; "" for the resource itself) */
  pointer: string;
  /** resource-rooted element path, no indices */
  element: string;
  /** what R4 says it must be ("a string (code)") */
  expected: string;
}

interface Walk {
  readonly model: R4Model;
  readonly mask: number;
  readonly resourceType: string;
  readonly out: Leniency[];
  /** keys from the resource down to the element being read (indices included) */
  readonly stack: Array<string | number>;
  unusable?: Unusable;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Read `resource` by the R4 definitions for `profile`, repairing it in place where the rule allows.
 * Leniencies are appended to `out`; the answer is undefined when the resource is usable.
 */
export function readFhirResource(resource: unknown, model: R4Model, profile: ReadProfile, out: Leniency[]): Unusable | undefined {
  const type = isPlainObject(resource) ? resource.resourceType : undefined;
  if (typeof type !== 'string' || !model.resourceTypes.has(type)) {
    return { pointer: '/resourceType', element: 'resourceType', expected: 'an R4 resource type' };
  }
  const walk: Walk = { model, mask: READ_PROFILE[profile], resourceType: type, out, stack: [] };
  walkObject(resource as Record<string, unknown>, type, true, walk);
  return walk.unusable;
}

/** false when the walk stopped at an unusable element (then `walk.unusable` says which) */
function walkObject(obj: Record<string, unknown>, typeKey: string, read: boolean, walk: Walk): boolean {
  const defs = walk.model.types.get(typeKey);
  if (!defs) return true;
  for (const key in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, key) || key === 'resourceType') continue;
    const value = obj[key];
    const def = defs.get(key);
    if (!def) {
      const base = key.charCodeAt(0) === 95 ? defs.get(key.slice(1)) : undefined; // "_birthDate": a primitive's id/extensions
      if (base?.prim) {
        if (!primitiveElementOk(value, base)) setAside(obj, key, 'wrong-type', walk);
        continue;
      }
      setAside(obj, key, 'unknown-element', walk);
      continue;
    }
    if (value === null) {
      setAside(obj, key, 'null', walk);
      continue;
    }
    if (typeof value === def.prim && !def.list) continue; // the common case, without touching the key stack
    const childRead = read && (def.read & walk.mask) !== 0;
    walk.stack.push(key);
    if (Array.isArray(value)) {
      if (!def.list) {
        if (!wrongType(obj, key, def, childRead, walk)) return false;
      } else {
        for (let i = 0; i < value.length; i++) {
          const item = value[i];
          if (item === null && def.prim) continue; // paired with "_name"
          walk.stack.push(i);
          const ok = readItem(item, def, childRead, walk);
          if (ok === undefined) return false;
          if (!ok) {
            if (childRead) return unusable(def, walk);
            value.splice(i--, 1);
            note('wrong-type', walk);
          }
          walk.stack.pop();
        }
      }
    } else {
      const ok = readItem(value, def, childRead, walk);
      if (ok === undefined) return false;
      if (!ok) {
        if (!wrongType(obj, key, def, childRead, walk)) return false;
      } else if (def.list) {
        obj[key] = [value];
        note('single-as-list', walk);
      }
    }
    walk.stack.pop();
  }
  return true;
}

/** true: the value is of the element's type; false: it is not; undefined: unusable deeper down */
function readItem(value: unknown, def: ElementDef, read: boolean, walk: Walk): boolean | undefined {
  if (def.prim) return typeof value === def.prim;
  if (!isPlainObject(value)) return false;
  let type = def.type as string;
  if (type === 'Resource') {
    const rt = value.resourceType;
    if (typeof rt !== 'string' || !walk.model.resourceTypes.has(rt)) return false;
    type = rt;
  }
  return walkObject(value, type, read, walk) ? true : undefined;
}

/** an element of the wrong datatype: set aside when not read; otherwise the resource is unusable */
function wrongType(obj: Record<string, unknown>, key: string, def: ElementDef, read: boolean, walk: Walk): boolean {
  if (read) {
    unusable(def, walk);
    return false;
  }
  walk.stack.pop();
  setAside(obj, key, 'wrong-type', walk);
  walk.stack.push(key);
  return true;
}

function primitiveElementOk(value: unknown, base: ElementDef): boolean {
  if (isPlainObject(value)) return true;
  return base.list && Array.isArray(value) && value.every((v) => v === null || isPlainObject(v));
}

function setAside(obj: Record<string, unknown>, key: string, kind: LeniencyKind, walk: Walk): void {
  walk.stack.push(key);
  note(kind, walk);
  walk.stack.pop();
  delete obj[key];
}

function note(kind: LeniencyKind, walk: Walk): void {
  walk.out.push({ kind, resourceType: walk.resourceType, element: elementPath(walk) });
}

function elementPath(walk: Walk): string {
  return [walk.resourceType, ...walk.stack.filter((k) => typeof k === 'string')].join('.');
}

function unusable(def: ElementDef, walk: Walk): false {
  const pointer = walk.stack.map((k) => `/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
  walk.unusable = { pointer, element: elementPath(walk), expected: expectedOf(def) };
  return false;
}

function expectedOf(def: ElementDef): string {
  const type = def.prim ? `a ${def.prim} (${def.type})` : def.type === def.path ? 'an object' : `a ${def.type}`;
  return def.list ? `${type} or a list of them` : type;
}
