/**
 * Which guidance applies, given the keys the patient's results give for the drug and the genes that are missing
 * or cannot be interpreted: CPIC's own row for the gap, the advice every consistent row shares, advice from the
 * known gene alone, the exact row, or none. Decides only; the assessment words the choice.
 */
import type { RecommendationRow } from './drug-knowledge';
import type { DrugGenes } from './drug-genes';
import type { PgxKnowledge } from './knowledge';
import { partialAdvice } from './partial-advice';
import { GAP_KEY, consistentRows, findRecommendationRow, gapRecommendationRow, unanimous } from './recommendation';
import type { PartialAdvice } from './types';

export type RecommendationChoice =
  /** the guideline publishes a row for an untested / uninterpretable partner gene (sertraline 2023) */
  | { kind: 'gap-row'; row: RecommendationRow; lookup: Record<string, string>; gapGenes: string[] }
  /** every row consistent with the known results gives the same advice, so the gap does not matter */
  | { kind: 'same-whatever'; row: RecommendationRow; unknownGenes: string[] }
  /** the gap matters: untested or indeterminate, with what the known gene alone supports where it says something */
  | { kind: 'gap'; verdict: 'untested' | 'indeterminate'; partial?: PartialAdvice }
  | { kind: 'row'; row: RecommendationRow }
  /** every gene known, and the guideline has no row for this combination */
  | { kind: 'no-row' };

export function chooseRecommendation(
  drug: string,
  keys: Record<string, string>,
  found: Pick<DrugGenes, 'genes' | 'missingGenes' | 'indeterminate'>,
  kb: PgxKnowledge,
): RecommendationChoice {
  const { missingGenes, indeterminate } = found;
  if (missingGenes.length === 0 && indeterminate.length === 0) {
    const row = findRecommendationRow(drug, keys, kb.drugs);
    return row ? { kind: 'row', row } : { kind: 'no-row' };
  }
  const gaps: Record<string, string> = {};
  for (const g of missingGenes) gaps[g] = GAP_KEY.missing;
  for (const r of indeterminate) gaps[r.gene] = GAP_KEY.indeterminate;
  const gapRow = gapRecommendationRow(drug, keys, gaps, kb.drugs);
  if (gapRow) return { kind: 'gap-row', row: gapRow, lookup: { ...keys, ...gaps }, gapGenes: Object.keys(gaps) };

  const unknownGenes = [...missingGenes, ...indeterminate.map((r) => r.gene)];
  const candidate = Object.keys(keys).length > 0 ? unanimous(consistentRows(drug, keys, kb.drugs)) : undefined;
  // a "*" row (e.g. warfarin's algorithm) needs the result itself, so a gap there is never covered
  if (candidate && !unknownGenes.some((g) => candidate.lookup[g] === '*')) return { kind: 'same-whatever', row: candidate, unknownGenes };

  const partial = missingGenes.length > 0 ? partialAdvice(drug, keys, found.genes, missingGenes, kb) : undefined;
  return { kind: 'gap', verdict: missingGenes.length > 0 ? 'untested' : 'indeterminate', ...(partial ? { partial } : {}) };
}
