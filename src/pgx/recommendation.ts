/**
 * Find the CPIC recommendation row for a drug and the patient's (effective) lookup keys, and word it.
 * Activity-score keys match exactly, else the highest CPIC "≥n" bucket the score reaches; "*" rows accept
 * any determinate result. No row → undefined (the caller reports "no-recommendation", never "standard").
 */
import { normaliseLookupKey, rowKey, type DrugKnowledge, type RecommendationRow } from './drug-knowledge';
import type { Recommendation } from './types';

function candidates(gene: string, key: string, available: Set<string> | undefined): string[] {
  if (!available) return [];
  const norm = normaliseLookupKey(gene, key);
  const out: string[] = [];
  if (available.has(norm)) out.push(norm);
  const value = Number(norm.replace(/^≥/, ''));
  if (/^≥?\d/.test(norm) && Number.isFinite(value)) {
    const buckets = [...available]
      .filter((k) => k.startsWith('≥') && Number(k.slice(1)) <= value)
      .sort((a, b) => Number(b.slice(1)) - Number(a.slice(1)));
    for (const b of buckets) if (!out.includes(b)) out.push(b);
  }
  if (available.has('*')) out.push('*');
  return out;
}

/** Exact row for a complete set of keys (one per gene the drug's rows use). */
export function findRecommendationRow(
  drug: string,
  keys: Record<string, string>,
  kb: DrugKnowledge,
): RecommendationRow | undefined {
  const recs = kb.recommendations.get(drug);
  if (!recs) return undefined;
  const genes = recs.genes;
  if (!genes.every((g) => keys[g] !== undefined)) return undefined;
  const lists = genes.map((g) => candidates(g, keys[g] as string, recs.keysByGene.get(g)));
  // cartesian product in preference order; tiny (≤ a few entries per gene)
  const walk = (i: number, acc: Record<string, string>): RecommendationRow | undefined => {
    if (i === genes.length) return recs.byKey.get(rowKey(acc));
    for (const k of lists[i] as string[]) {
      const hit = walk(i + 1, { ...acc, [genes[i] as string]: k });
      if (hit) return hit;
    }
    return undefined;
  };
  return walk(0, {});
}

/** CPIC's own lookup keys for a gene with no result on file / a result that cannot be interpreted. */
export const GAP_KEY = { missing: 'No Result', indeterminate: 'Indeterminate' } as const;

/**
 * CPIC's explicit row for a gap, where the guideline publishes one (sertraline 2023: "No Result" or
 * "Indeterminate" for CYP2B6 or CYP2C19 while the other gene is known). `gaps` maps each unknown gene to its
 * GAP_KEY; at least one gene must be known. Undefined when the drug has no such row (the usual case).
 */
export function gapRecommendationRow(
  drug: string,
  keys: Record<string, string>,
  gaps: Record<string, string>,
  kb: DrugKnowledge,
): RecommendationRow | undefined {
  if (Object.keys(keys).length === 0 || Object.keys(gaps).length === 0) return undefined;
  const recs = kb.recommendations.get(drug);
  const usesGap = Object.entries(gaps).every(([g, k]) => recs?.keysByGene.get(g)?.has(normaliseLookupKey(g, k)));
  return usesGap ? findRecommendationRow(drug, { ...keys, ...gaps }, kb) : undefined;
}

/**
 * Rows consistent with the keys that are known (genes absent from `keys` are free). Used when a gene is
 * untested: if every consistent row says the same thing, that advice holds whatever the missing result is.
 */
export function consistentRows(drug: string, keys: Record<string, string>, kb: DrugKnowledge): RecommendationRow[] {
  const recs = kb.recommendations.get(drug);
  if (!recs) return [];
  const allowed = new Map<string, Set<string>>();
  for (const [g, k] of Object.entries(keys)) allowed.set(g, new Set(candidates(g, k, recs.keysByGene.get(g))));
  return recs.rows.filter((row) =>
    Object.entries(row.lookup).every(([g, k]) => {
      const set = allowed.get(g);
      return !set || set.has(normaliseLookupKey(g, k));
    }),
  );
}

const SAME_ADVICE = (a: RecommendationRow, b: RecommendationRow) =>
  a.action === b.action && a.strength === b.strength && (a.dosing ?? '') === (b.dosing ?? '');

export function unanimous(rows: RecommendationRow[]): RecommendationRow | undefined {
  const first = rows[0];
  return first && rows.every((r) => SAME_ADVICE(r, first)) ? first : undefined;
}

function listWords(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

const GENERAL_POPULATION = /^(population )?general$/i;

/** Our own concise wording, built only from the structured fields of the row. */
export function recommendationText(row: RecommendationRow): string {
  const d = row.drug;
  const alts = row.alternatives.length ? ` Alternatives: ${listWords(row.alternatives)}.` : '';
  let text: string;
  switch (row.action) {
    case 'standard':
      text = `Use ${d} at the standard (label) dose.`;
      break;
    case 'adjust-dose':
      text = `Use ${d} with a dose adjustment: ${row.dosing}.`;
      break;
    case 'avoid':
      text = `Avoid ${d}.${alts}${row.dosing ? ` If it must be used: ${row.dosing}.` : ''}`;
      break;
    case 'use-alternative':
      text = `Use an alternative to ${d}; it is expected to work poorly for this patient.${alts}${row.dosing ? ` If it is still used: ${row.dosing}.` : ''}`;
      break;
    case 'consider-alternative':
      text = `Consider an alternative to ${d}.${alts}${row.dosing ? ` If it is used: ${row.dosing}.` : ''}`;
      break;
    case 'monitor':
      text = `Use ${d} at the usual dose and monitor response${row.dosing ? `: ${row.dosing}` : ''}.`;
      break;
    case 'no-recommendation':
      text = `CPIC makes no genotype-based recommendation for ${d} in this phenotype.`;
      break;
  }
  const withNote = row.note ? `${text} ${row.note}` : text;
  // rows chosen for one CPIC population (e.g. clopidogrel: ACS/PCI) say so
  return GENERAL_POPULATION.test(row.population) ? withNote : `${withNote} (CPIC population: ${row.population}.)`;
}

export function toRecommendation(row: RecommendationRow, lookup: Record<string, string>, kb: DrugKnowledge): Recommendation {
  const guideline = kb.guidelines[row.guideline];
  if (!guideline) throw new Error(`recommendation ${row.id} cites unknown guideline ${row.guideline}`);
  return {
    action: row.action,
    indicator: row.indicator,
    strength: row.strength,
    text: recommendationText(row),
    ...(row.dosing ? { dosing: row.dosing } : {}),
    alternatives: [...row.alternatives],
    guideline: { ...guideline },
    rowId: row.id,
    lookup: { ...lookup },
  };
}
