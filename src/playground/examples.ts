/**
 * The sample patients as the playground offers them: a short public summary per patient, and the order
 * selection parsed from the query string. Pure functions over already-loaded data, plus one loader that
 * reads examples/ once at registration.
 */
import { readFileSync } from 'node:fs';
import type { ExampleFile, ExampleSpec, PlanBindings } from '../sample-patients/build-request';
import { projectPath } from '../paths';

export interface ExampleSummary {
  id: string;
  title: string;
  story: string;
  /** the plan key of the example ('commercial', 'medicare', 'unknown-plan') or null: no Coverage */
  plan: string | null;
  /** display name of the plan the Coverage names, when there is one */
  planName?: string;
  /** genes with a result on file (not the results: the story tells what matters) */
  genes: string[];
  orders: Array<{ index: number; rxcui: string; display: string }>;
}

export interface PlaygroundData {
  examples: ExampleFile;
  bindings: PlanBindings;
}

/** examples/patients.json and examples/plan-bindings.json, read once. */
export function loadPlaygroundData(): PlaygroundData {
  const read = (file: string) => JSON.parse(readFileSync(projectPath('examples', file), 'utf8')) as unknown;
  return { examples: read('patients.json') as ExampleFile, bindings: read('plan-bindings.json') as PlanBindings };
}

export function summarise(spec: ExampleSpec, bindings: PlanBindings): ExampleSummary {
  const planName = spec.plan === null ? undefined : bindings[spec.plan]?.planName;
  return {
    id: spec.id,
    title: spec.title,
    story: spec.story,
    plan: spec.plan,
    ...(planName ? { planName } : {}),
    genes: [...new Set([...spec.genotypes.map((g) => g.gene), ...(spec.tumourVariants ?? []).map((v) => v.gene)])],
    orders: spec.orders.map((o, index) => ({ index, rxcui: o.rxcui, display: o.display })),
  };
}

/**
 * "0,2" → [0, 2] (sorted, de-duplicated). Undefined or empty → every order. Returns an error message
 * instead when an index does not name one of the patient's orders.
 */
export function parseOrderIndexes(raw: string | undefined, orderCount: number): number[] | { error: string } {
  if (raw === undefined || raw.trim() === '') return Array.from({ length: orderCount }, (_, i) => i);
  const parts = raw.split(',').map((p) => p.trim());
  const indexes: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return { error: `"orders" must be a comma-separated list of order indexes` };
    const i = Number(p);
    if (i >= orderCount) return { error: `order index ${i} is out of range (this patient has ${orderCount} order(s))` };
    indexes.push(i);
  }
  return [...new Set(indexes)].sort((a, b) => a - b);
}
