/**
 * Turns the Da Vinci US Drug Formulary IG's example instances (FSH, stored verbatim as data under
 * test/corpora/davinci-formulary/fsh/, provenance in that folder's README.md) into the FHIR JSON SUSHI would
 * publish, and packages them for the tests:
 *   plan/davinci-formulary-examples.bundle.json — every payer plan, formulary, formulary item and formulary
 *     drug instance, in one collection Bundle (fullUrl = the IG's canonical base + Type/id);
 *   coverage-example.json — the IG's InsurancePlanCoverage example (and its Patient and payer Organization).
 *
 *   npx tsx scripts/davinci-formulary-examples.ts
 *
 * Only the FSH the examples use is understood: Instance / InstanceOf / Description / Usage / Title, Alias,
 * assignment rules (`* path = value`) with numeric, soft ([+] [=]) and slice indexes, and the values
 * "string", number, true/false, #code, System#code "display", Reference(...) "display", Canonical(...).
 * Element types and which elements repeat come from the FHIR R4 model that ships with `fhirpath`; profile,
 * extension and code system URLs from the IG's own Formulary.fsh, Extensions.fsh, CodeSystems.fsh and
 * Aliases.fsh. As SUSHI does by default, each instance gets `id` = its name and `meta.profile` = the profile it
 * is an instance of. Anything else in the FSH stops the script (rather than produce a silently wrong resource).
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import r4 from 'fhirpath/fhir-context/r4';

const ROOT = join(__dirname, '../test/corpora/davinci-formulary');
const FSH = join(ROOT, 'fsh');
const CANONICAL = 'http://hl7.org/fhir/us/davinci-drug-formulary';
const PLAN_FILES = ['Examples1002.fsh', 'Examples3001.fsh', 'Examples3002.fsh', 'Examples3004t.fsh', 'ExamplesFormularyDrugs.fsh'];
const COVERAGE_FILE = 'ExamplesSupportResources.lines-26-162.fsh';

const model = r4 as unknown as {
  path2Type: Record<string, string>;
  path2Repeating: Record<string, boolean>;
  choiceTypePaths: Record<string, string[]>;
  type2Parent: Record<string, string>;
};

// ---- FSH text → entities ------------------------------------------------------------------------

/** Remove // and /* *\/ comments outside strings; keep line breaks inside strings. */
function stripComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (text.startsWith('//', i) && (i === 0 || /\s/.test(text[i - 1]!))) {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else out += ch;
  }
  return out;
}

