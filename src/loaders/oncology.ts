/**
 * Load the companion-diagnostic table (terminology/oncology.json) once at start-up. A knowledge directory
 * without the file (an older or PGx-only deployment) runs without the oncology check; a file that is present
 * but malformed stops start-up, like every other table.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexOncologyKnowledge, type OncologyKnowledge } from '../biomarker/knowledge';
import type { OncologyTableFile } from '../biomarker/types';

export function loadOncologyKnowledge(dir: string): OncologyKnowledge | undefined {
  const file = join(dir, 'oncology.json');
  if (!existsSync(file)) return undefined;
  const table = JSON.parse(readFileSync(file, 'utf8')) as OncologyTableFile;
  if (!table || typeof table.version !== 'string' || !Array.isArray(table.drugs) || !table.codes) {
    throw new Error(`${file}: not a compiled oncology table (run npm run terminology)`);
  }
  return indexOncologyKnowledge(table);
}
