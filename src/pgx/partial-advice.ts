/**
 * Advice the known result supports when a partner gene has no result and CPIC publishes no row for that gap:
 * an FDA-label dose table's range (warfarin), or the least urgent of CPIC's rows consistent with the known result.
 */
import type { PgxKnowledge } from './knowledge';
import { consistentRows, recommendationText } from './recommendation';
import type { GeneResult, PartialAdvice } from './types';

const INDICATOR_RANK = { info: 0, warning: 1, critical: 2 } as const;

/**
 * A partner gene has no result and CPIC publishes no row for that gap: the advice the known result supports.
 * An FDA-label dose table (warfarin) gives the dose range whatever the missing genotype; otherwise CPIC's rows
 * consistent with the known result give the least urgent indicator any missing result could lead to.
 */
export function partialAdvice(
  drug: string,
  keys: Record<string, string>,
  genes: GeneResult[],
  missing: string[],
  kb: PgxKnowledge,
): PartialAdvice | undefined {
  if (Object.keys(keys).length === 0 || missing.length === 0) return undefined;
  return labelDoseAdvice(drug, keys, genes, missing, kb) ?? cpicRowsAdvice(drug, keys, genes, missing, kb);
}

/** The FDA label's dose range for the known genotype, whatever the missing one (warfarin). */
function labelDoseAdvice(
  drug: string,
  keys: Record<string, string>,
  genes: GeneResult[],
  missing: string[],
  kb: PgxKnowledge,
): PartialAdvice | undefined {
  const known = Object.keys(keys);
  const table = kb.drugs.labelDoses.get(drug);
  if (!table) return undefined;
  // the table is keyed by diplotype for some genes (CYP2C9) and by lookup key for others (VKORC1 -1639)
  const valueOf = (gene: string): string | undefined => {
    const r = genes.find((g) => g.gene === gene);
    return r?.diplotype && table.cells.some((c) => c.keys[gene] === r.diplotype) ? r.diplotype : keys[gene];
  };
  const knownValues = Object.fromEntries(table.genes.filter((g) => !missing.includes(g)).map((g) => [g, valueOf(g)]));
  const cells = table.cells.filter((c) => Object.entries(knownValues).every(([g, v]) => c.keys[g] === v));
  if (cells.length && table.genes.every((g) => missing.includes(g) || knownValues[g] !== undefined)) {
    const ref = table.cells.find((c) => table.genes.every((g) => c.keys[g] === table.reference[g]))!;
    const doses = [...new Set(cells.map((c) => c.dose))];
    const allReduced = cells.every((c) => c.dose !== ref.dose);
    const knownWords = Object.entries(knownValues).map(([g, v]) => `${g} ${v}`).join(', ');
    const missingWords = missing.join('/');
    const range =
      doses.length === 1
        ? `${doses[0]} ${table.unit} whatever the ${missingWords} genotype`
        : cells.map((c) => `${c.dose} ${table.unit} with ${missing.map((g) => `${g} ${c.keys[g]}`).join(', ')}`).join('; ');
    return {
      known,
      missing,
      indicator: allReduced ? 'warning' : 'info',
      text: `With ${knownWords}, the FDA label's table gives an expected maintenance dose of ${range} (usual: ${ref.dose} ${table.unit}). No ${missingWords} result on file: a ${missingWords} test would refine the dose.`,
      summary: `expected dose ${doses.length === 1 ? doses[0] : `${doses[doses.length - 1]}–${doses[0]}`.replace(/–.*–/, '–')} ${table.unit} (FDA label)`,
      headline: allReduced
        ? `Expect a lower ${drug} dose: ${doses.length === 1 ? `${doses[0]} ${table.unit} whatever the ${missingWords} genotype` : `${doses.join(' or ')} ${table.unit} depending on ${missingWords}`} (FDA label; usual ${ref.dose} ${table.unit}). Test ${missingWords}.`
        : `The ${drug} dose depends on ${missingWords}: test ${missingWords} (FDA label range ${doses.join(' or ')} ${table.unit}).`,
      source: { from: 'fda-label', label: table.source.name, url: table.source.url, version: table.source.version },
    };
  }
  return undefined;
}

/** CPIC's rows consistent with the known result: the least urgent indicator, and the advice per possible result. */
function cpicRowsAdvice(
  drug: string,
  keys: Record<string, string>,
  genes: GeneResult[],
  missing: string[],
  kb: PgxKnowledge,
): PartialAdvice | undefined {
  const known = Object.keys(keys);
  const rows = consistentRows(drug, keys, kb.drugs).filter((r) => !Object.values(r.lookup).some((k) => /^(no result|indeterminate)$/i.test(k)));
  if (!rows.length) return undefined;
  const floor = rows.reduce((a, r) => (INDICATOR_RANK[r.indicator] < INDICATOR_RANK[a.indicator] ? r : a));
  const knownWords = genes.filter((g) => known.includes(g.gene)).map((g) => `${g.gene} ${g.phenotype}`).join(', ');
  const m = missing.join('/');
  // CPIC's advice per possible result of the missing gene, rows with the same words together
  const byText = new Map<string, string[]>();
  for (const r of rows) {
    const text = recommendationText(r);
    const partner = missing.map((g) => `${g} ${r.lookup[g]}`).join(', ');
    byText.set(text, [...(byText.get(text) ?? []), partner]);
  }
  const options = [...byText.entries()].map(([advice, partners]) => ({ when: partners.join('; '), advice }));
  const guideline = kb.drugs.guidelines[floor.guideline];
  const words = {
    critical: { summary: `avoid whatever ${m}`, headline: `Whatever the ${m} result, CPIC says avoid ${drug} or use an alternative. Test ${m} for the details.` },
    warning: { summary: `a dose or drug change whatever ${m}`, headline: `Every possible ${m} result calls for a change (dose or drug) per CPIC: test ${m} to choose it.` },
    info: { summary: `advice depends on ${m}`, headline: `CPIC's advice for ${drug} depends on ${m}: test ${m} before relying on standard dosing.` },
  }[floor.indicator];
  return {
    known,
    missing,
    indicator: floor.indicator,
    text: `With ${knownWords}, CPIC's advice depends on ${m}; a ${m} test would settle it.`,
    ...words,
    options,
    source: { from: 'cpic', label: guideline?.title ?? 'CPIC', ...(guideline ? { url: guideline.url } : {}), version: guideline?.version ?? kb.drugs.cpicVersion },
  };
}
