/**
 * The file I/O edge of the benefit engine: read every formulary Bundle (*.json) and policy.yaml from the
 * plan directory (config.planDir / PBH_PLAN_DIR) once at start-up. Any problem — unreadable file, bad
 * JSON/YAML, invalid resource — throws PlanLoadError listing all of them; the service refuses to start.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { buildPlanCatalogue, PlanLoadError, type PlanCatalogue } from '../benefit/plan-catalogue';
import { buildIngredientLexicon, type IngredientLexicon } from '../benefit/rxnorm-names';
import { projectPath } from '../paths';
import type { DrugTableFile } from '../pgx/drug-knowledge';

export { PlanLoadError } from '../benefit/plan-catalogue';
export type { PlanCatalogue } from '../benefit/plan-catalogue';

/** The ingredient names of the service's drug table (terminology/drugs.json), to read formulary product names. */
export function loadIngredientLexicon(knowledgeDir: string = projectPath('terminology')): IngredientLexicon {
  const table = JSON.parse(readFileSync(join(knowledgeDir, 'drugs.json'), 'utf8')) as DrugTableFile;
  return buildIngredientLexicon(table.drugs);
}

export function loadPlanCatalogue(dir: string, lexicon: IngredientLexicon = loadIngredientLexicon()): PlanCatalogue {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (err) {
    throw new PlanLoadError([`${dir}: cannot read plan directory (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  const problems: string[] = [];
  const bundles: Array<{ file: string; content: unknown }> = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    try {
      bundles.push({ file: name, content: JSON.parse(readFileSync(join(dir, name), 'utf8')) });
    } catch (err) {
      problems.push(`${name}: not valid JSON (${(err as Error).message.split('\n')[0]})`);
    }
  }
  let policy: { file: string; content: unknown } | undefined;
  const policyName = names.find((n) => n === 'policy.yaml' || n === 'policy.yml');
  if (!policyName) problems.push(`${dir}: no policy.yaml`);
  else {
    try {
      policy = { file: policyName, content: parseYaml(readFileSync(join(dir, policyName), 'utf8')) };
    } catch (err) {
      problems.push(`${policyName}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
    }
  }
  if (problems.length || !policy) throw new PlanLoadError(problems);
  return buildPlanCatalogue(bundles, policy, lexicon);
}
