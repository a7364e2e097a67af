/** What a guideline row's action means for giving the drug (every guidance source's rows use the same actions). */
import type { RecommendationRow } from './drug-knowledge';
import type { PgxVerdict, RecommendationAction } from './types';

export const VERDICT: Record<RecommendationAction, PgxVerdict> = {
  standard: 'appropriate',
  'adjust-dose': 'adjust',
  monitor: 'adjust',
  'consider-alternative': 'adjust',
  avoid: 'contraindicated',
  'use-alternative': 'expected-ineffective',
  'no-recommendation': 'no-guidance',
};

/** The verdict of a row: a "monitor" row classified info is CPIC's standard dosing with everyone's monitoring. */
export function verdictOf(row: RecommendationRow): PgxVerdict {
  return row.action === 'monitor' && row.indicator === 'info' ? 'appropriate' : VERDICT[row.action];
}
