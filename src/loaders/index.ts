/**
 * Load and index the service's knowledge once at start-up (I/O edge): CPIC-derived tables from
 * terminology/, plan data from the plan directory. Anything invalid throws: the service refuses to start
 * rather than run with half a formulary or half a knowledge base.
 */
import path from 'node:path';
import type { Config } from '../config';
import type { DecisionKnowledge } from '../decision/decide';
import { projectPath } from '../paths';
import { loadDoseKnowledge, loadDrugKnowledge, loadGuidanceKnowledge } from './drugs';
import { loadGeneKnowledge } from './genes';
import { loadOncologyKnowledge } from './oncology';
import { ingredientLexiconOf, loadPlanCatalogue } from './plans';

const resolveDir = (dir: string): string => (path.isAbsolute(dir) ? dir : projectPath(dir));

export function loadKnowledge(config: Pick<Config, 'knowledgeDir' | 'planDir'>): DecisionKnowledge {
  const knowledgeDir = resolveDir(config.knowledgeDir);
  const genes = loadGeneKnowledge(knowledgeDir);
  const drugs = loadDrugKnowledge(knowledgeDir);
  const oncology = loadOncologyKnowledge(knowledgeDir);
  const plans = loadPlanCatalogue(resolveDir(config.planDir), ingredientLexiconOf(drugs.drugs, oncology?.table));
  const dosing = loadDoseKnowledge(knowledgeDir);
  const guidance = loadGuidanceKnowledge(knowledgeDir);
  return {
    pgx: { genes, drugs, dosing, guidance, version: `${genes.version}; ${drugs.version}; ${dosing.version}; ${guidance.version}` },
    plans,
    ...(oncology ? { oncology } : {}),
  };
}