/** Logical lines: a line break inside a string does not end the statement. */
function statements(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && inString) {
      cur += ch + (text[++i] ?? '');
      continue;
    }
    if (ch === '"') inString = !inString;
    if (ch === '\n' && !inString) {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

interface Entity {
  kind: string;
  name: string;
  keywords: Record<string, string>;
  rules: string[];
}

const KEYWORDS = new Set(['Id', 'Parent', 'Title', 'Description', 'InstanceOf', 'Usage', 'Expression', 'Severity', 'XPath', 'Source', 'Target', 'Context']);

function entities(file: string): Entity[] {
  const out: Entity[] = [];
  for (const s of statements(stripComments(readFileSync(join(FSH, file), 'utf8')))) {
    const kw = /^([A-Za-z]+):\s*([\s\S]*)$/.exec(s);
    if (kw && ['Instance', 'Profile', 'Extension', 'CodeSystem', 'ValueSet', 'Alias', 'Invariant', 'Logical', 'Mapping', 'RuleSet', 'SearchParameter'].includes(kw[1]!)) {
      out.push({ kind: kw[1]!, name: kw[2]!, keywords: {}, rules: [] });
    } else if (kw && KEYWORDS.has(kw[1]!) && out.length) out[out.length - 1]!.keywords[kw[1]!] = kw[2]!;
    else if (s.startsWith('*') && out.length) out[out.length - 1]!.rules.push(s.slice(1).trim());
    else if (out.length && out[out.length - 1]!.rules.length) {
      // continuation of a multi-line rule (`* extension contains` / `  X named y 0..1 and`)
      const rules = out[out.length - 1]!.rules;
      rules[rules.length - 1] += ` ${s}`;
    } else throw new Error(`${file}: cannot read "${s.slice(0, 80)}"`);
  }
  return out;
}

// ---- the IG's definitions: aliases, code systems, extensions, profiles --------------------------

const defs = ['Aliases.fsh', 'CodeSystems.fsh', 'Extensions.fsh', 'Formulary.fsh'].flatMap(entities);
const aliases = new Map<string, string>();
const codeSystems = new Map<string, string>();
const extensions = new Map<string, string>();
/** profile name → { canonical, base resource type } */
const profiles = new Map<string, { url: string; base: string }>();
/** slice name → extension URL, from `X named slice` in the profiles */
const namedSlices = new Map<string, string>();

function aliasInto(e: Entity) {
  const m = /^(\$?[A-Za-z0-9\-_.]+)\s*=\s*(\S+)$/.exec(e.name);
  if (!m) throw new Error(`Alias: cannot read ${e.name}`);
  aliases.set(m[1]!, m[2]!);
}
for (const e of defs) {
  const id = e.keywords.Id ?? e.name;
  if (e.kind === 'Alias') aliasInto(e);
  if (e.kind === 'CodeSystem') codeSystems.set(e.name, `${CANONICAL}/CodeSystem/${id}`);
  if (e.kind === 'Extension') {
    extensions.set(e.name, `${CANONICAL}/StructureDefinition/${id}`);
    extensions.set(id, `${CANONICAL}/StructureDefinition/${id}`);
  }
}
for (const e of defs) {
  if (e.kind !== 'Profile') continue;
  profiles.set(e.name, { url: `${CANONICAL}/StructureDefinition/${e.keywords.Id ?? e.name}`, base: e.keywords.Parent! });
  for (const r of e.rules) {
    for (const m of r.matchAll(/(\S+)\s+named\s+([A-Za-z0-9\-_]+)/g)) {
      const target = m[1]!.startsWith('http') ? m[1]! : extensions.get(m[1]!) ?? aliases.get(m[1]!);
      if (target) namedSlices.set(m[2]!, target);
    }
  }
}
// profiles built on other IGs' profiles: their base resource type
const BASE_OF_FOREIGN: Record<string, string> = { USCoreLocationProfile: 'Location', USCoreCoverageProfile: 'Coverage', InsurancePlan: 'InsurancePlan' };
const baseType = (parent: string): string => {
  if (model.type2Parent[parent]) return parent;
  const p = profiles.get(parent);
  if (p) return baseType(p.base);
  const foreign = BASE_OF_FOREIGN[parent];
  if (!foreign) throw new Error(`unknown parent ${parent}`);
  return foreign;
};

/**
 * Values SUSHI assigns from the profiles when an instance creates a slice whose assigned elements are
 * required (Formulary.fsh: `coverage[drug-coverage].type = …DRUGPOL`, `….benefit contains drug-plan 1..*` with
 * `benefit[drug-plan].type = …#drug "Drug"`).
 */
const SLICE_DEFAULTS: Record<string, Record<string, unknown>> = {
  'InsurancePlan.coverage:drug-coverage': {
    type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'DRUGPOL' }] },
    benefit: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/insurance-plan-type', code: 'drug', display: 'Drug' }] } }],
  },
};

// ---- element model ------------------------------------------------------------------------------

/** The type and repetition of `name` under a type path (walking to parent types, resolving value[x]). */
function element(typePath: string, name: string): { type: string; repeating: boolean; path: string } {
  // a datatype or resource inherits its parents' elements (Duration → Quantity, InsurancePlan → Resource.meta)
  const owners = [typePath];
  if (!typePath.includes('.')) for (let t = model.type2Parent[typePath]; t; t = model.type2Parent[t]) owners.push(t);
  for (const owner of owners) {
    const path = `${owner}.${name}`;
    const type = model.path2Type[path];
    if (type) return { type, repeating: !!model.path2Repeating[path], path };
    for (const [choice, types] of Object.entries(model.choiceTypePaths)) {
      const base = choice.slice(owner.length + 1);
      if (!choice.startsWith(`${owner}.`) || base.includes('.') || !name.startsWith(base)) continue;
      const found = types.find((x) => x === name.slice(base.length));
      // primitive choices are listed capitalised ("Boolean"); complex types keep their name
      if (found) return { type: model.type2Parent[found] ? found : found[0]!.toLowerCase() + found.slice(1), repeating: false, path: `${owner}.${name}` };
    }
  }
  throw new Error(`no element ${name} in ${typePath}`);
}
/** the type path to continue from after an element: backbone elements keep the path, datatypes restart */
const next = (e: { type: string; path: string }) => (e.type === 'BackboneElement' || e.type === 'Element' ? e.path : e.type);

