/**
 * The Da Vinci CRD IG's own definition of `ext-coverage-information`, read from its FSH sources
 * (test/fixtures/davinci-crd, provenance there): sub-extension cardinalities, value types, required
 * bindings and the invariants' FHIRPath. `crdProblems` checks an extension we emit against them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Extension } from 'fhir/r4';
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';

const DIR = path.resolve(__dirname, '../fixtures/davinci-crd');
const read = (f: string) => readFileSync(path.join(DIR, f), 'utf8');

export interface SubExtension {
  name: string;
  min: number;
  max: number; // Infinity for *
  /** FHIR JSON keys allowed for value[x] (empty: a complex extension) */
  valueKeys: string[];
  /** required binding: the value set's codes */
  codes?: string[];
  children?: SubExtension[];
}

export interface Invariant {
  key: string;
  description: string;
  expression: string;
}

const TYPE_KEYS: Record<string, string> = {
  code: 'valueCode',
  Coding: 'valueCoding',
  CodeableConcept: 'valueCodeableConcept',
  date: 'valueDate',
  string: 'valueString',
  canonical: 'valueCanonical',
  ContactDetail: 'valueContactDetail',
  boolean: 'valueBoolean',
  url: 'valueUrl',
  SimpleQuantity: 'valueQuantity',
  Period: 'valuePeriod',
};

/** ValueSet name → codes, from CoverageInformationValuesets.fsh (`* System#code` lines). */
function valueSets(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of read('CoverageInformationValuesets.fsh').split('\n')) {
    const vs = /^ValueSet:\s*(\S+)/.exec(line);
    if (vs) out.set(vs[1]!, (current = []));
    const code = /^\* [$\w-]+#([\w-]+)/.exec(line);
    if (code && current) current.push(code[1]!);
  }
  return out;
}

function parseExtension(): SubExtension[] {
  const vs = valueSets();
  const lines = read('CoverageInformation.fsh').split('\n');
  const top: SubExtension[] = [];
  const detail: SubExtension[] = [];
  // `extension contains` blocks: indentation 0 for the top level, 2 for detail's children
  let into: SubExtension[] | undefined;
  const byName = (list: SubExtension[], name: string) => list.find((s) => s.name === name);
  let current: SubExtension | undefined;
  let currentIndent = -1;
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    const t = line.trim();
    if (/^\* extension contains/.test(t)) {
      into = indent === 0 ? top : detail;
      continue;
    }
    const item = /^([\w-]+) (\d+)\.\.(\d+|\*)(?: MS)?(?: and)?$/.exec(t);
    if (into && item) {
      into.push({ name: item[1]!, min: Number(item[2]), max: item[3] === '*' ? Infinity : Number(item[3]), valueKeys: [] });
      continue;
    }
    into = undefined;
    const only = /^\* extension\[([\w-]+)\] only Extension/.exec(t);
    if (only) {
      current = byName(indent === 0 ? top : detail, only[1]!);
      currentIndent = indent;
      continue;
    }
    if (!current || indent <= currentIndent) continue;
    const types = /^\* value\[x\] only (.+)$/.exec(t);
    if (types) {
      current.valueKeys = types[1]!.split(' or ').map((ty) => (ty.startsWith('Reference(') ? 'valueReference' : TYPE_KEYS[ty.trim()]!));
    }
    const binding = /^\* value(?:\[x\]|CodeableConcept) from (\w+) \(required\)/.exec(t);
    if (binding) current.codes = vs.get(binding[1]!);
  }
  byName(top, 'detail')!.children = detail;
  return top;
}

function parseInvariants(): Invariant[] {
  const out: Invariant[] = [];
  const text = read('CoverageInformation.fsh');
  const re = /Invariant:\s*(\S+)\s*\nDescription:\s*"([^"]*)"\s*\nSeverity:[^\n]*\nExpression:\s*"([^"]*)"/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ key: m[1]!, description: m[2]!, expression: m[3]! });
  return out;
}

export const CRD = {
  url: 'http://hl7.org/fhir/us/davinci-crd/StructureDefinition/ext-coverage-information',
  subExtensions: parseExtension(),
  invariants: parseInvariants(),
};

export function evaluateInvariant(e: Extension, expression: string): unknown[] {
  // evaluated with the Extension type so `value` resolves the choice type
  return fhirpath.evaluate(e, { base: 'Extension', expression }, undefined, r4) as unknown[];
}

/**
 * `memberOf` needs a terminology server. Offline, a disjunct `… or X.memberOf(vs)` is dropped — read as
 * false, the strict side: the rest of the expression must then hold on its own (crd-ci-q7: reason.text).
 */
export function offline(expression: string): string {
  return expression.replace(/ or (?:(?! or ).)*\.memberOf\('[^']*'\)/g, '');
}

function checkChildren(e: Extension, defs: SubExtension[], where: string, problems: string[]): void {
  const children = e.extension ?? [];
  for (const c of children) if (!defs.some((d) => d.name === c.url)) problems.push(`${where}: unknown sub-extension ${c.url}`);
  for (const d of defs) {
    const found = children.filter((c) => c.url === d.name);
    if (found.length < d.min || found.length > d.max) problems.push(`${where}.${d.name}: ${found.length} present, IG says ${d.min}..${d.max === Infinity ? '*' : d.max}`);
    for (const f of found) {
      const keys = Object.keys(f).filter((k) => k.startsWith('value'));
      if (d.children) {
        if (keys.length) problems.push(`${where}.${d.name}: complex extension with a value`);
        checkChildren(f, d.children, `${where}.${d.name}`, problems);
        continue;
      }
      if (keys.length !== 1 || !d.valueKeys.includes(keys[0]!)) problems.push(`${where}.${d.name}: value ${keys.join(',') || 'missing'}, IG allows ${d.valueKeys.join(' | ')}`);
      if (d.codes && f.valueCode !== undefined && !d.codes.includes(f.valueCode)) problems.push(`${where}.${d.name}: code ${f.valueCode} not in ${d.codes.join(' | ')}`);
      if (d.name === 'coverage' && !/^Coverage\/[A-Za-z0-9\-.]{1,64}$/.test(f.valueReference?.reference ?? '')) problems.push(`${where}.coverage: not a Coverage reference`);
    }
  }
}

/** Everything in `e` that departs from the IG's definition: cardinality, types, codes, invariants. */
export function crdProblems(e: Extension): string[] {
  const problems: string[] = [];
  if (e.url !== CRD.url) problems.push(`url ${e.url}`);
  checkChildren(e, CRD.subExtensions, 'ext-coverage-information', problems);
  for (const inv of CRD.invariants) {
    let result: unknown[];
    try {
      result = evaluateInvariant(e, offline(inv.expression));
    } catch (err) {
      problems.push(`${inv.key}: could not evaluate (${(err as Error).message})`);
      continue;
    }
    // FHIRPath: an empty result is "not applicable"; only [false] violates
    if (result.length === 1 && result[0] === false) problems.push(`${inv.key} violated: ${inv.description}`);
  }
  return problems;
}
