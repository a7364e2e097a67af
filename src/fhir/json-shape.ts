/**
 * FHIR JSON datatype sanity for resources that come from outside (prefetch, FHIR server, draft orders).
 * The hook-request schema checks only their top level; the engines read FHIR datatypes (coding lists,
 * string systems, reference objects) and would throw on `coding: {}` or `system: 5`. This walker checks the
 * JSON type of the well-known element names the engines read; a resource that breaks one is not used.
 */

type JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array';

const OBJECT_ARRAYS = [
  'coding', 'category', 'component', 'extension', 'modifierExtension', 'class', 'identifier', 'entry', 'link',
  'dosageInstruction', 'payor', 'name', 'issue', 'note', 'reasonCode', 'contained', 'interpretation', 'performer',
  'derivedFrom', 'hasMember', 'basedOn', 'ingredient', 'telecom', 'address', 'contact', 'doseAndRate',
];
const STRING_ARRAYS = ['given', 'profile', 'prefix', 'suffix', 'line'];
const STRINGS = [
  'resourceType', 'id', 'system', 'display', 'reference', 'status', 'intent', 'url', 'family', 'version',
  'effectiveDateTime', 'issued', 'authoredOn', 'birthDate', 'gender', 'whenHandedOver', 'versionId', 'subscriberId',
];
const OBJECTS = [
  'valueCodeableConcept', 'subject', 'beneficiary', 'patient', 'meta', 'medicationCodeableConcept', 'medicationReference',
  'valueQuantity', 'valueReference', 'period', 'clinicalStatus', 'verificationStatus', 'effectivePeriod', 'quantity',
  'daysSupply', 'resource', 'search', 'valueCoding', 'dispenseRequest', 'timing',
];
// names used with two datatypes in R4 (Coding.code is a string, Observation.code a CodeableConcept)
// (Resource.text is a Narrative, CodeableConcept.text a string; Coverage.class.name a string, Patient.name a list;
// Reference.identifier one Identifier, Observation.identifier a list; Encounter.class a Coding)
const EITHER: Record<string, JsonType[]> = {
  code: ['string', 'object'],
  type: ['string', 'object'],
  value: ['string', 'number', 'boolean'],
  text: ['string', 'object'],
  name: ['array', 'string'],
  identifier: ['array', 'object'],
  class: ['array', 'object'],
};

const EXPECTED = new Map<string, JsonType[]>([
  ...OBJECT_ARRAYS.filter((k) => !(k in EITHER)).map((k) => [k, ['array']] as [string, JsonType[]]),
  ...STRING_ARRAYS.map((k) => [k, ['array']] as [string, JsonType[]]),
  ...STRINGS.map((k) => [k, ['string']] as [string, JsonType[]]),
  ...OBJECTS.map((k) => [k, ['object']] as [string, JsonType[]]),
  ...Object.entries(EITHER),
]);
/** names whose datatype depends on the resource: here, lists in the resources the engines read */
const RESOURCE_LISTS: Record<string, string[]> = { Coverage: ['class', 'identifier'], Observation: ['identifier'], Patient: ['name', 'identifier'] };

/** element names whose value (or list items) are CodeableConcepts */
const CONCEPTS = new Set(['code', 'category', 'clinicalStatus', 'verificationStatus', 'type', 'reasonCode', 'interpretation']);
const OBJECT_ARRAY_NAMES = new Set(OBJECT_ARRAYS);
const STRING_ARRAY_NAMES = new Set(STRING_ARRAYS);

const jsonType = (v: unknown): JsonType | 'null' => (v === null ? 'null' : Array.isArray(v) ? 'array' : (typeof v as JsonType));

/**
 * The JSON path of the first element with the wrong datatype, or undefined when the resource is usable.
 * Runs on every resource of every request, so the walk allocates nothing on the happy path: the path
 * is assembled only on the way out of a failure.
 */
export function fhirShapeProblem(value: unknown): string | undefined {
  const trail: Array<string | number> = [];
  return shapeProblemAt(value, '', trail) ? '/' + trail.reverse().join('/') : undefined;
}

/** true when `value` (reached through `parentKey`) breaks a rule; `trail` then holds the path, innermost first */
function shapeProblemAt(value: unknown, parentKey: string, trail: Array<string | number>): boolean {
  if (jsonType(value) !== 'object') return true;
  const obj = value as Record<string, unknown>;
  // a Coding's code and a CodeableConcept's text are strings
  const isCoding = parentKey === 'coding' || parentKey === 'valueCoding';
  const isConcept = 'coding' in obj || parentKey.endsWith('CodeableConcept') || CONCEPTS.has(parentKey);
  if (isCoding && obj.code !== undefined && typeof obj.code !== 'string') return fail(trail, 'code');
  if (isConcept && obj.text !== undefined && typeof obj.text !== 'string') return fail(trail, 'text');
  const lists = RESOURCE_LISTS[obj.resourceType as string];
  if (lists) for (const key of lists) if (obj[key] !== undefined && !Array.isArray(obj[key])) return fail(trail, key);
  for (const key in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;
    const v = obj[key];
    const expected = EXPECTED.get(key);
    const t = jsonType(v);
    if (expected && !expected.includes(t as JsonType)) return fail(trail, key);
    if (t === 'array') {
      const items = v as unknown[];
      const objectItems = OBJECT_ARRAY_NAMES.has(key);
      const stringItems = STRING_ARRAY_NAMES.has(key);
      for (let i = 0; i < items.length; i++) {
        const it = items[i];
        if (objectItems || (!stringItems && jsonType(it) === 'object')) {
          if (shapeProblemAt(it, key, trail)) return fail(trail, key, i);
        } else if (stringItems && typeof it !== 'string') return fail(trail, key, i);
      }
    } else if (t === 'object') {
      if (shapeProblemAt(v, key, trail)) return fail(trail, key);
    }
  }
  return false;
}

/** record a step of the failing path (innermost first: the caller reverses it) */
function fail(trail: Array<string | number>, key: string, index?: number): true {
  if (index !== undefined) trail.push(index);
  trail.push(key);
  return true;
}
