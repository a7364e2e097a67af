/**
 * The JSON Schemas in profiles/cds-hooks are the single source of truth: Fastify validates route bodies
 * against them (by $id), tests validate responses against them, and openapi.yaml references them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectPath } from '../paths';

export const SCHEMA_DIR = projectPath('profiles', 'cds-hooks');
const BASE = 'https://pbh.example.org/schemas/cds-hooks/';

export const SchemaIds = {
  hookRequest: `${BASE}hook-request.schema.json`,
  hookResponse: `${BASE}hook-response.schema.json`,
  feedbackRequest: `${BASE}feedback-request.schema.json`,
  feedbackResponse: `${BASE}feedback-response.schema.json`,
  discovery: `${BASE}discovery.schema.json`,
  error: `${BASE}error.schema.json`,
  health: `${BASE}health.schema.json`,
} as const;

export interface JsonSchema {
  $id: string;
  [k: string]: unknown;
}

/** file name (e.g. "hook-request.schema.json") → schema */
export function loadSchemas(dir: string = SCHEMA_DIR): Map<string, JsonSchema> {
  const out = new Map<string, JsonSchema>();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.schema.json')).sort()) {
    out.set(f, JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as JsonSchema);
  }
  return out;
}