// ---- values -------------------------------------------------------------------------------------

const unquote = (s: string) => JSON.parse(s.replace(/\n/g, '\\n')) as string;

function systemUrl(token: string): string {
  if (aliases.has(token)) return aliases.get(token)!;
  if (codeSystems.has(token)) return codeSystems.get(token)!;
  if (/^(urn:|https?:)/.test(token)) return token;
  throw new Error(`unknown code system ${token}`);
}

function value(raw: string, type: string, instances: Map<string, string>): unknown {
  if (/^"(?:[^"\\]|\\.)*"$/.test(raw)) return unquote(raw);
  const code = /^(\S*)#(\S+)(?:\s+("(?:[^"\\]|\\.)*"))?$/.exec(raw);
  const ref = /^Reference\(([^)]+)\)(?:\s+("(?:[^"\\]|\\.)*"))?$/.exec(raw);
  const canonical = /^Canonical\(([^)]+)\)$/.exec(raw);
  if (ref) {
    const target = ref[1]!.includes('/') ? ref[1]! : `${instances.get(ref[1]!) ?? fail(`unknown instance ${ref[1]}`)}/${ref[1]}`;
    return { reference: target, ...(ref[2] ? { display: unquote(ref[2]) } : {}) };
  }
  if (canonical) return profiles.get(canonical[1]!)?.url ?? fail(`unknown profile ${canonical[1]}`);
  if (code) {
    const coding = { ...(code[1] ? { system: systemUrl(code[1]) } : {}), code: code[2]!, ...(code[3] ? { display: unquote(code[3]) } : {}) };
    if (type === 'CodeableConcept') return { coding: [coding] };
    if (type === 'Coding') return coding;
    if (!code[1]) return coding.code;
    throw new Error(`a coded value for a ${type}: ${raw}`);
  }
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (/^-?[0-9.]+$/.test(raw) && ['decimal', 'integer', 'positiveInt', 'unsignedInt'].includes(type)) return Number(raw);
  throw new Error(`cannot read value ${raw} for a ${type}`);
}
function fail(msg: string): never {
  throw new Error(msg);
}

// ---- assignment with soft indexes and slices ----------------------------------------------------

type Json = Record<string, unknown>;

interface ArrayState {
  items: Json[];
  slices: Array<string | undefined>;
  last: number;
}

