/**
 * openapi.yaml references the JSON Schemas in profiles/ (one source of truth). For serving, those
 * references are inlined into components.schemas so /openapi.yaml and /docs are self-contained.
 */
import fs from 'node:fs';
import YAML from 'yaml';
import { projectPath } from '../paths';
import { loadSchemas } from './schemas';

type Json = unknown;

export function loadOpenApiDocument(file: string = projectPath('openapi.yaml')): Record<string, unknown> {
  const doc = YAML.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const schemas = loadSchemas();
  const adminSchemas = loadSchemas(projectPath('profiles', 'admin'));
  const nameOf = (f: string) =>
    f.replace(/\.schema\.json$/, '').replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
  const components = ((doc.components ??= {}) as Record<string, Record<string, Json>>);
  const target = (components.schemas ??= {}) as Record<string, Json>;
  for (const [file, schema] of schemas) {
    const name = nameOf(file);
    const { $id: _id, $schema: _s, ...rest } = schema;
    // internal "#/definitions/x" refs must point into the inlined copy
    target[name] = rewriteRefs(rest, (ref) => (ref.startsWith('#/definitions/') ? `#/components/schemas/${name}${ref.slice(1)}` : ref));
  }
  // admin report schemas are named with an "Admin" prefix so they cannot collide with the CDS Hooks ones
  for (const [file, schema] of adminSchemas) {
    const name = `Admin${nameOf(file)}`;
    const { $id: _id, $schema: _s, ...rest } = schema;
    target[name] = rewriteRefs(rest, (ref) => (ref.startsWith('#/definitions/') ? `#/components/schemas/${name}${ref.slice(1)}` : ref));
  }
  inlineExternalExamples(doc);
  return rewriteRefs(doc, (ref) => {
    const m = /^\.?\/?profiles\/cds-hooks\/([a-z-]+\.schema\.json)$/.exec(ref);
    if (m && schemas.has(m[1])) return `#/components/schemas/${nameOf(m[1])}`;
    const a = /^\.?\/?profiles\/admin\/([a-z-]+\.schema\.json)$/.exec(ref);
    return a && adminSchemas.has(a[1]) ? `#/components/schemas/Admin${nameOf(a[1])}` : ref;
  }) as Record<string, unknown>;
}

function rewriteRefs(node: Json, map: (ref: string) => string): Json {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, map));
  if (node && typeof node === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(node)) out[k] = k === '$ref' && typeof v === 'string' ? map(v) : rewriteRefs(v, map);
    return out;
  }
  return node;
}

/**
 * Examples live as files (examples/requests, examples/responses) referenced by `externalValue`, so the
 * README, the tests and the document share them; the served document inlines them as `value`.
 */
function inlineExternalExamples(node: Json): void {
  if (Array.isArray(node)) return node.forEach(inlineExternalExamples);
  if (!node || typeof node !== 'object') return;
  const obj = node as Record<string, Json>;
  if (typeof obj.externalValue === 'string' && obj.externalValue.startsWith('./examples/')) {
    obj.value = JSON.parse(fs.readFileSync(projectPath(obj.externalValue), 'utf8')) as Json;
    delete obj.externalValue;
    return;
  }
  Object.values(obj).forEach(inlineExternalExamples);
}
