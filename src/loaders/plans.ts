/**
 * The file I/O edge of the benefit engine: read every formulary file (*.json: Bundles or single resources;
 * *.ndjson: bulk export, one resource per line) and policy.yaml from the
 * plan directory (config.planDir / PBH_PLAN_DIR) once at start-up. Any problem — unreadable file, bad
 * JSON/YAML, invalid resource — throws PlanLoadError listing all of them; the service refuses to start.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { buildPlanCatalogue, PlanLoadError, type PlanCatalogue, type PlanLoadReport } from '../benefit/plan-catalogue';
import { buildIngredientLexicon, type IngredientLexicon } from '../benefit/rxnorm-names';
import { projectPath } from '../paths';
import type { OncologyTableFile } from '../biomarker/types';
import type { DrugTableFile } from '../pgx/drug-knowledge';

export { PlanLoadError } from '../benefit/plan-catalogue';
export type { PlanCatalogue } from '../benefit/plan-catalogue';

/**
 * The ingredient names the service knows, to read formulary product names: the PGx drug table and the
 * oncology table's drugs that have an RxNorm ingredient code.
 */
export function ingredientLexiconOf(pgxDrugs: DrugTableFile['drugs'], oncology: OncologyTableFile | undefined): IngredientLexicon {
  const oncologyIngredients = (oncology?.drugs ?? []).flatMap((d) => (d.rxcui ? [{ name: d.name, rxcui: d.rxcui, products: d.products }] : []));
  return buildIngredientLexicon([...pgxDrugs, ...oncologyIngredients]);
}

/** The same, read from a compiled terminology directory (tests and scripts; the service builds it from loaded tables). */
export function loadIngredientLexicon(knowledgeDir: string = projectPath('terminology')): IngredientLexicon {
  const table = JSON.parse(readFileSync(join(knowledgeDir, 'drugs.json'), 'utf8')) as DrugTableFile;
  const oncologyFile = join(knowledgeDir, 'oncology.json');
  const oncology = existsSync(oncologyFile) ? (JSON.parse(readFileSync(oncologyFile, 'utf8')) as OncologyTableFile) : undefined;
  return ingredientLexiconOf(table.drugs, oncology);
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
  // bulk export: one resource per line, read as a collection Bundle of that file
  for (const name of names.filter((n) => n.endsWith('.ndjson'))) {
    const entry: Array<{ resource: unknown }> = [];
    readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (!line.trim()) return;
        try {
          entry.push({ resource: JSON.parse(line) });
        } catch (err) {
          problems.push(`${name}: line ${i + 1} is not valid JSON (${(err as Error).message.split('\n')[0]})`);
        }
      });
    bundles.push({ file: name, content: { resourceType: 'Bundle', type: 'collection', entry } });
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

/**
 * The start-up report: what each plan holds, and — by resource type — what the bundles hold that no plan
 * uses, so nothing in a formulary export is dropped without a word. Plan data only, no patient data.
 */
export function logPlanLoadReport(
  log: { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void },
  report: PlanLoadReport,
): void {
  log.info({ plans: report.plans }, 'plan catalogue loaded');
  if (report.unused.length) {
    // one line for the whole directory (a bulk export may be thousands of files); ids per file beside it
    const counts: Record<string, number> = {};
    for (const u of report.unused) for (const [type, ids] of Object.entries(u.byType)) counts[type] = (counts[type] ?? 0) + ids.length;
    log.warn(
      { unused: counts, files: report.unused.slice(0, 50), ...(report.unused.length > 50 ? { moreFiles: report.unused.length - 50 } : {}) },
      `formulary content not used by any plan: ${Object.entries(counts).map(([t, n]) => `${t} ×${n}`).join(', ')}`,
    );
  }
  for (const w of report.warnings) log.warn({ warning: w }, 'plan catalogue warning');
}
