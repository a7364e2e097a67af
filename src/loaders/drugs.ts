/**
 * Load the drug-side PGx knowledge from the compiled terminology directory (I/O edge, start-up only).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexDoseAlgorithms, type DoseAlgorithmsFile, type DoseKnowledge } from '../pgx/dose-algorithms';
import { indexGuidance, type GuidanceFile, type GuidanceKnowledge } from '../pgx/other-guidance';
import { indexDrugKnowledge, type DrugKnowledge, type RawDrugKnowledge } from '../pgx/drug-knowledge';

export function loadDrugKnowledge(dir: string): DrugKnowledge {
  const read = (name: string): unknown => JSON.parse(readFileSync(join(dir, name), 'utf8'));
  const raw = {
    drugs: read('drugs.json'),
    recommendations: read('recommendations.json'),
    inhibitors: read('inhibitors.json'),
    labelDoses: read('label-doses.json'),
  } as RawDrugKnowledge;
  return indexDrugKnowledge(raw);
}

export function loadDoseKnowledge(dir: string): DoseKnowledge {
  return indexDoseAlgorithms(JSON.parse(readFileSync(join(dir, 'dose-algorithms.json'), 'utf8')) as DoseAlgorithmsFile);
}

export function loadGuidanceKnowledge(dir: string): GuidanceKnowledge {
  return indexGuidance(JSON.parse(readFileSync(join(dir, 'guidance.json'), 'utf8')) as GuidanceFile);
}
