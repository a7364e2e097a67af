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

/** The JSON path of the first element with the wrong datatype, or undefined when the resource is usable. */
export function fhirShapeProblem(value: unknown, path = '', parentKey = ''): string | undefined {
  if (jsonType(value) !== 'object') return path || '/';
  const obj = value as Record<string, unknown>;
  // a Coding's code and a CodeableConcept's text are strings
  const isCoding = parentKey === 'coding' || parentKey === 'valueCoding';
  const isConcept = 'coding' in obj || parentKey.endsWith('CodeableConcept') || CONCEPTS.has(parentKey);
  if (isCoding && obj.code !== undefined && typeof obj.code !== 'string') return `${path}/code`;
  if (isConcept && obj.text !== undefined && typeof obj.text !== 'string') return `${path}/text`;
  for (const key of RESOURCE_LISTS[obj.resourceType as string] ?? []) {
    if (obj[key] !== undefined && !Array.isArray(obj[key])) return `${path}/${key}`;
  }
  for (const [key, v] of Object.entries(obj)) {
    const here = `${path}/${key}`;
    const expected = EXPECTED.get(key);
    const t = jsonType(v);
    if (expected && !expected.includes(t as JsonType)) return here;
    if (t === 'array') {
      const items = v as unknown[];
      for (let i = 0; i < items.length; i++) {
        const it = items[i];
        if (OBJECT_ARRAY_NAMES.has(key) || (!STRING_ARRAY_NAMES.has(key) && jsonType(it) === 'object')) {
          const p = fhirShapeProblem(it, `${here}/${i}`, key);
          if (p) return p;
        } else if (STRING_ARRAY_NAMES.has(key) && typeof it !== 'string') return `${here}/${i}`;
      }
    } else if (t === 'object') {
      const p = fhirShapeProblem(v, here, key);
      if (p) return p;
    }
  }
  return undefined;
}