function assign(resource: Json, resourceType: string, rule: string, instances: Map<string, string>, state: Map<string, ArrayState>) {
  const m = /^(\S+)\s+=\s+([\s\S]+)$/.exec(rule);
  if (!m) throw new Error(`not an assignment rule: ${rule}`);
  const segments = m[1]!.split(/\.(?![^[]*\])/);
  let obj: Json = resource;
  let typePath = resourceType;
  let key = resourceType;
  let parentExtensionIsIg = false;
  segments.forEach((seg, si) => {
    const sm = /^([A-Za-z0-9]+)((?:\[[^\]]+\])*)$/.exec(seg);
    if (!sm) throw new Error(`cannot read path segment ${seg} in ${rule}`);
    const name = sm[1]!;
    const brackets = [...sm[2]!.matchAll(/\[([^\]]+)\]/g)].map((b) => b[1]!);
    const el = name === 'extension' || name === 'modifierExtension' ? { type: 'Extension', repeating: true, path: `${typePath}.${name}` } : element(typePath, name);
    const last = si === segments.length - 1;
    key = `${key}.${name}`;
    if (!el.repeating) {
      if (brackets.length) throw new Error(`index on a single element: ${rule}`);
      if (last) obj[name] = value(m[2]!.trim(), el.type, instances);
      else obj = (obj[name] ??= {}) as Json;
    } else {
      const arr = (obj[name] ??= []) as Json[];
      const st = state.get(key) ?? { items: arr, slices: [], last: -1 };
      state.set(key, st);
      let slice: string | undefined;
      let index: number | undefined;
      for (const b of brackets) {
        const positions = st.items.map((_, i) => i).filter((i) => slice === undefined || st.slices[i] === slice);
        if (b === '+') index = -1;
        else if (b === '=') index = st.last;
        else if (/^[0-9]+$/.test(b)) {
          const n = Number(b);
          if (n > positions.length) throw new Error(`index [${n}] skips items in ${rule}`);
          index = positions[n] ?? -1;
        }
        else {
          slice = b;
          const first = st.items.findIndex((_, i) => st.slices[i] === slice);
          index = first >= 0 ? first : -1;
        }
      }
      if (index === undefined) index = st.items.length ? 0 : -1;
      if (index < 0) {
        const item: Json = {};
        if (el.type === 'Extension' && slice) {
          item.url = namedSlices.get(slice) ?? extensions.get(slice) ?? (parentExtensionIsIg ? slice : fail(`unknown extension slice ${slice}`));
        }
        Object.assign(item, structuredClone(SLICE_DEFAULTS[`${el.path}:${slice}`] ?? {}));
        st.items.push(item);
        st.slices.push(slice);
        index = st.items.length - 1;
      }
      st.last = index;
      key = `${key}[${index}]`;
      const target = st.items[index]!;
      parentExtensionIsIg = el.type === 'Extension' && typeof target.url === 'string' && target.url.startsWith(CANONICAL);
      if (last) {
        const v = value(m[2]!.trim(), el.type, instances);
        if (typeof v === 'object' && v && !Array.isArray(v)) Object.assign(target, v);
        else st.items[index] = v as Json;
      } else obj = target;
    }
    typePath = next(el);
  });
}

/** SUSHI's key order for what matters to a reader: resourceType, id, meta first; url first in extensions. */
function tidy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(tidy);
  if (!v || typeof v !== 'object') return v;
  const o = v as Json;
  const first = ['resourceType', 'id', 'meta', 'url'].filter((k) => k in o);
  return Object.fromEntries([...first, ...Object.keys(o).filter((k) => !first.includes(k))].map((k) => [k, tidy(o[k])]));
}

function build(files: string[]): Json[] {
  const all = files.flatMap(entities);
  for (const e of all) if (e.kind === 'Alias') aliasInto(e);
  const instances = all.filter((e) => e.kind === 'Instance');
  const types = new Map([...OMITTED_INSTANCES, ...instances.map((i) => [i.name, baseType(i.keywords.InstanceOf!)] as [string, string])]);
  return instances.map((inst) => {
    const resourceType = types.get(inst.name)!;
    const resource: Json = { resourceType, id: inst.name };
    const profile = profiles.get(inst.keywords.InstanceOf!);
    const state = new Map<string, ArrayState>();
    for (const rule of inst.rules) assign(resource, resourceType, rule, types, state);
    if (profile) {
      const meta = (resource.meta ??= {}) as Json;
      const list = (meta.profile ??= []) as string[];
      if (!list.includes(profile.url)) list.push(profile.url);
    }
    return tidy(resource) as Json;
  });
}

/**
 * Instances the stored excerpt leaves out (ExamplesSupportResources.fsh lines 1–25: two InsurancePlanLocation
 * instances carrying ~1.4 MB of GeoJSON). Payer plans refer to them by name (coverageArea).
 */
const OMITTED_INSTANCES: Array<[string, string]> = [
  ['StateOfCTLocation', 'Location'],
  ['UnitedStatesLocation', 'Location'],
];

const entry = (r: Json) => ({ fullUrl: `${CANONICAL}/${r.resourceType}/${r.id}`, resource: r });
const write = (file: string, data: unknown) => {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
};

const planResources = build(PLAN_FILES);
write(join(ROOT, 'plan/davinci-formulary-examples.bundle.json'), {
  resourceType: 'Bundle',
  id: 'davinci-formulary-examples',
  type: 'collection',
  entry: planResources.map(entry),
});
const support = build([COVERAGE_FILE]);
write(join(ROOT, 'coverage-example.json'), { resourceType: 'Bundle', id: 'davinci-formulary-coverage-example', type: 'collection', entry: support.map(entry) });
process.stdout.write(`wrote ${planResources.length} plan resources and ${support.length} coverage-example resources\n`);
